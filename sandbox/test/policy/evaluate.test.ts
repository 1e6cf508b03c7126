import { describe, expect, it } from "vitest";
import { evaluatePolicies, type EvaluationRequest } from "../../policy/evaluate";
import { matchAwsPrincipal, matchPrincipalBlock } from "../../policy/principal";
import type { PolicyDocument, PolicyStatement, Principal } from "../../policy/types";
import { parsePolicyDocument } from "../../policy/validate";

const user: Principal = { type: "user", arn: "arn:aws:iam::000000000000:user/portal", account: "000000000000", userId: "AIDA" };
const session: Principal = {
  type: "assumed-role",
  arn: "arn:aws:sts::111111111111:assumed-role/Pipe/s1",
  account: "111111111111",
  roleArn: "arn:aws:iam::111111111111:role/service/Pipe",
  sessionName: "s1",
  userId: "AROA:s1",
};
const svc: Principal = {
  type: "service",
  arn: "codepipeline.amazonaws.com",
  service: "codepipeline.amazonaws.com",
  userId: "codepipeline.amazonaws.com",
};

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const allow = (extra: Partial<PolicyStatement> = {}): PolicyStatement => ({
  Effect: "Allow",
  Action: "s3:GetObject",
  Resource: "*",
  ...extra,
});

function evalId(st: PolicyStatement | PolicyStatement[], over: Partial<EvaluationRequest> = {}) {
  return evaluatePolicies({
    identityPolicies: [doc(...[st].flat())],
    principal: session,
    action: "s3:GetObject",
    resource: "arn:aws:s3:::bucket/key",
    resourceAccount: "111111111111",
    context: {},
    ...over,
  }).decision;
}
/** sts:AssumeRole: the reference lists sts:ExternalId, aws:TagKeys… for it (a condition key must exist for the action). */
const cond = (c: PolicyStatement["Condition"], context: Record<string, string | string[] | undefined>) =>
  evalId(
    { Effect: "Allow", Action: "sts:AssumeRole", Resource: "*", Condition: c },
    { context, action: "sts:AssumeRole", resource: "arn:aws:iam::111111111111:role/Target" },
  );

