import "server-only";
import { randomUUID } from "node:crypto";
import {
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  type ActionExecutionDetail,
  type GetPipelineStateCommandOutput,
  type PipelineExecutionSummary,
} from "@aws-sdk/client-codepipeline";
import { GetCommitCommand } from "@aws-sdk/client-codecommit";
import { BatchGetBuildsCommand } from "@aws-sdk/client-codebuild";
import { cachedAccountClients } from "@/lib/aws/clients";
import { liveEnv } from "@/lib/config/env";
import { ForeverCache, TtlCache } from "./cache";
import { plainAwsError, type ErrorContext } from "./errors";
import { KeyedLimiter } from "./limiter";
import type {
  ActionExecutionView,
  ActionStateView,
  ExecutionDetail,
  ExecutionView,
  OnboardingRef,
  PipelineSnapshot,
  PlainError,
  SourceRevisionView,
  StageStateView,
} from "./types";
import { processSingleton } from "@/lib/core/singleton";

/**
 * The pipeline reads behind the dashboard and the pipeline pages.
 *
 * Efficiency (see docs/lifecycle.md#pipelines):
 * - One refresh reads at most ONE GetPipelineState and ONE ListPipelineExecutions(maxResults 1) per pipeline:
 *   the pair is a "snapshot", cached SNAPSHOT_TTL_MS (5 s) in this process, keyed by onboarding (= pipeline) and
 *   shared by every viewer; concurrent viewers of a missing snapshot share one load (single-flight). Commands
 *   invalidate their pipeline's entries.
 * - Reads go through a limiter: at most READS_IN_FLIGHT (16) calls in flight per AWS account, region and API
 *   operation (AWS throttles each CodePipeline operation separately), so a refresh has at most 16
 *   GetPipelineState + 16 ListPipelineExecutions in flight per tools account; the rest queue FIFO. Throttling
 *   that still occurs is retried by the SDK with backoff (lib/aws/config.ts).
 * - A commit's author needs CodeCommit GetCommit in the repo account: commits are immutable, so authors are
 *   cached forever by commit id and cost one call per new commit, not one per refresh.
 * - A pipeline's declaration (action types and run order, for the diagram) is cached forever by pipeline
 *   version: GetPipelineState reports the version, so a changed pipeline is read again.
 * - Clients (assumed-role credentials) come from cachedAccountClients: a refresh does not call AssumeRole.
 *
 * Reads act as the signed-in user whose request loaded them (SourceIdentity); a shared snapshot is
 * attributed in CloudTrail to the viewer whose refresh fetched it.
 */

export const SNAPSHOT_TTL_MS = 5_000;
/** In-flight reads per AWS account, region and operation; PORTAL_PIPELINE_READS_IN_FLIGHT overrides it (1–64). */
export const READS_IN_FLIGHT = liveEnv().PORTAL_PIPELINE_READS_IN_FLIGHT;
export const HISTORY_PAGE_SIZE = 15;

interface PipelineCaches {
  limiter: KeyedLimiter;
  snapshots: TtlCache<PipelineSnapshot>;
  pages: TtlCache<unknown>;
  authors: ForeverCache<SourceRevisionView["author"]>;
  authorMisses: TtlCache<true>;
  declarations: ForeverCache<Declaration>;
}

// A process singleton: one cache per server process, whatever the number of route bundles importing this module.
export const caches: PipelineCaches = processSingleton("portalPipelineCaches", () => ({
  limiter: new KeyedLimiter(READS_IN_FLIGHT),
  snapshots: new TtlCache<PipelineSnapshot>(SNAPSHOT_TTL_MS),
  pages: new TtlCache<unknown>(SNAPSHOT_TTL_MS, 2000),
  authors: new ForeverCache(),
  authorMisses: new TtlCache<true>(60_000),
  declarations: new ForeverCache(2000),
}));

/** Forget everything cached about one pipeline (after a command on it). Commit authors stay: they never change. */
export function invalidatePipeline(onboardingId: string): void {
  caches.snapshots.invalidate(onboardingId);
  caches.pages.invalidatePrefix(`${onboardingId}|`);
}

