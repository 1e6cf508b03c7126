export function proxyWarning(env: Record<string, string | undefined>): string | null;
