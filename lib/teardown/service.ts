import "server-only";
import { db } from "@/lib/db";
import { inTransactionWithAudit } from "@/lib/audit/append";
import type { CurrentUser } from "@/lib/auth/session";
import type { ActorContext } from "@/lib/core/actor";
import { isAllowed } from "@/lib/auth/access-table";
import { UserFacingError } from "@/lib/core/errors";
import { buildContext, loadLedger, loadOnboarding } from "@/lib/runs/context";
import type { Plan } from "@/lib/runs/types";
import { teardownChoicesSchema, type TeardownChoices } from "@/lib/runs/run-plan";
import { buildTeardownPlan } from "./plan";
import { enqueueRun } from "@/lib/runs/enqueue";
import { DESTROY_STEPS } from "./steps";

type Ctx = ActorContext<CurrentUser>;

function authorize(user: CurrentUser) {
  if (!isAllowed("onboardings.destroy", user.role))
    throw new UserFacingError("Your role does not allow offboarding: an engineer or an admin does it.");
}

function validOptions(options: unknown): TeardownChoices {
  const r = teardownChoicesSchema.safeParse(options ?? {});
  if (!r.success)
    throw new UserFacingError(
      "Please correct the highlighted fields.",
      Object.fromEntries(r.error.issues.map((i) => [String(i.path[0] ?? "options"), [i.message]])),
    );
  return r.data;
}

async function offboardable(onboardingId: string) {
  const o = await loadOnboarding(onboardingId).catch(() => null);
  if (!o) throw new UserFacingError("That onboarding no longer exists.");
  if (o.status === "offboarded") throw new UserFacingError(`${o.pipelineName} is already offboarded.`);
  return o;
}

/** What offboarding would delete, which shared statements it removes (with diffs) and what it keeps and why. */
export async function teardownPlan(onboardingId: string, options: unknown, { user }: Ctx): Promise<Plan> {
  authorize(user);
  const teardown = validOptions(options);
  const o = await offboardable(onboardingId);
  return buildTeardownPlan(buildContext(o, user.email, {}, { ledger: await loadLedger(o.id), teardown }));
}

/** Queues the destroy run (audited); the worker executes it. Deleting what is already gone succeeds. */
export async function startDestroy(onboardingId: string, { user, client }: Ctx, options: unknown = {}) {
  authorize(user);
  const teardown = validOptions(options);
  const o = await offboardable(onboardingId);
  return inTransactionWithAudit(async (tx) => {
    const run = await enqueueRun(tx, {
      onboardingId,
      plan: { kind: "destroy", teardown },
      stepKeys: DESTROY_STEPS.map((s) => s.key),
      startedById: user.id,
    });
    return {
      result: run,
      audit: {
        actor: user,
        action: "onboardings.destroy.started",
        target: { type: "onboarding", id: onboardingId },
        outcome: "success",
        details: { runId: run.id, pipelineName: o.pipelineName, ...teardown },
        client,
      },
    };
  });
}

/** Live onboardings (neither offboarded) that name an account: an account with none can be removed. */
export function liveOnboardingsOf(accountDbId: string) {
  return db.onboarding.count({
    where: { OR: [{ toolsAccountId: accountDbId }, { repoAccountId: accountDbId }], status: { not: "offboarded" } },
  });
}