/** Forget every state read (benchmarks measure a cold refresh). Authors and declarations stay unless `all`. */
export function clearPipelineCaches(all = false): void {
  caches.snapshots.clear();
  caches.pages.clear();
  caches.authorMisses.clear();
  if (all) {
    caches.authors.clear();
    caches.declarations.clear();
  }
}

/** An onboarding with both accounts, as loaded from the database (includes the role ARNs: server side only). */
export interface PipelineTarget {
  id: string;
  pipelineName: string;
  pipelineArn: string | null;
  pipelineType: string;
  region: string;
  repositoryName: string;
  branchName: string;
  status: string;
  toolsAccount: { id: string; name: string; accountId: string; roleArn: string; externalId: string };
  repoAccount: { id: string; name: string; accountId: string; roleArn: string; externalId: string };
}

export const onboardingInclude = { toolsAccount: true, repoAccount: true } as const;

export function refOf(t: PipelineTarget): OnboardingRef {
  return {
    id: t.id,
    pipelineName: t.pipelineName,
    pipelineArn: t.pipelineArn,
    pipelineType: t.pipelineType,
    region: t.region,
    repositoryName: t.repositoryName,
    branchName: t.branchName,
    status: t.status,
    toolsAccount: { id: t.toolsAccount.id, name: t.toolsAccount.name, accountId: t.toolsAccount.accountId },
    repoAccount: { id: t.repoAccount.id, name: t.repoAccount.name, accountId: t.repoAccount.accountId },
  };
}

/** The limiter's lane: one per AWS account, region and API operation. */
export const laneOf = (accountId: string, region: string, operation: string) => `${accountId}/${region}/${operation}`;

export function toolsClients(t: PipelineTarget, actorEmail: string) {
  return cachedAccountClients({ roleArn: t.toolsAccount.roleArn, externalId: t.toolsAccount.externalId, actorEmail, region: t.region });
}

/** Runs one read of `operation` in the tools account's lane of the limiter. */
export function toolsRead<T>(t: PipelineTarget, operation: string, read: () => Promise<T>): Promise<T> {
  return caches.limiter.run(laneOf(t.toolsAccount.accountId, t.region, operation), read);
}

const iso = (d: Date | undefined) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);

/** An unexpected read failure: logged with an id, shown as a generic sentence with that id. */
export function readFailure(e: unknown, t: PipelineTarget, iamAction: string, extra: Partial<ErrorContext> = {}): PlainError {
  const plain = plainAwsError(e, { iamAction, pipelineName: t.pipelineName, region: t.region, account: t.toolsAccount, ...extra });
  if (plain) return plain;
  const errorId = randomUUID().slice(0, 8);
  console.error(`[pipelines] ${iamAction} on ${t.pipelineName} failed (error id ${errorId})`, e);
  return {
    message: `AWS could not be read for ${t.pipelineName} (error id ${errorId}). Try again or report the id.`,
    code: (e as Error)?.name,
  };
}

// ---- mapping AWS shapes to view models ----------------------------------------------------------------

export function executionView(s: PipelineExecutionSummary): ExecutionView {
  return {
    id: s.pipelineExecutionId ?? "",
    status: s.status ?? "Unknown",
    statusSummary: s.statusSummary,
    startTime: iso(s.startTime),
    lastUpdateTime: iso(s.lastUpdateTime),
    triggerType: s.trigger?.triggerType,
    triggerDetail: s.trigger?.triggerDetail,
    stopReason: s.stopTrigger?.reason,
    executionMode: s.executionMode,
    sourceRevisions: (s.sourceRevisions ?? []).map((r) => ({
      actionName: r.actionName ?? "Source",
      commitId: r.revisionId,
      message: r.revisionSummary,
      url: r.revisionUrl,
    })),
  };
}

