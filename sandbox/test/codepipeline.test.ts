import {
  CreatePipelineCommand,
  DeletePipelineCommand,
  GetPipelineCommand,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
  ListTagsForResourceCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePipelineCommand,
} from "@aws-sdk/client-codepipeline";
import { PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPipelineInput, stripPipelineMetadata } from "@/lib/policies";
import { failure, root } from "./clients";
import { REPO, TOOLS, allClients, createRepoRoles, createToolsRoles, names, spec, startWorld, store } from "./codepipeline-world";

// Long enough that the first CreatePipeline is always inside it, however slow the machine; the test then ends the
// propagation window itself (no wall-clock race).
const DELAY = 600_000;
let w: Awaited<ReturnType<typeof startWorld>>;
let tools: ReturnType<typeof allClients>;
let repo: ReturnType<typeof allClients>;
beforeAll(async () => {
  w = await startWorld({
    faults: { iamPropagationDelayMs: DELAY },
    buckets: [
      { name: store.bucketName, region: "us-east-1" },
      { name: "bucket-in-eu", region: "eu-west-1" },
    ],
  });
  tools = allClients(w.h, root(TOOLS));
  repo = allClients(w.h, root(REPO));
});
afterAll(async () => {
  await w.close();
});

type Decl = ReturnType<typeof createPipelineInput>["pipeline"];
const portalInput = () => createPipelineInput(spec, names, store);
/** The portal's declaration under another name, changed by `edit`. */
function variant(name: string, edit: (d: Decl) => void = () => {}) {
  const input = structuredClone(portalInput());
  input.pipeline.name = name;
  edit(input.pipeline);
  return new CreatePipelineCommand(input as never);
}
const errorOf = async (cmd: CreatePipelineCommand) => {
  const e = await failure(tools.cp.send(cmd));
  return `${e.name}: ${e.message}`;
};

