#!/usr/bin/env node
/**
 * Simulate a push to a sandbox CodeCommit repository:
 *   npm run sandbox:push -- --account 222222222222 --repo demo-service --branch main --message "Fix typo"
 * Adds a commit through the real CodeCommit API (CreateCommit with the account's root credentials SANDBOXROOT<acct>)
 * against the sandbox (--url, else SANDBOX_URL, else http://127.0.0.1:4566), which emits the CodeCommit event
 * through the EventBridge chain. Prints the commit id and what the delivery log (GET /_sandbox/events) says:
 * whether a pipeline started, or why not. Options: --region (us-east-1), --author, --email, --file (path to change).
 */
import { CodeCommitClient, CreateCommitCommand, GetBranchCommand, GetFileCommand } from "@aws-sdk/client-codecommit";
// Run with `node --conditions=react-server --import tsx` (package.json): the portal's client factory and retry policy.
import { sandboxRootClient } from "../lib/aws/client-factory.ts";

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    const [k, inline] = a.slice(2).split("=", 2);
    out[k] = inline ?? (argv[i + 1] && !argv[i + 1].startsWith("--") ? argv[++i] : "true");
  }
  return out;
}

const o = args(process.argv.slice(2));
const url = (o.url ?? process.env.SANDBOX_URL ?? "http://127.0.0.1:4566").replace(/\/+$/, "");
const account = o.account ?? "222222222222";
const region = o.region ?? "us-east-1";
const repositoryName = o.repo ?? o.repository ?? "demo-service";
const branchName = o.branch ?? "main";
const message = o.message ?? `Simulated push at ${new Date().toISOString()}`;
const filePath = o.file ?? "SANDBOX_PUSHES.md";
if (!/^\d{12}$/.test(account)) {
  console.error(`--account must be a 12-digit account id (got ${account})`);
  process.exit(2);
}

const cc = sandboxRootClient(CodeCommitClient, account, { endpoint: url, region });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const events = async () => {
  const r = await fetch(`${url}/_sandbox/events`);
  if (!r.ok) throw new Error(`GET /_sandbox/events answered ${r.status}`);
  return r.json();
};

async function main() {
  const before = await events();
  const lastSeq = before.reduce((m, d) => Math.max(m, d.seq ?? 0), 0);
  let parentCommitId;
  try {
    parentCommitId = (await cc.send(new GetBranchCommand({ repositoryName, branchName }))).branch?.commitId;
  } catch (e) {
    if (e.name !== "BranchDoesNotExistException") throw e;
  }
  let previous = "# Simulated pushes\n";
  if (parentCommitId) {
    try {
      const f = await cc.send(new GetFileCommand({ repositoryName, filePath, commitSpecifier: parentCommitId }));
      previous = Buffer.from(f.fileContent).toString("utf8");
    } catch (e) {
      if (e.name !== "FileDoesNotExistException") throw e;
    }
  }
  const content = `${previous}- ${new Date().toISOString()} ${message}\n`;
  const r = await cc.send(
    new CreateCommitCommand({
      repositoryName,
      branchName,
      parentCommitId,
      commitMessage: message,
      authorName: o.author ?? "Sandbox Pusher",
      email: o.email ?? "pusher@example.com",
      putFiles: [{ filePath, fileContent: Buffer.from(content, "utf8") }],
    }),
  );
  console.log(`pushed commit ${r.commitId} to ${repositoryName}@${branchName} (account ${account}, ${region})`);

  // EventBridge delivers asynchronously: wait until the new delivery decisions settle.
  let fresh = [];
  for (let i = 0, stable = 0; i < 40 && stable < 3; i++) {
    await sleep(50);
    const now = (await events()).filter((d) => d.seq > lastSeq);
    stable = now.length && now.length === fresh.length ? stable + 1 : 0;
    fresh = now;
  }
  if (!fresh.length) {
    console.log("no EventBridge delivery recorded: no rule on the repo account's default bus saw the event");
    process.exitCode = 1;
    return;
  }
  let started = 0;
  for (const d of fresh) {
    const where = d.targetArn ? `${d.ruleArn} → ${d.targetArn}` : (d.ruleArn ?? d.busArn);
    console.log(`  ${d.outcome.padEnd(9)} ${where}: ${d.reason}`);
    if (d.pipelineExecutionId) {
      started++;
      const name = d.targetArn.split(":").pop();
      console.log(`started pipeline ${name}: execution ${d.pipelineExecutionId}`);
    }
  }
  if (!started) {
    console.log("no pipeline started (see the reasons above)");
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(`sandbox-push failed: ${e.name ?? "Error"}: ${e.message}`);
  process.exit(1);
});