function stagesOf(state: GetPipelineStateCommandOutput): StageStateView[] {
  return (state.stageStates ?? []).map((s) => ({
    name: s.stageName ?? "",
    status: s.latestExecution?.status,
    executionId: s.latestExecution?.pipelineExecutionId,
    inboundExecutionId: s.inboundExecution?.pipelineExecutionId ?? s.inboundExecutions?.[0]?.pipelineExecutionId,
    transitionEnabled: s.inboundTransitionState?.enabled ?? true,
    transitionReason: s.inboundTransitionState?.disabledReason,
    actions: (s.actionStates ?? []).map((a): ActionStateView => ({
      name: a.actionName ?? "",
      status: a.latestExecution?.status,
      summary: a.latestExecution?.summary,
      lastStatusChange: iso(a.latestExecution?.lastStatusChange),
      token: a.latestExecution?.status === "InProgress" ? a.latestExecution?.token : undefined,
      actionExecutionId: a.latestExecution?.actionExecutionId,
      externalExecutionId: a.latestExecution?.externalExecutionId,
      externalExecutionUrl: a.latestExecution?.externalExecutionUrl,
      entityUrl: a.entityUrl,
      revisionId: a.currentRevision?.revisionId,
      revisionUrl: a.revisionUrl,
      errorCode: a.latestExecution?.errorDetails?.code,
      errorMessage: a.latestExecution?.errorDetails?.message,
    })),
  }));
}

// ---- commit authors (forever, by commit id) ------------------------------------------------------------

async function authorOf(t: PipelineTarget, commitId: string, actorEmail: string): Promise<SourceRevisionView["author"]> {
  const key = `${t.repoAccount.accountId}/${t.region}/${t.repositoryName}/${commitId}`;
  if (caches.authors.has(key)) return caches.authors.get(key)!;
  if (caches.authorMisses.peek(key)) return null;
  try {
    return await caches.authors.load(key, async () => {
      const cc = cachedAccountClients({
        roleArn: t.repoAccount.roleArn,
        externalId: t.repoAccount.externalId,
        actorEmail,
        region: t.region,
      }).codecommit;
      const out = await caches.limiter.run(laneOf(t.repoAccount.accountId, t.region, "GetCommit"), () =>
        cc.send(new GetCommitCommand({ repositoryName: t.repositoryName, commitId })),
      );
      const a = out.commit?.author;
      return { name: a?.name, email: a?.email, date: a?.date };
    });
  } catch (e) {
    // Not kept forever: a role fixed later shows the author on a later refresh.
    caches.authorMisses.get(key, async () => true);
    console.warn(`[pipelines] GetCommit ${commitId.slice(0, 8)} in ${t.repoAccount.accountId} failed: ${(e as Error).name}`);
    return null;
  }
}

export async function withAuthors(t: PipelineTarget, e: ExecutionView, actorEmail: string): Promise<ExecutionView> {
  if (!e.sourceRevisions.some((r) => r.commitId)) return e;
  const sourceRevisions = await Promise.all(
    e.sourceRevisions.map(async (r) => (r.commitId ? { ...r, author: await authorOf(t, r.commitId, actorEmail) } : r)),
  );
  return { ...e, sourceRevisions };
}

// ---- the snapshot: one state read + one execution read --------------------------------------------------

async function loadSnapshot(t: PipelineTarget, actorEmail: string): Promise<PipelineSnapshot> {
  const cp = toolsClients(t, actorEmail).codepipeline;
  const [state, list] = await Promise.allSettled([
    toolsRead(t, "GetPipelineState", () => cp.send(new GetPipelineStateCommand({ name: t.pipelineName }))),
    toolsRead(t, "ListPipelineExecutions", () =>
      cp.send(new ListPipelineExecutionsCommand({ pipelineName: t.pipelineName, maxResults: 1 })),
    ),
  ]);
  const fetchedAt = Date.now();
  if (state.status === "rejected") return { fetchedAt, stages: [], error: readFailure(state.reason, t, "codepipeline:GetPipelineState") };
  const snapshot: PipelineSnapshot = { fetchedAt, pipelineVersion: state.value.pipelineVersion, stages: stagesOf(state.value) };
  if (list.status === "rejected") {
    snapshot.error = readFailure(list.reason, t, "codepipeline:ListPipelineExecutions");
    return snapshot;
  }
  const latest = list.value.pipelineExecutionSummaries?.[0];
  if (latest) snapshot.latest = await withAuthors(t, executionView(latest), actorEmail);
  return snapshot;
}