describe("conditions", () => {
  const cases: [
    string,
    Record<string, unknown>,
    Record<string, string | string[] | undefined>,
    Record<string, string | string[] | undefined>,
  ][] = [
    ["StringEquals", { "sts:ExternalId": "abc" }, { "sts:ExternalId": "abc" }, { "sts:ExternalId": "abd" }],
    ["StringNotEquals", { "sts:ExternalId": "abc" }, { "sts:ExternalId": "zzz" }, { "sts:ExternalId": "abc" }],
    ["StringEqualsIgnoreCase", { "sts:ExternalId": "ABC" }, { "sts:ExternalId": "abc" }, { "sts:ExternalId": "abd" }],
    ["StringLike", { "aws:userid": "AROA*:s?" }, { "aws:userid": "AROAX:s1" }, { "aws:userid": "AIDA:s1" }],
    ["StringNotLike", { "aws:userid": "AROA*" }, { "aws:userid": "AIDA1" }, { "aws:userid": "AROA1" }],
    [
      "ArnEquals",
      { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/*" },
      { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/x" },
      { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/x" },
    ],
    [
      "ArnLike",
      { "aws:SourceArn": "arn:aws:codepipeline:*:111111111111:*" },
      { "aws:SourceArn": "arn:aws:codepipeline:us-east-1:111111111111:p" },
      { "aws:SourceArn": "arn:aws:codepipeline:us-east-1:222222222222:p" },
    ],
    [
      "ArnNotEquals",
      { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/a" },
      { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/b" },
      { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/a" },
    ],
    [
      "ArnNotLike",
      { "aws:PrincipalArn": "arn:aws:iam::*:role/a*" },
      { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/b" },
      { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/abc" },
    ],
    ["Bool", { "aws:SecureTransport": "true" }, { "aws:SecureTransport": "true" }, { "aws:SecureTransport": "false" }],
    ["Null", { "sts:ExternalId": "true" }, {}, { "sts:ExternalId": "x" }],
    ["NumericLessThan", { "aws:EpochTime": "100" }, { "aws:EpochTime": "99" }, { "aws:EpochTime": "100" }],
    [
      "DateGreaterThan",
      { "aws:CurrentTime": "2020-01-01T00:00:00Z" },
      { "aws:CurrentTime": "2021-01-01T00:00:00Z" },
      { "aws:CurrentTime": "2019-01-01T00:00:00Z" },
    ],
  ];
  for (const [op, block, yes, no] of cases) {
    it(`${op} allows and denies`, () => {
      expect(cond({ [op]: block }, yes)).toBe("allow");
      expect(cond({ [op]: block }, no)).toBe("implicitDeny");
    });
  }

  it("Null false requires the key", () => {
    expect(cond({ Null: { "sts:ExternalId": "false" } }, { "sts:ExternalId": "x" })).toBe("allow");
    expect(cond({ Null: { "sts:ExternalId": "false" } }, {})).toBe("implicitDeny");
  });
  it("absent key: plain operator fails, IfExists holds, negated operator holds", () => {
    expect(cond({ StringEquals: { "sts:ExternalId": "a" } }, {})).toBe("implicitDeny");
    expect(cond({ StringEqualsIfExists: { "sts:ExternalId": "a" } }, {})).toBe("allow");
    expect(cond({ StringEqualsIfExists: { "sts:ExternalId": "a" } }, { "sts:ExternalId": "b" })).toBe("implicitDeny");
    expect(cond({ StringNotEquals: { "sts:ExternalId": "a" } }, {})).toBe("allow");
  });
  it("multiple values in a condition are ORed; multiple keys are ANDed", () => {
    expect(cond({ StringEquals: { "sts:ExternalId": ["a", "b"] } }, { "sts:ExternalId": "b" })).toBe("allow");
    expect(
      cond(
        { StringEquals: { "sts:ExternalId": "a", "aws:PrincipalAccount": "1" } },
        { "sts:ExternalId": "a", "aws:PrincipalAccount": "2" },
      ),
    ).toBe("implicitDeny");
  });
  it("ForAnyValue / ForAllValues", () => {
    const any = { "ForAnyValue:StringEquals": { "aws:TagKeys": ["team", "env"] } };
    expect(cond(any, { "aws:TagKeys": ["x", "env"] })).toBe("allow");
    expect(cond(any, { "aws:TagKeys": ["x"] })).toBe("implicitDeny");
    expect(cond(any, {})).toBe("implicitDeny");
    const all = { "ForAllValues:StringLike": { "aws:TagKeys": ["team", "env*"] } };
    expect(cond(all, { "aws:TagKeys": ["team", "env-x"] })).toBe("allow");
    expect(cond(all, { "aws:TagKeys": ["team", "other"] })).toBe("implicitDeny");
    expect(cond(all, {})).toBe("allow");
  });
  it("condition keys are case-insensitive", () => {
    expect(cond({ StringEquals: { "STS:externalid": "a" } }, { "sts:ExternalId": "a" })).toBe("allow");
  });
  it("unknown operator fails closed, even in an Allow", () => {
    const r = evaluatePolicies({
      identityPolicies: [doc(allow({ Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }))],
      principal: session,
      action: "s3:GetObject",
      resource: "arn:aws:s3:::b/k",
      context: {},
    });
    expect(r.decision).toBe("deny");
    expect(r.failedClosed).toMatch(/unsupported condition operator IpAddress/);
  });
  it("unknown condition key fails closed", () => {
    expect(cond({ StringEquals: { "aws:SomethingNew": "x" } }, {})).toBe("deny");
  });
});

describe("statements", () => {
  it("explicit deny wins over allow", () => {
    expect(evalId([allow(), { Effect: "Deny", Action: "s3:*", Resource: "*" }])).toBe("deny");
  });
  it("action wildcards are case-insensitive; resource wildcards match", () => {
    expect(evalId(allow({ Action: "S3:get*", Resource: "arn:aws:s3:::bucket/*" }))).toBe("allow");
    expect(evalId(allow({ Action: "s3:Put*" }))).toBe("implicitDeny");
    expect(evalId(allow({ Resource: "arn:aws:s3:::other/*" }))).toBe("implicitDeny");
    expect(evalId(allow({ Action: "s3:GetObjec?" }))).toBe("allow");
  });
  it("NotAction and NotResource", () => {
    expect(evalId({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })).toBe("allow");
    expect(evalId({ Effect: "Allow", NotAction: "s3:*", Resource: "*" })).toBe("implicitDeny");
    expect(evalId({ Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::bucket/*" })).toBe("implicitDeny");
    expect(evalId({ Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::other" })).toBe("allow");
    expect(evalId([allow(), { Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }])).toBe("allow");
  });
  it("cross-account needs both identity and resource policy", () => {
    const req = { principal: session, action: "kms:Decrypt", resource: "arn:aws:kms:us-east-1:222222222222:key/k", context: {} };
    const id = doc({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" });
    const rp = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" });
    expect(evaluatePolicies({ ...req, identityPolicies: [id] }).decision).toBe("implicitDeny");
    expect(evaluatePolicies({ ...req, identityPolicies: [], resourcePolicy: rp }).decision).toBe("implicitDeny");
    expect(evaluatePolicies({ ...req, identityPolicies: [id], resourcePolicy: rp }).decision).toBe("allow");
    const denyRp = doc({ Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*" });
    expect(evaluatePolicies({ ...req, identityPolicies: [id], resourcePolicy: denyRp }).decision).toBe("deny");
  });
  it("same account: either identity or resource policy suffices", () => {
    const rp = doc({
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111111111111:role/service/Pipe" },
      Action: "s3:GetObject",
      Resource: "*",
    });
    expect(
      evaluatePolicies({
        identityPolicies: [],
        resourcePolicy: rp,
        principal: session,
        action: "s3:GetObject",
        resource: "arn:aws:s3:::b/k",
        resourceAccount: "111111111111",
        context: {},
      }).decision,
    ).toBe("allow");
  });
  it("reasons use AWS wording", () => {
    const r = evaluatePolicies({
      identityPolicies: [],
      principal: session,
      action: "iam:GetRole",
      resource: "arn:aws:iam::111111111111:role/x",
      context: {},
    });
    expect(r.reason).toBe("because no identity-based policy allows the iam:GetRole action");
  });
});

describe("principals", () => {
  it("root ARN and bare account id match any principal of that account", () => {
    expect(matchAwsPrincipal("arn:aws:iam::111111111111:root", session)).toBe(true);
    expect(matchAwsPrincipal("111111111111", session)).toBe(true);
    expect(matchAwsPrincipal("222222222222", session)).toBe(false);
    expect(matchAwsPrincipal("arn:aws:iam::000000000000:root", user)).toBe(true);
  });
  it("a role ARN matches sessions of that role only", () => {
    expect(matchAwsPrincipal("arn:aws:iam::111111111111:role/service/Pipe", session)).toBe(true);
    expect(matchAwsPrincipal("arn:aws:iam::111111111111:role/Other", session)).toBe(false);
    expect(matchAwsPrincipal("arn:aws:iam::111111111111:role/service/Pipe", user)).toBe(false);
    expect(matchAwsPrincipal("arn:aws:sts::111111111111:assumed-role/Pipe/s1", session)).toBe(true);
    expect(matchAwsPrincipal("arn:aws:sts::111111111111:assumed-role/Pipe/s2", session)).toBe(false);
  });
  it("user ARN, wildcard and service principals", () => {
    expect(matchAwsPrincipal("arn:aws:iam::000000000000:user/portal", user)).toBe(true);
    expect(matchPrincipalBlock("*", svc)).toBe(true);
    expect(matchPrincipalBlock({ AWS: "*" }, user)).toBe(true);
    expect(matchPrincipalBlock({ AWS: "*" }, svc)).toBe(false);
    expect(matchPrincipalBlock({ Service: "codepipeline.amazonaws.com" }, svc)).toBe(true);
    expect(matchPrincipalBlock({ Service: ["codebuild.amazonaws.com"] }, svc)).toBe(false);
    expect(matchPrincipalBlock({ Service: "codepipeline.amazonaws.com" }, user)).toBe(false);
  });
  it("NotPrincipal in a resource policy", () => {
    const rp = doc({ Effect: "Deny", NotPrincipal: { AWS: "arn:aws:iam::111111111111:role/service/Pipe" }, Action: "s3:*", Resource: "*" });
    const base = {
      identityPolicies: [doc(allow())],
      resourcePolicy: rp,
      action: "s3:GetObject",
      resource: "arn:aws:s3:::b/k",
      resourceAccount: "111111111111",
      context: {},
    };
    expect(evaluatePolicies({ ...base, principal: session }).decision).toBe("allow");
    expect(
      evaluatePolicies({
        ...base,
        principal: { ...session, roleArn: "arn:aws:iam::111111111111:role/X", arn: "arn:aws:sts::111111111111:assumed-role/X/s" },
      }).decision,
    ).toBe("deny");
  });
});

describe("write-time validation", () => {
  it("rejects malformed documents", () => {
    expect(() => parsePolicyDocument("{nope", "identity")).toThrow(/invalid Json/);
    expect(() => parsePolicyDocument(JSON.stringify(doc({ Effect: "Allow", Action: "s3:*" } as PolicyStatement)), "identity")).toThrow(
      /resources/,
    );
    expect(() => parsePolicyDocument(JSON.stringify(doc({ Effect: "Allow", Action: "sts:AssumeRole" })), "trust")).toThrow(/Principal/);
    expect(() => parsePolicyDocument(JSON.stringify(doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject" })), "trust")).toThrow(
      /AssumeRole/,
    );
    expect(() => parsePolicyDocument(JSON.stringify(doc(allow({ Condition: { StringEqualz: { a: "b" } } }))), "identity")).toThrow(
      /Invalid Condition type/,
    );
    expect(parsePolicyDocument(JSON.stringify(doc(allow())), "identity").Statement).toHaveLength(1);
  });
});
