import type { Role } from "./roles";

/**
 * THE authorization table: every page, server action and route handler, and the roles allowed to use it, plus
 * the data some pages and routes hold back from some roles (kind "data", e.g. build-log lines).
 * Pages, actions and routes enforce it through lib/auth/guard.ts (`mayRead` for data); tests/authz walks every cell.
 * Anonymous callers are allowed nowhere except the entries marked public.
 */
export type AccessKind = "page" | "action" | "route" | "data";
export interface AccessRule {
  kind: AccessKind;
  /** Page path pattern, action name or route pattern. */
  key: string;
  roles: readonly Role[] | "public";
  description: string;
}

const everyone = ["admin", "engineer", "viewer"] as const;
const builders = ["admin", "engineer"] as const;
const admins = ["admin"] as const;

export const ACCESS_TABLE = [
  { kind: "page", key: "/signin", roles: "public", description: "Sign-in form" },
  { kind: "page", key: "/forbidden", roles: "public", description: "Explains a refusal" },
  { kind: "page", key: "/", roles: everyone, description: "Dashboard" },
  { kind: "page", key: "/account/password", roles: everyone, description: "Change your own password (required after a generated one)" },
  { kind: "action", key: "account.changePassword", roles: everyone, description: "Change your own password" },
  { kind: "page", key: "/accounts", roles: everyone, description: "AWS account list" },
  { kind: "page", key: "/accounts/new", roles: admins, description: "Register an AWS account" },
  { kind: "page", key: "/accounts/[id]", roles: everyone, description: "Account detail and provisioning role documents" },
  { kind: "page", key: "/accounts/[id]/edit", roles: admins, description: "Edit an AWS account" },
  { kind: "action", key: "accounts.create", roles: admins, description: "Register an AWS account" },
  { kind: "action", key: "accounts.update", roles: admins, description: "Edit an AWS account" },
  { kind: "action", key: "accounts.delete", roles: admins, description: "Remove an AWS account" },
  { kind: "action", key: "accounts.testConnection", roles: builders, description: "Assume the account's role and call GetCallerIdentity" },
  {
    kind: "route",
    key: "GET /api/accounts/[id]/provisioning-role",
    roles: admins,
    description: "Download the provisioning role documents (they carry the external id)",
  },
  { kind: "route", key: "GET /api/health", roles: "public", description: "Liveness probe" },
  // Onboarding: form, plan, apply, run progress, and the discovery lists the form reads through the assumed roles.
  { kind: "page", key: "/onboardings/new", roles: builders, description: "Onboard a repository" },
  { kind: "page", key: "/onboardings/[id]", roles: everyone, description: "Onboarding summary and run history" },
  { kind: "page", key: "/onboardings/[id]/plan", roles: everyone, description: "Provisioning plan (Apply for builders)" },
  { kind: "page", key: "/onboardings/[id]/edit", roles: builders, description: "Edit an onboarding" },
  { kind: "page", key: "/onboardings/[id]/runs/[runId]", roles: everyone, description: "Provisioning run progress" },
  { kind: "action", key: "onboardings.create", roles: builders, description: "Create an onboarding" },
  { kind: "action", key: "onboardings.update", roles: builders, description: "Edit an onboarding" },
  { kind: "action", key: "onboardings.apply", roles: builders, description: "Start a provisioning run" },
  { kind: "action", key: "onboardings.resume", roles: builders, description: "Resume a failed provisioning run" },
  {
    kind: "page",
    key: "/onboardings/[id]/offboard",
    roles: builders,
    description: "Teardown plan, options and confirmation to offboard an onboarding",
  },
  { kind: "action", key: "onboardings.destroy", roles: builders, description: "Offboard an onboarding: start its destroy run" },
  {
    kind: "action",
    key: "onboardings.verify",
    roles: builders,
    description: "Verify an onboarding's resources against the desired state now (drift)",
  },
  { kind: "action", key: "onboardings.repair", roles: builders, description: "Repair a drifted onboarding (an apply run of it)" },
  {
    kind: "route",
    key: "GET /api/accounts/[id]/repositories",
    roles: builders,
    description: "List a repo account's CodeCommit repositories",
  },
  {
    kind: "route",
    key: "GET /api/accounts/[id]/repositories/[repo]/branches",
    roles: builders,
    description: "List a repository's branches",
  },
  {
    kind: "route",
    key: "GET /api/accounts/[id]/build-projects",
    roles: builders,
    description: "List a tools account's CodeBuild projects",
  },
  { kind: "route", key: "GET /api/onboardings/[id]/plan", roles: everyone, description: "Download an onboarding's plan as JSON" },
  { kind: "route", key: "POST /api/onboardings", roles: builders, description: "Create an onboarding (JSON; what the form's action does)" },
  {
    kind: "route",
    key: "POST /api/onboardings/[id]/apply",
    roles: builders,
    description: "Start a provisioning run (JSON; what the plan page's Apply does)",
  },
  { kind: "route", key: "GET /api/runs/[runId]", roles: everyone, description: "A provisioning run's progress (polled by the run page)" },
  // Pipelines: the dashboard (home page), one pipeline's diagram and history, one execution, and the commands.
  { kind: "page", key: "/onboardings", roles: everyone, description: "Plain list of onboardings (every status)" },
  {
    kind: "page",
    key: "/pipelines/[id]",
    roles: everyone,
    description: "Pipeline diagram, live status and execution history (commands for builders)",
  },
  {
    kind: "page",
    key: "/pipelines/[id]/executions/[executionId]",
    roles: everyone,
    description: "One execution: action executions, errors, console and log links",
  },
  { kind: "route", key: "GET /api/pipelines", roles: everyone, description: "The dashboard's data as JSON (same filters as the page)" },
  { kind: "action", key: "pipelines.start", roles: builders, description: "Start a pipeline execution (optional commit override on V2)" },
  { kind: "action", key: "pipelines.stop", roles: builders, description: "Stop an execution (stop and wait, or abandon) with a reason" },
  { kind: "action", key: "pipelines.retry", roles: builders, description: "Retry a failed stage (failed actions or all actions)" },
  { kind: "action", key: "pipelines.approve", roles: builders, description: "Approve or reject a manual approval with a comment" },
  { kind: "action", key: "pipelines.simulatePush", roles: builders, description: "Sandbox only: push a commit to the onboarding's branch" },
  // Data held back inside pages and routes everyone may use (they may hold secrets): builders see them masked.
  {
    kind: "data",
    key: "pipelines.logs.read",
    roles: builders,
    description: "Build-log lines on a failed execution's page (masked: lib/security/mask-secrets.ts)",
  },
  {
    kind: "data",
    key: "onboardings.plan.secrets",
    roles: builders,
    description: "Values of a CodeBuild project's environment variables in the plan page and the plan JSON (masked)",
  },
  // Admin: users and the audit history.
  { kind: "page", key: "/admin", roles: admins, description: "Admin overview" },
  { kind: "page", key: "/admin/users", roles: admins, description: "User list" },
  { kind: "page", key: "/admin/users/new", roles: admins, description: "Create a local user" },
  { kind: "page", key: "/admin/users/[id]", roles: admins, description: "User detail: role, disable, password reset" },
  { kind: "page", key: "/admin/audit", roles: admins, description: "Audit history with filters and chain verification" },
  { kind: "action", key: "users.create", roles: admins, description: "Create a local user" },
  { kind: "action", key: "users.setRole", roles: admins, description: "Change a user's role" },
  { kind: "action", key: "users.setDisabled", roles: admins, description: "Disable or re-enable a user" },
  { kind: "action", key: "users.resetPassword", roles: admins, description: "Reset a local user's password" },
  { kind: "action", key: "audit.verify", roles: admins, description: "Verify the audit hash chain" },
  { kind: "route", key: "GET /api/admin/audit/export", roles: admins, description: "Export the filtered audit history as CSV or JSON" },
] as const satisfies readonly AccessRule[];

export type AccessKey = (typeof ACCESS_TABLE)[number]["key"];
export type ActionKey = Extract<(typeof ACCESS_TABLE)[number], { kind: "action" }>["key"];
export type PageKey = Extract<(typeof ACCESS_TABLE)[number], { kind: "page" }>["key"];
export type RouteKey = Extract<(typeof ACCESS_TABLE)[number], { kind: "route" }>["key"];
export type DataKey = Extract<(typeof ACCESS_TABLE)[number], { kind: "data" }>["key"];

export function ruleFor(key: AccessKey): AccessRule {
  const rule = ACCESS_TABLE.find((r) => r.key === key);
  if (!rule) throw new Error(`No access rule for ${key}`);
  return rule;
}

/** Whether a caller with `role` (null = anonymous) may use `key`. */
export function isAllowed(key: AccessKey, role: Role | null): boolean {
  const rule = ruleFor(key);
  if (rule.roles === "public") return true;
  return role !== null && (rule.roles as readonly Role[]).includes(role);
}
