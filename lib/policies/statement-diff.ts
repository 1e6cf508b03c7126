/** Which statements of a policy differ from what the portal wrote (pure). Drift (lib/drift/classify.ts) and explanations (lib/explain/statements.ts) word it each their way. */
import { statementEquals } from "./merge";
import type { Statement } from "./types";

export interface StatementDifference {
  statement: Statement;
  /** Position in the document it comes from (`desired` for missing and changed, `current` for unexpected). */
  index: number;
  /** missing: the portal's statement is gone; changed: its Sid holds something else; unexpected: a statement the portal did not write. */
  change: "missing" | "changed" | "unexpected";
}

/**
 * The portal's statements (`desired`) absent from or different in `current`, matched by Sid, else by content. With
 * `owned` (a document the portal writes whole), statements in `current` the portal did not write are reported too.
 */
export function statementDifferences(current: Statement[], desired: Statement[], owned: boolean): StatementDifference[] {
  const out: StatementDifference[] = [];
  desired.forEach((d, index) => {
    const same = d.Sid ? current.find((c) => c.Sid === d.Sid) : current.find((c) => statementEquals(c, d));
    if (!same) out.push({ statement: d, index, change: "missing" });
    else if (!statementEquals(same, d)) out.push({ statement: d, index, change: "changed" });
  });
  if (owned) {
    current.forEach((c, index) => {
      const known = c.Sid ? desired.some((d) => d.Sid === c.Sid) : desired.some((d) => statementEquals(c, d));
      if (!known) out.push({ statement: c, index, change: "unexpected" });
    });
  }
  return out;
}
