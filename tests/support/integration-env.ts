// Runs in each integration test file before it loads: point the portal's code at the run's sandbox and DB.
import { inject } from "vitest";

const cfg = inject("integration");
Object.assign(process.env, {
  DATABASE_URL: cfg.databaseUrl,
  AWS_ENDPOINT_URL: cfg.sandboxUrl,
  AWS_ACCESS_KEY_ID: "AKIASANDBOXPORTAL000",
  AWS_SECRET_ACCESS_KEY: "sandbox-secret",
  AWS_REGION: "us-east-1",
  PORTAL_MODE: "sandbox",
  PORTAL_PRINCIPAL_ARN: "arn:aws:iam::000000000000:user/portal",
  PORTAL_AWS_MAX_ATTEMPTS: "8",
});
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;
