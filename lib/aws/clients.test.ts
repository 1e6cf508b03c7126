import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { accountClients } from "./clients";

// A loopback HTTP server that records what the SDK sends and answers just enough for it to proceed.
const seen: { url: string; body: string; auth: string }[] = [];
let server: http.Server;
let endpoint: string;

const ASSUME_XML = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIATEST</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA:portal-dana</AssumedRoleId><Arn>arn:aws:sts::111111111111:assumed-role/R/portal-dana</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></AssumeRoleResponse>`;
const IDENTITY_XML = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::111111111111:assumed-role/R/portal-dana</Arn><UserId>AROA:portal-dana</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
const LIST_XML = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ url: req.url ?? "", body, auth: String(req.headers.authorization ?? "") });
      res.setHeader("content-type", "text/xml");
      res.end(body.includes("Action=AssumeRole") ? ASSUME_XML : body.includes("Action=GetCallerIdentity") ? IDENTITY_XML : LIST_XML);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_ACCESS_KEY_ID = "AKIABASE";
  process.env.AWS_SECRET_ACCESS_KEY = "base";
});
afterEach(() => void seen.splice(0));
afterAll(() => {
  delete process.env.AWS_ENDPOINT_URL;
  server.close();
});

const target = { roleArn: "arn:aws:iam::111111111111:role/R", externalId: "ext-42", actorEmail: "dana@example.com", region: "eu-west-1" };

describe("AWS client factory", () => {
  it("assumes the role with ExternalId and SourceIdentity from the portal's base credentials, then signs with the assumed ones", async () => {
    const { sts } = accountClients(target);
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe("111111111111");
    const assume = new URLSearchParams(seen[0].body);
    expect(assume.get("Action")).toBe("AssumeRole");
    expect(assume.get("RoleArn")).toBe(target.roleArn);
    expect(assume.get("ExternalId")).toBe("ext-42");
    expect(assume.get("SourceIdentity")).toBe("dana@example.com");
    expect(assume.get("RoleSessionName")).toBe("portal-dana");
    expect(seen[0].auth).toContain("Credential=AKIABASE/");
    expect(seen[1].auth).toContain("Credential=ASIATEST/");
  });

  it("sends every service to AWS_ENDPOINT_URL, and S3 path-style under an override", async () => {
    const { s3 } = accountClients(target);
    await s3.send(new ListObjectsV2Command({ Bucket: "my-bucket" }));
    const s3Call = seen.find((s) => s.auth.includes("/s3/"));
    expect(s3Call?.url).toMatch(/^\/my-bucket\/?\?list-type=2/);
    expect(await s3.config.forcePathStyle).toBe(true);
    const resolved = await s3.config.endpoint?.();
    expect(`${resolved?.protocol}//${resolved?.hostname}:${resolved?.port}`).toBe(endpoint);
  });
});
