// Seeds the embedded default: a demo admin on first start, and in sandbox mode the two demo accounts with
// provisioning roles created in the sandbox exactly as a person would create them in AWS. Idempotent.
// Run with `node --conditions=react-server --import tsx scripts/seed.ts` (server-only modules load as on the server).
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { ONE_TIME_PASSWORD_HOURS, oneTimePasswordExpiry } from "@/lib/auth/one-time-password";
import { inTransactionWithAudit } from "@/lib/audit/append";
import { generateExternalId } from "@/lib/accounts/external-id";
import { DEMO_ACCOUNTS, demoRoleArn, ensureSandboxProvisioningRole } from "@/lib/demo/sandbox-world";

const SYSTEM = { email: "system:seed" };
const DEMO_ADMIN_EMAIL = "admin@example.com";

const banner = (title: string, password: string, file: string) => {
  const line = "=".repeat(64);
  console.log(
    `\n${line}\n  ${title} — sign in with\n    email:    ${DEMO_ADMIN_EMAIL}\n    password: ${password}\n  (also saved in ${file}; valid for ${ONE_TIME_PASSWORD_HOURS} hours; you choose your own password at the first sign-in)\n${line}\n`,
  );
};

/**
 * The demo admin, on the first start only. Its password is printed once, here, and kept in demo-admin.txt
 * (mode 0600); a generated one must be changed at the first sign-in and expires after ONE_TIME_PASSWORD_HOURS
 * (lib/auth/one-time-password.ts). DEMO_ADMIN_PASSWORD (tests) is a known password: not forced to change, no expiry.
 */
async function seedAdmin(dataDir: string) {
  if ((await db.user.count()) > 0) return;
  const given = process.env.DEMO_ADMIN_PASSWORD;
  const password = given || randomBytes(12).toString("base64url");
  await inTransactionWithAudit(async (tx) => {
    const user = await tx.user.create({
      data: {
        email: DEMO_ADMIN_EMAIL,
        name: "Demo Admin",
        role: "admin",
        passwordHash: await hashPassword(password),
        mustChangePassword: !given,
        passwordExpiresAt: given ? null : oneTimePasswordExpiry(),
      },
    });
    return {
      result: user,
      audit: {
        actor: SYSTEM,
        action: "users.create",
        target: { type: "user", id: user.id },
        outcome: "success",
        details: { email: user.email, role: "admin", reason: "first start" },
      },
    };
  });
  const file = path.join(dataDir, "demo-admin.txt");
  fs.writeFileSync(file, `${DEMO_ADMIN_EMAIL} / ${password}\n`, { mode: 0o600 });
  banner("Demo admin created", password, file);
}

/** `npm run admin:reset-demo-password`: a new generated password for the demo admin, printed once; every session of theirs ends. */
async function resetDemoAdmin(dataDir: string) {
  const password = randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  await inTransactionWithAudit(async (tx) => {
    const user = await tx.user.update({
      where: { email: DEMO_ADMIN_EMAIL },
      data: {
        passwordHash,
        mustChangePassword: true,
        passwordExpiresAt: oneTimePasswordExpiry(),
        disabled: false,
        sessionVersion: { increment: 1 },
      },
    });
    return {
      result: user,
      audit: {
        actor: SYSTEM,
        action: "users.resetPassword",
        target: { type: "user", id: user.id },
        outcome: "success",
        details: { email: user.email, passwordGenerated: true, reason: "reset from the command line" },
      },
    };
  });
  const file = path.join(dataDir, "demo-admin.txt");
  fs.writeFileSync(file, `${DEMO_ADMIN_EMAIL} / ${password}\n`, { mode: 0o600 });
  banner("Demo admin password reset", password, file);
}

/** Extra demo users for the browser tests (DEMO_EXTRA_USERS=1): a viewer and an engineer with the admin's password. */
async function seedExtraUsers() {
  const password = process.env.DEMO_ADMIN_PASSWORD;
  if (!process.env.DEMO_EXTRA_USERS || !password) return;
  for (const role of ["engineer", "viewer"] as const) {
    const email = `${role}@example.com`;
    if (await db.user.findUnique({ where: { email } })) continue;
    await inTransactionWithAudit(async (tx) => {
      const user = await tx.user.create({ data: { email, name: `Demo ${role}`, role, passwordHash: await hashPassword(password) } });
      return {
        result: user,
        audit: {
          actor: SYSTEM,
          action: "users.create",
          target: { type: "user", id: user.id },
          outcome: "success",
          details: { email, role, reason: "test fixture" },
        },
      };
    });
  }
}

async function seedSandboxAccounts(endpoint: string) {
  for (const demo of DEMO_ACCOUNTS) {
    const existing = await db.awsAccount.findUnique({ where: { accountId: demo.accountId } });
    const externalId = existing?.externalId ?? generateExternalId();
    // The role follows the registered external id, so a restart with an existing database stays consistent.
    const roleArn = await ensureSandboxProvisioningRole({ endpoint, accountId: demo.accountId, purpose: demo.purpose, externalId });
    if (existing) continue;
    await inTransactionWithAudit(async (tx) => {
      const account = await tx.awsAccount.create({ data: { ...demo, roleArn: demoRoleArn(demo.accountId), externalId } });
      return {
        result: account,
        audit: {
          actor: SYSTEM,
          action: "accounts.create",
          target: { type: "account", id: account.id },
          outcome: "success",
          details: { accountId: demo.accountId, roleArn, reason: "sandbox demo" },
        },
      };
    });
    console.log(`[seed] registered sandbox account ${demo.name} (${demo.accountId})`);
  }
}

async function main() {
  // Where the demo admin's password is remembered: the portal's data dir (beside the SQLite file by default).
  const url = process.env.DATABASE_URL ?? "";
  const dataDir =
    process.env.PORTAL_DATA_DIR || (url.startsWith("file:") ? path.dirname(url.slice("file:".length)) : path.resolve(".data"));
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.argv.includes("--reset-demo-admin")) {
    await resetDemoAdmin(dataDir);
    await db.$disconnect();
    return;
  }
  await seedAdmin(dataDir);
  await seedExtraUsers();
  if ((process.env.PORTAL_MODE ?? "sandbox") === "sandbox" && process.env.AWS_ENDPOINT_URL)
    await seedSandboxAccounts(process.env.AWS_ENDPOINT_URL);
  await db.$disconnect();
}

main().catch((e) => {
  console.error("[seed] failed:", e);
  process.exit(1);
});
