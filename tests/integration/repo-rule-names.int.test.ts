// Issue 17, item 10: the repo-side push-forwarding rule's name carries the tools account. The same repository and
// branch onboarded from two tools accounts (same default pipeline name) get a rule each and both pipelines start on
// a push; an onboarding whose rule still has the old name (applied before) gets the new rule on its next apply, and
// the old one is deleted after the switch (tools.retire-unused); an offboarding before that deletes the old one.
import { beforeAll, describe, expect, it } from "vitest";
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  DeleteRuleCommand,
} from "@aws-sdk/client-eventbridge";
import { db } from "@/lib/db";
import { planOnboarding } from "@/lib/onboarding/service";
import { repoRuleInput, repoTargetsInput } from "@/lib/policies/event-rules";
import { specOf } from "@/lib/runs/spec";
import { applyRun, namesOf, onboard } from "../support/provision";
import { offboardRun } from "../support/offboard";
import { createRepository, ctxFor, endpoint, freshAccountId, registerAccount, rootClient, testUser } from "../support/world";

const REPO = "222222222222";
let user: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;
let seq = 0;

beforeAll(async () => {
  user = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

const repoEvents = () => rootClient(EventBridgeClient, REPO);

async function onboarded(repositoryName: string) {
  const toolsId = freshAccountId(6);
  const tools = await registerAccount(toolsId, "tools");
  const o = await onboard(user, { toolsDbId: tools.id, repoDbId, repositoryName, pipelineName: `${repositoryName}-main` });
  const applied = await applyRun(user, o.id);
  expect({ outcome: applied.outcome, failures: applied.failures }).toEqual({ outcome: "succeeded", failures: [] });
  return { id: o.id, toolsId, names: await namesOf(o.id) };
}

/** A push through the sandbox's real EventBridge chain; the pipeline executions it started, by pipeline ARN. */
async function push(repositoryName: string) {
  const res = await fetch(new URL("/_sandbox/push", endpoint()), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ account: REPO, repositoryName, branchName: "main", message: "both hear it" }),
  });
  const answer = (await res.json()) as { deliveries: { targetArn?: string; pipelineExecutionId?: string }[] };
  const started = new Map<string, number>();
  for (const d of answer.deliveries)
    if (d.pipelineExecutionId && d.targetArn) started.set(d.targetArn, (started.get(d.targetArn) ?? 0) + 1);
  return started;
}

const ruleExists = (name: string) =>
  repoEvents()
    .send(new DescribeRuleCommand({ Name: name }))
    .then(
      () => true,
      (e) => {
        if ((e as Error).name === "ResourceNotFoundException") return false;
        throw e;
      },
    );

/**
 * Puts an onboarding back where the code before this change left it: its forward-push rule named without the tools
 * account (same pattern, target and tags, created by the portal as the ledger says), the new-named one absent.
 */
async function asBeforeTheRename(onboardingId: string) {
  const o = await db.onboarding.findUniqueOrThrow({ where: { id: onboardingId }, include: { toolsAccount: true, repoAccount: true } });
  const spec = specOf(o);
  const names = await namesOf(onboardingId);
  const oldName = `${names.pipeline.name}-forward-push`;
  const oldArn = `arn:aws:events:us-east-1:${REPO}:rule/${oldName}`;
  expect(oldName).not.toBe(names.events.repoRule.name);
  const eb = repoEvents();
  await eb.send(new PutRuleCommand({ ...repoRuleInput(spec, names), Name: oldName }));
  await eb.send(new PutTargetsCommand({ ...repoTargetsInput(names), Rule: oldName }));
  await eb.send(new RemoveTargetsCommand({ Rule: names.events.repoRule.name, Ids: [names.events.repoRule.targetId] }));
  await eb.send(new DeleteRuleCommand({ Name: names.events.repoRule.name }));
  const updated = await db.provisionedResource.updateMany({
    where: { onboardingId, kind: "eventbridge-rule", accountId: REPO, name: names.events.repoRule.name },
    data: { name: oldName, arn: oldArn },
  });
  expect(updated.count).toBe(1);
  return { oldName, names };
}

