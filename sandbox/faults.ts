export interface Faults {
  /** Fraction (0–1) of AWS calls answered with the protocol's throttling error before doing anything. */
  throttleRate?: number;
  /** Fraction (0–1) of AWS calls answered with a 5xx before doing anything. */
  serverErrorRate?: number;
  /** Delay added to every AWS response. */
  latencyMs?: number;
  /** A role created less than this long ago is not yet visible to STS/KMS/CodePipeline. */
  iamPropagationDelayMs?: number;
  /** Simulated duration of every pipeline action / build step (0 = the defaults, about 2 s Source, 4 s Build, scaled by SANDBOX_SPEED). */
  actionMs?: number;
}

export function normalizeFaults(f: Faults = {}): Faults {
  const rate = (x: unknown) => (typeof x === "number" && x > 0 ? Math.min(1, x) : 0);
  const ms = (x: unknown) => (typeof x === "number" && x > 0 ? x : 0);
  return {
    throttleRate: rate(f.throttleRate),
    serverErrorRate: rate(f.serverErrorRate),
    latencyMs: ms(f.latencyMs),
    iamPropagationDelayMs: ms(f.iamPropagationDelayMs),
    actionMs: ms(f.actionMs),
  };
}

export function faultsFromEnv(env: NodeJS.ProcessEnv): Faults {
  const n = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number(v));
  return normalizeFaults({
    latencyMs: n(env.SANDBOX_LATENCY_MS),
    throttleRate: n(env.SANDBOX_THROTTLE_RATE),
    serverErrorRate: n(env.SANDBOX_5XX_RATE),
    iamPropagationDelayMs: n(env.SANDBOX_IAM_PROPAGATION_MS),
    actionMs: n(env.SANDBOX_ACTION_MS),
  });
}