/** The pipeline's snapshot, from the shared cache when fresh. Never throws: failures are in `error`. */
export async function pipelineSnapshot(t: PipelineTarget, actorEmail: string): Promise<PipelineSnapshot> {
  if (!t.pipelineArn) return { fetchedAt: Date.now(), stages: [] };
  return caches.snapshots.get(t.id, () =>
    loadSnapshot(t, actorEmail).catch((e) => ({
      fetchedAt: Date.now(),
      stages: [],
      error: readFailure(e, t, "codepipeline:GetPipelineState"),
    })),
  );
}

// ---- the declaration (forever, by version) ------------------------------------------------------------

export interface DeclaredAction {
  name: string;
  category: string;
  owner: string;
  provider: string;
  runOrder: number;
  configuration: Record<string, string>;
}
export interface Declaration {
  pipelineType: string;
  executionMode?: string;
  version?: number;
  stages: { name: string; actions: DeclaredAction[] }[];
}

export async function pipelineDeclaration(t: PipelineTarget, version: number | undefined, actorEmail: string): Promise<Declaration> {
  const key = `${t.pipelineArn}@${version ?? "latest"}`;
  const load = async (): Promise<Declaration> => {
    const cp = toolsClients(t, actorEmail).codepipeline;
    const out = await toolsRead(t, "GetPipeline", () =>
      cp.send(new GetPipelineCommand({ name: t.pipelineName, ...(version ? { version } : {}) })),
    );
    const p = out.pipeline;
    return {
      pipelineType: p?.pipelineType ?? "V1",
      executionMode: p?.executionMode,
      version: p?.version,
      stages: (p?.stages ?? []).map((s) => ({
        name: s.name ?? "",
        actions: (s.actions ?? []).map((a) => ({
          name: a.name ?? "",
          category: a.actionTypeId?.category ?? "",
          owner: a.actionTypeId?.owner ?? "",
          provider: a.actionTypeId?.provider ?? "",
          runOrder: a.runOrder ?? 1,
          configuration: (a.configuration ?? {}) as Record<string, string>,
        })),
      })),
    };
  };
  // Without a version the answer can change: keep it only as long as a snapshot.
  if (!version) return caches.pages.get(`${t.id}|decl`, load) as Promise<Declaration>;
  return caches.declarations.load(key, load);
}

// ---- history (paged with AWS's nextToken) ---------------------------------------------------------------

export interface HistoryPage {
  executions: ExecutionView[];
  nextToken?: string;
}

export async function executionHistory(
  t: PipelineTarget,
  nextToken: string | undefined,
  actorEmail: string,
  pageSize = HISTORY_PAGE_SIZE,
): Promise<HistoryPage> {
  return caches.pages.get(`${t.id}|hist|${pageSize}|${nextToken ?? ""}`, async () => {
    const cp = toolsClients(t, actorEmail).codepipeline;
    const out = await toolsRead(t, "ListPipelineExecutions", () =>
      cp.send(new ListPipelineExecutionsCommand({ pipelineName: t.pipelineName, maxResults: pageSize, nextToken })),
    );
    const executions = await Promise.all((out.pipelineExecutionSummaries ?? []).map((s) => withAuthors(t, executionView(s), actorEmail)));
    return { executions, nextToken: out.nextToken };
  }) as Promise<HistoryPage>;
}

// ---- one execution: GetPipelineExecution + ListActionExecutions (+ BatchGetBuilds for log links) --------

const BUILD_PROVIDERS = new Set(["CodeBuild"]);

