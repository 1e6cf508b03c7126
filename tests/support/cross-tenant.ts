// Tries what a team that controls one onboarding's roles could do to another onboarding's artifacts, through the
// real AWS APIs: the role's trust is opened to its own account's root (as a team that owns the role could), the
// role is assumed, and the other onboarding's bucket is read, listed and written with the artifact key.
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { GetRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { awsClient, sandboxRootClient } from "@/lib/aws/client-factory";

export interface AttackTarget {
  bucketName: string;
  keyArn: string;
  /** An object key that exists in the bucket (read attempts), or any key. */
  objectKey: string;
}

export interface AttackResult {
  operation: "GetObject" | "PutObject" | "ListBucket";
  allowed: boolean;
  error?: string;
}

const endpoint = () => process.env.AWS_ENDPOINT_URL!;

function root<T>(Client: new (cfg: never) => T, accountId: string): T {
  return sandboxRootClient(Client, accountId, { endpoint: endpoint() });
}

/** Lets the role's own account root assume it (keeps the original statements), then assumes it. */
export async function actAsRole(roleArn: string): Promise<S3Client> {
  const [, , , , account, resource] = roleArn.split(":");
  const name = resource.split("/").pop()!;
  const iam = root(IAMClient, account);
  const role = await iam.send(new GetRoleCommand({ RoleName: name }));
  const trust = JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!));
  if (!trust.Statement.some((s: { Sid?: string }) => s.Sid === "CrossTenantTest")) {
    trust.Statement.push({
      Sid: "CrossTenantTest",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: "sts:AssumeRole",
    });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: JSON.stringify(trust) }));
  }
  const creds = (await root(STSClient, account).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "cross-tenant-test" })))
    .Credentials!;
  return awsClient(S3Client, {
    region: "us-east-1",
    endpoint: endpoint(),
    credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken },
  });
}

async function attempt(operation: AttackResult["operation"], call: () => Promise<unknown>): Promise<AttackResult> {
  try {
    await call();
    return { operation, allowed: true };
  } catch (e) {
    const name = (e as Error).name;
    // A missing object is not a refusal: the caller got past authorization.
    if (name === "NoSuchKey" || name === "NotFound") return { operation, allowed: true };
    return { operation, allowed: false, error: name };
  }
}

/** Read, list and overwrite attempts against `target` as the session `s3`. */
export async function tryArtifacts(s3: S3Client, target: AttackTarget): Promise<AttackResult[]> {
  return [
    await attempt("GetObject", () => s3.send(new GetObjectCommand({ Bucket: target.bucketName, Key: target.objectKey }))),
    await attempt("ListBucket", () => s3.send(new ListObjectsV2Command({ Bucket: target.bucketName }))),
    await attempt("PutObject", () =>
      s3.send(
        new PutObjectCommand({
          Bucket: target.bucketName,
          Key: target.objectKey,
          Body: "swapped",
          ServerSideEncryption: "aws:kms",
          SSEKMSKeyId: target.keyArn,
        }),
      ),
    ),
  ];
}