describe("the repo-side rule carries the tools account", () => {
  it("the same repository and branch onboarded from two tools accounts: both applies succeed, a push starts both pipelines", async () => {
    const repositoryName = `twotools-${Date.now().toString(36)}-${++seq}`;
    await createRepository(REPO, repositoryName);
    const first = await onboarded(repositoryName);
    // Before: the second apply met the first onboarding's rule under the same name and refused it as a conflict.
    const second = await onboarded(repositoryName);
    expect(first.names.pipeline.name).toBe(second.names.pipeline.name);
    expect(first.names.events.repoRule.name).toBe(`${repositoryName}-main-${first.toolsId}-forward-push`);
    expect(second.names.events.repoRule.name).toBe(`${repositoryName}-main-${second.toolsId}-forward-push`);
    expect(await ruleExists(first.names.events.repoRule.name)).toBe(true);
    expect(await ruleExists(second.names.events.repoRule.name)).toBe(true);

    const started = await push(repositoryName);
    expect(started.get(first.names.pipeline.arn)).toBe(1);
    expect(started.get(second.names.pipeline.arn)).toBe(1);
  });

  it("an onboarding with the old rule name: the next apply creates the new rule, then deletes the old one; a push starts the pipeline once", async () => {
    const repositoryName = `rename-${Date.now().toString(36)}-${++seq}`;
    await createRepository(REPO, repositoryName);
    const x = await onboarded(repositoryName);
    const { oldName, names } = await asBeforeTheRename(x.id);

    const plan = await planOnboarding(x.id, ctxFor(user));
    expect(plan.items.find((i) => i.stepKey === "repo.forward-push-rule")).toMatchObject({
      action: "create",
      name: names.events.repoRule.name,
    });
    const retire = plan.items.filter((i) => i.stepKey === "tools.retire-unused");
    expect(retire.map((i) => `${i.action} ${i.kind} ${i.name} ${i.accountId}`)).toEqual([`delete eventbridge-rule ${oldName} ${REPO}`]);

    expect((await applyRun(user, x.id)).failures).toEqual([]);
    expect(await ruleExists(names.events.repoRule.name)).toBe(true);
    expect(await ruleExists(oldName)).toBe(false);
    const ledger = await db.provisionedResource.findMany({ where: { onboardingId: x.id, kind: "eventbridge-rule", accountId: REPO } });
    expect(ledger.map((r) => r.name)).toEqual([names.events.repoRule.name]);
    expect(
      (await repoEvents().send(new ListTargetsByRuleCommand({ Rule: names.events.repoRule.name }))).Targets?.map((t) => t.RoleArn),
    ).toEqual([names.roles.forwardPush.arn]);
    expect((await push(repositoryName)).get(names.pipeline.arn)).toBe(1);
    // Nothing left to retire.
    expect(
      (await planOnboarding(x.id, ctxFor(user))).items.filter((i) => i.stepKey === "tools.retire-unused").map((i) => i.action),
    ).toEqual(["no-change"]);
    // Offboarding then deletes the new-named rule (the ledger records it).
    const off = await offboardRun(user, x.id);
    expect({ outcome: off.outcome, failures: off.failures }).toEqual({ outcome: "succeeded", failures: [] });
    expect(await ruleExists(names.events.repoRule.name)).toBe(false);
  });

  it("an onboarding offboarded before that apply: the old-named rule is deleted", async () => {
    const repositoryName = `renoff-${Date.now().toString(36)}-${++seq}`;
    await createRepository(REPO, repositoryName);
    const x = await onboarded(repositoryName);
    const { oldName, names } = await asBeforeTheRename(x.id);
    const off = await offboardRun(user, x.id);
    expect({ outcome: off.outcome, failures: off.failures }).toEqual({ outcome: "succeeded", failures: [] });
    expect(await ruleExists(oldName)).toBe(false);
    expect(await ruleExists(names.events.repoRule.name)).toBe(false);
  });
});
