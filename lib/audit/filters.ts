import { addDays, addMilliseconds, isValid, parseISO } from "date-fns";
import { z } from "zod";

/**
 * The audit history filters as they arrive in a query string (page and export alike), validated at the
 * boundary. Times without an offset are read as UTC; a date-only "to" means the end of that day.
 */
export const OUTCOMES = ["success", "failure", "denied", "attempted"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface AuditFilters {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: Outcome;
  from?: Date;
  to?: Date;
}

export interface AuditCursor {
  /** Show events older than this seq (the "older" link). */
  before?: number;
  /** Show events newer than this seq (the "newer" link). */
  after?: number;
}

export const FILTER_KEYS = ["actor", "action", "targetType", "targetId", "outcome", "from", "to"] as const;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Parses a user-typed time; null when it is not a real date and time. */
export function parseFilterTime(raw: string, edge: "start" | "end"): Date | null {
  if (DATE_ONLY.test(raw)) {
    const d = parseISO(`${raw}T00:00:00Z`);
    if (!isValid(d)) return null;
    return edge === "end" ? addMilliseconds(addDays(d, 1), -1) : d;
  }
  if (!DATE_TIME.test(raw)) return null;
  const d = parseISO(/(Z|[+-]\d{2}:\d{2})$/.test(raw) ? raw : `${raw}Z`);
  return isValid(d) ? d : null;
}

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v);
const opt = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional());

const time = (edge: "start" | "end") =>
  opt(z.string().max(40, "That is not a date.")).transform((v, ctx) => {
    if (v === undefined) return undefined;
    const d = parseFilterTime(v, edge);
    if (!d) {
      ctx.addIssue({ code: "custom", message: "Enter a date as YYYY-MM-DD or a time as YYYY-MM-DDTHH:mm (UTC)." });
      return z.NEVER;
    }
    return d;
  });

const cursor = opt(
  z.coerce
    .number({ error: "Invalid page cursor." })
    .int("Invalid page cursor.")
    .positive("Invalid page cursor.")
    .max(Number.MAX_SAFE_INTEGER, "Invalid page cursor."),
);

const SYSTEM_ACTOR = /^system:[\w.-]{1,64}$/;

export const auditQuerySchema = z
  .object({
    actor: opt(
      z
        .string()
        .max(254, "An email is at most 254 characters.")
        .transform((v) => v.toLowerCase())
        .refine((v) => SYSTEM_ACTOR.test(v) || z.email().safeParse(v).success, "Enter the actor's email, such as dana@example.com."),
    ),
    action: opt(
      z
        .string()
        .max(100, "An action is at most 100 characters.")
        .regex(/^[a-z][\w.-]*$/i, "An action looks like users.create or auth.signin."),
    ),
    targetType: opt(
      z
        .string()
        .max(50, "A target type is at most 50 characters.")
        .regex(/^[a-z][\w-]*$/i, "A target type looks like user, account or onboarding."),
    ),
    targetId: opt(
      z
        .string()
        .max(300, "A target id is at most 300 characters.")
        .regex(/^[^\u0000-\u001f\u007f]+$/, "A target id cannot contain control characters."),
    ),
    outcome: opt(z.enum(OUTCOMES, { error: "Choose success, failure, denied or attempted." })),
    from: time("start"),
    to: time("end"),
    before: cursor,
    after: cursor,
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from > v.to)
      ctx.addIssue({ code: "custom", path: ["to"], message: "The end of the range must not be before its start." });
    if (v.targetId && !v.targetType)
      ctx.addIssue({ code: "custom", path: ["targetType"], message: "Give the target type as well as its id." });
    if (v.before && v.after) ctx.addIssue({ code: "custom", path: ["before"], message: "Invalid page cursor." });
  });

export type ParsedAuditQuery =
  | { ok: true; filters: AuditFilters; cursor: AuditCursor; query: Record<string, string> }
  | { ok: false; fieldErrors: Record<string, string[]>; raw: Record<string, string> };

/** First value of each known key of a query string (URLSearchParams or Next's searchParams object). */
export function rawQuery(input: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string> {
  const get = (k: string) => (input instanceof URLSearchParams ? input.get(k) : ([] as (string | undefined)[]).concat(input[k] ?? [])[0]);
  const out: Record<string, string> = {};
  for (const k of [...FILTER_KEYS, "before", "after"]) {
    const v = get(k);
    if (typeof v === "string" && v !== "") out[k] = v;
  }
  return out;
}

export function parseAuditQuery(input: URLSearchParams | Record<string, string | string[] | undefined>): ParsedAuditQuery {
  const raw = rawQuery(input);
  const parsed = auditQuerySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>, raw };
  const { before, after, ...filters } = parsed.data;
  const query: Record<string, string> = {};
  for (const k of FILTER_KEYS)
    if (raw[k] !== undefined && parsed.data[k] !== undefined) query[k] = k === "actor" ? (parsed.data.actor as string) : raw[k].trim();
  const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as AuditFilters;
  return { ok: true, filters: clean, cursor: { before, after }, query };
}

/** A query string for the given filters plus extra keys (cursor, format). */
export function auditQueryString(query: Record<string, string>, extra: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams(query);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
