// Single-step error handling with in-process SDK mocks; the full flows run against the sandbox in
// tests/integration/provisioning.int.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  DescribeEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { CodePipelineClient, GetPipelineCommand, ListTagsForResourceCommand } from "@aws-sdk/client-codepipeline";
import { referenceNames as names, referenceSpec as spec, referenceStore as store } from "@/lib/policies/__fixtures__/reference";
import type { StepContext } from "@/lib/runs/types";
import { bucketStep } from "./bucket";
import { forwardPushRuleStep } from "./event-rule";
import { eventBusPermissionStep } from "./event-bus-permission";
import { pipelineStep } from "./pipeline";

function ctx(): StepContext {
  const clients = {
    s3: new S3Client({ region: "us-east-1" }),
    eventbridge: new EventBridgeClient({ region: "us-east-1" }),
    codepipeline: new CodePipelineClient({ region: "us-east-1" }),
  };
  return {
    spec,
    names,
    clients: { tools: clients, repo: clients } as unknown as StepContext["clients"],
    outputs: {},
    store,
    confirmedAdoptions: new Set(),
    ledger: [],
  };
}

const s3 = mockClient(S3Client);
const eb = mockClient(EventBridgeClient);
const cp = mockClient(CodePipelineClient);
afterEach(() => {
  s3.reset();
  eb.reset();
  cp.reset();
});

describe("step error handling", () => {
  it("bucket: a name owned by another account (HeadBucket 403) is a clear, non-retryable failure", async () => {
    s3.on(HeadBucketCommand).rejects(Object.assign(new Error("Forbidden"), { name: "403", $metadata: { httpStatusCode: 403 } }));
    await expect(bucketStep.apply(ctx())).rejects.toMatchObject({
      name: "StepFailure",
      code: "BucketNameTaken",
      message: expect.stringContaining("belongs to another AWS account"),
    });
  });

  it("event rule: PutTargets failures reported in FailedEntryCount become a step failure", async () => {
    eb.on(DescribeRuleCommand).rejects(Object.assign(new Error("Rule does not exist"), { name: "ResourceNotFoundException" }));
    eb.on(PutRuleCommand).resolves({ RuleArn: "arn" });
    eb.on(PutTargetsCommand).resolves({
      FailedEntryCount: 1,
      FailedEntries: [
        { TargetId: "tools-default-bus", ErrorCode: "AccessDeniedException", ErrorMessage: "Access to the resource is denied" },
      ],
    });
    await expect(forwardPushRuleStep.apply(ctx())).rejects.toMatchObject({
      code: "AccessDeniedException",
      message: expect.stringContaining("EventBridge refused the target"),
    });
  });

  it("event bus: a full bus policy (PolicyLengthExceededException) says to use the Organization-wide grant, not a retry", async () => {
    eb.on(DescribeEventBusCommand).resolves({ Name: "default", Policy: undefined });
    eb.on(PutPermissionCommand).rejects(
      Object.assign(new Error("Policy size would be larger than the maximum allowed."), { name: "PolicyLengthExceededException" }),
    );
    await expect(eventBusPermissionStep.apply(ctx())).rejects.toMatchObject({
      name: "StepFailure",
      code: "PolicyLengthExceededException",
      retry: "never",
      message: expect.stringContaining("Organization id"),
    });
  });

  it("pipeline: refuses to take over a pipeline of the same name that another onboarding owns", async () => {
    cp.on(GetPipelineCommand).resolves({
      pipeline: { name: "demo-service-main", roleArn: "r", stages: [], artifactStore: { type: "S3", location: "b" } },
    });
    cp.on(ListTagsForResourceCommand).resolves({ tags: [{ key: "portal:onboarding", value: "someone-else" }] });
    await expect(pipelineStep.apply(ctx())).rejects.toMatchObject({
      code: "PipelineNameInUse",
      message: expect.stringContaining("created by another onboarding"),
    });
  });
});
