/** CloudWatch Logs request parameters shared by the read (logs.ts) and write (logs-write.ts) operations. */
import { AwsError } from "../errors";
import type { OpContext } from "../registry";
import { constraint } from "./shared/validation";

type In = Record<string, any>;

export const invalidParameter = (message: string) => new AwsError("InvalidParameterException", message, 400);
export const notFound = (message: string) => new AwsError("ResourceNotFoundException", message, 400);
export const MAX_LIMIT = 10_000;
export const TOKEN = /^([fb])\/(\d{56})$/;

/** logGroupName or logGroupIdentifier (a name, or an ARN of the caller's account and Region), never both. */
export function groupNameOf(i: In, ctx: OpContext): string {
  const name = i.logGroupName;
  const ident = i.logGroupIdentifier;
  if (name !== undefined && ident !== undefined)
    throw invalidParameter("LogGroupName and LogGroupIdentifier are mutually exclusive: specify only one.");
  const raw = name ?? ident;
  if (typeof raw !== "string" || !raw) throw invalidParameter("Either logGroupName or logGroupIdentifier must be specified.");
  if (name === undefined && raw.startsWith("arn:")) {
    const m = /^arn:aws:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/.exec(raw);
    // Another account's group is readable only through cross-account observability, which is not modelled.
    if (!m || m[1] !== ctx.region || m[2] !== ctx.account)
      throw invalidParameter(`The log group identifier ${raw} is not a log group of this account and Region.`);
    return m[3];
  }
  if (raw.length > 512 || !/^[.\-_/#A-Za-z0-9]+$/.test(raw))
    throw constraint(
      name === undefined ? "logGroupIdentifier" : "logGroupName",
      raw,
      "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
  return raw;
}

export function streamNameOf(i: In): string {
  const v = i.logStreamName;
  if (typeof v !== "string" || !v) throw constraint("logStreamName", v, "Member must have length greater than or equal to 1");
  if (v.length > 512 || /[:*]/.test(v)) throw constraint("logStreamName", v, "Member must satisfy regular expression pattern: [^:*]*");
  return v;
}
