// The data directory holds the database (password hashes, external ids, audit history), the session secret
// and the audit key: only the portal's own user may read it. New files are private through the umask
// (SQLite, the sandbox and Next inherit it), and whatever an older version left readable is tightened.
import fs from "node:fs";
import path from "node:path";

/** Removes group and other permissions from `p` and everything under it (symlinks are left alone). */
export function tighten(p) {
  const st = fs.lstatSync(p);
  if (st.isSymbolicLink()) return;
  if ((st.mode & 0o077) !== 0) fs.chmodSync(p, st.mode & 0o700);
  if (st.isDirectory()) for (const name of fs.readdirSync(p)) tighten(path.join(p, name));
}

/** Creates `dataDir` 0700 (or tightens it) and makes this process, and every child it starts, create files 0600/0700. */
export function secureDataDir(dataDir) {
  process.umask(0o077);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  tighten(dataDir);
}
