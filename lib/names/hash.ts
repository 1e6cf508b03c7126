/** FNV-1a 32-bit, rendered as 8 lowercase hex characters. Deterministic, dependency-free, not cryptographic. */
export function shortHash(input: string): string {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(input);
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
