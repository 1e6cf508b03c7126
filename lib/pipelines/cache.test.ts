import { describe, expect, it } from "vitest";
import { ForeverCache, TtlCache } from "./cache";
import { KeyedLimiter } from "./limiter";

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe("TtlCache", () => {
  it("shares one load between concurrent callers and serves it until the TTL passes", async () => {
    let now = 1000;
    const cache = new TtlCache<number>(5000, 100, () => now);
    let loads = 0;
    const d = deferred<number>();
    const load = () => {
      loads++;
      return d.promise;
    };
    const all = Promise.all([cache.get("p", load), cache.get("p", load), cache.get("p", load)]);
    d.resolve(42);
    expect(await all).toEqual([42, 42, 42]);
    expect(loads).toBe(1);
    now += 4999;
    expect(await cache.get("p", async () => 7)).toBe(42);
    now += 1;
    expect(await cache.get("p", async () => 7)).toBe(7);
  });

  it("does not store a load that was running when the key was invalidated", async () => {
    const cache = new TtlCache<string>(5000);
    const d = deferred<string>();
    const old = cache.get("p", () => d.promise);
    cache.invalidate("p");
    const fresh = cache.get("p", async () => "after the command");
    d.resolve("before the command");
    expect(await old).toBe("before the command");
    expect(await fresh).toBe("after the command");
    expect(await cache.get("p", async () => "reloaded")).toBe("after the command");
  });

  it("does not keep failures", async () => {
    const cache = new TtlCache<string>(5000);
    await expect(cache.get("p", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await cache.get("p", async () => "ok")).toBe("ok");
  });

  it("invalidates by prefix and clears", async () => {
    const cache = new TtlCache<string>(5000);
    await cache.get("a|1", async () => "a1");
    await cache.get("a|2", async () => "a2");
    await cache.get("b|1", async () => "b1");
    cache.invalidatePrefix("a|");
    expect([cache.peek("a|1"), cache.peek("a|2"), cache.peek("b|1")]).toEqual([undefined, undefined, "b1"]);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

describe("ForeverCache", () => {
  it("keeps values for good, bounded by count (least recently used first), and loads once", async () => {
    const cache = new ForeverCache<string>(2);
    let loads = 0;
    const [x, y] = await Promise.all([cache.load("c1", async () => (loads++, "alice")), cache.load("c1", async () => (loads++, "bob"))]);
    expect([x, y, loads]).toEqual(["alice", "alice", 1]);
    cache.set("c2", "carol");
    cache.get("c1");
    cache.set("c3", "dave");
    expect([cache.has("c1"), cache.has("c2"), cache.has("c3")]).toEqual([true, false, true]);
  });
});

describe("KeyedLimiter", () => {
  it("runs at most `limit` tasks per key at once, FIFO, independently per key", async () => {
    const limiter = new KeyedLimiter(3);
    const order: number[] = [];
    const gates = Array.from({ length: 8 }, () => deferred<void>());
    const tasks = gates.map((g, i) =>
      limiter.run("acct-a", async () => {
        order.push(i);
        await g.promise;
      }),
    );
    const other = limiter.run("acct-b", async () => "b ran");
    expect(await other).toBe("b ran");
    await new Promise((r) => setImmediate(r));
    expect(limiter.inFlight("acct-a")).toBe(3);
    expect(order).toEqual([0, 1, 2]);
    for (const g of gates) {
      g.resolve();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(tasks);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(limiter.peak).toBe(3);
    expect(limiter.inFlight("acct-a")).toBe(0);
  });

  it("releases the slot when a task fails", async () => {
    const limiter = new KeyedLimiter(1);
    await expect(limiter.run("k", async () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(await limiter.run("k", async () => "next")).toBe("next");
  });
});
