import { describe, expect, it } from "vitest";
import { emptyWorld } from "../state";
import { iamState } from "../services/iam-model";
import { bareUniqueId, principalIdsOf, storedPolicyText } from "../services/principal-ids";

const A = "111111111111";
const ARN = `arn:aws:iam::${A}:role/portal/Reader`;
function worldWithRole(roleId: string) {
  const world = emptyWorld();
  iamState(world, A).roles.reader = {
    roleName: "Reader",
    roleId,
    path: "/portal/",
    arn: ARN,
    createdAt: 0,
    maxSessionDuration: 3600,
    trustPolicy: "{}",
    tags: [],
    inlinePolicies: {},
    attachedPolicyArns: [],
  };
  return world;
}
const TEXT = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["${ARN}","arn:aws:iam::${A}:root"]},"Action":"s3:GetObject","Resource":"*"}]}`;

describe("principal ids", () => {
  it("records role ARNs only, and keeps the text as written while the role exists", () => {
    const world = worldWithRole("AROAAAAAAAAAAAAAAAAAA");
    const ids = principalIdsOf(world, JSON.parse(TEXT));
    expect(ids).toEqual({ [ARN]: "AROAAAAAAAAAAAAAAAAAA" });
    expect(storedPolicyText(world, TEXT, ids)).toBe(TEXT);
  });

  it("shows the unique id once the role is gone or recreated with another id", () => {
    const ids = { [ARN]: "AROAAAAAAAAAAAAAAAAAA" };
    const expected = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["AROAAAAAAAAAAAAAAAAAA","arn:aws:iam::${A}:root"]},"Action":"s3:GetObject","Resource":"*"}]}`;
    expect(storedPolicyText(emptyWorld(), TEXT, ids)).toBe(expected);
    expect(storedPolicyText(worldWithRole("AROABBBBBBBBBBBBBBBBB"), TEXT, ids)).toBe(expected);
  });

  it("finds bare unique ids in Principal and NotPrincipal, not account ids, ARNs or services", () => {
    expect(bareUniqueId(JSON.parse(TEXT))).toBeUndefined();
    expect(
      bareUniqueId({ Statement: [{ Effect: "Deny", NotPrincipal: { AWS: "AIDAJQABLZS4A3QDU576Q" }, Action: "*", Resource: "*" }] }),
    ).toBe("AIDAJQABLZS4A3QDU576Q");
    expect(
      bareUniqueId({
        Statement: { Effect: "Allow", Principal: { AWS: ["123456789012", "AROAKSCDLFT9R5DQP782U"] }, Action: "*", Resource: "*" },
      }),
    ).toBe("AROAKSCDLFT9R5DQP782U");
    expect(
      bareUniqueId({ Statement: [{ Effect: "Allow", Principal: { Service: "codepipeline.amazonaws.com" }, Action: "*", Resource: "*" }] }),
    ).toBeUndefined();
  });
});
