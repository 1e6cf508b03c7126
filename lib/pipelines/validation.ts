/** zod schemas of the dashboard's filters and of the pipeline commands (forms and server actions). */
import { z } from "zod";
import { EXECUTION_STATUSES } from "./types";
import { statusLabel } from "./format";

export const STATUS_FILTERS = [...EXECUTION_STATUSES, "none", "error"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const STATUS_FILTER_LABELS = {
  ...(Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, statusLabel(s)])) as Record<(typeof EXECUTION_STATUSES)[number], string>),
  none: "Never run",
  error: "Could not be read",
} satisfies Record<StatusFilter, string>;

const fields = {
  account: z.string().regex(/^\d{12}$/, "an AWS account id is 12 digits"),
  status: z.enum(STATUS_FILTERS, { error: `a status is one of ${STATUS_FILTERS.join(", ")}` }),
  q: z
    .string()
    .trim()
    .max(100, "at most 100 characters")
    .regex(/^[^\u0000-\u001f]*$/, "no control characters"),
};

export interface DashboardFilters {
  account?: string;
  status?: StatusFilter;
  q?: string;
}

/**
 * The dashboard's filters from the query string. Each field is validated on its own: a nonsense value is
 * dropped (that filter falls back to its default, "all") and explained in `problems`; empty values mean "all".
 */
export function parseDashboardFilters(params: Record<string, string | string[] | undefined>): {
  filters: DashboardFilters;
  problems: string[];
} {
  const filters: DashboardFilters = {};
  const problems: string[] = [];
  const names: Record<keyof typeof fields, string> = { account: "Account", status: "Status", q: "Search" };
  for (const key of Object.keys(fields) as (keyof typeof fields)[]) {
    const raw = params[key];
    if (raw === undefined || raw === "") continue;
    if (Array.isArray(raw)) {
      problems.push(`${names[key]} was given ${raw.length} times; showing all.`);
      continue;
    }
    const parsed = fields[key].safeParse(raw);
    if (!parsed.success) {
      problems.push(
        `${names[key]} “${raw.slice(0, 40)}${raw.length > 40 ? "…" : ""}” is not valid (${parsed.error.issues[0]?.message}); showing all.`,
      );
      continue;
    }
    if (parsed.data !== "") (filters as Record<string, string>)[key] = parsed.data;
  }
  return { filters, problems };
}

const id = z.string().trim().min(1, "Missing pipeline.").max(64);
const executionId = z
  .string()
  .trim()
  .regex(/^[0-9a-zA-Z-]{1,200}$/, "Missing or invalid execution id.");
const name = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9.@\-_]{1,100}$/, "Invalid name.");

export const startInput = z.object({
  id,
  commitId: z
    .string()
    .trim()
    .max(64)
    .regex(/^([0-9a-f]{7,40})?$/i, "A commit id is 7 to 40 hexadecimal characters.")
    .optional()
    .transform((v) => (v ? v : undefined)),
});

export const stopInput = z.object({
  id,
  executionId,
  mode: z.enum(["wait", "abandon"], { error: "Choose stop and wait or stop and abandon." }),
  reason: z
    .string()
    .trim()
    .max(200, "At most 200 characters.")
    .optional()
    .transform((v) => v || undefined),
});

export const retryInput = z.object({
  id,
  executionId,
  stageName: name,
  mode: z.enum(["FAILED_ACTIONS", "ALL_ACTIONS"], { error: "Choose which actions to retry." }),
});

export const approvalInput = z.object({
  id,
  stageName: name,
  actionName: name,
  executionId,
  token: z.string().trim().min(1, "Missing approval token.").max(2048),
  decision: z.enum(["Approved", "Rejected"], { error: "Choose approve or reject." }),
  comment: z
    .string()
    .trim()
    .max(512, "At most 512 characters.")
    .optional()
    .transform((v) => v ?? ""),
});

export const pushInput = z.object({
  id,
  message: z
    .string()
    .trim()
    .max(500, "At most 500 characters.")
    .optional()
    .transform((v) => v || "Simulated change from the portal"),
});

const token = /^[\x21-\x7e]{1,2048}$/;

/**
 * History paging from the query string: `page` is AWS's nextToken of the page shown, `back` the tokens of the
 * pages before it (space-separated, "-" for the first page), so "Newer" can go back. Nonsense → first page.
 */
export function parseHistoryParams(params: Record<string, string | string[] | undefined>): {
  page?: string;
  back: string[];
  problem?: string;
} {
  const page = typeof params.page === "string" && params.page ? params.page : undefined;
  const back = typeof params.back === "string" && params.back ? params.back.split(" ").slice(-20) : [];
  if (params.page !== undefined && (page === undefined || !token.test(page)))
    return { back: [], problem: "That history page is not valid; showing the newest executions." };
  if (!back.every((t) => t === "-" || token.test(t))) return { page, back: [] };
  return { page, back };
}
