"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { recordAudit } from "@/lib/audit/append";
import { headSchema } from "@/lib/audit/head";
import { verifyChain } from "@/lib/audit/verify";

export const verifyChainAction = defineAction("audit.verify", z.object({ head: headSchema }), async ({ head }, { user, client }) => {
  const result = await verifyChain({ head });
  await recordAudit({
    actor: user,
    action: "audit.verify",
    target: { type: "audit" },
    outcome: result.intact ? "success" : "failure",
    details: {
      checked: result.checked,
      issued: result.issued,
      problem: result.problem,
      head: result.head,
      checkedAgainst: result.checkedAgainst,
      durationMs: result.durationMs,
    },
    client,
  });
  return { ok: true as const, data: result };
});
