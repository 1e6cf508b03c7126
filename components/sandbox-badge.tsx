export function SandboxBadge() {
  return (
    <span
      className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold uppercase tracking-wide text-amber-900 ring-1 ring-amber-300 dark:bg-amber-900 dark:text-amber-200 dark:ring-amber-700"
      title="AWS calls go to the local sandbox, not to real AWS"
      data-testid="sandbox-badge"
    >
      Sandbox
    </span>
  );
}
