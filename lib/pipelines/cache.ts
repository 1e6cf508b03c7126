/**
 * Two small in-process caches for the pipeline reads.
 *
 * - TtlCache: values that go stale (a pipeline's state), kept `ttlMs` and shared by every viewer of this
 *   process. Single-flight: concurrent gets of a missing key share one load. A command on a pipeline
 *   invalidates its entry; a load that was already running when the entry was invalidated does not store its
 *   (possibly older) result.
 * - ForeverCache: values that never change for a key (a commit's author, keyed by commit id; a pipeline
 *   declaration keyed by its version), bounded by entry count (least recently used goes first).
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly loading = new Map<string, { promise: Promise<V>; generation: number }>();
  private readonly generation = new Map<string, number>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The fresh cached value, or undefined. */
  peek(key: string): V | undefined {
    const e = this.entries.get(key);
    return e && e.expiresAt > this.now() ? e.value : undefined;
  }

  /** The cached value when fresh; otherwise one shared load (whatever the number of concurrent callers). */
  get(key: string, load: () => Promise<V>, ttlFor?: (v: V) => number): Promise<V> {
    const hit = this.peek(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const running = this.loading.get(key);
    if (running) return running.promise;
    const generation = this.generation.get(key) ?? 0;
    const slot = { promise: undefined as unknown as Promise<V>, generation };
    slot.promise = (async () => {
      try {
        const value = await load();
        if ((this.generation.get(key) ?? 0) === generation) {
          if (this.entries.size >= this.maxEntries) this.evict();
          this.entries.set(key, { value, expiresAt: this.now() + (ttlFor ? ttlFor(value) : this.ttlMs) });
        }
        return value;
      } finally {
        if (this.loading.get(key) === slot) this.loading.delete(key);
      }
    })();
    this.loading.set(key, slot);
    return slot.promise;
  }

  /** Forget a key (a command changed the pipeline): the next get loads again. */
  invalidate(key: string): void {
    this.entries.delete(key);
    this.loading.delete(key);
    this.generation.set(key, (this.generation.get(key) ?? 0) + 1);
  }

  /** Forget every key whose name starts with `prefix`. */
  invalidatePrefix(prefix: string): void {
    for (const k of [...this.entries.keys(), ...this.loading.keys()]) if (k.startsWith(prefix)) this.invalidate(k);
  }

  clear(): void {
    for (const k of [...this.entries.keys(), ...this.loading.keys()]) this.invalidate(k);
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

export class ForeverCache<V> {
  private readonly entries = new Map<string, V>();
  private readonly loading = new Map<string, Promise<V>>();

  constructor(private readonly maxEntries = 20_000) {}

  get(key: string): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const v = this.entries.get(key)!;
    // Least recently used goes first: re-insert on read.
    this.entries.delete(key);
    this.entries.set(key, v);
    return v;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
  }

  /** The cached value, or one shared load whose result is kept (a failed load is not kept). */
  async load(key: string, load: () => Promise<V>): Promise<V> {
    if (this.entries.has(key)) return this.get(key)!;
    const running = this.loading.get(key);
    if (running) return running;
    const promise = load().then(
      (v) => {
        this.set(key, v);
        this.loading.delete(key);
        return v;
      },
      (e) => {
        this.loading.delete(key);
        throw e;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  clear(): void {
    this.entries.clear();
    this.loading.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
