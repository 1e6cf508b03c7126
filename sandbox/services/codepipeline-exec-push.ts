/**
 * POST /_sandbox/push {account, region?, repositoryName, branchName?, message?, author?, email?}: a simulated push.
 * Adds a commit to the branch exactly as CodeCommit's CreateCommit does (parent = the tip) and publishes the
 * reference change, so the CodeCommit event goes through the real EventBridge chain. Answers the commit and the
 * delivery decisions it caused (and which pipeline executions they started).
 */
import type { WireResponse } from "../protocols/types";
import type { ServiceHost } from "../registry";
import { REFERENCE_CHANGE_TOPIC, type ReferenceChangeEvent, ccState, commitFiles } from "./codecommit-store";
import { deliveryLog } from "./events-delivery";

const json = (status: number, value: unknown): WireResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(value),
});
const tick = () => new Promise<void>((r) => setImmediate(r));

export async function pushControl(
  req: { method: string; path: string; body: Buffer },
  host: ServiceHost,
): Promise<WireResponse | undefined> {
  if (req.method !== "POST" || req.path.replace(/\/+$/, "") !== "/_sandbox/push") return undefined;
  let b: Record<string, unknown>;
  try {
    b = JSON.parse(req.body.toString("utf8") || "{}");
  } catch {
    return json(400, { error: "body must be JSON" });
  }
  const account = String(b.account ?? "");
  const region = String(b.region ?? "us-east-1");
  const repositoryName = String(b.repositoryName ?? "");
  const branchName = String(b.branchName ?? "main");
  const message = String(b.message ?? "Simulated push");
  const author = String(b.author ?? "Sandbox Pusher");
  const email = String(b.email ?? "pusher@example.com");
  if (!/^\d{12}$/.test(account)) return json(400, { error: "account must be a 12-digit account id" });
  const world = host.world();
  const repo = world.accounts[account] ? ccState(world, account, region).repositories[repositoryName] : undefined;
  if (!repo) return json(404, { error: `repository ${repositoryName} does not exist in ${account} (${region})` });
  const now = Date.now();
  const tip = repo.branches[branchName];
  const parent = tip ?? (repo.defaultBranch ? repo.branches[repo.defaultBranch] : undefined);
  const previous = parent ? repo.commits[parent].files["SANDBOX_PUSHES.md"] : undefined;
  const before = previous ? Buffer.from(repo.blobs[previous.blobId], "base64").toString("utf8") : "# Simulated pushes\n";
  let result;
  try {
    result = commitFiles(repo, {
      branchName,
      parentCommitId: parent,
      authorName: author,
      email,
      message,
      now,
      putFiles: [{ path: "SANDBOX_PUSHES.md", content: Buffer.from(`${before}- ${new Date(now).toISOString()} ${message}\n`, "utf8") }],
    });
  } catch (e) {
    return json(400, { error: (e as Error).message, code: (e as { code?: string }).code });
  }
  const seq = deliveryLog(world).reduce((m, d) => Math.max(m, d.seq), 0);
  const event: ReferenceChangeEvent = {
    account,
    region,
    repositoryName: repo.name,
    repositoryId: repo.id,
    repositoryArn: repo.arn,
    event: result.branchCreated ? "referenceCreated" : "referenceUpdated",
    referenceType: "branch",
    referenceName: branchName,
    commitId: result.commit.commitId,
    oldCommitId: result.oldCommitId,
    at: now,
  };
  host.persist();
  host.publish(REFERENCE_CHANGE_TOPIC, event);
  // EventBridge delivers asynchronously (setImmediate): wait for it before answering.
  await tick();
  await tick();
  const deliveries = deliveryLog(world).filter((d) => d.seq > seq);
  return json(200, {
    commitId: result.commit.commitId,
    parentCommitId: parent,
    branchName,
    repositoryName: repo.name,
    account,
    region,
    deliveries,
    pipelineExecutionIds: deliveries.flatMap((d) => (d.pipelineExecutionId ? [d.pipelineExecutionId] : [])),
  });
}
