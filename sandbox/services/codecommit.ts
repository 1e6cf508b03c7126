import { AwsError } from "../errors";
import { sha1 } from "../ids";
import { type OpContext, defineService, op } from "../registry";
import {
  type CommitResult,
  type FileMode,
  type ReferenceChangeEvent,
  type Repository,
  REFERENCE_CHANGE_TOPIC,
  branchTip,
  ccState,
  checkBranchName,
  checkRepositoryName,
  commitFiles,
  createRepository,
  getCommit,
  getRepository,
  repoArn,
  resolveCommitSpecifier,
} from "./codecommit-store";

type In = Record<string, any>;
const secs = (ms: number) => ms / 1000;
const err = (code: string, message: string) => new AwsError(code, message, 400);

const metadata = (r: Repository) => ({
  accountId: r.accountId,
  repositoryId: r.id,
  repositoryName: r.name,
  repositoryDescription: r.description,
  defaultBranch: r.defaultBranch,
  lastModifiedDate: secs(r.lastModified),
  creationDate: secs(r.createdAt),
  cloneUrlHttp: `https://git-codecommit.${r.region}.amazonaws.com/v1/repos/${r.name}`,
  cloneUrlSsh: `ssh://git-codecommit.${r.region}.amazonaws.com/v1/repos/${r.name}`,
  Arn: r.arn,
});

const repo = (ctx: OpContext, i: In) => getRepository(ctx.world, ctx.account, ctx.region, i.repositoryName);
const repoResource = (i: In, ctx: OpContext) => repoArn(ctx.region, ctx.account, String(i.repositoryName ?? "*"));
const repoOp = <T>(iamAction: string, mutating: boolean, handler: (i: In, ctx: OpContext) => T) =>
  op<In, T>({ iamAction, mutating, resources: repoResource, handler });

function publishRef(
  ctx: OpContext,
  r: Repository,
  branch: string,
  res: { oldCommitId?: string; commitId?: string },
  event: ReferenceChangeEvent["event"],
) {
  const payload: ReferenceChangeEvent = {
    account: r.accountId,
    region: r.region,
    repositoryName: r.name,
    repositoryId: r.id,
    repositoryArn: r.arn,
    event,
    referenceType: "branch",
    referenceName: branch,
    commitId: res.commitId,
    oldCommitId: res.oldCommitId,
    at: ctx.now,
  };
  ctx.publish(REFERENCE_CHANGE_TOPIC, payload);
}
const afterCommit = (ctx: OpContext, r: Repository, branch: string, res: CommitResult) =>
  publishRef(
    ctx,
    r,
    branch,
    { oldCommitId: res.oldCommitId, commitId: res.commit.commitId },
    res.branchCreated ? "referenceCreated" : "referenceUpdated",
  );

const decode = (v: unknown): Buffer => {
  if (typeof v !== "string") throw err("FileContentRequiredException", "The file content is required.");
  return Buffer.from(v, "base64");
};
const mode = (m: unknown): FileMode | undefined => {
  if (m === undefined) return undefined;
  if (m !== "NORMAL" && m !== "EXECUTABLE" && m !== "SYMLINK") throw err("InvalidFileModeException", `The file mode ${m} is not valid.`);
  return m;
};

const commitJson = (c: ReturnType<typeof getCommit>) => ({
  commitId: c.commitId,
  treeId: c.treeId,
  parents: c.parents,
  message: c.message,
  author: c.author,
  committer: c.committer,
  additionalData: "",
});

