/**
 * The request context as AWS builds it from the Service Authorization Reference, and AWS's rules for conditions on
 * keys absent from it (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 */
import { describe, expect, it } from "vitest";
import { type EvaluationRequest, evaluatePolicies } from "../../policy/evaluate";
import type { ConditionContext, PolicyStatement, Principal } from "../../policy/types";

const A = "111111111111";
const session: Principal = {
  type: "assumed-role",
  arn: `arn:aws:sts::${A}:assumed-role/Pipe/s1`,
  account: A,
  roleArn: `arn:aws:iam::${A}:role/Pipe`,
  sessionName: "s1",
  userId: "AROA:s1",
};
function decide(
  statements: PolicyStatement[],
  action: string,
  resource: string,
  context: ConditionContext = {},
  over: Partial<EvaluationRequest> = {},
) {
  return evaluatePolicies({
    identityPolicies: [{ Version: "2012-10-17", Statement: statements }],
    principal: session,
    action,
    resource,
    context,
    ...over,
  });
}
const allowIf = (action: string, Condition: PolicyStatement["Condition"]): PolicyStatement[] => [
  { Effect: "Allow", Action: action, Resource: "*", Condition },
];
const OBJECT = "arn:aws:s3:::bucket/key";

describe("actions and resources", () => {
  it("an action AWS does not publish fails closed", () => {
    const r = decide([{ Effect: "Allow", Action: "*", Resource: "*" }], "iam:MadeUpAction", "*");
    expect(r.decision).toBe("deny");
    expect(r.failedClosed).toMatch(/not an action of AWS's Service Authorization Reference/);
  });

  it("a resource that matches none of the action's ARN formats fails closed", () => {
    const r = decide([{ Effect: "Allow", Action: "*", Resource: "*" }], "kms:Decrypt", "arn:aws:s3:::bucket");
    expect(r.decision).toBe("deny");
    expect(r.failedClosed).toMatch(/matches no resource type of kms:Decrypt \(arn:\$\{Partition\}:kms:/);
  });

  it('an action without resource types is evaluated against "*" only', () => {
    const r = decide(
      [{ Effect: "Allow", Action: "*", Resource: "*" }],
      "events:PutPermission",
      `arn:aws:events:us-east-1:${A}:event-bus/default`,
    );
    expect(r.failedClosed).toMatch(/authorized against "\*"/);
    expect(
      decide(
        [{ Effect: "Allow", Action: "events:PutPermission", Resource: `arn:aws:events:us-east-1:${A}:event-bus/*` }],
        "events:PutPermission",
        "*",
      ).decision,
    ).toBe("implicitDeny");
    expect(decide([{ Effect: "Allow", Action: "events:PutPermission", Resource: "*" }], "events:PutPermission", "*").decision).toBe(
      "allow",
    );
  });
});

describe("condition keys exist only where the reference lists them", () => {
  it("a service key not listed for the action is absent even when the caller supplies it", () => {
    // sts:ExternalId is listed for sts:AssumeRole, not for s3:GetObject.
    expect(
      decide(allowIf("s3:GetObject", { StringEquals: { "sts:ExternalId": "x" } }), "s3:GetObject", OBJECT, { "sts:ExternalId": "x" })
        .decision,
    ).toBe("implicitDeny");
    expect(
      decide(allowIf("sts:AssumeRole", { StringEquals: { "sts:ExternalId": "x" } }), "sts:AssumeRole", `arn:aws:iam::${A}:role/R`, {
        "sts:ExternalId": "x",
      }).decision,
    ).toBe("allow");
  });

  it("absent key: negated operators hold, …IfExists holds, Null true holds, ForAllValues holds, ForAnyValue fails", () => {
    const ctx = { "sts:ExternalId": "x" }; // present in the request, but not a key of s3:GetObject
    expect(decide(allowIf("s3:GetObject", { StringNotEquals: { "sts:ExternalId": "x" } }), "s3:GetObject", OBJECT, ctx).decision).toBe(
      "allow",
    );
    expect(decide(allowIf("s3:GetObject", { StringEqualsIfExists: { "sts:ExternalId": "y" } }), "s3:GetObject", OBJECT, ctx).decision).toBe(
      "allow",
    );
    expect(decide(allowIf("s3:GetObject", { Null: { "sts:ExternalId": "true" } }), "s3:GetObject", OBJECT, ctx).decision).toBe("allow");
    expect(decide(allowIf("s3:GetObject", { Null: { "sts:ExternalId": "false" } }), "s3:GetObject", OBJECT, ctx).decision).toBe(
      "implicitDeny",
    );
    expect(
      decide(allowIf("s3:GetObject", { "ForAllValues:StringEquals": { "sts:TransitiveTagKeys": "a" } }), "s3:GetObject", OBJECT, {
        "sts:TransitiveTagKeys": ["b"],
      }).decision,
    ).toBe("allow");
    expect(
      decide(allowIf("s3:GetObject", { "ForAnyValue:StringEquals": { "sts:TransitiveTagKeys": "b" } }), "s3:GetObject", OBJECT, {
        "sts:TransitiveTagKeys": ["b"],
      }).decision,
    ).toBe("implicitDeny");
  });

  it("request tags exist only for actions that take tags", () => {
    const tag = { "aws:RequestTag/team": "a", "aws:TagKeys": ["team"] };
    const cond = { StringEquals: { "aws:RequestTag/team": "a" } };
    expect(decide(allowIf("iam:CreateRole", cond), "iam:CreateRole", `arn:aws:iam::${A}:role/r`, tag).decision).toBe("allow");
    // iam:PutRolePolicy takes no tags: the key is absent and the condition false.
    expect(decide(allowIf("iam:PutRolePolicy", cond), "iam:PutRolePolicy", `arn:aws:iam::${A}:role/r`, tag).decision).toBe("implicitDeny");
  });

  it("iam:PermissionsBoundary exists on the role actions the reference lists it for", () => {
    const cond = { StringEquals: { "iam:PermissionsBoundary": `arn:aws:iam::${A}:policy/b` } };
    const ctx = { "iam:PermissionsBoundary": `arn:aws:iam::${A}:policy/b` };
    for (const action of [
      "iam:CreateRole",
      "iam:PutRolePolicy",
      "iam:AttachRolePolicy",
      "iam:DetachRolePolicy",
      "iam:DeleteRolePolicy",
      "iam:PutRolePermissionsBoundary",
      "iam:UpdateAssumeRolePolicy",
    ])
      expect(decide(allowIf(action, cond), action, `arn:aws:iam::${A}:role/r`, ctx).decision, action).toBe("allow");
    // Not listed for iam:TagRole.
    expect(decide(allowIf("iam:TagRole", cond), "iam:TagRole", `arn:aws:iam::${A}:role/r`, ctx).decision).toBe("implicitDeny");
  });
});

describe("keys the sandbox does not model fail closed with the reason", () => {
  it("a service key the reference lists for the action", () => {
    const r = decide(
      allowIf("iam:CreateRole", { StringEquals: { "iam:RoleTemplateARN": "x" } }),
      "iam:CreateRole",
      `arn:aws:iam::${A}:role/r`,
    );
    expect(r.decision).toBe("deny");
    expect(r.failedClosed).toMatch(/iam:RoleTemplateARN .*lists it for iam:CreateRole but the sandbox does not model it/);
    // As does an operator the sandbox does not evaluate.
    const op = decide(allowIf("s3:GetObject", { StringEqualz: { "aws:PrincipalArn": "x" } }), "s3:GetObject", OBJECT, {
      "aws:PrincipalArn": "x",
    });
    expect(op.failedClosed).toMatch(/unsupported condition operator StringEqualz/);
  });

  it("aws:ResourceTag of a resource type whose tags are not modelled (CodeCommit repository), even negated", () => {
    const r = decide(
      allowIf("codecommit:GetBranch", { StringNotEquals: { "aws:ResourceTag/team": "x" } }),
      "codecommit:GetBranch",
      `arn:aws:codecommit:us-east-1:${A}:repo`,
    );
    expect(r.decision).toBe("deny");
    expect(r.failedClosed).toMatch(/does not model aws:ResourceTag for codecommit:repository/);
    // A modelled type with no such tag: the key is absent, the negated operator holds.
    expect(
      decide(
        allowIf("kms:Decrypt", { StringNotEquals: { "aws:ResourceTag/team": "x" } }),
        "kms:Decrypt",
        `arn:aws:kms:us-east-1:${A}:key/k`,
      ).decision,
    ).toBe("allow");
    expect(
      decide(allowIf("iam:GetRole", { StringNotEquals: { "iam:ResourceTag/team": "x" } }), "iam:GetRole", `arn:aws:iam::${A}:role/r`)
        .decision,
    ).toBe("allow");
  });
});

describe("permissions boundary", () => {
  const admin: PolicyStatement[] = [{ Effect: "Allow", Action: "*", Resource: "*" }];
  it("identity permissions are the intersection with the boundary; a missing boundary policy fails closed", () => {
    const boundary = { Version: "2012-10-17", Statement: [{ Effect: "Allow" as const, Action: "s3:GetObject", Resource: "*" }] };
    expect(decide(admin, "s3:GetObject", OBJECT, {}, { permissionsBoundary: boundary }).decision).toBe("allow");
    const r = decide(admin, "s3:PutObject", OBJECT, {}, { permissionsBoundary: boundary });
    expect(r).toMatchObject({ decision: "implicitDeny", reason: "because no permissions boundary allows the s3:PutObject action" });
    expect(decide(admin, "s3:GetObject", OBJECT, {}, { permissionsBoundary: "missing" }).failedClosed).toMatch(
      /permissions boundary policy does not exist/,
    );
  });

  it("a resource policy's Deny with NotPrincipal denies a principal with a boundary even when it lists it", () => {
    const bucketPolicy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny" as const, NotPrincipal: { AWS: session.roleArn! }, Action: "s3:*", Resource: "*" }],
    };
    const boundary = { Version: "2012-10-17", Statement: [{ Effect: "Allow" as const, Action: "s3:*", Resource: "*" }] };
    expect(decide(admin, "s3:GetObject", OBJECT, {}, { resourcePolicy: bucketPolicy, resourceAccount: A }).decision).toBe("allow");
    expect(
      decide(admin, "s3:GetObject", OBJECT, {}, { resourcePolicy: bucketPolicy, resourceAccount: A, permissionsBoundary: boundary })
        .decision,
    ).toBe("deny");
  });
});
