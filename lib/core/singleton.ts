const registry = globalThis as unknown as { portalSingletons?: Map<string, unknown> };

/**
 * One value per server process under `key`, created on first use. Kept on globalThis: Next's dev reloads and its
 * several route bundles evaluate a module more than once, and each copy must see the same client, cache or worker.
 */
export function processSingleton<T>(key: string, create: () => T): T {
  const map = (registry.portalSingletons ??= new Map<string, unknown>());
  if (!map.has(key)) map.set(key, create());
  return map.get(key) as T;
}

/** The singleton under `key` if one was created, without creating it. */
export function existingSingleton<T>(key: string): T | undefined {
  return registry.portalSingletons?.get(key) as T | undefined;
}
