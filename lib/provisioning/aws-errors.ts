/** Error-name checks for the "exists / missing" answers listed in docs/aws-domain.md#api-errors-the-code-handles. */
export function isAwsError(e: unknown, ...names: string[]): boolean {
  const err = e as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return names.includes(err?.name ?? "") || names.includes(err?.Code ?? "");
}

/** Runs a read; an error named in `missing` means "not there" and becomes null. */
export async function readOrNull<T>(read: () => Promise<T>, ...missing: string[]): Promise<T | null> {
  try {
    return await read();
  } catch (e) {
    if (isAwsError(e, ...missing)) return null;
    throw e;
  }
}
