import {
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemovePermissionCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-eventbridge";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventBusPutPermissionInput,
  eventBusPolicyStatement,
  repoRuleInput,
  repoTargetsInput,
  toolsRuleInput,
  toolsTargetsInput,
} from "@/lib/policies";
import { provisioningPermissionPolicy } from "@/lib/resources/provisioning-role";
import { failure, root } from "./clients";
import {
  REPO,
  TOOLS,
  allClients,
  createRepoRoles,
  createRole,
  createToolsRoles,
  deliveries,
  names,
  spec,
  startWorld,
  until,
} from "./codepipeline-world";

let w: Awaited<ReturnType<typeof startWorld>>;
let tools: ReturnType<typeof allClients>;
let repo: ReturnType<typeof allClients>;
beforeAll(async () => {
  w = await startWorld();
  tools = allClients(w.h, root(TOOLS));
  repo = allClients(w.h, root(REPO));
});
afterAll(async () => {
  await w.close();
});

const pattern = JSON.stringify({ source: ["my.app"] });

describe("EventBridge bus policy", () => {
  it("DescribeEventBus shows no Policy until PutPermission; the statement is stored as AWS does", async () => {
    const before = await tools.events.send(new DescribeEventBusCommand({}));
    expect(before).toMatchObject({ Name: "default", Arn: names.events.toolsBusArn });
    expect(before.Policy).toBeUndefined();
    await tools.events.send(new PutPermissionCommand(eventBusPutPermissionInput(names)));
    await tools.events.send(new PutPermissionCommand(eventBusPutPermissionInput(names))); // upsert
    await tools.events.send(
      new PutPermissionCommand({ EventBusName: "default", Action: "events:PutEvents", Principal: "333333333333", StatementId: "other" }),
    );
    const after = await tools.events.send(new DescribeEventBusCommand({ Name: "default" }));
    const policy = JSON.parse(after.Policy!);
    expect(policy.Statement).toHaveLength(2);
    expect(policy.Statement[0]).toEqual(eventBusPolicyStatement(names));
    await tools.events.send(new RemovePermissionCommand({ StatementId: "other" }));
    expect(JSON.parse((await tools.events.send(new DescribeEventBusCommand({}))).Policy!).Statement).toEqual([
      eventBusPolicyStatement(names),
    ]);
  });

  it("errors: unknown statement, bad statement id, policy too long, unknown bus", async () => {
    expect((await failure(tools.events.send(new RemovePermissionCommand({ StatementId: "nope" })))).name).toBe("ResourceNotFoundException");
    expect((await failure(repo.events.send(new RemovePermissionCommand({ StatementId: "nope" })))).name).toBe("ResourceNotFoundException");
    expect(
      (
        await failure(
          tools.events.send(new PutPermissionCommand({ Action: "events:PutEvents", Principal: REPO, StatementId: "x".repeat(65) })),
        )
      ).name,
    ).toBe("ValidationException");
    expect(
      (await failure(tools.events.send(new PutPermissionCommand({ Action: "events:PutEvents", Principal: "nobody", StatementId: "s" }))))
        .name,
    ).toBe("ValidationException");
    expect((await failure(tools.events.send(new DescribeEventBusCommand({ Name: "custom" })))).name).toBe("ResourceNotFoundException");
    const big = {
      Version: "2012-10-17",
      Statement: Array.from({ length: 60 }, (_, i) => ({
        Sid: `s${i}`,
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${String(i).padStart(12, "4")}:root` },
        Action: "events:PutEvents",
        Resource: names.events.toolsBusArn,
      })),
    };
    expect((await failure(tools.events.send(new PutPermissionCommand({ Policy: JSON.stringify(big) })))).name).toBe(
      "PolicyLengthExceededException",
    );
    // A separate account: a full Policy replaces, RemoveAllPermissions clears.
    const other = allClients(w.h, root("444444444444"));
    await other.events.send(new PutPermissionCommand({ Policy: JSON.stringify({ ...big, Statement: big.Statement.slice(0, 2) }) }));
    expect(JSON.parse((await other.events.send(new DescribeEventBusCommand({}))).Policy!).Statement).toHaveLength(2);
    await other.events.send(new RemovePermissionCommand({ RemoveAllPermissions: true }));
    expect((await other.events.send(new DescribeEventBusCommand({}))).Policy).toBeUndefined();
  });
});

describe("EventBridge rules and targets", () => {
  it("PutRule upserts and returns the rule ARN; DescribeRule, ListRules, tags", async () => {
    const input = toolsRuleInput(spec, names);
    const r = await tools.events.send(new PutRuleCommand(input));
    expect(r.RuleArn).toBe(names.events.toolsRule.arn);
    await tools.events.send(new PutRuleCommand({ ...input, Description: "changed", Tags: [{ Key: "ignored", Value: "on update" }] }));
    const d = await tools.events.send(new DescribeRuleCommand({ Name: input.Name }));
    expect(d).toMatchObject({
      Name: input.Name,
      Arn: r.RuleArn,
      EventPattern: input.EventPattern,
      State: "ENABLED",
      Description: "changed",
      EventBusName: "default",
      CreatedBy: TOOLS,
    });
    await tools.events.send(new PutRuleCommand({ Name: "other-rule", EventPattern: pattern }));
    expect((await tools.events.send(new ListRulesCommand({ NamePrefix: "demo-" }))).Rules?.map((x) => x.Name)).toEqual([input.Name]);
    expect((await tools.events.send(new ListRulesCommand({}))).Rules?.map((x) => x.Name)).toEqual([input.Name, "other-rule"]);
    expect((await tools.events.send(new ListTagsForResourceCommand({ ResourceARN: r.RuleArn }))).Tags).toEqual(input.Tags);
    await tools.events.send(new TagResourceCommand({ ResourceARN: r.RuleArn, Tags: [{ Key: "team", Value: "a" }] }));
    await tools.events.send(new UntagResourceCommand({ ResourceARN: r.RuleArn, TagKeys: input.Tags.map((t) => t.Key) }));
    expect((await tools.events.send(new ListTagsForResourceCommand({ ResourceARN: r.RuleArn }))).Tags).toEqual([
      { Key: "team", Value: "a" },
    ]);
  });

  it("errors: bad pattern, missing rule, bad names, DeleteRule with targets", async () => {
    expect((await failure(tools.events.send(new PutRuleCommand({ Name: "bad", EventPattern: '{"source":"aws.codecommit"}' })))).name).toBe(
      "InvalidEventPatternException",
    );
    expect((await failure(tools.events.send(new PutRuleCommand({ Name: "bad" })))).name).toBe("ValidationException");
    expect((await failure(tools.events.send(new PutRuleCommand({ Name: "bad name!", EventPattern: pattern })))).name).toBe(
      "ValidationException",
    );
    expect((await failure(tools.events.send(new DescribeRuleCommand({ Name: "missing" })))).name).toBe("ResourceNotFoundException");
    expect((await failure(tools.events.send(new ListTargetsByRuleCommand({ Rule: "missing" })))).name).toBe("ResourceNotFoundException");
    expect(
      (await failure(tools.events.send(new PutTargetsCommand({ Rule: "missing", Targets: [{ Id: "a", Arn: names.pipeline.arn }] })))).name,
    ).toBe("ResourceNotFoundException");
    await tools.events.send(new DeleteRuleCommand({ Name: "never-existed" }));
    await tools.events.send(new PutRuleCommand({ Name: "with-target", EventPattern: pattern }));
    const put = await tools.events.send(
      new PutTargetsCommand({ Rule: "with-target", Targets: [{ Id: "log", Arn: "arn:aws:logs:us-east-1:111111111111:log-group:x" }] }),
    );
    expect(put.FailedEntryCount).toBe(0);
    const e = await failure(tools.events.send(new DeleteRuleCommand({ Name: "with-target" })));
    expect(e.name).toBe("ValidationException");
    expect(e.message).toBe("Rule can't be deleted since it has targets.");
    await tools.events.send(new RemoveTargetsCommand({ Rule: "with-target", Ids: ["log"] }));
    expect((await tools.events.send(new ListTargetsByRuleCommand({ Rule: "with-target" }))).Targets).toEqual([]);
    await tools.events.send(new DeleteRuleCommand({ Name: "with-target" }));
    expect((await failure(tools.events.send(new DescribeRuleCommand({ Name: "with-target" })))).name).toBe("ResourceNotFoundException");
    expect(
      (
        await failure(
          tools.events.send(
            new PutTargetsCommand({
              Rule: "other-rule",
              Targets: Array.from({ length: 6 }, (_, i) => ({ Id: `t${i}`, Arn: "arn:aws:sqs:us-east-1:111111111111:q" })),
            }),
          ),
        )
      ).name,
    ).toBe("LimitExceededException");
  });

  it("PutTargets reports cross-account and role problems in FailedEntries, not by throwing", async () => {
    await createRepoRoles(repo.iam, ["forwardPush"]);
    await repo.events.send(new PutRuleCommand(repoRuleInput(spec, names)));
    // No RoleArn: failed entry.
    const noRole = await repo.events.send(
      new PutTargetsCommand({ ...repoTargetsInput(names), Targets: [{ Id: "x", Arn: names.events.toolsBusArn }] }),
    );
    expect(noRole.FailedEntryCount).toBe(1);
    // Account 555555555555 has not been granted on the tools bus.
    const stranger = allClients(w.h, root("555555555555"));
    await stranger.events.send(new PutRuleCommand({ Name: "fwd", EventPattern: pattern }));
    const denied = await stranger.events.send(
      new PutTargetsCommand({ Rule: "fwd", Targets: [{ Id: "tools", Arn: names.events.toolsBusArn }] }),
    );
    expect(denied.FailedEntryCount).toBe(1);
    expect(denied.FailedEntries?.[0]).toMatchObject({ TargetId: "tools", ErrorCode: "AccessDeniedException" });
    expect((await stranger.events.send(new ListTargetsByRuleCommand({ Rule: "fwd" }))).Targets).toEqual([]);
    // The repo account is granted (first test) and its role is assumable by events: accepted.
    const ok = await repo.events.send(new PutTargetsCommand(repoTargetsInput(names)));
    expect(ok).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    expect((await repo.events.send(new ListTargetsByRuleCommand({ Rule: names.events.repoRule.name }))).Targets).toEqual(
      repoTargetsInput(names).Targets,
    );
    // A pipeline target needs a role events.amazonaws.com can assume: the CodeCommit cross-account role cannot.
    await tools.events.send(new PutRuleCommand(toolsRuleInput(spec, names)));
    await createToolsRoles(tools.iam, ["startOnPush"]);
    const wrongRole = await tools.events.send(
      new PutTargetsCommand({
        ...toolsTargetsInput(names),
        Targets: [{ Id: "p", Arn: names.pipeline.arn, RoleArn: `arn:aws:iam::${TOOLS}:role/nope` }],
      }),
    );
    expect(wrongRole.FailedEntries?.[0]).toMatchObject({ TargetId: "p", ErrorCode: "AccessDeniedException" });
    expect((await tools.events.send(new PutTargetsCommand(toolsTargetsInput(names)))).FailedEntryCount).toBe(0);
  });

  it("the portal's provisioning role may PutTargets only with iam:PassRole on the target role (thrown AccessDenied otherwise)", async () => {
    const prov = { name: "portal-provisioning", path: "/" };
    // The provisioning policy's PassRole grants, with PutTargets unconditioned (its tag condition is not what this test is about).
    const passRoles = provisioningPermissionPolicy({ accountId: TOOLS, purpose: "tools" }).Statement.filter(
      (s) => s.Action === "iam:PassRole",
    );
    await createRole(
      tools.iam,
      prov,
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${TOOLS}:root` }, Action: "sts:AssumeRole" }],
      },
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "events:PutTargets", Resource: `arn:aws:events:*:${TOOLS}:rule/*` }, ...passRoles],
      },
    );
    const { Credentials: c } = await tools.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${TOOLS}:role/portal-provisioning`, RoleSessionName: "tester" }),
    );
    const as = allClients(w.h, { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken });
    expect((await as.events.send(new PutTargetsCommand(toolsTargetsInput(names)))).FailedEntryCount).toBe(0);
    const e = await failure(
      as.events.send(
        new PutTargetsCommand({
          ...toolsTargetsInput(names),
          Targets: [{ Id: "p", Arn: names.pipeline.arn, RoleArn: names.roles.pipeline.arn }],
        }),
      ),
    );
    expect(e.name).toBe("AccessDeniedException");
    expect(e.message).toContain("iam:PassRole");
  });

  it("PutEvents: own bus accepted, aws.* sources refused", async () => {
    const r = await tools.events.send(
      new PutEventsCommand({
        Entries: [
          { Source: "my.app", DetailType: "x", Detail: "{}" },
          { Source: "aws.codecommit", DetailType: "x", Detail: "{}" },
          { Source: "my.app", DetailType: "x", Detail: "not json" },
        ],
      }),
    );
    expect(r.FailedEntryCount).toBe(2);
    expect(r.Entries?.map((e) => e.ErrorCode)).toEqual([undefined, "NotAuthorizedForSourceException", "MalformedDetail"]);
    const log = await until(
      () => deliveries(w.h),
      (l) => l.some((d) => d.source === "my.app"),
    );
    expect(log.find((d) => d.source === "my.app")).toMatchObject({ outcome: "dropped" });
  });

  it("mutating operations are marked mutating in the call log; reads are not", async () => {
    w.h.resetCallLog();
    await tools.events.send(new DescribeRuleCommand({ Name: "other-rule" }));
    await tools.events.send(new ListTargetsByRuleCommand({ Rule: "other-rule" }));
    await tools.events.send(new PutRuleCommand({ Name: "other-rule", EventPattern: pattern }));
    expect(w.h.callLog.map((c) => [c.action, c.mutating])).toEqual([
      ["DescribeRule", false],
      ["ListTargetsByRule", false],
      ["PutRule", true],
    ]);
  });
});
