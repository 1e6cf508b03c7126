/** A tiny XML writer: plain objects → elements, arrays → <member> lists (AWS query style). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Marks an array to be rendered flattened (each item as <Name> directly, no <member> wrapper). */
export class Flat<T = unknown> {
  constructor(public items: T[]) {}
}

export function toXml(value: unknown, memberName = "member"): string {
  if (value === undefined || value === null) return "";
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, "Z");
  if (Array.isArray(value)) return value.map((v) => `<${memberName}>${toXml(v)}</${memberName}>`).join("");
  if (typeof value === "object") {
    let out = "";
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      if (v instanceof Flat) out += v.items.map((i) => `<${k}>${toXml(i)}</${k}>`).join("");
      else out += `<${k}>${toXml(v)}</${k}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}

export function element(name: string, inner: string, attrs: Record<string, string> = {}): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join("");
  return `<${name}${a}>${inner}</${name}>`;
}
