/**
 * At most `limit` tasks in flight per key (here: per AWS account and region), the rest wait in FIFO order.
 * The dashboard's reads go through it so that a refresh of many pipelines never bursts past AWS's request
 * rates; throttling that still happens is retried by the SDK (standard retry mode, see lib/aws/config.ts).
 */
export class KeyedLimiter {
  private readonly lanes = new Map<string, { active: number; queue: (() => void)[] }>();
  /** Highest number of tasks seen in flight at once for any key (tests and benchmarks read it). */
  peak = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, got ${limit}`);
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { active: 0, queue: [] }));
    if (lane.active >= this.limit) await new Promise<void>((resolve) => lane!.queue.push(resolve));
    lane.active += 1;
    this.peak = Math.max(this.peak, lane.active);
    try {
      return await task();
    } finally {
      lane.active -= 1;
      const next = lane.queue.shift();
      if (next) next();
      else if (lane.active === 0) this.lanes.delete(key);
    }
  }

  /** Tasks in flight for a key right now. */
  inFlight(key: string): number {
    return this.lanes.get(key)?.active ?? 0;
  }
}
