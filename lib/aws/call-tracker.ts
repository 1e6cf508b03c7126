import { AsyncLocalStorage } from "node:async_hooks";

export interface TrackedCall {
  command: string;
  requestId?: string;
  error?: string;
  /** performance.now() at the start and end of the call, retries included. */
  startedAt: number;
  endedAt?: number;
}

/** The AWS calls made inside one scope (a provisioning step), for request ids in step records and call counts. */
export const callScope = new AsyncLocalStorage<TrackedCall[]>();

interface MiddlewareStackLike {
  add(
    mw: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
    opts: { step: "initialize"; name: string },
  ): void;
}

/** Adds the tracking middleware to a client (a no-op outside a scope). */
export function trackCalls<C extends { middlewareStack: unknown }>(client: C): C {
  (client.middlewareStack as MiddlewareStackLike).add(
    (next, context) => async (args) => {
      const calls = callScope.getStore();
      if (!calls) return next(args);
      const call: TrackedCall = { command: context.commandName ?? "unknown", startedAt: performance.now() };
      calls.push(call);
      try {
        const out = (await next(args)) as { output?: { $metadata?: { requestId?: string } } };
        call.requestId = out?.output?.$metadata?.requestId;
        return out;
      } catch (e) {
        call.error = (e as Error).name;
        call.requestId = (e as { $metadata?: { requestId?: string } }).$metadata?.requestId;
        throw e;
      } finally {
        call.endedAt = performance.now();
      }
    },
    { step: "initialize", name: "portalCallTracker" },
  );
  return client;
}
