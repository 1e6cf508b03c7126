"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { recordAudit } from "@/lib/audit/append";
import { verifyChain } from "@/lib/audit/verify";

const verifyAction = defineAction("audit.verify", z.object({}), async (_input, { user, client }) => {
  const result = await verifyChain();
  await recordAudit({
    actor: user,
    action: "audit.verify",
    target: { type: "audit" },
    outcome: result.intact ? "success" : "failure",
    details: { checked: result.checked, issued: result.issued, problem: result.problem, durationMs: result.durationMs },
    client,
  });
  return { ok: true as const, data: result };
});

export async function verifyChainAction(prev: unknown, form: FormData) {
  return verifyAction(prev, form);
}
