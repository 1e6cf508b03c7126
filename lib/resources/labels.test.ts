import { describe, expect, it } from "vitest";
import { applyConfirmation } from "@/lib/onboarding/apply-confirmation";
import { RESOURCE_KINDS } from "./index";
import { consoleHref, consoleLinkOf, kindLabel, SERVICE_ORDER, serviceOf } from "./labels";

const accounts = [{ accountId: "111111111111", name: "Demo tools" }];

/** What the plan page, the resource table (components/onboardings/{plan-view,resource-table}.tsx) and the Apply dialog show of each kind. */
describe.each(RESOURCE_KINDS.map((k) => [k.kind, k] as const))("the views of %s", (kind, k) => {
  it("label it in words, never by its raw kind", () => {
    expect(kindLabel(kind)).toBe(k.label);
    expect(kindLabel(kind)).not.toBe(kind);
  });

  it("link it to the console, or say why there is no page", () => {
    if ("none" in k.console) {
      expect(consoleLinkOf(kind, "arn:aws:kms:us-east-1:111111111111:alias/x")).toEqual({ reason: k.console.none });
    } else {
      const link = consoleLinkOf(kind, k.console.example);
      expect(link && "url" in link && link.url).toMatch(/^https:\/\//);
      expect(consoleHref(kind, k.console.example)).toMatch(/^https:\/\//);
    }
  });

  it("name its AWS service in the Apply dialog", () => {
    expect(SERVICE_ORDER).toContain(serviceOf(kind));
    const text = applyConfirmation([{ kind, accountId: "111111111111", action: "create" }], accounts);
    expect(text).toContain(`Apply writes ${k.service} policies and resources`);
    expect(text).not.toContain(kind);
  });
});

describe("the Apply dialog's services", () => {
  it("names notifications' services properly (it once said 'sns-topic and notification-rule')", () => {
    const text = applyConfirmation(
      [
        { kind: "sns-topic", accountId: "111111111111", action: "create" },
        { kind: "notification-rule", accountId: "111111111111", action: "create" },
        { kind: "iam-role", accountId: "111111111111", action: "create" },
      ],
      accounts,
    );
    expect(text).toContain("Apply writes IAM, SNS and CodeStar Notifications policies and resources");
  });

  it("labels the retire step's summary item too", () => {
    expect(kindLabel("retired-resources")).toBe("Resources no longer used");
    expect(serviceOf("retired-resources")).toBe("IAM");
  });
});
