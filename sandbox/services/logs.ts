/**
 * CloudWatch Logs (JSON 1.1, `Logs_20140328.<Op>`): GetLogEvents over the groups and streams other services write
 * (logs-store.ts). Semantics from the CloudWatch Logs API Reference, GetLogEvents (and the botocore model
 * `logs/2014-03-28`): startFromHead (default false: the newest events), limit 1–10,000, startTime inclusive, endTime
 * exclusive, nextForwardToken/nextBackwardToken that come back unchanged at either end of the stream.
 */
import { defineService, op } from "../registry";
import { type LogEvent, findLogStream, logStreamArn, logsState } from "./logs-store";
import { MAX_LIMIT, TOKEN, groupNameOf, invalidParameter, notFound, streamNameOf } from "./logs-params";
import { constraint } from "./shared/validation";
import { logsWriteOperations } from "./logs-write";

type In = Record<string, any>;

const token = (dir: "f" | "b", position: number) => `${dir}/${String(position).padStart(56, "0")}`;

export interface LogPageRequest {
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  limit?: number;
  startFromHead?: boolean;
}
export interface LogPage {
  events: LogEvent[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

/**
 * One page of a stream's events. A token is a position between events; a forward page reads after it, a backward
 * page before it. Without a token the page is the first `limit` events (startFromHead) or the last `limit`.
 */
export function pageLogEvents(all: LogEvent[], req: LogPageRequest): LogPage {
  const events = all.filter(
    (e) => (req.startTime === undefined || e.timestamp >= req.startTime) && (req.endTime === undefined || e.timestamp < req.endTime),
  );
  const n = events.length;
  const limit = req.limit ?? MAX_LIMIT;
  if (req.nextToken !== undefined) {
    const m = TOKEN.exec(req.nextToken);
    if (!m) throw invalidParameter("The specified nextToken is invalid.");
    const at = Math.min(Number(m[2]), n);
    if (m[1] === "f") {
      const end = Math.min(n, at + limit);
      return {
        events: events.slice(at, end),
        nextForwardToken: end === at ? req.nextToken : token("f", end),
        nextBackwardToken: token("b", at),
      };
    }
    const start = Math.max(0, at - limit);
    return {
      events: events.slice(start, at),
      nextForwardToken: token("f", at),
      nextBackwardToken: start === at ? req.nextToken : token("b", start),
    };
  }
  const [start, end] = req.startFromHead ? [0, Math.min(n, limit)] : [Math.max(0, n - limit), n];
  return { events: events.slice(start, end), nextForwardToken: token("f", end), nextBackwardToken: token("b", start) };
}

function optionalTime(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw constraint(field, v, "Member must have value greater than or equal to 0");
  return n;
}

export const logsService = defineService({
  name: "logs",
  protocol: "json",
  targetPrefix: "Logs_20140328",
  jsonContentType: "application/x-amz-json-1.1",
  operations: {
    ...logsWriteOperations,
    GetLogEvents: op<In, unknown>({
      iamAction: "logs:GetLogEvents",
      mutating: false,
      // The Service Authorization Reference authorizes GetLogEvents on the log-stream resource type.
      resources: (i, ctx) => logStreamArn(ctx.region, ctx.account, groupNameOf(i, ctx), streamNameOf(i)),
      handler: (i, ctx) => {
        const group = groupNameOf(i, ctx);
        const stream = streamNameOf(i);
        let limit: number | undefined;
        if (i.limit !== undefined) {
          limit = Number(i.limit);
          if (!Number.isInteger(limit) || limit < 1)
            throw constraint("limit", i.limit, "Member must have value greater than or equal to 1");
          if (limit > MAX_LIMIT) throw constraint("limit", i.limit, `Member must have value less than or equal to ${MAX_LIMIT}`);
        }
        if (i.startFromHead !== undefined && typeof i.startFromHead !== "boolean")
          throw invalidParameter("startFromHead must be a boolean.");
        if (!logsState(ctx.world, ctx.account, ctx.region).groups[group]) throw notFound("The specified log group does not exist.");
        const s = findLogStream(ctx.world, ctx.account, ctx.region, group, stream);
        if (!s) throw notFound("The specified log stream does not exist.");
        const page = pageLogEvents(s.events, {
          startTime: optionalTime(i.startTime, "startTime"),
          endTime: optionalTime(i.endTime, "endTime"),
          nextToken: typeof i.nextToken === "string" ? i.nextToken : undefined,
          limit,
          startFromHead: i.startFromHead === true,
        });
        return {
          events: page.events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
          nextForwardToken: page.nextForwardToken,
          nextBackwardToken: page.nextBackwardToken,
        };
      },
    }),
  },
});
