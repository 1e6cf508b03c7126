// The portal tags a resource only in the request that creates it (issue 17, item 4): a confirmed adoption of a
// resource an administrator did not mark portal:managed-by fails without tagging it, and a key is changed only when
// its key policy names the provisioning role (no IAM grant changes a key).
import { beforeAll, describe, expect, it } from "vitest";
import { CreateRoleCommand, GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
} from "@aws-sdk/client-kms";
import { demoRoleArn } from "@/lib/demo/sandbox-world";
import { provisioningRoleKeyAdministration } from "@/lib/resources/provisioning-role";
import { applyRun, namesOf, onboard } from "../support/provision";
import { createRepository, freshAccountId, registerAccount, rootClient, testUser } from "../support/world";

const REPO = "222222222222";
let engineer: Awaited<ReturnType<typeof testUser>>;
let repoDbId: string;
let seq = 0;

beforeAll(async () => {
  engineer = await testUser("engineer");
  repoDbId = (await registerAccount(REPO, "repo", "Demo repo")).id;
});

async function onboarding() {
  const toolsId = freshAccountId(6);
  const tools = await registerAccount(toolsId, "tools");
  const repositoryName = `adopt-${Date.now().toString(36)}-${++seq}`;
  await createRepository(REPO, repositoryName);
  const o = await onboard(engineer, {
    toolsDbId: tools.id,
    repoDbId,
    repositoryName,
    pipelineName: `${repositoryName}-main`,
    approval: false,
  });
  return { o, toolsId, names: await namesOf(o.id) };
}

describe("adoption needs an administrator's mark", () => {
  it("an unmarked role under /portal/ is not tagged, even with the person's confirmation", async () => {
    const { o, toolsId, names } = await onboarding();
    const iam = rootClient(IAMClient, toolsId);
    const role = names.roles.startOnPush;
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    await iam.send(new CreateRoleCommand({ RoleName: role.name, Path: role.path, AssumeRolePolicyDocument: trust }));
    const r = await applyRun(engineer, o.id, { confirmedAdoptions: ["tools.start-on-push-role"] });
    expect(r.failures).toEqual([expect.objectContaining({ stepKey: "tools.start-on-push-role", code: "AdoptionNeedsManagedByTag" })]);
    expect((await iam.send(new GetRoleCommand({ RoleName: role.name }))).Role?.Tags ?? []).toEqual([]);
  });

  it("a marked key whose policy does not name the provisioning role fails, writing nothing; with the statement added it is adopted", async () => {
    const { o, toolsId, names } = await onboarding();
    const kms = rootClient(KMSClient, toolsId);
    // An administrator's key holding the portal's alias, marked portal:managed-by, with the default key policy.
    const key = (
      await kms.send(
        new CreateKeyCommand({ Description: "made by hand", Tags: [{ TagKey: "portal:managed-by", TagValue: "crossline-portal" }] }),
      )
    ).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: names.artifactStore.kmsAlias, TargetKeyId: key.KeyId! }));
    const r = await applyRun(engineer, o.id, { confirmedAdoptions: ["tools.kms-key"] });
    expect(r.failures).toEqual([expect.objectContaining({ stepKey: "tools.kms-key", code: "KeyPolicyDoesNotNameProvisioningRole" })]);
    expect(r.failures[0].message).toContain("PortalProvisioningRoleAdministers");
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: key.Arn! }))).Tags).toEqual([
      { TagKey: "portal:managed-by", TagValue: "crossline-portal" },
    ]);

    // The administrator adds the statement: the adoption goes through.
    const current = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: "default" }))).Policy!);
    current.Statement.push(provisioningRoleKeyAdministration(demoRoleArn(toolsId)));
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: "default", Policy: JSON.stringify(current) }));
    const again = await applyRun(engineer, o.id, { confirmedAdoptions: ["tools.kms-key"] });
    expect({ outcome: again.outcome, failures: again.failures }).toEqual({ outcome: "succeeded", failures: [] });
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: key.Arn! }))).Tags?.map((t) => t.TagKey).sort()).toEqual([
      "portal:artifact-store",
      "portal:managed-by",
    ]);
  });
});
