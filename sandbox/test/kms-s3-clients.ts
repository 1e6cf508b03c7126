/** Test helpers for the KMS and S3 wire tests: real SDK clients, roles created with root creds and assumed via STS. */
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import type { SandboxHandle } from "../index";
import { type Creds, clients, root, trust } from "./clients";

export function kmsS3(h: SandboxHandle, credentials: Creds, region = "us-east-1") {
  const cfg = { endpoint: h.url, region, credentials, maxAttempts: 1 };
  return { kms: new KMSClient(cfg), s3: new S3Client({ ...cfg, forcePathStyle: true }) };
}

/** Create a role in `account` trusted by that account's root, with one inline policy; returns its ARN. */
export async function createRole(h: SandboxHandle, account: string, name: string, statements: object[], path = "/"): Promise<string> {
  const iam = clients(h, root(account)).iam;
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      Path: path,
      AssumeRolePolicyDocument: trust({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }),
    }),
  );
  if (statements.length)
    await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: "inline", PolicyDocument: trust(...statements) }));
  return Role!.Arn!;
}

export async function setRolePolicy(h: SandboxHandle, account: string, name: string, statements: object[]): Promise<void> {
  await clients(h, root(account)).iam.send(
    new PutRolePolicyCommand({ RoleName: name, PolicyName: "inline", PolicyDocument: trust(...statements) }),
  );
}

/** Assume a role with its own account's root credentials; returns session credentials. */
export async function assume(h: SandboxHandle, roleArn: string, sessionName = "test"): Promise<Creds> {
  const account = roleArn.split(":")[4];
  const c = (await clients(h, root(account)).sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName })))
    .Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}
