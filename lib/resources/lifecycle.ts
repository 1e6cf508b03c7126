/** The registry's read and delete, by a ledger row's kind: what retire (lib/provisioning/steps/retire-unused.ts) and teardown dispatch through. */
import type { LedgerRow, StepContext } from "@/lib/runs/types";
import { requireKind } from "./index";
import type { Inspection } from "./types";

/** Deletes the row's resource through its kind's module (each checks, right before the call, that it is this onboarding's own). */
export async function deleteRecorded(ctx: StepContext, row: LedgerRow): Promise<void> {
  const k = requireKind(row.kind);
  if (typeof k.delete !== "function") throw new Error(`The portal never deletes a ${k.label} on its own: ${k.delete.none}`);
  await k.delete(ctx, row);
}

/** Whether the row's resource exists and is still this onboarding's own (read by teardown in its plan and again right before deleting). */
export function inspectRecorded(ctx: StepContext, row: LedgerRow): Promise<Inspection> {
  const k = requireKind(row.kind);
  if (!k.inspect) throw new Error(`teardown cannot inspect a ${row.kind}`);
  return k.inspect(ctx, row);
}
