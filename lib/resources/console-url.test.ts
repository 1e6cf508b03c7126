import { describe, expect, it } from "vitest";
import { consoleUrlForArn, logStreamConsoleUrl, pipelineConsoleUrl } from "./console-url";
import { formatDuration } from "@/lib/format/duration";

describe("console links", () => {
  it("links a CodeBuild log stream in the CloudWatch Logs console (names encoded twice, $ for %)", () => {
    expect(logStreamConsoleUrl("us-east-1", "/aws/codebuild/demo-service-main-build", "0f1e2d3c-aaaa-4bbb-8ccc-123456789abc")).toBe(
      "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252Fdemo-service-main-build/log-events/0f1e2d3c-aaaa-4bbb-8ccc-123456789abc",
    );
  });

  it("links a pipeline in its region", () => {
    expect(pipelineConsoleUrl("demo-service-main", "us-east-1")).toBe(
      "https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/demo-service-main/view?region=us-east-1",
    );
    expect(consoleUrlForArn("arn:aws:codepipeline:eu-west-1:111111111111:p1")).toBe(
      "https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/p1/view?region=eu-west-1",
    );
  });

  it("links an IAM role by its name, whatever its path", () => {
    expect(consoleUrlForArn("arn:aws:iam::111111111111:role/portal/demo-service-main-pipeline-role")).toBe(
      "https://console.aws.amazon.com/iam/home#/roles/details/demo-service-main-pipeline-role",
    );
  });

  it("links a KMS key, a bucket, a CodeBuild project and an event rule", () => {
    expect(consoleUrlForArn("arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab")).toBe(
      "https://us-east-1.console.aws.amazon.com/kms/home?region=us-east-1#/kms/keys/1234abcd-12ab-34cd-56ef-1234567890ab",
    );
    expect(consoleUrlForArn("arn:aws:s3:::codepipeline-artifacts-111111111111-us-east-1")).toBe(
      "https://s3.console.aws.amazon.com/s3/buckets/codepipeline-artifacts-111111111111-us-east-1",
    );
    expect(consoleUrlForArn("arn:aws:codebuild:us-east-1:111111111111:project/x-build")).toContain(
      "/codebuild/projects/x-build?region=us-east-1",
    );
    expect(consoleUrlForArn("arn:aws:events:us-east-1:222222222222:rule/x-forward-push")).toContain(
      "#/eventbus/default/rules/x-forward-push",
    );
  });

  it("links the notification topic and the notification rules (the resource table once showed them unlinked)", () => {
    expect(consoleUrlForArn("arn:aws:sns:us-east-1:111111111111:crossline-demo-service-main")).toBe(
      "https://us-east-1.console.aws.amazon.com/sns/v3/home?region=us-east-1#/topic/arn:aws:sns:us-east-1:111111111111:crossline-demo-service-main",
    );
    expect(consoleUrlForArn("arn:aws:codestar-notifications:us-east-1:111111111111:notificationrule/0123abcd")).toBe(
      "https://us-east-1.console.aws.amazon.com/codesuite/settings/notifications/rules?region=us-east-1",
    );
  });

  it("returns null for what it cannot link", () => {
    expect(consoleUrlForArn("not an arn")).toBeNull();
    expect(consoleUrlForArn("arn:aws:kms:us-east-1:111111111111:alias/codepipeline-artifacts-us-east-1")).toBeNull();
    expect(consoleUrlForArn("arn:aws-cn:iam::111111111111:role/x")).toBeNull();
  });

  it("formats durations", () => {
    expect(formatDuration(null, null)).toBe("—");
    expect(formatDuration("2026-01-01T00:00:00Z", "2026-01-01T00:00:01.250Z")).toBe("1.3 s");
    expect(formatDuration("2026-01-01T00:00:00Z", "2026-01-01T00:02:05Z")).toBe("2 min 5 s");
  });
});
