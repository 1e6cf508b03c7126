/**
 * CloudWatch Logs writes a build's role makes (CreateLogGroup, CreateLogStream, PutLogEvents), authorized as the
 * Service Authorization Reference says: CreateLogGroup on the log-group ARN, the other two on the log-stream ARN.
 * Semantics from the CloudWatch Logs API Reference: a group or stream that exists → ResourceAlreadyExistsException,
 * a missing one → ResourceNotFoundException; PutLogEvents takes 1–10,000 events in timestamp order.
 */
import { AwsError } from "../errors";
import { type OpContext, op } from "../registry";
import { appendLogEvents, logGroupArn, logStreamArn, logsState } from "./logs-store";
import { groupNameOf, invalidParameter, notFound, streamNameOf } from "./logs-params";
import { constraint } from "./shared/validation";

type In = Record<string, any>;
const exists = (message: string) => new AwsError("ResourceAlreadyExistsException", message, 400);

function groupOf(i: In, ctx: OpContext) {
  const g = logsState(ctx.world, ctx.account, ctx.region).groups[groupNameOf(i, ctx)];
  if (!g) throw notFound("The specified log group does not exist.");
  return g;
}

export const logsWriteOperations = {
  CreateLogGroup: op<In, unknown>({
    iamAction: "logs:CreateLogGroup",
    mutating: true,
    resources: (i, ctx) => logGroupArn(ctx.region, ctx.account, groupNameOf(i, ctx)),
    handler: (i, ctx) => {
      const name = groupNameOf(i, ctx);
      const st = logsState(ctx.world, ctx.account, ctx.region);
      if (st.groups[name]) throw exists("The specified log group already exists");
      st.groups[name] = { name, creationTime: ctx.now, streams: {} };
      return {};
    },
  }),
  CreateLogStream: op<In, unknown>({
    iamAction: "logs:CreateLogStream",
    mutating: true,
    resources: (i, ctx) => logStreamArn(ctx.region, ctx.account, groupNameOf(i, ctx), streamNameOf(i)),
    handler: (i, ctx) => {
      const g = groupOf(i, ctx);
      const name = streamNameOf(i);
      if (g.streams[name]) throw exists("The specified log stream already exists");
      g.streams[name] = { name, creationTime: ctx.now, events: [] };
      return {};
    },
  }),
  PutLogEvents: op<In, unknown>({
    iamAction: "logs:PutLogEvents",
    mutating: true,
    resources: (i, ctx) => logStreamArn(ctx.region, ctx.account, groupNameOf(i, ctx), streamNameOf(i)),
    handler: (i, ctx) => {
      const stream = groupOf(i, ctx).streams[streamNameOf(i)];
      if (!stream) throw notFound("The specified log stream does not exist.");
      const events = Array.isArray(i.logEvents) ? (i.logEvents as { timestamp?: unknown; message?: unknown }[]) : [];
      if (events.length < 1 || events.length > 10_000)
        throw constraint("logEvents", `[${events.length} items]`, "Member must have length between 1 and 10000");
      const list = events.map((e) => ({ timestamp: Number(e.timestamp), message: String(e.message ?? "") }));
      if (list.some((e, n) => !Number.isInteger(e.timestamp) || (n > 0 && e.timestamp < list[n - 1].timestamp)))
        throw invalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
      appendLogEvents(stream, list, ctx.now);
      return {};
    },
  }),
};
