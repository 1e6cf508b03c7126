// Whoever holds the portal's identity acts through an account's provisioning role. These tests try, against the
// sandbox, what such an attacker would: an unbounded admin role, taking over roles, keys and rules the portal did
// not create. Each attempt is refused; the reads the portal needs to tell "missing" from "present" still work.
import { beforeAll, describe, expect, it } from "vitest";
import { CreateRoleCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient, PutKeyPolicyCommand, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { DescribeRuleCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { accountClients, type AccountClients } from "@/lib/aws/clients";
import { ensureSandboxProvisioningRole, demoRoleArn } from "@/lib/demo/sandbox-world";
import { endpoint, freshAccountId, rootClient } from "../support/world";
import { awsRefusal } from "../support/refusal";

const ADMIN_POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
const trustAnyone = (account: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }],
  });

let tools: string;
let as: AccountClients;

beforeAll(async () => {
  tools = freshAccountId(8);
  await ensureSandboxProvisioningRole({ endpoint: endpoint(), accountId: tools, purpose: "both", externalId: `ext-${tools}` });
  as = accountClients({ roleArn: demoRoleArn(tools), externalId: `ext-${tools}`, actorEmail: "mallory@example.com", region: "us-east-1" });
});

describe("the provisioning role, held by an attacker", () => {
  it("cannot create a role without the permissions boundary, even under /portal/", async () => {
    const create = as.iam.send(
      new CreateRoleCommand({ RoleName: "escalate", Path: "/portal/", AssumeRolePolicyDocument: trustAnyone("999999999999") }),
    );
    expect(await awsRefusal(create)).toMatch(/AccessDenied/);
  });

  it("cannot give an existing role without the boundary an admin policy or a new trust", async () => {
    const root = rootClient(IAMClient, tools);
    await root.send(
      new CreateRoleCommand({ RoleName: "legacy-pipeline-role", Path: "/portal/", AssumeRolePolicyDocument: trustAnyone(tools) }),
    );
    expect(
      await awsRefusal(
        as.iam.send(new PutRolePolicyCommand({ RoleName: "legacy-pipeline-role", PolicyName: "admin", PolicyDocument: ADMIN_POLICY })),
      ),
    ).toMatch(/AccessDenied/);
    expect(
      await awsRefusal(
        as.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "legacy-pipeline-role", PolicyDocument: trustAnyone("999999999999") })),
      ),
    ).toMatch(/AccessDenied/);
    // The portal may still read it: "exists" stays distinguishable from "missing".
    expect((await as.iam.send(new GetRoleCommand({ RoleName: "legacy-pipeline-role" }))).Role?.RoleName).toBe("legacy-pipeline-role");
  });

  it("cannot rewrite the key policy of, or schedule the deletion of, a key the portal did not tag", async () => {
    const root = rootClient(KMSClient, tools);
    const key = (await root.send(new CreateKeyCommand({ Description: "team database key" }))).KeyMetadata!;
    const lockout = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: demoRoleArn(tools) }, Action: "kms:*", Resource: "*" }],
    });
    expect(await awsRefusal(as.kms.send(new PutKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: "default", Policy: lockout })))).toMatch(
      /AccessDenied/,
    );
    expect(await awsRefusal(as.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.Arn!, PendingWindowInDays: 7 })))).toMatch(
      /AccessDenied/,
    );
    expect((await as.kms.send(new DescribeKeyCommand({ KeyId: key.Arn! }))).KeyMetadata?.KeyState).toBe("Enabled");
  });

  it("cannot rewrite or retarget an EventBridge rule the portal did not tag", async () => {
    const root = rootClient(EventBridgeClient, tools);
    const pattern = JSON.stringify({ source: ["aws.codecommit"] });
    await root.send(new PutRuleCommand({ Name: "team-alerts", EventPattern: pattern, State: "ENABLED" }));
    expect(
      await awsRefusal(as.eventbridge.send(new PutRuleCommand({ Name: "team-alerts", EventPattern: pattern, State: "DISABLED" }))),
    ).toMatch(/AccessDenied/);
    const target = { Id: "x", Arn: `arn:aws:events:us-east-1:999999999999:event-bus/default` };
    expect(await awsRefusal(as.eventbridge.send(new PutTargetsCommand({ Rule: "team-alerts", Targets: [target] })))).toMatch(
      /AccessDenied/,
    );
    expect((await as.eventbridge.send(new DescribeRuleCommand({ Name: "team-alerts" }))).State).toBe("ENABLED");
  });
});
