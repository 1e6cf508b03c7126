/** CodeCommit data model and pure repository operations, shared by the wire handlers and the demo seed. */
import { AwsError } from "../errors";
import { sha1, uuid } from "../ids";
import { type World, regionSlice } from "../state";

export type FileMode = "NORMAL" | "EXECUTABLE" | "SYMLINK";
export interface FileEntry {
  blobId: string;
  mode: FileMode;
}
export interface UserInfo {
  name: string;
  email: string;
  date: string;
}
export interface Commit {
  commitId: string;
  treeId: string;
  parents: string[];
  message: string;
  author: UserInfo;
  committer: UserInfo;
  /** Full snapshot: path (no leading slash) → blob. */
  files: Record<string, FileEntry>;
}
export interface Repository {
  name: string;
  id: string;
  arn: string;
  accountId: string;
  region: string;
  description?: string;
  defaultBranch?: string;
  createdAt: number;
  lastModified: number;
  branches: Record<string, string>;
  commits: Record<string, Commit>;
  /** blobId → base64 content. */
  blobs: Record<string, string>;
  tags: Record<string, string>;
}
export interface CodeCommitState {
  repositories: Record<string, Repository>;
}

export const ccState = (world: World, account: string, region: string) =>
  regionSlice<CodeCommitState>(world, account, region, "codecommit", () => ({ repositories: {} }));

export const repoArn = (region: string, account: string, name: string) => `arn:aws:codecommit:${region}:${account}:${name}`;

const err = (code: string, message: string) => new AwsError(code, message, 400);

export function checkRepositoryName(name: unknown): string {
  if (name === undefined || name === null || name === "") throw err("RepositoryNameRequiredException", "Repository name is required");
  if (typeof name !== "string" || !/^[\w.-]{1,100}$/.test(name) || name.endsWith(".git") || name === "." || name === "..")
    throw err(
      "InvalidRepositoryNameException",
      `The repository name '${name}' is not valid. Repository names can be any valid combination of letters, numbers, periods, underscores, and dashes between 1 and 100 characters in length.`,
    );
  return name;
}

export function checkBranchName(name: unknown): string {
  if (name === undefined || name === null || name === "") throw err("BranchNameRequiredException", "Branch name is required");
  if (typeof name !== "string" || name.length > 256 || /[\s~^:?*[\\]|\.\.|^\/|\/$|\.lock$|^-/.test(name))
    throw err("InvalidBranchNameException", `The branch name '${name}' is not valid.`);
  return name;
}

export function getRepository(world: World, account: string, region: string, name: unknown): Repository {
  const n = checkRepositoryName(name);
  const repo = ccState(world, account, region).repositories[n];
  if (!repo) throw err("RepositoryDoesNotExistException", `${n} does not exist`);
  return repo;
}

export function createRepository(
  world: World,
  account: string,
  region: string,
  name: string,
  now: number,
  description?: string,
): Repository {
  checkRepositoryName(name);
  const state = ccState(world, account, region);
  if (state.repositories[name]) throw err("RepositoryNameExistsException", `Repository named ${name} already exists`);
  if (description !== undefined && description.length > 1000)
    throw err("InvalidRepositoryDescriptionException", "The description is too long.");
  const repo: Repository = {
    name,
    id: uuid(),
    arn: repoArn(region, account, name),
    accountId: account,
    region,
    description,
    createdAt: now,
    lastModified: now,
    branches: {},
    commits: {},
    blobs: {},
    tags: {},
  };
  state.repositories[name] = repo;
  return repo;
}

export function branchTip(repo: Repository, branch: string): string {
  const tip = repo.branches[branch];
  if (!tip) throw err("BranchDoesNotExistException", `Could not find branch ${branch}`);
  return tip;
}

export function getCommit(repo: Repository, commitId: unknown): Commit {
  if (commitId === undefined || commitId === "") throw err("CommitIdRequiredException", "A commit ID is required.");
  if (typeof commitId !== "string" || !/^[0-9a-f]{40}$/.test(commitId))
    throw err("InvalidCommitIdException", `The commit ID '${commitId}' is not valid.`);
  const c = repo.commits[commitId];
  if (!c) throw err("CommitIdDoesNotExistException", `Could not find commit ${commitId}`);
  return c;
}

/** Branch name, full commit id, or (absent) the default branch → commit. */
export function resolveCommitSpecifier(repo: Repository, spec: unknown): Commit {
  const s = spec === undefined || spec === "" ? repo.defaultBranch : String(spec);
  if (s !== undefined && repo.branches[s]) return repo.commits[repo.branches[s]];
  const bare = s?.replace(/^refs\/heads\//, "");
  if (bare !== undefined && repo.branches[bare]) return repo.commits[repo.branches[bare]];
  if (s !== undefined && repo.commits[s]) return repo.commits[s];
  throw err("CommitDoesNotExistException", `The specified commit ${s ?? "(default branch)"} does not exist in repository ${repo.name}`);
}

export const gitBlobId = (content: Buffer) => sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));
const treeIdOf = (files: Record<string, FileEntry>) =>
  sha1(
    Object.keys(files)
      .sort()
      .map((p) => `${files[p].mode} ${p} ${files[p].blobId}`)
      .join("\n"),
  );
const normPath = (p: string) => p.replace(/^\/+/, "").replace(/\/+/g, "/");

