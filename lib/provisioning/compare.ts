/**
 * Whether everything the portal asks for is present in what AWS returned. AWS echoes documents back with
 * defaults filled in (runOrder, version…), so equality would report drift that is not there; extra keys on
 * AWS's side are fine, arrays must match element by element and in length.
 */
export function isSubset(desired: unknown, actual: unknown): boolean {
  if (desired === undefined) return true;
  if (desired === null || typeof desired !== "object") {
    return String(desired) === String(actual) && actual !== undefined && actual !== null;
  }
  if (Array.isArray(desired)) {
    return Array.isArray(actual) && actual.length === desired.length && desired.every((d, i) => isSubset(d, actual[i]));
  }
  if (!actual || typeof actual !== "object" || Array.isArray(actual)) return false;
  return Object.entries(desired as Record<string, unknown>).every(([k, v]) => isSubset(v, (actual as Record<string, unknown>)[k]));
}
