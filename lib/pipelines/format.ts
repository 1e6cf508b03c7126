/** Pure helpers shared by server and client components: console links, labels, durations. */
import { formatDuration } from "@/lib/format/duration";

/** The AWS console page of one execution (timeline view). */
export function executionConsoleUrl(pipelineName: string, executionId: string, region: string): string {
  return `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${encodeURIComponent(pipelineName)}/executions/${encodeURIComponent(executionId)}/timeline?region=${region}`;
}

export const shortCommit = (id: string | undefined) => (id ? id.slice(0, 7) : "");

const LABELS: Record<string, string> = {
  InProgress: "In progress",
  Stopping: "Stopping",
  Stopped: "Stopped",
  Succeeded: "Succeeded",
  Superseded: "Superseded",
  Failed: "Failed",
  Cancelled: "Cancelled",
  Abandoned: "Abandoned",
  Skipped: "Skipped",
};
export const statusLabel = (s: string | undefined) => (s ? (LABELS[s] ?? s) : "Not run");

const TRIGGERS: Record<string, string> = {
  CreatePipeline: "Pipeline created",
  StartPipelineExecution: "Started manually",
  CloudWatchEvent: "Push (EventBridge)",
  PollForSourceChanges: "Polling",
  Webhook: "Webhook",
  PutActionRevision: "New revision",
  WebhookV2: "Webhook",
  ManualRollback: "Manual rollback",
  AutomatedRollback: "Automatic rollback",
};
export const triggerLabel = (t: string | undefined) => (t ? (TRIGGERS[t] ?? t) : "—");

/** The user part of a trigger detail (an assumed-role ARN names the session; a rule ARN names the rule). */
export function triggerWho(detail: string | undefined): string | undefined {
  if (!detail) return undefined;
  const role = /:assumed-role\/[^/]+\/(.+)$/.exec(detail);
  if (role) return role[1];
  const rule = /:rule\/(.+)$/.exec(detail);
  if (rule) return `rule ${rule[1]}`;
  return detail;
}

/** An execution or action duration; a running thing counts up to `now`. */
export const duration = (startIso: string | undefined, endIso: string | undefined, now: number) => formatDuration(startIso, endIso, now);

export const isActive = (status: string | undefined) => status === "InProgress" || status === "Stopping";

/** The duration of an execution: start → last update once finished, start → now while running. */
export function executionDuration(e: { status: string; startTime?: string; lastUpdateTime?: string }, now: number): string {
  return duration(e.startTime, isActive(e.status) ? undefined : e.lastUpdateTime, now);
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago" (rendered on the server at each refresh). */
export function timeAgo(iso: string | undefined, now: number): string {
  if (!iso) return "—";
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return "—";
  if (s < 5) return "just now";
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

/** UTC, to the second: the same text on the server and in the browser. */
export const utc = (iso: string | undefined) => (iso ? `${iso.slice(0, 19).replace("T", " ")} UTC` : "—");