export interface PutFileSpec {
  path: string;
  content: Buffer;
  mode?: FileMode;
}
export interface CommitRequest {
  branchName: string;
  parentCommitId?: string;
  authorName?: string;
  email?: string;
  message?: string;
  putFiles?: PutFileSpec[];
  deleteFiles?: string[];
  now: number;
}
export interface CommitResult {
  commit: Commit;
  oldCommitId?: string;
  branchCreated: boolean;
  filesAdded: { absolutePath: string; blobId: string; fileMode: FileMode }[];
  filesUpdated: { absolutePath: string; blobId: string; fileMode: FileMode }[];
  filesDeleted: { absolutePath: string; blobId: string; fileMode: FileMode }[];
}

/** CreateCommit semantics: parent checks, snapshot update, branch move (or creation). */
export function commitFiles(repo: Repository, req: CommitRequest): CommitResult {
  const branch = checkBranchName(req.branchName);
  const tip = repo.branches[branch];
  let parent: Commit | undefined;
  if (tip) {
    if (!req.parentCommitId)
      throw err(
        "ParentCommitIdRequiredException",
        "A parent commit ID is required. To view the full commit ID of a branch in a repository, use GetBranch or a Git command (for example, git pull or git log).",
      );
    if (req.parentCommitId !== tip)
      throw err(
        "ParentCommitIdOutdatedException",
        `The parent commit ID ${req.parentCommitId} is not the latest commit of branch ${branch}. Use GetBranch to get the current tip.`,
      );
    parent = repo.commits[tip];
  } else if (req.parentCommitId) {
    parent = getCommitOr(repo, req.parentCommitId, "ParentCommitDoesNotExistException");
  } else if (Object.keys(repo.branches).length > 0) {
    throw err(
      "ParentCommitIdRequiredException",
      "A parent commit ID is required to create a branch in a repository that already has commits.",
    );
  }
  const files: Record<string, FileEntry> = { ...(parent?.files ?? {}) };
  const result: Omit<CommitResult, "commit" | "oldCommitId" | "branchCreated"> = { filesAdded: [], filesUpdated: [], filesDeleted: [] };
  const seen = new Set<string>();
  for (const f of req.putFiles ?? []) {
    const p = normPath(f.path ?? "");
    if (!p) throw err("PathRequiredException", "A file path is required.");
    if (seen.has(p)) throw err("SamePathRequestException", `The file ${p} appears more than once in the request.`);
    seen.add(p);
    if (f.content.length > 6 * 1024 * 1024)
      throw err("FileContentSizeLimitExceededException", "The file cannot be added because it is too large.");
    const blobId = gitBlobId(f.content);
    repo.blobs[blobId] = f.content.toString("base64");
    const mode = f.mode ?? files[p]?.mode ?? "NORMAL";
    const entry = { absolutePath: p, blobId, fileMode: mode };
    if (files[p]) {
      if (files[p].blobId !== blobId || files[p].mode !== mode) result.filesUpdated.push(entry);
    } else result.filesAdded.push(entry);
    files[p] = { blobId, mode };
  }
  for (const raw of req.deleteFiles ?? []) {
    const p = normPath(raw);
    if (!files[p]) throw err("FileDoesNotExistException", `The file ${p} does not exist.`);
    result.filesDeleted.push({ absolutePath: p, blobId: files[p].blobId, fileMode: files[p].mode });
    delete files[p];
  }
  if (parent && result.filesAdded.length + result.filesUpdated.length + result.filesDeleted.length === 0)
    throw err(
      "NoChangeException",
      "The commit cannot be created because no changes will be made to the repository as a result of this commit. A commit must contain at least one change.",
    );
  if (!parent && Object.keys(files).length === 0)
    throw err("NoChangeException", "The commit cannot be created because it contains no files.");
  const when = `${Math.floor(req.now / 1000)} +0000`;
  const author = { name: req.authorName ?? "", email: req.email ?? "", date: when };
  const treeId = treeIdOf(files);
  const parents = parent ? [parent.commitId] : [];
  const message = req.message ?? "";
  const commitId = sha1(`tree ${treeId}\nparents ${parents.join(",")}\n${author.name} ${author.email} ${req.now}\n${message}\n${uuid()}`);
  const commit: Commit = { commitId, treeId, parents, message, author, committer: author, files };
  repo.commits[commitId] = commit;
  repo.branches[branch] = commitId;
  repo.defaultBranch ??= branch;
  repo.lastModified = req.now;
  return { commit, oldCommitId: tip, branchCreated: !tip, ...result };
}

function getCommitOr(repo: Repository, id: string, code: string): Commit {
  const c = repo.commits[id];
  if (!c) throw err(code, `The commit ${id} does not exist in repository ${repo.name}.`);
  return c;
}

/** Event published on every branch move; EventBridge (later) turns it into "CodeCommit Repository State Change". */
export interface ReferenceChangeEvent {
  account: string;
  region: string;
  repositoryName: string;
  repositoryId: string;
  repositoryArn: string;
  event: "referenceCreated" | "referenceUpdated" | "referenceDeleted";
  referenceType: "branch";
  referenceName: string;
  commitId?: string;
  oldCommitId?: string;
  at: number;
}
export const REFERENCE_CHANGE_TOPIC = "codecommit:reference-change";
