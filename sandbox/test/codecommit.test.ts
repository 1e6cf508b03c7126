import {
  CreateBranchCommand,
  CreateCommitCommand,
  CreateRepositoryCommand,
  GetBranchCommand,
  GetCommitCommand,
  GetFileCommand,
  GetFolderCommand,
  GetRepositoryCommand,
  ListBranchesCommand,
  ListRepositoriesCommand,
  PutFileCommand,
} from "@aws-sdk/client-codecommit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../index";
import { clients, failure, root } from "./clients";

const B = "222222222222";
let h: SandboxHandle;
let cc: ReturnType<typeof clients>["cc"];
const events: unknown[] = [];
beforeAll(async () => {
  h = await startSandbox({ port: 0, seedDemo: true });
  cc = clients(h, root(B)).cc;
  h.subscribe("codecommit:reference-change", (e) => events.push(e));
});
afterAll(async () => {
  await h.close();
});

describe("CodeCommit over the wire (seeded demo)", () => {
  it("GetRepository returns AWS-shaped metadata", async () => {
    const { repositoryMetadata: m } = await cc.send(new GetRepositoryCommand({ repositoryName: "demo-service" }));
    expect(m).toMatchObject({
      accountId: B,
      repositoryName: "demo-service",
      defaultBranch: "main",
      Arn: `arn:aws:codecommit:us-east-1:${B}:demo-service`,
      cloneUrlHttp: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo-service",
    });
    expect(m?.creationDate).toBeInstanceOf(Date);
    const list = await cc.send(new ListRepositoriesCommand({}));
    expect(list.repositories?.map((r) => r.repositoryName)).toEqual(["demo-service", "payments-api"]);
  });

  it("ListBranches, GetBranch and GetCommit walk the three seeded commits", async () => {
    expect((await cc.send(new ListBranchesCommand({ repositoryName: "payments-api" }))).branches).toEqual(["develop", "main"]);
    expect((await cc.send(new ListBranchesCommand({ repositoryName: "demo-service" }))).branches).toEqual(["main"]);
    let id = (await cc.send(new GetBranchCommand({ repositoryName: "demo-service", branchName: "main" }))).branch!.commitId!;
    const messages: string[] = [];
    while (id) {
      const { commit } = await cc.send(new GetCommitCommand({ repositoryName: "demo-service", commitId: id }));
      expect(commit?.author).toMatchObject({ name: "Dana Developer", email: "dana@example.com" });
      messages.push(commit!.message!);
      id = commit!.parents![0];
    }
    expect(messages).toHaveLength(3);
    const buildspec = await cc.send(
      new GetFileCommand({ repositoryName: "demo-service", filePath: "buildspec.yml", commitSpecifier: "main" }),
    );
    expect(Buffer.from(buildspec.fileContent!).toString()).toMatch(/^version: 0\.2/);
    const folder = await cc.send(new GetFolderCommand({ repositoryName: "demo-service", folderPath: "/" }));
    expect(folder.files?.map((f) => f.relativePath).sort()).toEqual(["README.md", "buildspec.yml"]);
    expect(folder.subFolders?.map((f) => f.relativePath)).toEqual(["src"]);
  });

  it("missing things raise the modeled exceptions", async () => {
    expect((await failure(cc.send(new GetBranchCommand({ repositoryName: "demo-service", branchName: "nope" })))).name).toBe(
      "BranchDoesNotExistException",
    );
    expect((await failure(cc.send(new GetRepositoryCommand({ repositoryName: "nope" })))).name).toBe("RepositoryDoesNotExistException");
    expect((await failure(cc.send(new CreateRepositoryCommand({ repositoryName: "demo-service" })))).name).toBe(
      "RepositoryNameExistsException",
    );
    expect((await failure(cc.send(new CreateRepositoryCommand({ repositoryName: "bad name" })))).name).toBe(
      "InvalidRepositoryNameException",
    );
    expect((await failure(cc.send(new GetCommitCommand({ repositoryName: "demo-service", commitId: "0".repeat(40) })))).name).toBe(
      "CommitIdDoesNotExistException",
    );
    // Repositories are per account: 111111111111 has none.
    const other = clients(h, root("111111111111")).cc;
    expect((await failure(other.send(new GetRepositoryCommand({ repositoryName: "demo-service" })))).name).toBe(
      "RepositoryDoesNotExistException",
    );
  });

  it("CreateCommit on an empty repo creates the branch; then parentCommitId is required", async () => {
    await cc.send(new CreateRepositoryCommand({ repositoryName: "fresh" }));
    const first = await cc.send(
      new CreateCommitCommand({
        repositoryName: "fresh",
        branchName: "main",
        authorName: "T",
        email: "t@example.com",
        commitMessage: "init",
        putFiles: [{ filePath: "a.txt", fileContent: Buffer.from("hello") }],
      }),
    );
    expect(first.commitId).toMatch(/^[0-9a-f]{40}$/);
    expect(first.filesAdded?.[0]).toMatchObject({ absolutePath: "a.txt" });
    const again = await failure(
      cc.send(
        new CreateCommitCommand({
          repositoryName: "fresh",
          branchName: "main",
          putFiles: [{ filePath: "b.txt", fileContent: Buffer.from("x") }],
        }),
      ),
    );
    expect(again.name).toBe("ParentCommitIdRequiredException");
    const put = await cc.send(
      new PutFileCommand({
        repositoryName: "fresh",
        branchName: "main",
        parentCommitId: first.commitId,
        filePath: "a.txt",
        fileContent: Buffer.from("hello 2"),
      }),
    );
    expect((await cc.send(new GetBranchCommand({ repositoryName: "fresh", branchName: "main" }))).branch?.commitId).toBe(put.commitId);
    await cc.send(new CreateBranchCommand({ repositoryName: "fresh", branchName: "feature", commitId: first.commitId }));
    const file = await cc.send(new GetFileCommand({ repositoryName: "fresh", filePath: "a.txt", commitSpecifier: "feature" }));
    expect(Buffer.from(file.fileContent!).toString()).toBe("hello");
    expect(events).toContainEqual(
      expect.objectContaining({ repositoryName: "fresh", referenceName: "main", event: "referenceUpdated", commitId: put.commitId }),
    );
  });
});
