import { describe, expect, it } from "vitest";
import { accountBlock, isDue, pickVerifies, type AccountPace, type DriftCandidate } from "./pacing";

const H = 3_600_000;
const cfg = { intervalMs: 6 * H, gapMs: 5_000, maxStarts: 4 };
const NOW = 1_000 * H;
const c = (
  onboardingId: string,
  accounts: string[],
  lastCheckedAt: number | null = null,
  lastAppliedAt: number | null = null,
): DriftCandidate => ({ onboardingId, accounts, lastCheckedAt, lastAppliedAt });
const paces = (entries: [string, Partial<AccountPace>][]) =>
  new Map(entries.map(([a, p]) => [a, { leaseUntil: null, lastFinishedAt: null, ...p }]));

describe("isDue", () => {
  it("never verified, older than the interval, or applied since: due; otherwise not", () => {
    expect(isDue(c("a", ["1"]), NOW, cfg.intervalMs)).toBe(true);
    expect(isDue(c("a", ["1"], NOW - 6 * H), NOW, cfg.intervalMs)).toBe(true);
    expect(isDue(c("a", ["1"], NOW - 6 * H + 1), NOW, cfg.intervalMs)).toBe(false);
    expect(isDue(c("a", ["1"], NOW - 60_000, NOW - 30_000), NOW, cfg.intervalMs)).toBe(true);
    expect(isDue(c("a", ["1"], NOW - 60_000, NOW - 90_000), NOW, cfg.intervalMs)).toBe(false);
  });
});

describe("accountBlock", () => {
  it("a live lease blocks (busy), an expired one does not; the gap counts from the last verify's end", () => {
    expect(accountBlock(undefined, NOW, cfg.gapMs)).toBeNull();
    expect(accountBlock({ leaseUntil: NOW + 1, lastFinishedAt: null }, NOW, cfg.gapMs)).toBe("account-busy");
    expect(accountBlock({ leaseUntil: NOW, lastFinishedAt: null }, NOW, cfg.gapMs)).toBeNull();
    expect(accountBlock({ leaseUntil: null, lastFinishedAt: NOW - 4_999 }, NOW, cfg.gapMs)).toBe("account-gap");
    expect(accountBlock({ leaseUntil: null, lastFinishedAt: NOW - 5_000 }, NOW, cfg.gapMs)).toBeNull();
  });
});

describe("pickVerifies", () => {
  it("one verify per account: two onboardings sharing a repo account are never started together", () => {
    const d = pickVerifies([c("a", ["T1", "R"]), c("b", ["T2", "R"]), c("c", ["T3", "R2"])], new Map(), NOW, cfg);
    expect(d.start).toEqual(["a", "c"]);
    expect(d.waiting).toEqual([{ onboardingId: "b", reason: "account-busy", account: "R" }]);
  });

  it("oldest check first; not-due ones wait; the gap and live leases of the database are respected", () => {
    const d = pickVerifies(
      [
        c("new", ["T1", "R1"], NOW - 7 * H),
        c("old", ["T1", "R2"], NOW - 9 * H),
        c("fresh", ["T9", "R9"], NOW - H),
        c("gap", ["T4", "R4"]),
        c("leased", ["T5", "R5"]),
      ],
      paces([
        ["R4", { lastFinishedAt: NOW - 1_000 }],
        ["T5", { leaseUntil: NOW + 60_000 }],
      ]),
      NOW,
      cfg,
    );
    expect(d.start).toEqual(["old"]);
    expect(d.waiting).toEqual([
      { onboardingId: "fresh", reason: "not-due" },
      { onboardingId: "gap", reason: "account-gap", account: "R4" },
      { onboardingId: "leased", reason: "account-busy", account: "T5" },
      { onboardingId: "new", reason: "account-busy", account: "T1" },
    ]);
  });

  it("at most maxStarts per tick; the rest wait for the next", () => {
    const many = Array.from({ length: 6 }, (_, i) => c(`o${i}`, [`T${i}`, `R${i}`]));
    const d = pickVerifies(many, new Map(), NOW, { ...cfg, maxStarts: 2 });
    expect(d.start).toEqual(["o0", "o1"]);
    expect(d.waiting.map((w) => w.reason)).toEqual(["tick-full", "tick-full", "tick-full", "tick-full"]);
  });

  it("a tools account with 1,000 onboardings is verified within the interval at one verify per gap", () => {
    // Simulated time: each verify takes 2 s, then the account rests gapMs; everything stays on one tools account.
    const onboardings = Array.from({ length: 1000 }, (_, i) => c(`o${String(i).padStart(4, "0")}`, ["TOOLS", `R${i % 50}`]));
    const checked = new Map<string, number>();
    const pace = new Map<string, AccountPace>();
    let t = NOW;
    let verifies = 0;
    let maxPerSecondOnTools = 0;
    const startsOnTools: number[] = [];
    while (checked.size < onboardings.length && t < NOW + cfg.intervalMs) {
      const d = pickVerifies(
        onboardings.map((o) => ({ ...o, lastCheckedAt: checked.get(o.onboardingId) ?? null })),
        pace,
        t,
        cfg,
      );
      for (const id of d.start) {
        const o = onboardings.find((x) => x.onboardingId === id)!;
        checked.set(id, t + 2_000);
        for (const a of o.accounts) pace.set(a, { leaseUntil: null, lastFinishedAt: t + 2_000 });
        startsOnTools.push(t);
        verifies++;
      }
      t += 1_000;
    }
    for (const s of startsOnTools)
      maxPerSecondOnTools = Math.max(maxPerSecondOnTools, startsOnTools.filter((x) => x >= s && x < s + 1_000).length);
    expect(verifies).toBe(1000);
    expect(maxPerSecondOnTools).toBe(1);
    // Consecutive verifies of the tools account are at least 2 s (the verify) + 5 s (the gap) apart.
    expect(Math.min(...startsOnTools.slice(1).map((s, i) => s - startsOnTools[i]))).toBeGreaterThanOrEqual(7_000);
    expect(t - NOW).toBeLessThan(cfg.intervalMs);
  });
});
