import { CopyButton } from "@/components/ui/copy-button";

/** A generated password, shown once right after it was set: it is stored only as a hash. */
export function OneTimePassword({ email, password }: { email: string; password: string }) {
  return (
    <div
      role="status"
      className="space-y-2 rounded border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
    >
      <p className="font-semibold">Password for {email} — shown only this once</p>
      <p className="flex flex-wrap items-center gap-3">
        <code
          className="select-all rounded bg-white px-2 py-1 font-mono text-base text-slate-900 dark:bg-slate-900 dark:text-slate-100"
          data-testid="one-time-password"
        >
          {password}
        </code>
        <CopyButton text={password} label="Copy password" />
      </p>
      <p>Copy it now and hand it over through a safe channel. The portal keeps only a hash and cannot show it again.</p>
    </div>
  );
}