export const codecommitService = defineService({
  name: "codecommit",
  protocol: "json",
  targetPrefix: "CodeCommit_20150413",
  jsonContentType: "application/x-amz-json-1.1",
  operations: {
    CreateRepository: op<In, unknown>({
      iamAction: "codecommit:CreateRepository",
      mutating: true,
      resources: repoResource,
      handler: (i, ctx) => {
        const r = createRepository(
          ctx.world,
          ctx.account,
          ctx.region,
          checkRepositoryName(i.repositoryName),
          ctx.now,
          i.repositoryDescription,
        );
        if (i.tags && typeof i.tags === "object") r.tags = { ...i.tags };
        return { repositoryMetadata: metadata(r) };
      },
    }),
    GetRepository: repoOp("codecommit:GetRepository", false, (i, ctx) => ({ repositoryMetadata: metadata(repo(ctx, i)) })),
    ListRepositories: op<In, unknown>({
      iamAction: "codecommit:ListRepositories",
      mutating: false,
      resources: () => "*",
      handler: (i, ctx) => {
        const list = Object.values(ccState(ctx.world, ctx.account, ctx.region).repositories)
          .map((r) => ({ repositoryName: r.name, repositoryId: r.id }))
          .sort((a, b) => a.repositoryName.localeCompare(b.repositoryName));
        if (i.order === "descending") list.reverse();
        return { repositories: list };
      },
    }),
    DeleteRepository: repoOp("codecommit:DeleteRepository", true, (i, ctx) => {
      const name = checkRepositoryName(i.repositoryName);
      const state = ccState(ctx.world, ctx.account, ctx.region);
      const r = state.repositories[name];
      if (!r) return {}; // AWS answers success with no id
      delete state.repositories[name];
      return { repositoryId: r.id };
    }),
    UpdateRepositoryDescription: repoOp("codecommit:UpdateRepositoryDescription", true, (i, ctx) => {
      repo(ctx, i).description = i.repositoryDescription;
      return {};
    }),
    ListBranches: repoOp("codecommit:ListBranches", false, (i, ctx) => ({ branches: Object.keys(repo(ctx, i).branches).sort() })),
    GetBranch: repoOp("codecommit:GetBranch", false, (i, ctx) => {
      const r = repo(ctx, i);
      const name = checkBranchName(i.branchName);
      return { branch: { branchName: name, commitId: branchTip(r, name) } };
    }),
    CreateBranch: repoOp("codecommit:CreateBranch", true, (i, ctx) => {
      const r = repo(ctx, i);
      const name = checkBranchName(i.branchName);
      if (r.branches[name]) throw err("BranchNameExistsException", `Branch ${name} already exists`);
      const c = getCommit(r, i.commitId);
      r.branches[name] = c.commitId;
      r.defaultBranch ??= name;
      r.lastModified = ctx.now;
      publishRef(ctx, r, name, { commitId: c.commitId }, "referenceCreated");
      return {};
    }),
    DeleteBranch: repoOp("codecommit:DeleteBranch", true, (i, ctx) => {
      const r = repo(ctx, i);
      const name = checkBranchName(i.branchName);
      const tip = branchTip(r, name);
      if (r.defaultBranch === name) throw err("DefaultBranchCannotBeDeletedException", `The default branch ${name} cannot be deleted.`);
      delete r.branches[name];
      publishRef(ctx, r, name, { oldCommitId: tip }, "referenceDeleted");
      return { deletedBranch: { branchName: name, commitId: tip } };
    }),
    UpdateDefaultBranch: repoOp("codecommit:UpdateDefaultBranch", true, (i, ctx) => {
      const r = repo(ctx, i);
      const name = checkBranchName(i.defaultBranchName);
      branchTip(r, name);
      r.defaultBranch = name;
      return {};
    }),
    CreateCommit: repoOp("codecommit:CreateCommit", true, (i, ctx) => {
      const r = repo(ctx, i);
      const branch = checkBranchName(i.branchName);
      if (i.authorName !== undefined && String(i.authorName).length > 1024)
        throw err("NameLengthExceededException", "The user name is too long.");
      if (i.commitMessage !== undefined && String(i.commitMessage).length > 100 * 1024)
        throw err("CommitMessageLengthExceededException", "The commit message is too long.");
      const res = commitFiles(r, {
        branchName: branch,
        parentCommitId: i.parentCommitId,
        authorName: i.authorName,
        email: i.email,
        message: i.commitMessage,
        putFiles: (i.putFiles ?? []).map((f: In) => {
          if (f.sourceFile) throw err("InvalidActionException", "The sandbox does not implement putFiles[].sourceFile.");
          return { path: f.filePath, content: decode(f.fileContent), mode: mode(f.fileMode) };
        }),
        deleteFiles: (i.deleteFiles ?? []).map((f: In) => f.filePath),
        now: ctx.now,
      });
      afterCommit(ctx, r, branch, res);
      return {
        commitId: res.commit.commitId,
        treeId: res.commit.treeId,
        filesAdded: res.filesAdded,
        filesUpdated: res.filesUpdated,
        filesDeleted: res.filesDeleted,
      };
    }),
    PutFile: repoOp("codecommit:PutFile", true, (i, ctx) => {
      const r = repo(ctx, i);
      const branch = checkBranchName(i.branchName);
      if (!i.filePath) throw err("PathRequiredException", "A file path is required.");
      const content = decode(i.fileContent);
      const tip = r.branches[branch];
      if (tip) {
        const existing = r.commits[tip].files[String(i.filePath).replace(/^\/+/, "")];
        if (
          existing &&
          r.blobs[existing.blobId] === content.toString("base64") &&
          (i.fileMode === undefined || i.fileMode === existing.mode)
        )
          throw err(
            "SameFileContentException",
            "The file could not be added because the provided file content is exactly the same as the current file content.",
          );
      }
      const res = commitFiles(r, {
        branchName: branch,
        parentCommitId: i.parentCommitId,
        authorName: i.name,
        email: i.email,
        message: i.commitMessage ?? `Added ${i.filePath}`,
        putFiles: [{ path: i.filePath, content, mode: mode(i.fileMode) }],
        now: ctx.now,
      });
      afterCommit(ctx, r, branch, res);
      const entry = [...res.filesAdded, ...res.filesUpdated][0];
      return { commitId: res.commit.commitId, blobId: entry?.blobId, treeId: res.commit.treeId };
    }),
    GetCommit: repoOp("codecommit:GetCommit", false, (i, ctx) => ({ commit: commitJson(getCommit(repo(ctx, i), i.commitId)) })),
    GetFile: repoOp("codecommit:GetFile", false, (i, ctx) => {
      const r = repo(ctx, i);
      if (!i.filePath) throw err("PathRequiredException", "A file path is required.");
      const c = resolveCommitSpecifier(r, i.commitSpecifier);
      const path = String(i.filePath).replace(/^\/+/, "");
      const f = c.files[path];
      if (!f) throw err("FileDoesNotExistException", `The file ${path} does not exist in commit ${c.commitId}.`);
      const content = r.blobs[f.blobId];
      return {
        commitId: c.commitId,
        blobId: f.blobId,
        filePath: path,
        fileMode: f.mode,
        fileSize: Buffer.from(content, "base64").length,
        fileContent: content,
      };
    }),
    GetFolder: repoOp("codecommit:GetFolder", false, (i, ctx) => {
      const r = repo(ctx, i);
      const c = resolveCommitSpecifier(r, i.commitSpecifier);
      const folder = String(i.folderPath ?? "").replace(/^\/+|\/+$/g, "");
      const prefix = folder ? `${folder}/` : "";
      const inside = Object.keys(c.files).filter((p) => p.startsWith(prefix));
      if (folder && inside.length === 0)
        throw err("FolderDoesNotExistException", `The folder ${folder} does not exist in commit ${c.commitId}.`);
      const files: { blobId: string; absolutePath: string; relativePath: string; fileMode: FileMode }[] = [];
      const subs = new Map<string, string[]>();
      for (const p of inside.sort()) {
        const rel = p.slice(prefix.length);
        const slash = rel.indexOf("/");
        if (slash < 0) files.push({ blobId: c.files[p].blobId, absolutePath: p, relativePath: rel, fileMode: c.files[p].mode });
        else {
          const dir = rel.slice(0, slash);
          subs.set(dir, [...(subs.get(dir) ?? []), `${p}:${c.files[p].blobId}`]);
        }
      }
      return {
        commitId: c.commitId,
        folderPath: folder ? `/${folder}` : "/",
        treeId: folder ? treeOf(inside.map((p) => `${p}:${c.files[p].blobId}`)) : c.treeId,
        subFolders: [...subs].map(([dir, entries]) => ({ treeId: treeOf(entries), absolutePath: `${prefix}${dir}`, relativePath: dir })),
        files,
        symbolicLinks: [],
        subModules: [],
      };
    }),
  },
});

const treeOf = (entries: string[]) => sha1(entries.sort().join("\n"));
