/** A time in UTC, as the audit history shows and filters it. */
export function formatUtc(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function UtcTime({ value }: { value: Date }) {
  return (
    <time dateTime={value.toISOString()} className="whitespace-nowrap font-mono text-xs">
      {formatUtc(value)}
    </time>
  );
}
