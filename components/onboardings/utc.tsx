/** A timestamp shown the same on server and client: UTC, to the second, with a machine-readable datetime. */
export function Utc({ at }: { at: Date | string | null | undefined }) {
  if (!at) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  const d = typeof at === "string" ? new Date(at) : at;
  const iso = d.toISOString();
  return (
    <time dateTime={iso} className="whitespace-nowrap">
      {iso.slice(0, 19).replace("T", " ")} UTC
    </time>
  );
}
