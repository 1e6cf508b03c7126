// The provisioning role's reach (issue 17, items 4, 6 and 10): whoever holds it tries, over the wire against the
// sandbox, to claim a team's rule or key by tagging it with the portal's tags, and to open an artifact bucket to the
// world. Each attempt is refused and the resource is left as it was.
import { beforeAll, describe, expect, it } from "vitest";
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTagsForResourceCommand,
  PutRuleCommand,
  TagResourceCommand as EventsTagResourceCommand,
} from "@aws-sdk/client-eventbridge";
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand as KmsTagResourceCommand,
} from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { accountClients, type AccountClients } from "@/lib/aws/clients";
import { ensureSandboxProvisioningRole, demoRoleArn } from "@/lib/demo/sandbox-world";
import { endpoint, freshAccountId, rootClient } from "../support/world";
import { awsRefusal } from "../support/refusal";

const PORTAL_TAGS = [
  { Key: "portal:managed-by", Value: "crossline-portal" },
  { Key: "portal:onboarding", Value: "claimed" },
];

let tools: string;
let as: AccountClients;

beforeAll(async () => {
  tools = freshAccountId(9);
  await ensureSandboxProvisioningRole({ endpoint: endpoint(), accountId: tools, purpose: "both", externalId: `ext-${tools}` });
  as = accountClients({ roleArn: demoRoleArn(tools), externalId: `ext-${tools}`, actorEmail: "mallory@example.com", region: "us-east-1" });
});

describe("claiming a resource by tagging it", () => {
  it("PutRule with the portal's tags on a team's existing untagged rule (an upsert) is refused; the rule stays untagged and unchanged", async () => {
    const root = rootClient(EventBridgeClient, tools);
    const pattern = JSON.stringify({ source: ["aws.codecommit"] });
    const { RuleArn } = await root.send(new PutRuleCommand({ Name: "team-prod-gate", EventPattern: pattern, State: "ENABLED" }));
    const hijack = JSON.stringify({ source: ["aws.s3"] });
    expect(
      await awsRefusal(
        as.eventbridge.send(new PutRuleCommand({ Name: "team-prod-gate", EventPattern: hijack, State: "DISABLED", Tags: PORTAL_TAGS })),
      ),
    ).toMatch(/AccessDenied/);
    expect(await awsRefusal(as.eventbridge.send(new EventsTagResourceCommand({ ResourceARN: RuleArn!, Tags: PORTAL_TAGS })))).toMatch(
      /AccessDenied/,
    );
    const after = await root.send(new DescribeRuleCommand({ Name: "team-prod-gate" }));
    expect([after.State, after.EventPattern]).toEqual(["ENABLED", pattern]);
    expect((await root.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn! }))).Tags ?? []).toEqual([]);
  });

  it("a rule under the portal's own names can still be created with its tags (the create path the portal uses)", async () => {
    const pattern = JSON.stringify({ source: ["aws.codecommit"] });
    const { RuleArn } = await as.eventbridge.send(
      new PutRuleCommand({ Name: "reach-demo-start-on-push", EventPattern: pattern, State: "ENABLED", Tags: PORTAL_TAGS }),
    );
    expect((await as.eventbridge.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn! }))).Tags).toEqual(PORTAL_TAGS);
  });

  it("a team's key tagged with the portal's tags still cannot have its key policy rewritten or its deletion scheduled", async () => {
    const root = rootClient(KMSClient, tools);
    const key = (await root.send(new CreateKeyCommand({ Description: "team database key" }))).KeyMetadata!;
    const policyBefore = (await root.send(new GetKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: "default" }))).Policy;
    // IAM cannot tell this from the kms:TagResource a CreateKey with tags needs: the tag may land, but it grants nothing.
    await as.kms
      .send(new KmsTagResourceCommand({ KeyId: key.Arn!, Tags: PORTAL_TAGS.map((t) => ({ TagKey: t.Key, TagValue: t.Value })) }))
      .catch(() => undefined);
    const lockout = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: demoRoleArn(tools) }, Action: "kms:*", Resource: "*" }],
    });
    expect(await awsRefusal(as.kms.send(new PutKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: "default", Policy: lockout })))).toMatch(
      /AccessDenied/,
    );
    expect(await awsRefusal(as.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.Arn!, PendingWindowInDays: 7 })))).toMatch(
      /AccessDenied/,
    );
    expect((await root.send(new DescribeKeyCommand({ KeyId: key.Arn! }))).KeyMetadata?.KeyState).toBe("Enabled");
    expect((await root.send(new GetKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: "default" }))).Policy).toBe(policyBefore);
  });

  it("a key the portal creates is still administered by the role through its key policy", async () => {
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${tools}:root` }, Action: "kms:*", Resource: "*" },
        {
          Sid: "PortalProvisioningRoleAdministers",
          Effect: "Allow",
          Principal: { AWS: demoRoleArn(tools) },
          Action: ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:TagResource"],
          Resource: "*",
        },
      ],
    });
    const key = (
      await as.kms.send(new CreateKeyCommand({ Policy: policy, Tags: PORTAL_TAGS.map((t) => ({ TagKey: t.Key, TagValue: t.Value })) }))
    ).KeyMetadata!;
    expect((await as.kms.send(new ListResourceTagsCommand({ KeyId: key.Arn! }))).Tags?.map((t) => t.TagKey)).toEqual([
      "portal:managed-by",
      "portal:onboarding",
    ]);
    await as.kms.send(new PutKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: "default", Policy: policy }));
    await as.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.Arn!, PendingWindowInDays: 7 }));
    expect((await as.kms.send(new DescribeKeyCommand({ KeyId: key.Arn! }))).KeyMetadata?.KeyState).toBe("PendingDeletion");
  });
});

describe("making artifacts public", () => {
  it('cannot turn off Block Public Access on a portal artifact bucket, nor put a bucket policy open to "*"', async () => {
    const bucket = `codepipeline-artifacts-${tools}-us-east-1-reach`;
    await as.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const open = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
    expect(
      await awsRefusal(
        as.s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, ExpectedBucketOwner: tools, PublicAccessBlockConfiguration: open })),
      ),
    ).toMatch(/AccessDenied/);
    expect(await awsRefusal(as.s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket, ExpectedBucketOwner: tools })))).toMatch(
      /AccessDenied/,
    );
    const world = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "Everyone", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` }],
    });
    expect(await awsRefusal(as.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, ExpectedBucketOwner: tools, Policy: world })))).toMatch(
      /AccessDenied/,
    );
    // New buckets block public access by default (all four settings), and nothing above changed that or wrote a policy.
    expect(
      (await as.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket, ExpectedBucketOwner: tools }))).PublicAccessBlockConfiguration,
    ).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(await awsRefusal(as.s3.send(new GetBucketPolicyCommand({ Bucket: bucket, ExpectedBucketOwner: tools })))).toBe(
      "NoSuchBucketPolicy",
    );
  });
});

