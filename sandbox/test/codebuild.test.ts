import {
  BatchGetBuildsCommand,
  BatchGetProjectsCommand,
  CreateProjectCommand,
  DeleteProjectCommand,
  ListProjectsCommand,
  type CreateProjectCommandInput,
  StartBuildCommand,
  UpdateProjectCommand,
} from "@aws-sdk/client-codebuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeBuildProjectInput, codeBuildProjectInput } from "@/lib/policies";
import { failure, root } from "./clients";
import { TOOLS, allClients, createToolsRoles, names, spec, startWorld, store } from "./codepipeline-world";

let w: Awaited<ReturnType<typeof startWorld>>;
let tools: ReturnType<typeof allClients>;
beforeAll(async () => {
  w = await startWorld({ faults: { iamPropagationDelayMs: 250 } });
  tools = allClients(w.h, root(TOOLS));
});
afterAll(async () => {
  await w.close();
});

/** The portal's CreateProject input (its computeType is a plain string; the SDK types it as an enum). */
const input = () => codeBuildProjectInput(spec, names, store)! as CodeBuildProjectInput & CreateProjectCommandInput;

describe("CodeBuild projects", () => {
  it("CreateProject waits for IAM propagation, then accepts the portal's input exactly", async () => {
    await createToolsRoles(tools.iam, ["codeBuild"]);
    const early = await failure(tools.cb.send(new CreateProjectCommand(input())));
    expect(early.name).toBe("InvalidInputException");
    expect(early.message).toBe(`CodeBuild is not authorized to perform: sts:AssumeRole on ${names.roles.codeBuild!.arn}`);
    await new Promise((r) => setTimeout(r, 260));
    const { project } = await tools.cb.send(new CreateProjectCommand(input()));
    expect(project).toMatchObject({
      name: names.codeBuild.projectName,
      arn: names.codeBuild.projectArn,
      source: { type: "CODEPIPELINE" },
      artifacts: { type: "CODEPIPELINE" },
      serviceRole: names.roles.codeBuild!.arn,
      encryptionKey: store.keyArn,
      tags: input().tags,
      environment: { type: "LINUX_CONTAINER", image: input().environment.image, computeType: "BUILD_GENERAL1_SMALL" },
    });
    expect(project?.created).toBeInstanceOf(Date);
    expect((await failure(tools.cb.send(new CreateProjectCommand(input())))).name).toBe("ResourceAlreadyExistsException");
  });

  it("BatchGetProjects, ListProjects, UpdateProject, DeleteProject", async () => {
    const got = await tools.cb.send(new BatchGetProjectsCommand({ names: [names.codeBuild.projectName, "missing"] }));
    expect(got.projects?.map((p) => p.name)).toEqual([names.codeBuild.projectName]);
    expect(got.projectsNotFound).toEqual(["missing"]);
    expect((await tools.cb.send(new ListProjectsCommand({}))).projects).toEqual([names.codeBuild.projectName]);
    const upd = await tools.cb.send(
      new UpdateProjectCommand({
        name: names.codeBuild.projectName,
        description: "new",
        environment: { ...input().environment, computeType: "BUILD_GENERAL1_MEDIUM" },
      }),
    );
    expect(upd.project).toMatchObject({
      description: "new",
      environment: { computeType: "BUILD_GENERAL1_MEDIUM" },
      serviceRole: names.roles.codeBuild!.arn,
    });
    expect((await failure(tools.cb.send(new UpdateProjectCommand({ name: "missing" })))).name).toBe("ResourceNotFoundException");
    const b = await tools.cb.send(new StartBuildCommand({ projectName: names.codeBuild.projectName }));
    expect(b.build).toMatchObject({ projectName: names.codeBuild.projectName, buildStatus: "IN_PROGRESS", buildNumber: 1 });
    const builds = await tools.cb.send(new BatchGetBuildsCommand({ ids: [b.build!.id!, `${names.codeBuild.projectName}:nope`] }));
    expect(builds.builds?.map((x) => x.id)).toEqual([b.build!.id]);
    expect(builds.buildsNotFound).toEqual([`${names.codeBuild.projectName}:nope`]);
    await tools.cb.send(new DeleteProjectCommand({ name: names.codeBuild.projectName }));
    expect((await tools.cb.send(new BatchGetProjectsCommand({ names: [names.codeBuild.projectName] }))).projectsNotFound).toHaveLength(1);
  });

  it("validation: names, source/artifact types, service role", async () => {
    const e = (over: object) => failure(tools.cb.send(new CreateProjectCommand({ ...input(), ...over } as never)));
    expect((await e({ name: "x" })).name).toBe("ValidationException");
    expect((await e({ name: "-bad" })).name).toBe("ValidationException");
    expect((await e({ name: "a".repeat(256) })).name).toBe("ValidationException");
    expect((await e({ name: "p2", source: { type: "NOPE" } })).name).toBe("ValidationException");
    expect((await e({ name: "p2", artifacts: { type: "NO_ARTIFACTS" } })).name).toBe("InvalidInputException");
    expect((await e({ name: "p2", serviceRole: `arn:aws:iam::${TOOLS}:role/missing` })).name).toBe("InvalidInputException");
    // A role that trusts another service (events.amazonaws.com) is not assumable by CodeBuild.
    await createToolsRoles(tools.iam, ["startOnPush"]);
    await new Promise((r) => setTimeout(r, 260));
    expect((await e({ name: "p2", serviceRole: names.roles.startOnPush.arn })).message).toContain(
      "CodeBuild is not authorized to perform: sts:AssumeRole",
    );
  });

  it("reads are not mutating calls", async () => {
    w.h.resetCallLog();
    await tools.cb.send(new BatchGetProjectsCommand({ names: ["a1"] }));
    await tools.cb.send(new ListProjectsCommand({}));
    await tools.cb.send(new DeleteProjectCommand({ name: "a1" }));
    expect(w.h.callLog.map((c) => c.mutating)).toEqual([false, false, true]);
  });
});
