/** `{error}` JSON with a status and no caching: the error shape route handlers return. */
export function jsonError(status: number, error: string, extra: Record<string, unknown> = {}) {
  return Response.json({ error, ...extra }, { status, headers: { "cache-control": "no-store" } });
}