describe("locking an account out of a key", () => {
  it("PutKeyPolicy or CreateKey skipping KMS's lockout safety check is refused, even on a key whose policy names the role", async () => {
    const own = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${tools}:root` }, Action: "kms:*", Resource: "*" },
        {
          Sid: "PortalProvisioningRoleAdministers",
          Effect: "Allow",
          Principal: { AWS: demoRoleArn(tools) },
          Action: ["kms:PutKeyPolicy", "kms:TagResource"],
          Resource: "*",
        },
      ],
    });
    const key = (
      await as.kms.send(new CreateKeyCommand({ Policy: own, Tags: PORTAL_TAGS.map((t) => ({ TagKey: t.Key, TagValue: t.Value })) }))
    ).KeyMetadata!;
    const onlyMe = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "Mine", Effect: "Allow", Principal: { AWS: demoRoleArn(tools) }, Action: "kms:*", Resource: "*" }],
    });
    expect(
      await awsRefusal(
        as.kms.send(
          new PutKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: "default", Policy: onlyMe, BypassPolicyLockoutSafetyCheck: true }),
        ),
      ),
    ).toMatch(/AccessDenied/);
    expect(
      await awsRefusal(
        as.kms.send(
          new CreateKeyCommand({
            Policy: onlyMe,
            BypassPolicyLockoutSafetyCheck: true,
            Tags: PORTAL_TAGS.map((t) => ({ TagKey: t.Key, TagValue: t.Value })),
          }),
        ),
      ),
    ).toMatch(/AccessDenied/);
    expect((await rootClient(KMSClient, tools).send(new GetKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: "default" }))).Policy).toBe(own);
  });
});
