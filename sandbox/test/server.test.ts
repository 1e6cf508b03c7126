import { CreateRoleCommand, GetRoleCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { CodeCommitClient, GetBranchCommand, ListApprovalRuleTemplatesCommand } from "@aws-sdk/client-codecommit";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox } from "../index";
import { clients, failure, fastRetry, root, trust } from "./clients";

const dir = mkdtempSync(path.join(tmpdir(), "sandbox-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const trustAny = trust({ Effect: "Allow", Principal: { AWS: "111111111111" }, Action: "sts:AssumeRole" });

describe("sandbox server", () => {
  it("persists state across a restart with the same stateFile", async () => {
    const stateFile = path.join(dir, "state.json");
    const h1 = await startSandbox({ stateFile });
    await clients(h1, root("111111111111")).iam.send(new CreateRoleCommand({ RoleName: "Kept", AssumeRolePolicyDocument: trustAny }));
    expect(JSON.parse(readFileSync(stateFile, "utf8")).accounts["111111111111"]).toBeDefined();
    await h1.close();
    const h2 = await startSandbox({ stateFile });
    try {
      const r = await clients(h2, root("111111111111")).iam.send(new GetRoleCommand({ RoleName: "Kept" }));
      expect(r.Role?.Arn).toBe("arn:aws:iam::111111111111:role/Kept");
    } finally {
      await h2.close();
    }
  });

  it("throttling fault makes the SDK retry; the call log shows every attempt", async () => {
    const h = await startSandbox({ seedDemo: true, faults: { throttleRate: 1 } });
    try {
      const cc = new CodeCommitClient({ endpoint: h.url, region: "us-east-1", credentials: root("222222222222"), maxAttempts: 2 });
      const e = await failure(cc.send(new GetBranchCommand({ repositoryName: "demo-service", branchName: "main" })));
      expect(e.name).toBe("ThrottlingException");
      expect((e as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBe(2);
      expect(h.callLog.map((c) => [c.service, c.action, c.status])).toEqual([
        ["codecommit", "GetBranch", 400],
        ["codecommit", "GetBranch", 400],
      ]);
      h.resetCallLog();
      // Half the calls throttled: the SDK classifies them as throttling and retries until it gets through.
      h.setFaults({ throttleRate: 0.5 });
      const seen: string[] = [];
      const iam = new IAMClient({
        endpoint: h.url,
        region: "us-east-1",
        credentials: root("111111111111"),
        retryStrategy: fastRetry(50, seen),
      });
      for (let i = 0; i < 5; i++) await iam.send(new CreateRoleCommand({ RoleName: `R${i}`, AssumeRolePolicyDocument: trustAny }));
      const creates = h.callLog.filter((c) => c.action === "CreateRole");
      expect(creates.filter((c) => c.status === 200)).toHaveLength(5);
      expect(creates.every((c) => c.mutating && c.account === "111111111111")).toBe(true);
      expect(creates.filter((c) => c.status === 400)).toHaveLength(seen.length);
      expect(new Set(seen)).toEqual(seen.length ? new Set(["THROTTLING"]) : new Set());
    } finally {
      await h.close();
    }
  });

  it("S3 is throttled as S3 does it: 503 SlowDown, which the SDK retries even for a body-less HEAD", async () => {
    const h = await startSandbox({ faults: { throttleRate: 1 } });
    try {
      const s3 = new S3Client({
        endpoint: h.url,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: root("111111111111"),
        maxAttempts: 2,
      });
      const e = await failure(s3.send(new HeadBucketCommand({ Bucket: "any-bucket" })));
      expect(e.$metadata?.httpStatusCode).toBe(503);
      expect((e as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBe(2);
    } finally {
      await h.close();
    }
  });

  it("5xx fault is retried by the SDK", async () => {
    const h = await startSandbox({ faults: { serverErrorRate: 1 } });
    try {
      const e = await failure(clients(h, root("111111111111"), { maxAttempts: 2 }).iam.send(new GetRoleCommand({ RoleName: "x" })));
      expect(e.$metadata?.httpStatusCode).toBeGreaterThanOrEqual(500);
      expect(h.callLog).toHaveLength(2);
    } finally {
      await h.close();
    }
  });

  it("unsupported operations answer a clean protocol error", async () => {
    const h = await startSandbox({ seedDemo: true });
    try {
      const q = await failure(clients(h, root("111111111111")).iam.send(new ListUsersCommand({})));
      expect(q.$metadata?.httpStatusCode).toBe(400);
      expect(q.message).toMatch(/ListUsers/);
      const j = await failure(clients(h, root("222222222222")).cc.send(new ListApprovalRuleTemplatesCommand({})));
      expect(j.name).toBe("UnknownOperationException");
      expect(h.callLog.map((c) => c.status)).toEqual([400, 400]);
    } finally {
      await h.close();
    }
  });

  it("control endpoints: health, faults, calls, state; S3 path space is reserved", async () => {
    const h = await startSandbox({ seedDemo: true });
    try {
      const health = await (await fetch(`${h.url}/_sandbox/health`)).json();
      expect(health).toMatchObject({ ok: true });
      await fetch(`${h.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ latencyMs: 5 }) });
      expect(await (await fetch(`${h.url}/_sandbox/faults`)).json()).toMatchObject({ latencyMs: 5 });
      await clients(h, root("222222222222")).cc.send(new GetBranchCommand({ repositoryName: "demo-service", branchName: "main" }));
      const calls = await (await fetch(`${h.url}/_sandbox/calls`)).json();
      expect(calls).toEqual([
        expect.objectContaining({ service: "codecommit", action: "GetBranch", account: "222222222222", mutating: false, status: 200 }),
      ]);
      await fetch(`${h.url}/_sandbox/calls/reset`, { method: "POST" });
      expect(h.callLog).toHaveLength(0);
      const state = await (await fetch(`${h.url}/_sandbox/state`)).json();
      expect(state.accounts.map((a: { id: string }) => a.id).sort()).toEqual(["111111111111", "222222222222"]);
      const s3 = await fetch(`${h.url}/bucket/key`, {
        headers: {
          authorization:
            "AWS4-HMAC-SHA256 Credential=SANDBOXROOT111111111111/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x",
        },
      });
      expect(s3.status).toBe(404);
      expect(s3.headers.get("x-amzn-requestid")).toBeTruthy();
      expect(await s3.text()).toContain("<Code>NoSuchBucket</Code>");
    } finally {
      await h.close();
    }
  });
});
