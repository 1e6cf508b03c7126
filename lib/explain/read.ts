import "server-only";
import { BatchGetBuildsCommand, type Build } from "@aws-sdk/client-codebuild";
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetBranchCommand } from "@aws-sdk/client-codecommit";
import { ListPipelineExecutionsCommand } from "@aws-sdk/client-codepipeline";
import { cachedAccountClients } from "@/lib/aws/clients";
import { logStreamConsoleUrl } from "@/lib/resources/console-url";
import { withAuthors, type PipelineTarget } from "@/lib/pipelines/read";
import { isAwsError } from "@/lib/core/aws-errors";
import { maskLogLines } from "@/lib/security/mask-secrets";
import type { BuildLogTail, ResourceState } from "./types";

/**
 * Thin readers behind the explanations. They act through each account's provisioning role as the signed-in person
 * (SourceIdentity), like every other read of the portal.
 */

export const LOG_TAIL_LINES = 50;

const clientsOf = (t: PipelineTarget, side: "tools" | "repo", actorEmail: string) =>
  cachedAccountClients({ roleArn: t[`${side}Account`].roleArn, externalId: t[`${side}Account`].externalId, actorEmail, region: t.region });

/** CodeCommit GetBranch: the branch's tip, or null when the branch does not exist. */
export async function readBranchTip(t: PipelineTarget, actorEmail: string): Promise<string | null> {
  try {
    const out = await clientsOf(t, "repo", actorEmail).codecommit.send(
      new GetBranchCommand({ repositoryName: t.repositoryName, branchName: t.branchName }),
    );
    return out.branch?.commitId ?? null;
  } catch (e) {
    if (isAwsError(e, "BranchDoesNotExistException")) return null;
    throw e;
  }
}

/** The commit's date (GetCommit through the pipelines' forever cache of authors). */
export async function commitDate(t: PipelineTarget, commitId: string, actorEmail: string): Promise<string | undefined> {
  const view = await withAuthors(t, { id: "", status: "", sourceRevisions: [{ actionName: "Source", commitId }] }, actorEmail);
  return view.sourceRevisions[0]?.author?.date;
}

/** The newest execution: id, start and source commit (ListPipelineExecutions, maxResults 1). */
export async function readNewestExecution(t: PipelineTarget, actorEmail: string) {
  const out = await clientsOf(t, "tools", actorEmail).codepipeline.send(
    new ListPipelineExecutionsCommand({ pipelineName: t.pipelineName, maxResults: 1 }),
  );
  const e = out.pipelineExecutionSummaries?.[0];
  if (!e?.pipelineExecutionId) return null;
  return { executionId: e.pipelineExecutionId, commitId: e.sourceRevisions?.[0]?.revisionId, startTime: e.startTime?.toISOString() };
}

export async function readBuild(t: PipelineTarget, buildId: string, actorEmail: string): Promise<Build | undefined> {
  const out = await clientsOf(t, "tools", actorEmail).codebuild.send(new BatchGetBuildsCommand({ ids: [buildId] }));
  return out.builds?.[0];
}

/** The failed phase of a build, with its context (BatchGetBuilds phases). */
export function failedPhaseOf(b: Build | undefined): { phase: string; code: string; message: string } | undefined {
  const p = b?.phases?.find((x) => x.phaseStatus === "FAILED" || x.phaseStatus === "FAULT" || x.phaseStatus === "TIMED_OUT");
  if (!p?.phaseType) return undefined;
  return { phase: p.phaseType, code: p.contexts?.[0]?.statusCode ?? "", message: p.contexts?.[0]?.message ?? "" };
}

/** The newest LOG_TAIL_LINES lines of the build's CloudWatch Logs stream (GetLogEvents, startFromHead false), secrets masked. */
export async function readLogTail(t: PipelineTarget, b: Build, actorEmail: string): Promise<BuildLogTail | undefined> {
  const groupName = b.logs?.groupName;
  const streamName = b.logs?.streamName;
  if (!groupName || !streamName || !b.id) return undefined;
  const tail: BuildLogTail = {
    buildId: b.id,
    groupName,
    streamName,
    failedPhase: failedPhaseOf(b)?.phase,
    lines: [],
    consoleUrl: logStreamConsoleUrl(t.region, groupName, streamName),
    deepLink: b.logs?.deepLink,
  };
  try {
    const out = await clientsOf(t, "tools", actorEmail).logs.send(
      new GetLogEventsCommand({ logGroupName: groupName, logStreamName: streamName, limit: LOG_TAIL_LINES, startFromHead: false }),
    );
    // Masked here, so no unmasked line is cached or sent to any browser (viewers get none: lib/explain/log-access.ts).
    tail.lines = maskLogLines((out.events ?? []).map((e) => e.message ?? ""));
  } catch (e) {
    if (isAwsError(e, "ResourceNotFoundException")) tail.error = `The build wrote no log to ${groupName} / ${streamName}.`;
    else if (isAwsError(e, "AccessDeniedException", "AccessDenied"))
      tail.error = `The portal may read only CodeBuild's default log groups (/aws/codebuild/…) in tools account ${t.toolsAccount.accountId}; open this build's log in the console.`;
    else throw e;
  }
  return tail;
}

/** A plan item reduced to what the matching reads. */
export const resourceState = (i: ResourceState): ResourceState => ({
  stepKey: i.stepKey,
  title: i.title,
  account: i.account,
  accountId: i.accountId,
  kind: i.kind,
  name: i.name,
  arn: i.arn,
  action: i.action,
  reason: i.reason,
  documents: i.documents,
});
