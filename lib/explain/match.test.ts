import { describe, expect, it } from "vitest";
import { plainDocument, policyDocument } from "@/lib/provisioning/plan-item";
import type { PolicyDocument } from "@/lib/policies/types";
import { commitTime, explainFailure, explainPushGap, hasPushGap } from "./match";
import { statementChanges } from "./statements";
import type { FailureFacts, PushGapFacts, ResourceState } from "./types";

const TOOLS = "111111111111";
const REPO = "222222222222";
const KEY = `arn:aws:kms:us-east-1:${TOOLS}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const XACCT = `arn:aws:iam::${REPO}:role/portal/svc-main-xacct-source`;
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement }) as PolicyDocument;

const rootAdmin = {
  Sid: "EnableIamPolicies",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${TOOLS}:root` },
  Action: "kms:*",
  Resource: "*",
};
const repoUse = {
  Sid: "PortalRepoAccountsUse",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${REPO}:root` },
  Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
  Resource: "*",
  Condition: { ArnEquals: { "aws:PrincipalArn": [XACCT] } },
};

const keyPolicyState = (current: PolicyDocument, desired: PolicyDocument): ResourceState => ({
  stepKey: "tools.key-policy",
  title: "Key policy",
  account: "tools",
  accountId: TOOLS,
  kind: "kms-key-policy",
  name: "alias/codepipeline-artifacts",
  arn: KEY,
  action: "update",
  reason: "adds or updates this onboarding's statements; statements the portal did not write are kept",
  documents: [policyDocument("Key policy", current, desired)],
});

const facts = (over: Partial<FailureFacts> = {}): FailureFacts & { pipelineArn: string } => ({
  onboardingId: "onb1",
  accounts: { tools: { accountId: TOOLS, name: "Tools" }, repo: { accountId: REPO, name: "Repo" } },
  repository: { name: "svc", arn: `arn:aws:codecommit:us-east-1:${REPO}:svc`, branch: "main" },
  pipelineArn: `arn:aws:codepipeline:us-east-1:${TOOLS}:svc-main`,
  failure: {
    stageName: "Source",
    actionName: "Source",
    provider: "CodeCommit",
    message: `User: arn:aws:sts::${REPO}:assumed-role/svc-main-xacct-source/1 is not authorized to perform: kms:GenerateDataKey on resource: ${KEY} because no resource-based policy allows the kms:GenerateDataKey action`,
  },
  resources: [],
  branchExists: true,
  ...over,
});

describe("statementChanges", () => {
  it("reports the portal's statements missing or changed; foreign ones only for documents the portal owns", () => {
    const desired = doc(rootAdmin, repoUse);
    const foreign = { Sid: "Foreign", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" };
    expect(statementChanges(doc(rootAdmin, foreign), desired)).toEqual([
      {
        sid: "PortalRepoAccountsUse",
        change: "missing",
        effect: "Allow",
        principals: [XACCT],
        accounts: [REPO],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
      },
    ]);
    expect(statementChanges(doc(rootAdmin, { ...repoUse, Action: "kms:Decrypt" }, foreign), desired, true)).toEqual([
      {
        sid: "PortalRepoAccountsUse",
        change: "changed",
        effect: "Allow",
        principals: [XACCT],
        accounts: [REPO],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
      },
      {
        sid: "Foreign",
        change: "unexpected",
        effect: "Allow",
        principals: ["*"],
        accounts: [],
        actions: ["kms:Decrypt"],
        resources: ["*"],
      },
    ]);
    expect(statementChanges(desired, desired, true)).toEqual([]);
  });
});

describe("explainFailure", () => {
  it("a key policy without the repo accounts' statement: kms-grant-missing, in the tools account, on the key, with the diff as evidence", () => {
    const f = facts({ resources: [keyPolicyState(doc(rootAdmin), doc(rootAdmin, repoUse))] });
    const out = explainFailure(f);
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual({
      kind: "kms-grant-missing",
      title: "The artifact key's policy lost a grant",
      what: `The key policy of alias/codepipeline-artifacts in the tools account no longer holds what this pipeline needs: statement PortalRepoAccountsUse (Allow kms:Decrypt, kms:GenerateDataKey* on * for ${XACCT} (account ${REPO})) is missing.`,
      account: { side: "tools", accountId: TOOLS, name: "Tools" },
      resourceArn: KEY,
      evidence: [`Source / Source failed: ${f.failure.message}`, ...out[0].evidence.slice(1)],
      repair: { href: "/onboardings/onb1/plan", label: "Repair: review the plan and re-apply" },
    });
    expect(out[0].evidence.slice(1)).toEqual([
      "+     },",
      "+     {",
      '+       "Action": [',
      '+         "kms:Decrypt",',
      '+         "kms:GenerateDataKey*"',
      "+       ],",
      '+       "Condition": {',
      '+         "ArnEquals": {',
      '+           "aws:PrincipalArn": [',
      `+             "${XACCT}"`,
      "+           ]",
      "+         }",
      "+       },",
      '+       "Effect": "Allow",',
      '+       "Principal": {',
      '+         "AWS": [',
      `+           "arn:aws:iam::${REPO}:root"`,
      "+         ]",
      "+       },",
      '+       "Resource": [',
      '+         "*"',
      "+       ],",
      '+       "Sid": "PortalRepoAccountsUse"',
    ]);
  });

  it("the cross-account role: a changed trust and a deleted inline policy are two explanations in the repo account; the one AWS names comes first", () => {
    const trustWant = doc({
      Sid: "ToolsPipelineRoleAssume",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${TOOLS}:root` },
      Action: "sts:AssumeRole",
      Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${TOOLS}:role/portal/p` } },
    });
    const trustHave = doc({ Sid: "Mine", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${REPO}:root` }, Action: "sts:AssumeRole" });
    const role: ResourceState = {
      stepKey: "repo.cross-account-role",
      title: "Cross-account source role",
      account: "repo",
      accountId: REPO,
      kind: "iam-role",
      name: "/portal/svc-main-xacct-source",
      arn: XACCT,
      action: "update",
      reason: "trust policy differs, permission policy differs",
      documents: [
        policyDocument("Trust policy", trustHave, trustWant),
        policyDocument(
          "Inline policy xacct",
          null,
          doc({ Sid: "SourceRepository", Effect: "Allow", Action: "codecommit:GetBranch", Resource: "*" }),
        ),
        plainDocument("Permissions boundary", { a: 1 }, { a: 1 }, true),
      ],
    };
    const key = keyPolicyState(doc(rootAdmin), doc(rootAdmin, repoUse));
    const message = `User: arn:aws:sts::${TOOLS}:assumed-role/p/1 is not authorized to perform: sts:AssumeRole on resource: ${XACCT}`;
    const out = explainFailure(
      facts({ resources: [key, role], failure: { stageName: "Source", actionName: "Source", provider: "CodeCommit", message } }),
    );
    expect(out.map((e) => [e.kind, e.account.side, e.resourceArn])).toEqual([
      ["cross-account-trust-changed", "repo", XACCT],
      ["cross-account-policy-changed", "repo", XACCT],
      ["kms-grant-missing", "tools", KEY],
    ]);
    expect(out[0].what).toBe(
      `The trust policy of role /portal/svc-main-xacct-source in the repo account differs from what the portal wrote, so the pipeline's role in the tools account may no longer assume it: statement ToolsPipelineRoleAssume (Allow sts:AssumeRole for arn:aws:iam::${TOOLS}:role/portal/p (account ${TOOLS})) is missing; statement Mine (Allow sts:AssumeRole for account ${REPO}) was added by someone else.`,
    );
    expect(out[1].what).toBe(
      "The role /portal/svc-main-xacct-source in the repo account reads the repository and writes the source artifact; its permission policy xacct was deleted.",
    );
  });

  it("a deleted branch: branch-deleted in the repo account on the repository, no Repair", () => {
    const f = facts({
      branchExists: false,
      failure: {
        stageName: "Source",
        actionName: "Source",
        provider: "CodeCommit",
        message: "No branch named main was found in repository svc",
      },
    });
    expect(explainFailure(f)).toEqual([
      {
        kind: "branch-deleted",
        title: "The branch was deleted",
        what: `The branch main no longer exists in repository svc (repo account ${REPO}), so the Source action has no commit to read. Push the branch again, or edit the onboarding to follow another branch.`,
        account: { side: "repo", accountId: REPO, name: "Repo" },
        resourceArn: `arn:aws:codecommit:us-east-1:${REPO}:svc`,
        evidence: ["Source / Source failed: No branch named main was found in repository svc"],
        repair: null,
      },
    ]);
  });

  it("a build whose command failed: build-command-failed on the build, no Repair; drift of Source-side resources is not blamed", () => {
    const message =
      "Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR, Message: Error while executing command: npm test. Reason: exit status 1";
    const buildArn = `arn:aws:codebuild:us-east-1:${TOOLS}:build/svc-build:0f1e`;
    const xacct: ResourceState = {
      stepKey: "repo.cross-account-role",
      title: "Cross-account source role",
      account: "repo",
      accountId: REPO,
      kind: "iam-role",
      name: "x",
      arn: XACCT,
      action: "create",
      reason: "does not exist",
      documents: [],
    };
    const out = explainFailure(
      facts({
        resources: [xacct],
        failure: {
          stageName: "Build",
          actionName: "Build",
          provider: "CodeBuild",
          message,
          buildArn,
          buildPhase: {
            phase: "BUILD",
            code: "COMMAND_EXECUTION_ERROR",
            message: "Error while executing command: npm test. Reason: exit status 1",
          },
        },
      }),
    );
    expect(out).toEqual([
      {
        kind: "build-command-failed",
        title: "A build command failed",
        what: "A command of the build failed in phase BUILD: Error while executing command: npm test. Reason: exit status 1. This comes from the repository's code or buildspec, not from the pipeline's setup: the log below shows the command's output.",
        account: { side: "tools", accountId: TOOLS, name: "Tools" },
        resourceArn: buildArn,
        evidence: [`Build / Build failed: ${message}`],
        repair: null,
      },
    ]);
  });

  it("nothing differs: unexplained, with AWS's message", () => {
    const same = keyPolicyState(doc(rootAdmin, repoUse), doc(rootAdmin, repoUse));
    const f = facts({ resources: [{ ...same, action: "no-change" }] });
    expect(explainFailure(f)).toEqual([
      {
        kind: "unexplained",
        title: "No setup problem found",
        what: "The portal read this pipeline's resources in both accounts and found them as it applied them, so AWS's message below is all there is to go on.",
        account: { side: "tools", accountId: TOOLS, name: "Tools" },
        resourceArn: `arn:aws:codepipeline:us-east-1:${TOOLS}:svc-main`,
        evidence: [`Source / Source failed: ${f.failure.message}`],
        repair: null,
      },
    ]);
  });
});

