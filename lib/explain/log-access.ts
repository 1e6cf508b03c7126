import "server-only";
import { mayRead } from "@/lib/auth/may-read";
import type { CurrentUser } from "@/lib/auth/session";
import type { ExecutionExplanation } from "./types";

export const LOG_WITHHELD =
  "Build-log lines are shown to engineers and admins (a log can hold secrets). Open the log in CloudWatch Logs with your own AWS access.";

/** The explanation without its log lines and the log's deep link: what a role without `pipelines.logs.read` gets. */
export function withoutLogLines(x: ExecutionExplanation): ExecutionExplanation {
  if (!x.buildLog) return x;
  const { deepLink: _deepLink, ...log } = x.buildLog;
  return { ...x, buildLog: { ...log, lines: [], withheld: LOG_WITHHELD } };
}

/** The explanation as `user` may see it: log lines (already masked) only with `pipelines.logs.read` (refusals audited). */
export async function explanationFor(user: CurrentUser, x: ExecutionExplanation): Promise<ExecutionExplanation> {
  if (!x.buildLog || (!x.buildLog.lines.length && !x.buildLog.deepLink)) return x;
  return (await mayRead("pipelines.logs.read", user)) ? x : withoutLogLines(x);
}