describe("CodePipeline CreatePipeline", () => {
  it("IAM propagation: InvalidStructureException right after the roles are created, success once they propagate", async () => {
    await createToolsRoles(tools.iam, ["pipeline"]);
    await createRepoRoles(repo.iam, ["crossAccount"]);
    const early = await failure(tools.cp.send(new CreatePipelineCommand(portalInput())));
    expect(early.name).toBe("InvalidStructureException");
    expect(early.message).toBe(`CodePipeline is not authorized to perform AssumeRole on role ${names.roles.pipeline.arn}`);
    w.h.setFaults({ iamPropagationDelayMs: 0 });
    const r = await tools.cp.send(new CreatePipelineCommand(portalInput()));
    expect(r.pipeline).toMatchObject({
      name: spec.pipelineName,
      version: 1,
      pipelineType: "V1",
      roleArn: names.roles.pipeline.arn,
      artifactStore: portalInput().pipeline.artifactStore,
    });
    expect(r.tags).toEqual(portalInput().tags);
  });

  it("creating a pipeline starts a first execution", async () => {
    const { pipelineExecutionSummaries: list } = await tools.cp.send(
      new ListPipelineExecutionsCommand({ pipelineName: spec.pipelineName }),
    );
    expect(list).toHaveLength(1);
    expect(list![0]).toMatchObject({ status: "InProgress", trigger: { triggerType: "CreatePipeline" } });
    expect(list![0].pipelineExecutionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(list![0].startTime).toBeInstanceOf(Date);
  });

  it("GetPipeline returns the declaration and metadata; UpdatePipeline of the stripped result bumps the version", async () => {
    const got = await tools.cp.send(new GetPipelineCommand({ name: spec.pipelineName }));
    expect(got.pipeline?.stages?.map((s) => s.name)).toEqual(["Source", "Approval", "Build"]);
    expect(got.metadata).toMatchObject({ pipelineArn: names.pipeline.arn });
    expect(got.metadata?.created).toBeInstanceOf(Date);
    const upd = await tools.cp.send(new UpdatePipelineCommand(stripPipelineMetadata({ ...got })));
    expect(upd.pipeline?.version).toBe(2);
    const list = await tools.cp.send(new ListPipelinesCommand({}));
    expect(list.pipelines).toEqual([expect.objectContaining({ name: spec.pipelineName, version: 2, pipelineType: "V1" })]);
    expect((await failure(tools.cp.send(new GetPipelineCommand({ name: "missing" })))).name).toBe("PipelineNotFoundException");
    expect((await failure(tools.cp.send(new UpdatePipelineCommand({ pipeline: { ...got.pipeline!, name: "missing" } })))).name).toBe(
      "PipelineNotFoundException",
    );
  });

  it("name rules and PipelineNameInUseException", async () => {
    expect(await errorOf(new CreatePipelineCommand(portalInput()))).toMatch(/^PipelineNameInUseException/);
    expect(await errorOf(variant("bad name"))).toMatch(/^ValidationException/);
    expect(await errorOf(variant("x".repeat(101)))).toMatch(/^ValidationException/);
  });

  it("structure: stage count, source placement, unique names, artifacts", async () => {
    expect(
      await errorOf(
        variant("p1", (d) => {
          d.stages = d.stages.slice(0, 1);
        }),
      ),
    ).toMatch(/^InvalidStructureException: .*at least 2 stages/);
    expect(
      await errorOf(
        variant("p1", (d) => {
          d.stages = Array.from({ length: 51 }, (_, i) => ({ ...d.stages[i === 0 ? 0 : 1], name: `s${i}` }));
        }),
      ),
    ).toMatch(/^LimitExceededException/);
    expect(
      await errorOf(
        variant("p1", (d) => {
          d.stages = [d.stages[1], d.stages[0], d.stages[2]];
        }),
      ),
    ).toMatch(/^InvalidStructureException: .*first stage/);
    expect(
      await errorOf(
        variant("p1", (d) => {
          d.stages[1] = { name: "Source2", actions: [{ ...d.stages[0].actions[0], outputArtifacts: [{ name: "Other" }] }] };
        }),
      ),
    ).toMatch(/^InvalidStructureException: .*only in the first stage/);
    expect(
      await errorOf(
        variant("p1", (d) => {
          d.stages[1].name = "Source";
        }),
      ),
    ).toMatch(/^InvalidStructureException: Stage names must be unique/);
    expect(
      await errorOf(
        variant("p1", (d) => {
          d.stages[2].actions.push({ ...d.stages[2].actions[0], outputArtifacts: [] });
        }),
      ),
    ).toMatch(/^InvalidStructureException: Action names must be unique/);
    expect(
      await errorOf(
        variant("p1", (d) => {
          d.stages[2].actions[0].inputArtifacts = [{ name: "Nowhere" }];
        }),
      ),
    ).toMatch(/^InvalidStructureException: Input artifact Nowhere/);
    expect(
      await errorOf(
        variant("p1", (d) => {
          d.stages[2].actions[0].outputArtifacts = [{ name: "SourceOutput" }];
        }),
      ),
    ).toMatch(/^InvalidStructureException: Output artifact name SourceOutput must be unique/);
    expect(
      await errorOf(
        variant("p1", (d) => {
          d.stages[2].actions[0].inputArtifacts = [{ name: "bad name" }];
        }),
      ),
    ).toMatch(/^ValidationException/);
    expect(
      await errorOf(
        variant("p1", (d) => {
          d.stages[2].actions[0].inputArtifacts = [];
        }),
      ),
    ).toMatch(/^InvalidActionDeclarationException: .*less than the minimum count \(1\)/);
    expect(
      await errorOf(
        variant("p1", (d) => {
          delete d.stages[0].actions[0].configuration!.BranchName;
        }),
      ),
    ).toMatch(/^InvalidActionDeclarationException: .*BranchName/);
    expect(
      await errorOf(
        variant("p1", (d) => {
          d.stages[2].actions[0].actionTypeId.provider = "Jenkins";
        }),
      ),
    ).toMatch(/^InvalidActionDeclarationException/);
  });

  it("artifact store: the bucket must exist in the pipeline's region; an alias key is accepted as AWS does", async () => {
    expect(
      await errorOf(
        variant("p2", (d) => {
          d.artifactStore.location = "no-such-bucket-here";
        }),
      ),
    ).toMatch(/^InvalidStructureException: .*no-such-bucket-here/);
    expect(
      await errorOf(
        variant("p2", (d) => {
          d.artifactStore.location = "bucket-in-eu";
        }),
      ),
    ).toMatch(/^InvalidStructureException: .*eu-west-1/);
    const r = await tools.cp.send(
      variant("p2", (d) => {
        d.artifactStore.encryptionKey.id = names.artifactStore.kmsAlias;
      }),
    );
    expect(r.pipeline?.artifactStore?.encryptionKey?.id).toBe("alias/codepipeline-artifacts-us-east-1");
    await tools.cp.send(new DeletePipelineCommand({ name: "p2" }));
  });

  it("pipeline types: V2 takes an execution mode (default SUPERSEDED); V1 rejects QUEUED", async () => {
    const v2 = await tools.cp.send(
      variant("v2", (d) => {
        d.pipelineType = "V2";
        d.executionMode = "QUEUED";
      }),
    );
    expect(v2.pipeline).toMatchObject({ pipelineType: "V2", executionMode: "QUEUED", version: 1 });
    const list = await tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: "v2" }));
    expect(list.pipelineExecutionSummaries?.[0]).toMatchObject({ executionMode: "QUEUED", trigger: { triggerType: "CreatePipeline" } });
    expect(
      await errorOf(
        variant("v1", (d) => {
          d.executionMode = "QUEUED";
        }),
      ),
    ).toMatch(/^ValidationException/);
    await tools.cp.send(new DeletePipelineCommand({ name: "v2" }));
  });

  it("roles: the service role must trust codepipeline; action roles must be assumable by the pipeline role", async () => {
    // The start-on-push role trusts events.amazonaws.com only.
    await createToolsRoles(tools.iam, ["startOnPush"]);
    expect(
      await errorOf(
        variant("p3", (d) => {
          d.roleArn = names.roles.startOnPush.arn;
        }),
      ),
    ).toBe(`InvalidStructureException: CodePipeline is not authorized to perform AssumeRole on role ${names.roles.startOnPush.arn}`);
    // An action role in the repo account that does not trust the pipeline role.
    const other = `arn:aws:iam::${REPO}:role/portal/nope`;
    expect(
      await errorOf(
        variant("p3", (d) => {
          d.stages[0].actions[0].roleArn = other;
        }),
      ),
    ).toBe(`InvalidStructureException: CodePipeline is not authorized to perform AssumeRole on role ${other}`);
    // The pipeline role's own policy must allow sts:AssumeRole on the action role.
    await tools.iam.send(
      new PutRolePolicyCommand({
        RoleName: names.roles.pipeline.name,
        PolicyName: names.policyNames.pipeline,
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
      }),
    );
    expect(await errorOf(variant("p3"))).toBe(
      `InvalidStructureException: CodePipeline is not authorized to perform AssumeRole on role ${names.roles.crossAccount.arn}`,
    );
  });

  it("StartPipelineExecution, ListPipelineExecutions, tags, DeletePipeline; reads are not mutating", async () => {
    // The first execution may still be in its Source stage (ConflictException for a V1 pipeline): stop it first.
    const [first] = (await tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: spec.pipelineName })))
      .pipelineExecutionSummaries!;
    if (first.status === "InProgress")
      await tools.cp.send(
        new StopPipelineExecutionCommand({
          pipelineName: spec.pipelineName,
          pipelineExecutionId: first.pipelineExecutionId,
          abandon: true,
        }),
      );
    const s = await tools.cp.send(new StartPipelineExecutionCommand({ name: spec.pipelineName }));
    const list = await tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: spec.pipelineName }));
    expect(list.pipelineExecutionSummaries?.map((e) => e.trigger?.triggerType)).toEqual(["StartPipelineExecution", "CreatePipeline"]);
    expect(list.pipelineExecutionSummaries?.[0].pipelineExecutionId).toBe(s.pipelineExecutionId);
    expect((await failure(tools.cp.send(new StartPipelineExecutionCommand({ name: "missing" })))).name).toBe("PipelineNotFoundException");
    await tools.cp.send(new TagResourceCommand({ resourceArn: names.pipeline.arn, tags: [{ key: "team", value: "a" }] }));
    await tools.cp.send(new UntagResourceCommand({ resourceArn: names.pipeline.arn, tagKeys: ["portal:managed-by", "portal:onboarding"] }));
    expect((await tools.cp.send(new ListTagsForResourceCommand({ resourceArn: names.pipeline.arn }))).tags).toEqual([
      { key: "team", value: "a" },
    ]);
    expect(
      (await failure(tools.cp.send(new ListTagsForResourceCommand({ resourceArn: `arn:aws:codepipeline:us-east-1:${TOOLS}:missing` }))))
        .name,
    ).toBe("ResourceNotFoundException");
    w.h.resetCallLog();
    await tools.cp.send(new GetPipelineCommand({ name: spec.pipelineName }));
    await tools.cp.send(new ListPipelinesCommand({}));
    await tools.cp.send(new ListPipelineExecutionsCommand({ pipelineName: spec.pipelineName }));
    await tools.cp.send(new DeletePipelineCommand({ name: spec.pipelineName }));
    expect(w.h.callLog.map((c) => [c.action, c.mutating])).toEqual([
      ["GetPipeline", false],
      ["ListPipelines", false],
      ["ListPipelineExecutions", false],
      ["DeletePipeline", true],
    ]);
    expect((await failure(tools.cp.send(new GetPipelineCommand({ name: spec.pipelineName })))).name).toBe("PipelineNotFoundException");
  });
});
