/**
 * Every operation the sandbox registers declares an IAM action that AWS's Service Authorization Reference lists, and
 * names resources the way the reference says: "*" for an action with no resource types, otherwise ARNs matching the
 * ARN format of one of its resource types. A wrong declaration (e.g. events:PutPermission on the bus ARN) fails here.
 */
import { describe, expect, it } from "vitest";
import { normalizeFaults } from "../../faults";
import { rootPrincipal } from "../../identity";
import type { OpContext } from "../../registry";
import { SERVICES } from "../../services";
import { emptyWorld } from "../../state";
import { modelledKeys } from "../../policy/conditions";
import { actionReference, conditionKeyExists } from "../../policy/reference";
import { prepareRequest } from "../../policy/request";

const A = "111111111111";
const R = "us-east-1";
const tags = [{ Key: "portal:managed-by", Value: "crossline-portal" }];

/** One input that names a resource for every operation (each operation reads the fields it knows). */
const SAMPLE: Record<string, unknown> = {
  RoleName: "app-pipeline-role",
  Path: "/portal/",
  PolicyName: "inline",
  PolicyArn: `arn:aws:iam::${A}:policy/portal/boundary`,
  RoleArn: `arn:aws:iam::${A}:role/portal/app-pipeline-role`,
  RoleSessionName: "s",
  KeyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
  AliasName: "alias/crossline",
  TargetKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
  DestinationKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
  Name: "app-push",
  Rule: "app-push",
  ResourceARN: `arn:aws:events:${R}:${A}:rule/app-push`,
  resourceArn: `arn:aws:codepipeline:${R}:${A}:app`,
  pipeline: { name: "app" },
  pipelineName: "app",
  stageName: "Build",
  actionName: "Approve",
  name: "app-build",
  names: ["app-build"],
  ids: ["app-build:0d7f"],
  projectName: "app-build",
  logGroupName: "/aws/codebuild/app-build",
  logStreamName: "0d7f",
  repositoryName: "demo-service",
  bucket: "codepipeline-artifacts-111111111111-us-east-1-0a1b2c3d",
  key: "app/SourceArti/abc",
  Tags: tags,
  tags,
  TopicArn: `arn:aws:sns:${R}:${A}:app-notifications`,
  SubscriptionArn: `arn:aws:sns:${R}:${A}:app-notifications:0d7f`,
  Arn: `arn:aws:codestar-notifications:${R}:${A}:notificationrule/0123456789abcdef0123456789abcdef01234567`,
};

const ctx = (): OpContext => ({
  world: emptyWorld(),
  caller: rootPrincipal(A),
  account: A,
  region: R,
  now: 0,
  requestId: "r",
  faults: normalizeFaults({}),
  isPrincipalVisible: () => true,
  publish: () => undefined,
});

const operations = SERVICES.flatMap((s) => Object.values(s.operations).map((op) => ({ service: s.name, op })));

describe("operation declarations follow AWS's Service Authorization Reference", () => {
  it("covers every registered operation", () => {
    expect(operations.length).toBeGreaterThan(100);
  });

  for (const { service, op } of operations) {
    it(`${service}:${op.action} → ${op.iamAction}`, () => {
      const ref = actionReference(op.iamAction);
      expect(ref, `${op.iamAction} is not in the reference`).toBeDefined();
      const c = ctx();
      const named = [op.resources(SAMPLE as never, c)].flat();
      expect(named.length).toBeGreaterThan(0);
      for (const resource of named) {
        if (ref!.resourceTypes.length === 0) expect(resource, `${op.iamAction} has no resource types`).toBe("*");
        const prepared = prepareRequest(op.iamAction, resource, op.conditionContext?.(SAMPLE as never, c) ?? {});
        expect(prepared.ok ? "ok" : prepared.reason).toBe("ok");
      }
      for (const extra of op.alsoAuthorize?.(SAMPLE as never, c) ?? []) {
        const prepared = prepareRequest(extra.action, extra.resource, extra.context ?? {});
        expect(prepared.ok ? "ok" : prepared.reason).toBe("ok");
      }
    });
  }

  it("every condition key the sandbox models is one AWS publishes (no invented or misspelt keys)", () => {
    const keys = modelledKeys();
    expect(keys.length).toBeGreaterThan(30);
    expect(keys.filter((k) => !conditionKeyExists(k))).toEqual([]);
    expect(conditionKeyExists("kms:NotAKey")).toBe(false);
  });

  it('actions without resource types are declared on "*" (events:PutPermission, kms:CreateKey, iam:ListRoles, …)', () => {
    const byAction = new Map(operations.map(({ op }) => [op.iamAction, op]));
    for (const action of [
      "events:PutPermission",
      "events:RemovePermission",
      "kms:CreateKey",
      "kms:ListKeys",
      "iam:ListRoles",
      "sts:GetCallerIdentity",
    ]) {
      expect(actionReference(action)!.resourceTypes).toEqual([]);
      expect(byAction.get(action)!.resources(SAMPLE as never, ctx())).toBe("*");
    }
  });
});
