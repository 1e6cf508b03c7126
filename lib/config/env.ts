import { z } from "zod";
import { databaseProvider } from "./database-url";
import { notifyDomainsSchema } from "../validation/notify-domains";

const ROLES = ["admin", "engineer", "viewer"] as const;

const schema = z.object({
  PORTAL_MODE: z.enum(["sandbox", "aws"]).default("sandbox"),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => {
      try {
        databaseProvider(v);
        return true;
      } catch {
        return false;
      }
    }, "must be a SQLite file: URL or a postgresql:// URL"),
  AWS_ENDPOINT_URL: z.url().optional(),
  PORTAL_PRINCIPAL_ARN: z
    .string()
    .regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$/, "must be an IAM or STS ARN")
    .optional(),
  NEXTAUTH_URL: z.url().optional(),
  NEXTAUTH_SECRET: z.string().min(16, "NEXTAUTH_SECRET must be at least 16 characters").optional(),
  SESSION_MAX_AGE_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(8),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).default("Single sign-on"),
  OIDC_ROLE_CLAIM: z.string().min(1).default("portal_role"),
  // Space-separated scopes asked of the identity provider (docs/sso.md); add e.g. `groups` to have that claim released.
  OIDC_SCOPES: z
    .string()
    .trim()
    .default("openid email profile")
    .refine((v) => v.split(/\s+/).includes("openid"), "must include openid"),
  // How the portal authenticates at the token endpoint (docs/sso.md): HTTP Basic (next-auth's default) or in the form body.
  OIDC_CLIENT_AUTH_METHOD: z.enum(["client_secret_basic", "client_secret_post"]).default("client_secret_basic"),
  // Optional claim (e.g. `groups`) read at every SSO sign-in for team membership (lib/auth/oidc/claims.ts).
  OIDC_TEAM_CLAIM: z.string().min(1).optional(),
  // Internal: scripts/serve.mjs makes a fresh one at each start to sign the client address it passes on.
  PORTAL_CLIENT_IP_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  PORTAL_TRUSTED_PROXIES: z.string().optional(),
  PORTAL_REQUIRE_AUDIT_OWNER: z.enum(["0", "1"], "must be 0 or 1").default("0"),
  // "none": a new SSO user whose claim names no role is refused until an admin assigns one (lib/auth/oidc-user.ts).
  OIDC_DEFAULT_ROLE: z.enum(["none", ...ROLES]).default("none"),
  // Email domains notification recipients may have; unset: the domains of the portal's own users (lib/notifications/recipients.ts).
  PORTAL_NOTIFY_DOMAINS: notifyDomainsSchema.optional(),
  PORTAL_DRIFT_INTERVAL_HOURS: z.coerce
    .number()
    .min(0.01, "must be at least 0.01 hours")
    .max(168, "must be at most 168 hours (a week)")
    .default(6),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Environment, validated once: a bad value stops start-up with the variable's name and the rule it broke. */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid portal configuration:\n${lines}`);
  }
  const e = parsed.data;
  const oidcParts = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidcParts !== 0 && oidcParts !== 3) {
    throw new Error("Invalid portal configuration:\n  OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together");
  }
  return (cached = e);
}

export const isSandbox = () => env().PORTAL_MODE === "sandbox";
export const oidcEnabled = () => Boolean(env().OIDC_ISSUER);

/**
 * Variables read at each use instead of once: tests, benches and drills point them elsewhere while a process runs
 * (another sandbox endpoint, a retry budget, a supervisor status file, an audit key), so `env()`'s cache would
 * keep a stale value. Each falls back the way its reader always did; an empty value counts as unset.
 */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined);

const liveSchema = z.object({
  AWS_ENDPOINT_URL: optionalText,
  AWS_REGION: optionalText.transform((v) => v ?? "us-east-1"),
  PORTAL_AWS_MAX_ATTEMPTS: z.coerce.number().positive().catch(8),
  PORTAL_PRINCIPAL_ARN: optionalText,
  PORTAL_SUPERVISOR_STATUS: optionalText,
  PORTAL_AUDIT_KEY: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  PORTAL_AUDIT_KEY_FILE: optionalText,
  PORTAL_DATA_DIR: optionalText,
  PORTAL_PIPELINE_READS_IN_FLIGHT: z.coerce.number().int().min(1).max(64).catch(16),
  PORTAL_RUN_STALE_MS: z.coerce.number().positive().catch(30_000),
});

export type LiveEnv = z.infer<typeof liveSchema>;

/** The variables above as they are now (never throws: every one has a fallback). */
export function liveEnv(): LiveEnv {
  return liveSchema.parse(Object.fromEntries(Object.keys(liveSchema.shape).map((name) => [name, process.env[name] || undefined])));
}
