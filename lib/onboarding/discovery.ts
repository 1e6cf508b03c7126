import "server-only";
import { ListBranchesCommand, ListRepositoriesCommand, GetBranchCommand, GetRepositoryCommand } from "@aws-sdk/client-codecommit";
import { BatchGetProjectsCommand, type Project, ListProjectsCommand } from "@aws-sdk/client-codebuild";
import { db } from "@/lib/db";
import { accountClients } from "@/lib/aws/clients";
import { isAwsError } from "@/lib/core/aws-errors";

async function clientsFor(accountDbId: string, region: string, actorEmail: string) {
  const a = await db.awsAccount.findUniqueOrThrow({ where: { id: accountDbId } });
  return accountClients({ roleArn: a.roleArn, externalId: a.externalId, actorEmail, region });
}

/** Repositories of a repo account, read through its provisioning role. */
export async function listRepositories(accountDbId: string, region: string, actorEmail: string): Promise<string[]> {
  const { codecommit } = await clientsFor(accountDbId, region, actorEmail);
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await codecommit.send(new ListRepositoriesCommand({ nextToken, sortBy: "repositoryName", order: "ascending" }));
    names.push(...(page.repositories ?? []).map((r) => r.repositoryName!).filter(Boolean));
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

export async function listBranches(
  accountDbId: string,
  region: string,
  repositoryName: string,
  actorEmail: string,
): Promise<{ branches: string[]; defaultBranch?: string }> {
  const { codecommit } = await clientsFor(accountDbId, region, actorEmail);
  const repo = await codecommit.send(new GetRepositoryCommand({ repositoryName }));
  const branches: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await codecommit.send(new ListBranchesCommand({ repositoryName, nextToken }));
    branches.push(...(page.branches ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return { branches: branches.sort(), defaultBranch: repo.repositoryMetadata?.defaultBranch };
}

export async function listBuildProjects(accountDbId: string, region: string, actorEmail: string): Promise<string[]> {
  const { codebuild } = await clientsFor(accountDbId, region, actorEmail);
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await codebuild.send(new ListProjectsCommand({ nextToken, sortBy: "NAME", sortOrder: "ASCENDING" }));
    names.push(...(page.projects ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

export type SourceCheck = { ok: true } | { ok: false; field: "repositoryName" | "branchName"; message: string };

/** The repository and branch must exist before anything is written. */
export async function checkSource(
  accountDbId: string,
  region: string,
  repositoryName: string,
  branchName: string,
  actorEmail: string,
): Promise<SourceCheck> {
  const a = await db.awsAccount.findUniqueOrThrow({ where: { id: accountDbId } });
  const { codecommit } = accountClients({ roleArn: a.roleArn, externalId: a.externalId, actorEmail, region });
  const where = `${a.name} (${a.accountId}), ${region}`;
  try {
    await codecommit.send(new GetBranchCommand({ repositoryName, branchName }));
    return { ok: true };
  } catch (e) {
    // Typed names (when the lists cannot be read) are judged here: say exactly what was looked up, and where.
    if (isAwsError(e, "RepositoryDoesNotExistException"))
      return {
        ok: false,
        field: "repositoryName",
        message: `No repository named ${repositoryName} in account ${where}. Names are case-sensitive: check the spelling.`,
      };
    if (isAwsError(e, "BranchDoesNotExistException"))
      return {
        ok: false,
        field: "branchName",
        message: `The repository ${repositoryName} in account ${where} has no branch named ${branchName}. Branch names are case-sensitive: check the spelling.`,
      };
    throw e;
  }
}

/** The CodeBuild project of that name in the tools account, or null. */
export async function buildProject(accountDbId: string, region: string, projectName: string, actorEmail: string): Promise<Project | null> {
  const { codebuild } = await clientsFor(accountDbId, region, actorEmail);
  const r = await codebuild.send(new BatchGetProjectsCommand({ names: [projectName] }));
  return r.projects?.[0] ?? null;
}
