import { describe, expect, it } from "vitest";
import { CreateBucketCommand, GetBucketPolicyCommand, HeadBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

interface HttpRequest {
  headers: Record<string, string>;
}
import { accountOfRoleArn, expectBucketOwner } from "./expected-bucket-owner";

/** An S3 client whose requests are captured instead of sent. */
function capturingClient() {
  const sent: HttpRequest[] = [];
  const client = new S3Client({
    region: "us-east-1",
    forcePathStyle: true,
    endpoint: "http://127.0.0.1:1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    requestHandler: {
      handle: async (req: HttpRequest) => {
        sent.push(req);
        return { response: { statusCode: 200, headers: {}, body: undefined } as never };
      },
    } as never,
  });
  return { client: expectBucketOwner(client, "111111111111"), sent };
}

describe("expectBucketOwner", () => {
  it("adds x-amz-expected-bucket-owner to every bucket and object call", async () => {
    const { client, sent } = capturingClient();
    await client.send(new HeadBucketCommand({ Bucket: "b" })).catch(() => undefined);
    await client.send(new GetBucketPolicyCommand({ Bucket: "b" })).catch(() => undefined);
    await client.send(new PutObjectCommand({ Bucket: "b", Key: "k", Body: "x" })).catch(() => undefined);
    expect(sent).toHaveLength(3);
    for (const req of sent) expect(req.headers["x-amz-expected-bucket-owner"]).toBe("111111111111");
  });

  it("leaves CreateBucket alone (it has no such member) and keeps an explicit value", async () => {
    const { client, sent } = capturingClient();
    await client.send(new CreateBucketCommand({ Bucket: "b" })).catch(() => undefined);
    await client.send(new HeadBucketCommand({ Bucket: "b", ExpectedBucketOwner: "222222222222" })).catch(() => undefined);
    expect(sent[0].headers["x-amz-expected-bucket-owner"]).toBeUndefined();
    expect(sent[1].headers["x-amz-expected-bucket-owner"]).toBe("222222222222");
  });

  it("reads the account of a role ARN, with or without a path", () => {
    expect(accountOfRoleArn("arn:aws:iam::222222222222:role/portal/x")).toBe("222222222222");
    expect(() => accountOfRoleArn("role/x")).toThrow();
  });
});