function actionExecutionView(d: ActionExecutionDetail): ActionExecutionView {
  const r = d.output?.executionResult;
  return {
    actionExecutionId: d.actionExecutionId ?? "",
    stageName: d.stageName ?? "",
    actionName: d.actionName ?? "",
    status: d.status ?? "Unknown",
    category: d.input?.actionTypeId?.category,
    provider: d.input?.actionTypeId?.provider,
    startTime: iso(d.startTime),
    lastUpdateTime: iso(d.lastUpdateTime),
    summary: r?.externalExecutionSummary,
    externalExecutionId: r?.externalExecutionId,
    externalExecutionUrl: r?.externalExecutionUrl,
    errorCode: r?.errorDetails?.code,
    errorMessage: r?.errorDetails?.message,
    updatedBy: d.updatedBy,
  };
}

export async function executionDetail(t: PipelineTarget, executionId: string, actorEmail: string): Promise<ExecutionDetail> {
  return caches.pages.get(`${t.id}|exec|${executionId}`, async () => {
    const clients = toolsClients(t, actorEmail);
    const cp = clients.codepipeline;
    const [exec, actions] = await Promise.all([
      toolsRead(t, "GetPipelineExecution", () =>
        cp.send(new GetPipelineExecutionCommand({ pipelineName: t.pipelineName, pipelineExecutionId: executionId })),
      ),
      (async () => {
        const all: ActionExecutionDetail[] = [];
        let nextToken: string | undefined;
        for (let page = 0; page < 5; page++) {
          const out = await toolsRead(t, "ListActionExecutions", () =>
            cp.send(
              new ListActionExecutionsCommand({
                pipelineName: t.pipelineName,
                filter: { pipelineExecutionId: executionId },
                maxResults: 100,
                nextToken,
              }),
            ),
          );
          all.push(...(out.actionExecutionDetails ?? []));
          nextToken = out.nextToken;
          if (!nextToken) break;
        }
        return all;
      })(),
    ]);
    const views = actions.map(actionExecutionView).sort((a, b) => (a.startTime ?? "").localeCompare(b.startTime ?? ""));
    const buildIds = [
      ...new Set(
        views.filter((v) => v.provider && BUILD_PROVIDERS.has(v.provider) && v.externalExecutionId).map((v) => v.externalExecutionId!),
      ),
    ];
    if (buildIds.length) {
      try {
        const builds = await toolsRead(t, "BatchGetBuilds", () =>
          clients.codebuild.send(new BatchGetBuildsCommand({ ids: buildIds.slice(0, 100) })),
        );
        for (const b of builds.builds ?? []) {
          for (const v of views.filter((x) => x.externalExecutionId === b.id)) {
            v.logsUrl = b.logs?.deepLink;
            v.buildStatus = b.buildStatus;
          }
        }
      } catch (e) {
        // The logs link is a convenience: the action's own link to CodeBuild still shows.
        console.warn(`[pipelines] BatchGetBuilds for ${t.pipelineName} failed: ${(e as Error).name}`);
      }
    }
    const e = exec.pipelineExecution;
    const starts = views.map((v) => v.startTime).filter(Boolean) as string[];
    const ends = views.map((v) => v.lastUpdateTime).filter(Boolean) as string[];
    const execution = await withAuthors(
      t,
      {
        id: e?.pipelineExecutionId ?? executionId,
        status: e?.status ?? "Unknown",
        statusSummary: e?.statusSummary,
        startTime: starts.sort()[0],
        lastUpdateTime: ends.sort().at(-1),
        triggerType: e?.trigger?.triggerType,
        triggerDetail: e?.trigger?.triggerDetail,
        executionMode: e?.executionMode,
        sourceRevisions: (e?.artifactRevisions ?? []).map((r) => ({
          actionName: r.name ?? "Source",
          commitId: r.revisionId,
          message: r.revisionSummary,
          url: r.revisionUrl,
        })),
      },
      actorEmail,
    );
    return { fetchedAt: Date.now(), execution, pipelineVersion: e?.pipelineVersion, actions: views };
  }) as Promise<ExecutionDetail>;
}
