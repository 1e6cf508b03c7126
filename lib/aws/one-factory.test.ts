// One client factory everywhere: every AWS SDK client the portal, its scripts (seed, sandbox:push), benches, drills
// test helpers and browser tests build comes from lib/aws/client-factory.ts (awsClient / sandboxRootClient, used by
// lib/aws/clients.ts for the portal's per-account client sets), so every
// AWS call carries the portal's retry policy (PORTAL_AWS_MAX_ATTEMPTS). A `new XxxClient(` anywhere else fails.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IAMClient, GetRoleCommand } from "@aws-sdk/client-iam";
import { awsClient, sandboxRootClient } from "./clients";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCANNED = ["lib", "app", "components", "scripts", "bench", "tests", "sandbox", "e2e"];
/**
 * Files allowed to construct SDK clients themselves, and why:
 * - the factory itself, and this test (its examples);
 * - the sandbox's own tests (sandbox/test/): they test the emulator's wire behaviour, including how the SDK's own
 *   retry settings meet its faults, so they set maxAttempts / retryStrategy per test on purpose;
 * - unit tests that build a client only to feed it canned responses (no network, no retry policy involved).
 */
const ALLOWED = [
  /^lib\/aws\/client-factory\.ts$/,
  /^lib\/aws\/one-factory\.test\.ts$/,
  /^sandbox\/test\//,
  /^lib\/core\/aws-errors\.test\.ts$/,
  /^lib\/aws\/expected-bucket-owner\.test\.ts$/,
  /^lib\/provisioning\/steps\/steps-errors\.test\.ts$/,
];
/** SDK clients are `new <Service>Client(`; the database and pg clients are not AWS clients. */
const SDK_CLIENT = /\bnew\s+(?!PrismaClient\b)([A-Z][A-Za-z0-9]*Client)\s*\(/g;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === "generated" || e.name.startsWith(".")) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts|mjs|js|cjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe("one client factory", () => {
  it("no file outside lib/aws/client-factory.ts constructs an AWS SDK client", () => {
    const offenders: string[] = [];
    for (const top of SCANNED) {
      for (const file of walk(path.join(ROOT, top))) {
        const rel = path.relative(ROOT, file).split(path.sep).join("/");
        if (ALLOWED.some((a) => a.test(rel))) continue;
        const text = fs.readFileSync(file, "utf8");
        for (const m of text.matchAll(SDK_CLIENT)) offenders.push(`${rel}:${text.slice(0, m.index).split("\n").length}: new ${m[1]}(`);
      }
    }
    expect(offenders, "build AWS clients with awsClient/sandboxRootClient from lib/aws/client-factory.ts").toEqual([]);
  });

  it("the scan sees what it must: the factory's own construction and a test's would be found", () => {
    expect([..."const c = new S3Client({});\nnew IAMClient(cfg)".matchAll(SDK_CLIENT)].map((m) => m[1])).toEqual(["S3Client", "IAMClient"]);
    expect([..."new PrismaClient({})".matchAll(SDK_CLIENT)]).toHaveLength(0);
  });
});

// A loopback "AWS" that throttles the first N attempts of every call, as the sandbox does with SANDBOX_THROTTLE_RATE.
let server: http.Server;
let endpoint: string;
let throttleFirst = 0;
let attempts = 0;
const ROLE_XML = `<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><RoleName>r</RoleName><Path>/</Path><Arn>arn:aws:iam::111111111111:role/r</Arn><RoleId>AROA</RoleId><CreateDate>2024-01-01T00:00:00Z</CreateDate></Role></GetRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetRoleResponse>`;
const THROTTLED = `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>t</RequestId></ErrorResponse>`;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      attempts += 1;
      res.setHeader("content-type", "text/xml");
      if (attempts <= throttleFirst) {
        res.statusCode = 400;
        res.end(THROTTLED);
      } else res.end(ROLE_XML);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => void server.close());

describe("the factory's retry policy", () => {
  it("a sandbox root client rides out 4 throttled attempts (the SDK's default 3 attempts would not)", async () => {
    process.env.PORTAL_AWS_MAX_ATTEMPTS = "8";
    attempts = 0;
    throttleFirst = 4;
    const iam = sandboxRootClient(IAMClient, "111111111111", { endpoint });
    expect(await iam.config.maxAttempts()).toBe(8);
    const r = await iam.send(new GetRoleCommand({ RoleName: "r" }));
    expect(r.Role?.RoleName).toBe("r");
    expect(attempts).toBe(5);
  }, 30_000);

  it("follows PORTAL_AWS_MAX_ATTEMPTS: with 2 attempts the same call fails after exactly 2", async () => {
    process.env.PORTAL_AWS_MAX_ATTEMPTS = "2";
    attempts = 0;
    throttleFirst = 4;
    const iam = awsClient(IAMClient, { region: "us-east-1", endpoint, credentials: { accessKeyId: "A", secretAccessKey: "s" } });
    await expect(iam.send(new GetRoleCommand({ RoleName: "r" }))).rejects.toMatchObject({ name: "Throttling" });
    expect(attempts).toBe(2);
    delete process.env.PORTAL_AWS_MAX_ATTEMPTS;
  }, 30_000);
});