describe("pushes not reaching the pipeline", () => {
  const tip = { commitId: "a".repeat(40), date: "1767225600 +0000" }; // 2026-01-01T00:00:00Z
  const latest = { executionId: "e1", commitId: "b".repeat(40), startTime: "2025-12-31T23:59:00.000Z" };

  it("commitTime reads git's and ISO dates", () => {
    expect(commitTime("1767225600 +0000")).toBe(Date.UTC(2026, 0, 1));
    expect(commitTime("2026-01-01T00:00:00Z")).toBe(Date.UTC(2026, 0, 1));
    expect(commitTime("yesterday")).toBeUndefined();
  });

  it("a gap: the newest commit differs from the newest execution's and is not older than its start", () => {
    expect(hasPushGap({ tip, latest })).toBe(true);
    expect(hasPushGap({ tip, latest: { ...latest, commitId: tip.commitId } })).toBe(false);
    expect(hasPushGap({ tip, latest: { ...latest, startTime: "2026-01-01T00:00:01.000Z" } })).toBe(false); // a start at an older commit
    expect(hasPushGap({ tip, latest: { ...latest, startTime: "2026-01-01T00:00:00.900Z" } })).toBe(true); // the same second
    expect(hasPushGap({ tip, latest: null })).toBe(true);
    expect(hasPushGap({ tip: null, latest })).toBe(false);
  });

  it("a disabled start rule: one explanation in the tools account on the rule; an intact chain explains nothing", () => {
    const rule = `arn:aws:events:us-east-1:${TOOLS}:rule/svc-main-start`;
    const pattern = { source: ["aws.codecommit"] };
    const target = {
      Id: "pipeline",
      Arn: `arn:aws:codepipeline:us-east-1:${TOOLS}:svc-main`,
      RoleArn: `arn:aws:iam::${TOOLS}:role/portal/start`,
    };
    const ruleState = (state: string): ResourceState => ({
      stepKey: "tools.start-on-push-rule",
      title: "Pipeline start rule",
      account: "tools",
      accountId: TOOLS,
      kind: "eventbridge-rule",
      name: "svc-main-start",
      arn: rule,
      action: state === "ENABLED" ? "no-change" : "update",
      reason: "pattern, state or target differs",
      documents: [
        plainDocument(
          "Rule and target",
          { EventPattern: pattern, State: state, Targets: [target] },
          { EventPattern: pattern, State: "ENABLED", Targets: [target] },
          state === "ENABLED",
        ),
      ],
    });
    const f: PushGapFacts = {
      onboardingId: "onb1",
      accounts: { tools: { accountId: TOOLS, name: "Tools" }, repo: { accountId: REPO, name: "Repo" } },
      pipelineName: "svc-main",
      repository: { name: "svc", branch: "main" },
      tip,
      latest,
      resources: [ruleState("DISABLED")],
    };
    expect(explainPushGap(f)).toEqual([
      {
        kind: "pushes-not-reaching-pipeline",
        title: "Pushes are not reaching the pipeline",
        what: "Commit aaaaaaa on main did not start svc-main: the EventBridge rule svc-main-start is DISABLED (the portal set ENABLED).",
        account: { side: "tools", accountId: TOOLS, name: "Tools" },
        resourceArn: rule,
        evidence: [
          `Newest commit on main: ${tip.commitId} (2026-01-01T00:00:00.000Z)`,
          `Newest execution: e1 started 2025-12-31T23:59:00.000Z at commit ${latest.commitId}`,
          '-   "State": "DISABLED",',
          '+   "State": "ENABLED",',
        ],
        repair: { href: "/onboardings/onb1/plan", label: "Repair: review the plan and re-apply" },
      },
    ]);
    expect(explainPushGap({ ...f, resources: [ruleState("ENABLED")] })).toEqual([]);
    expect(explainPushGap({ ...f, latest: { ...latest, commitId: tip.commitId } })).toEqual([]);
  });
});
