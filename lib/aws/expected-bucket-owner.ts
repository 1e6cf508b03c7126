import type { S3Client } from "@aws-sdk/client-s3";

/** S3 operations whose input has no ExpectedBucketOwner (account-level or creating the bucket). */
const WITHOUT_OWNER = new Set([
  "CreateBucketCommand",
  "ListBucketsCommand",
  "ListDirectoryBucketsCommand",
  "CreateSessionCommand",
  "WriteGetObjectResponseCommand",
]);

/**
 * Every S3 call of an account's client carries ExpectedBucketOwner = that account: artifact bucket names are
 * predictable, so a bucket of the same name owned by someone else must be refused (403), never read or written.
 * Done here, once, so no step can forget it.
 */
export function expectBucketOwner<C extends S3Client>(client: C, accountId: string): C {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!WITHOUT_OWNER.has(context.commandName ?? "")) {
        const input = args.input as { ExpectedBucketOwner?: string };
        input.ExpectedBucketOwner ??= accountId;
      }
      return next(args);
    },
    { step: "initialize", name: "portalExpectedBucketOwner", override: true },
  );
  return client;
}

/** The account id of a role ARN (`arn:aws:iam::123456789012:role/...`). */
export function accountOfRoleArn(roleArn: string): string {
  const m = /^arn:[^:]+:iam::(\d{12}):/.exec(roleArn);
  if (!m) throw new Error(`Not a role ARN: ${roleArn}`);
  return m[1];
}
