// Changes clean up after themselves: switching an onboarding from "the portal creates the CodeBuild project" to an
// existing project plans the old project and its role as "delete", and the apply removes both from AWS and the
// ledger after the pipeline switched, while the pipeline keeps starting on a push.
import { beforeAll, describe, expect, it } from "vitest";
import { BatchGetProjectsCommand, CodeBuildClient, CreateProjectCommand } from "@aws-sdk/client-codebuild";
import { CreateRoleCommand, GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CodePipelineClient, GetPipelineCommand } from "@aws-sdk/client-codepipeline";
import { db } from "@/lib/db";
import { planOnboarding, updateOnboarding } from "@/lib/onboarding/service";
import { simulatePush } from "@/lib/pipelines/commands";
import { applyRun, namesOf, onboard } from "../support/provision";
import { createRepository, ctxFor, freshAccountId, registerAccount, rootClient, testUser } from "../support/world";

let user: Awaited<ReturnType<typeof testUser>>;
beforeAll(async () => {
  user = await testUser("engineer");
});

describe("an edit that makes portal-created resources unnecessary", () => {
  it("build mode create → existing: the old CodeBuild role and project are planned as delete and deleted after the switch", async () => {
    const toolsId = freshAccountId(6);
    const repoId = freshAccountId(7);
    const [tools, repo] = [await registerAccount(toolsId, "tools"), await registerAccount(repoId, "repo")];
    const repositoryName = `retire-${Date.now().toString(36)}`;
    await createRepository(repoId, repositoryName);
    const o = await onboard(user, { toolsDbId: tools.id, repoDbId: repo.id, repositoryName, pipelineName: `${repositoryName}-main` });
    expect((await applyRun(user, o.id)).failures).toEqual([]);
    const before = await namesOf(o.id);
    const oldRole = before.roles.codeBuild!;
    const oldProject = before.codeBuild.projectName;

    // A team's own build project (not the portal's), in the tools account, marked for the portal by its administrator.
    const iam = rootClient(IAMClient, toolsId);
    const teamRole = (
      await iam.send(
        new CreateRoleCommand({
          RoleName: "team-build",
          AssumeRolePolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" }],
          }),
        }),
      )
    ).Role!;
    const cb = rootClient(CodeBuildClient, toolsId);
    await cb.send(
      new CreateProjectCommand({
        name: "team-build",
        source: { type: "CODEPIPELINE" },
        artifacts: { type: "CODEPIPELINE" },
        environment: {
          type: "LINUX_CONTAINER",
          image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
          computeType: "BUILD_GENERAL1_SMALL",
        },
        serviceRole: teamRole.Arn!,
        tags: [{ key: "portal:managed-by", value: "crossline-portal" }],
      }),
    );

    await updateOnboarding(
      { id: o.id, branchName: "main", pipelineType: "V1", buildMode: "existing", buildProject: "team-build", approval: false },
      ctxFor(user),
    );
    const plan = await planOnboarding(o.id, ctxFor(user));
    const deletes = plan.items
      .filter((i) => i.action === "delete")
      .map((i) => `${i.kind} ${i.name}`)
      .sort();
    expect(deletes).toEqual([`codebuild-project ${oldProject}`, `iam-role ${oldRole.name}`].sort());

    expect((await applyRun(user, o.id)).failures).toEqual([]);
    await expect(iam.send(new GetRoleCommand({ RoleName: oldRole.name }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
    expect((await cb.send(new BatchGetProjectsCommand({ names: [oldProject] }))).projects ?? []).toEqual([]);
    expect(await db.provisionedResource.count({ where: { onboardingId: o.id, name: { in: [oldRole.name, oldProject] } } })).toBe(0);
    // The team's project and role are untouched; the pipeline builds with the team's project and still starts on a push.
    expect((await iam.send(new GetRoleCommand({ RoleName: "team-build" }))).Role?.Arn).toBe(teamRole.Arn);
    const pipeline = (await rootClient(CodePipelineClient, toolsId).send(new GetPipelineCommand({ name: before.pipeline.name }))).pipeline!;
    expect(JSON.stringify(pipeline.stages)).toContain('"ProjectName":"team-build"');
    expect((await simulatePush({ id: o.id, message: "after the switch" }, ctxFor(user))).executionIds).toHaveLength(1);
    // Nothing left to retire on the next plan.
    expect((await planOnboarding(o.id, ctxFor(user))).items.filter((i) => i.action === "delete")).toEqual([]);
  });
});
