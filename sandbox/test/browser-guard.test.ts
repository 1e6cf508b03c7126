/**
 * Issue 10 item 11: a browser page on the same machine must not be able to act as an account root through the
 * sandbox (a plain cross-site form POST needs no CORS preflight), nor a DNS-rebound name reach it, and its parsers must
 * not let `__proto__` paths pollute objects.
 */
import { GetRoleCommand } from "@aws-sdk/client-iam";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../index";
import { clients, root } from "./clients";

const A = "111111111111";
let h: SandboxHandle;
beforeAll(async () => {
  h = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await h.close();
});

function post(path: string, body: string, headers: Record<string, string>, method = "POST"): Promise<{ status: number; body: string }> {
  const u = new URL(h.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path, method, headers: { "content-length": String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

// What an HTML <form method=post> on another site can send: credentials in the query string, a form-encoded body.
const credential = `X-Amz-Credential=${encodeURIComponent(`SANDBOXROOT${A}/20260101/us-east-1/iam/aws4_request`)}`;
const trustDoc = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::666666666666:root" }, Action: "sts:AssumeRole" }],
});
const formBody = (role: string) =>
  new URLSearchParams({ Action: "CreateRole", Version: "2010-05-08", RoleName: role, AssumeRolePolicyDocument: trustDoc }).toString();
const form = { "content-type": "application/x-www-form-urlencoded" };
async function roleExists(name: string): Promise<boolean> {
  try {
    await clients(h, root(A)).iam.send(new GetRoleCommand({ RoleName: name }));
    return true;
  } catch (e) {
    if ((e as Error).name === "NoSuchEntityException") return false;
    throw e;
  }
}

describe("the sandbox answers local programs only", () => {
  it("a cross-site form POST (Origin, Sec-Fetch-Site: cross-site) is refused with 403 and changes nothing", async () => {
    const r = await post(`/?${credential}`, formBody("EvilAdmin"), {
      ...form,
      host: new URL(h.url).host,
      origin: "https://evil.example",
      "sec-fetch-site": "cross-site",
    });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/browser page/);
    expect(await roleExists("EvilAdmin")).toBe(false);
  });

  it("Sec-Fetch-Site: cross-site alone, and any Origin alone, are refused; the control routes too", async () => {
    expect(
      (await post(`/?${credential}`, formBody("EvilAdmin2"), { ...form, host: new URL(h.url).host, "sec-fetch-site": "cross-site" }))
        .status,
    ).toBe(403);
    expect((await post(`/?${credential}`, formBody("EvilAdmin3"), { ...form, host: new URL(h.url).host, origin: "null" })).status).toBe(
      403,
    );
    const faults = await post("/_sandbox/faults", JSON.stringify({ throttleRate: 1 }), {
      "content-type": "text/plain",
      host: new URL(h.url).host,
      origin: "https://evil.example",
    });
    expect(faults.status).toBe(403);
    const now = await post("/_sandbox/faults", "", { host: new URL(h.url).host }, "GET");
    expect(JSON.parse(now.body).throttleRate ?? 0).toBe(0);
    expect(await roleExists("EvilAdmin2")).toBe(false);
    expect(await roleExists("EvilAdmin3")).toBe(false);
  });

  it("only a top-level navigation to a build log page may be cross-site; the same navigation to an AWS route is refused", async () => {
    const host = new URL(h.url).host;
    const nav = { host, "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" };
    expect((await post("/_sandbox/codebuild/builds/none%3Aid/log", "", nav, "GET")).status).toBe(404); // served: no such build
    expect((await post("/_sandbox/state", "", nav, "GET")).status).toBe(403);
    const createViaGet = `/?Action=CreateRole&Version=2010-05-08&RoleName=NavAdmin&AssumeRolePolicyDocument=${encodeURIComponent(trustDoc)}&${credential}`;
    expect((await post(createViaGet, "", nav, "GET")).status).toBe(403);
    expect(await roleExists("NavAdmin")).toBe(false);
  });

  it("a non-loopback Host (DNS rebinding) is refused; loopback names are served", async () => {
    const r = await post(`/?${credential}`, formBody("Rebound"), { ...form, host: "attacker.example:4566" });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/not a loopback address/);
    expect(await roleExists("Rebound")).toBe(false);
    const ok = await post(`/?${credential}`, formBody("Local"), { ...form, host: `localhost:${new URL(h.url).port}` });
    expect(ok.status).toBe(200);
    expect(await roleExists("Local")).toBe(true);
  });
});

describe("parsers reject prototype paths", () => {
  afterAll(() => {
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  it("a query parameter path through __proto__ / constructor / prototype is a 400 and pollutes nothing", async () => {
    for (const key of ["__proto__.polluted", "constructor.prototype.polluted", "Tags.member.1.__proto__.polluted"]) {
      const body = `${formBody("Proto")}&${encodeURIComponent(key)}=yes`;
      const r = await post(`/?${credential}`, body, { ...form, host: new URL(h.url).host });
      expect(r.status).toBe(400);
      expect(r.body).toMatch(/is not allowed/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
    expect(await roleExists("Proto")).toBe(false);
  });

  it("a JSON body with a __proto__ key is a 400 (AWS JSON protocol and control routes)", async () => {
    const headers = {
      host: new URL(h.url).host,
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "TrentService.CreateKey",
      authorization: `AWS4-HMAC-SHA256 Credential=SANDBOXROOT${A}/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0`,
    };
    const r = await post("/", '{"Description":"x","__proto__":{"polluted":"yes"}}', headers);
    expect(r.status).toBe(400);
    const c = await post("/_sandbox/faults", '{"constructor":{"prototype":{"polluted":"yes"}}}', {
      host: new URL(h.url).host,
      "content-type": "application/json",
    });
    expect(c.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
