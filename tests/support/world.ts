// Integration-test fixtures: sandbox accounts registered in the portal's database, repositories, users,
// and the sandbox's control routes (faults, call log). Everything goes over HTTP, as the portal does.
import { CodeCommitClient, CreateCommitCommand, CreateRepositoryCommand } from "@aws-sdk/client-codecommit";
import { db } from "@/lib/db";
import { sandboxRootClient } from "@/lib/aws/client-factory";
import { ensureSandboxProvisioningRole, demoRoleArn } from "@/lib/demo/sandbox-world";
import type { CurrentUser } from "@/lib/auth/session";
import type { Purpose } from "@/lib/validation/account";

export const endpoint = () => process.env.AWS_ENDPOINT_URL!;

let counter = 0;
/** A fresh 12-digit account id per call (fresh tools account = fresh artifact store). */
export function freshAccountId(prefix = 3): string {
  counter += 1;
  return `${prefix}${String(Date.now() % 1e7).padStart(7, "0")}${String(counter).padStart(4, "0")}`.slice(0, 12);
}

export async function registerAccount(accountId: string, purpose: Purpose, name = `${purpose} ${accountId}`) {
  const existing = await db.awsAccount.findUnique({ where: { accountId } });
  if (existing) return existing;
  const externalId = `ext-${accountId}`;
  await ensureSandboxProvisioningRole({ endpoint: endpoint(), accountId, purpose, externalId });
  return db.awsAccount.create({
    data: { name, accountId, purpose, defaultRegion: "us-east-1", roleArn: demoRoleArn(accountId), externalId },
  });
}

/** The account's root on the sandbox, through the portal's client factory (lib/aws/clients.ts) and its retry policy. */
export function rootClient<T>(Client: new (cfg: never) => T, accountId: string, region = "us-east-1"): T {
  return sandboxRootClient(Client, accountId, { endpoint: endpoint(), region });
}

export async function createRepository(accountId: string, name: string, branch = "main", region = "us-east-1") {
  const cc = rootClient(CodeCommitClient, accountId, region);
  await cc.send(new CreateRepositoryCommand({ repositoryName: name }));
  const commit = await cc.send(
    new CreateCommitCommand({
      repositoryName: name,
      branchName: branch,
      authorName: "Test",
      email: "test@example.com",
      commitMessage: "initial",
      putFiles: [
        {
          filePath: "buildspec.yml",
          fileContent: new TextEncoder().encode("version: 0.2\nphases:\n  build:\n    commands:\n      - echo ok\n"),
        },
      ],
    }),
  );
  return commit.commitId!;
}

export async function testUser(role: CurrentUser["role"] = "engineer"): Promise<CurrentUser> {
  const email = `${role}-${Date.now()}-${counter++}@example.com`;
  const u = await db.user.create({ data: { email, role, name: role } });
  return { id: u.id, email: u.email, name: u.name, role };
}

export const ctxFor = (user: CurrentUser) => ({ user, client: { ip: "127.0.0.1", userAgent: "vitest" } });

export async function setFaults(faults: Record<string, number>) {
  const res = await fetch(`${endpoint()}/_sandbox/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });
  if (!res.ok) throw new Error(`setting faults failed: ${res.status}`);
}

export interface SandboxCall {
  service: string;
  action: string;
  account: string;
  mutating: boolean;
  status: number;
  at: number;
}

export async function resetCalls() {
  await fetch(`${endpoint()}/_sandbox/calls/reset`, { method: "POST" });
}

export async function calls(): Promise<SandboxCall[]> {
  const res = await fetch(`${endpoint()}/_sandbox/calls`);
  const body = (await res.json()) as SandboxCall[] | { calls: SandboxCall[] };
  return Array.isArray(body) ? body : body.calls;
}
