// New pipelines default to V2 (what the AWS console proposes): the form schema and the database default both give
// V2, the pipeline step writes a V2 declaration the sandbox accepts (with its execution mode), and an onboarding
// stored as V1 keeps V1.
import { beforeAll, describe, expect, it } from "vitest";
import { CodePipelineClient, GetPipelineCommand } from "@aws-sdk/client-codepipeline";
import { db } from "@/lib/db";
import { createOnboarding, planOnboarding } from "@/lib/onboarding/service";
import { onboardingFields } from "@/lib/validation/onboarding";
import { applyRun } from "../support/provision";
import { createRepository, ctxFor, freshAccountId, registerAccount, rootClient, testUser } from "../support/world";

const REPO = "222222222222";
let engineer: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;

beforeAll(async () => {
  engineer = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

describe("V2 is the default pipeline type", () => {
  it("a form submitted without a type creates a V2 onboarding whose pipeline CodePipeline holds as V2", async () => {
    const toolsId = freshAccountId(6);
    const tools = await registerAccount(toolsId, "tools");
    const repositoryName = `v2-${Date.now().toString(36)}`;
    await createRepository(REPO, repositoryName);
    const pipelineName = `${repositoryName}-main`;
    const fields = onboardingFields.parse({
      toolsAccountId: tools.id,
      repoAccountId: repoDbId,
      region: "us-east-1",
      repositoryName,
      branchName: "main",
      pipelineName,
      buildMode: "create",
      buildProject: `${pipelineName}-build`,
    });
    expect(fields.pipelineType).toBe("V2");
    const o = await createOnboarding(fields, ctxFor(engineer));
    expect(o.pipelineType).toBe("V2");

    // Viewing the plan is a read: planning twice writes no audit event (the apply is what is audited).
    const audited = () => db.auditEvent.count({ where: { targetId: o.id } });
    const before = await audited();
    await planOnboarding(o.id, ctxFor(engineer));
    const plan = await planOnboarding(o.id, ctxFor(engineer));
    expect(await audited()).toBe(before);
    expect(plan.pipelineJson).toMatchObject({ name: pipelineName, pipelineType: "V2", executionMode: "SUPERSEDED" });

    const { outcome, failures } = await applyRun(engineer, o.id);
    expect({ outcome, failures }).toEqual({ outcome: "succeeded", failures: [] });
    const got = await rootClient(CodePipelineClient, toolsId).send(new GetPipelineCommand({ name: pipelineName }));
    expect(got.pipeline?.pipelineType).toBe("V2");
    expect(got.pipeline?.executionMode).toBe("SUPERSEDED");

    // Planned again, the V2 pipeline matches its declaration: nothing to change.
    const again = await planOnboarding(o.id, ctxFor(engineer));
    expect(again.items.filter((i) => i.action !== "no-change").map((i) => i.stepKey)).toEqual([]);
  });

  it("the database gives new rows V2, and a row stored as V1 keeps V1 in its plan", async () => {
    const tools = await registerAccount(freshAccountId(6), "tools");
    const base = {
      toolsAccountId: tools.id,
      repoAccountId: repoDbId,
      region: "us-east-1",
      repositoryName: "demo-service",
      branchName: "main",
      buildMode: "create",
      approval: false,
      createdById: engineer.id,
    };
    const fresh = await db.onboarding.create({
      data: { ...base, pipelineName: `dflt-${Date.now()}`, buildProject: `dflt-${Date.now()}-build` },
    });
    expect(fresh.pipelineType).toBe("V2");
    const old = await db.onboarding.create({
      data: { ...base, pipelineName: `v1-${Date.now()}`, buildProject: `v1-${Date.now()}-build`, pipelineType: "V1" },
    });
    const plan = await planOnboarding(old.id, ctxFor(engineer));
    const declaration = plan.pipelineJson as { pipelineType: string; executionMode?: string };
    expect(declaration.pipelineType).toBe("V1");
    expect(declaration.executionMode).toBeUndefined();
  });
});
