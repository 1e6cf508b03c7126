import { describe, expect, it } from "vitest";
import { createTopicInput, notificationNames, notificationRuleInput, notificationTopicPolicy } from "./notifications";
import { provisioningPermissionPolicy } from "@/lib/resources/provisioning-role";
import { fixture, pretty } from "./__fixtures__/read";
import { referenceNames, referenceSpec } from "./__fixtures__/reference";
import { globMatch, list } from "./__fixtures__/authorization-reference";
import { notificationEmailList } from "@/lib/validation/onboarding";

const n = notificationNames(referenceSpec);

describe("notification documents", () => {
  it("topic policy (AWS's documented statement for CodeStar Notifications), byte for byte", () => {
    expect(pretty(notificationTopicPolicy(referenceSpec, n.topicArn))).toBe(fixture("notifications-topic-policy.json"));
  });

  it("notification rule and topic inputs, byte for byte", () => {
    expect(
      pretty({ topic: createTopicInput(referenceSpec, n), rule: notificationRuleInput(referenceSpec, n, referenceNames.pipeline.arn) }),
    ).toBe(fixture("notifications-rule.json"));
  });

  it("names fit SNS and CodeStar Notifications rules, stay apart for pipeline names that sanitize alike, and fall under the provisioning role's topic grant", () => {
    for (const pipelineName of ["a.b", "a-b", "x@y", "p".repeat(100)]) {
      const m = notificationNames({ ...referenceSpec, pipelineName });
      expect(m.topicName).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
      expect(m.ruleName).toMatch(/^[A-Za-z0-9\-_ ]{1,64}$/);
    }
    expect(notificationNames({ ...referenceSpec, pipelineName: "a.b" }).topicName).not.toBe(
      notificationNames({ ...referenceSpec, pipelineName: "a-b" }).topicName,
    );
    const grants = provisioningPermissionPolicy({ accountId: referenceSpec.toolsAccountId, purpose: "tools" }).Statement.filter((s) =>
      list(s.Action).includes("sns:CreateTopic"),
    );
    expect(grants.some((s) => list(s.Resource).some((r) => globMatch(r, n.topicArn)))).toBe(true);
  });
});

describe("notification recipients", () => {
  it("splits on commas, spaces and new lines, drops repeats, names each invalid address, caps at 10", () => {
    expect(notificationEmailList.parse("a@example.com, b@example.com\na@example.com")).toEqual(["a@example.com", "b@example.com"]);
    expect(notificationEmailList.parse(undefined)).toEqual([]);
    const bad = notificationEmailList.safeParse("ok@example.com, nope");
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.message)).toEqual(["“nope” is not an email address."]);
    expect(notificationEmailList.safeParse(Array.from({ length: 11 }, (_, i) => `u${i}@example.com`).join(",")).success).toBe(false);
  });
});
