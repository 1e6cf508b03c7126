const SECRET_KEY = /(password|secret|token|credential|sessiontoken|accesskey|privatekey|externalid)/i;

/** Replaces the values of secret-looking keys, at any depth, with "[redacted]". */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && typeof v === "string" ? "[redacted]" : redact(v),
      ]),
    );
  }
  return value;
}
