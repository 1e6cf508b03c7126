/**
 * The AWS CLI commands a person would type to do by hand what the portal does, with the JSON files they
 * reference. Order follows the procedure in docs/aws-domain.md#the-cross-account-procedure (roles before the key/bucket policies that name them,
 * the bus permission before the repo-side target, the pipeline before its start-on-push target).
 */
import type { ResourceNames } from "@/lib/names/derive";
import { bucketPolicyFor, bucketSettingsInputs } from "./bucket-policy";
import { codeBuildProjectInput } from "./codebuild-project";
import { codeBuildRolePermissionPolicy, codeBuildRoleTrustPolicy } from "./codebuild-role";
import { crossAccountRolePermissionPolicy, crossAccountRoleTrustPolicy } from "./cross-account-role";
import { eventBusPutPermissionInput } from "./event-bus-policy";
import {
  forwardPushRolePermissionPolicy,
  forwardPushRoleTrustPolicy,
  pushEventPattern,
  repoRuleInput,
  repoTargetsInput,
  startOnPushRolePermissionPolicy,
  startOnPushRoleTrustPolicy,
  toolsRuleInput,
  toolsTargetsInput,
} from "./event-rules";
import { keyPolicyFor } from "./kms-key-policy";
import { createPipelineInput } from "./pipeline-declaration";
import { pipelineRolePermissionPolicy, pipelineRoleTrustPolicy } from "./pipeline-role";
import type { ArtifactStore, OnboardingSpec, PolicyDocument } from "./types";
import { portalTags } from "./common";
import { createTopicInput, type NotificationNames } from "./notifications";

export interface CliStep {
  account: "tools" | "repo";
  title: string;
  command: string;
  /** A file the command reads (`file://<name>`), to be saved next to where the command runs. */
  file?: { name: string; content: string };
}

export interface CliOptions {
  toolsProfile?: string;
  repoProfile?: string;
  /** Current policies, so the printed key/bucket policy keeps other onboardings' grants and foreign statements. */
  currentKeyPolicy?: PolicyDocument;
  currentBucketPolicy?: PolicyDocument;
  /** Service role of the existing CodeBuild project the onboarding uses (it gets the bucket and key grants). */
  existingBuildRoleArn?: string;
}

/**
 * POSIX shell quoting, the one helper every interpolated value of a printed command goes through: bare when it
 * holds only characters no shell treats specially, else single-quoted with each `'` written as `'\\''`.
 */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_\/:.,=@+%-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The notification topic's commands: create it (tagged), give it AWS's documented policy, subscribe each email. */
export function notificationTopicCli(
  spec: Pick<OnboardingSpec, "onboardingId">,
  n: NotificationNames,
  emails: readonly string[],
): string[] {
  const q = shellQuote;
  return [
    `aws sns create-topic --name ${q(n.topicName)} --tags ${createTopicInput(spec, n)
      .Tags.map((t) => q(`Key=${t.Key},Value=${t.Value}`))
      .join(" ")}`,
    `aws sns set-topic-attributes --topic-arn ${q(n.topicArn)} --attribute-name Policy --attribute-value file://notifications-topic-policy.json`,
    ...emails.map((e) => `aws sns subscribe --topic-arn ${q(n.topicArn)} --protocol email --notification-endpoint ${q(e)}`),
  ];
}

/** The notification rule's command (its input is the file the plan shows). */
export function notificationRuleCli(): string[] {
  return ["aws codestar-notifications create-notification-rule --cli-input-json file://notification-rule.json"];
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function cliCommands(spec: OnboardingSpec, names: ResourceNames, store: ArtifactStore, options: CliOptions = {}): CliStep[] {
  const profiles = { tools: options.toolsProfile ?? "tools", repo: options.repoProfile ?? "repo" };
  const region = names.region;
  const steps: CliStep[] = [];
  const q = shellQuote;
  const tagIam = portalTags(spec)
    .map(([k, v]) => `Key=${k},Value=${q(v)}`)
    .join(" ");
  const tagKms = portalTags(spec)
    .map(([k, v]) => `TagKey=${k},TagValue=${q(v)}`)
    .join(" ");
  const s3api = (...args: string[]) => ["s3api", ...args, "--expected-bucket-owner", q(names.toolsAccountId)];
  const add = (
    account: "tools" | "repo",
    title: string,
    args: string[],
    opts: { regional?: boolean; file?: { name: string; content: string } } = {},
  ) => {
    const parts = ["aws", ...args, "--profile", q(profiles[account])];
    if (opts.regional !== false) parts.push("--region", q(region));
    steps.push({ account, title, command: parts.join(" "), ...(opts.file ? { file: opts.file } : {}) });
  };
  const role = (
    account: "tools" | "repo",
    label: string,
    r: { name: string; path: string },
    trust: PolicyDocument,
    policyName: string,
    permissions: PolicyDocument,
    file: string,
  ) => {
    const boundary = names.permissionsBoundaryArn[account];
    add(
      account,
      `Create the ${label}`,
      [
        "iam",
        "create-role",
        "--role-name",
        q(r.name),
        "--path",
        q(r.path),
        "--assume-role-policy-document",
        `file://${file}-trust.json`,
        "--permissions-boundary",
        q(boundary),
        "--tags",
        tagIam,
      ],
      {
        regional: false,
        file: { name: `${file}-trust.json`, content: json(trust) },
      },
    );
    add(
      account,
      `Grant the ${label} its permissions`,
      [
        "iam",
        "put-role-policy",
        "--role-name",
        q(r.name),
        "--policy-name",
        q(policyName),
        "--policy-document",
        `file://${file}-policy.json`,
      ],
      {
        regional: false,
        file: { name: `${file}-policy.json`, content: json(permissions) },
      },
    );
  };

  const key = q(store.keyArn);
  const bucket = q(store.bucketName);
  const settings = bucketSettingsInputs(store, region);

  add("tools", "Create the artifact key (skip when it exists)", [
    "kms",
    "create-key",
    "--key-spec",
    "SYMMETRIC_DEFAULT",
    "--key-usage",
    "ENCRYPT_DECRYPT",
    "--description",
    q(`CodePipeline artifact key for ${region} (crossline portal)`),
    "--tags",
    tagKms,
  ]);
  add("tools", "Name the key", ["kms", "create-alias", "--alias-name", q(store.keyAlias), "--target-key-id", key]);
  add("tools", "Enable key rotation", ["kms", "enable-key-rotation", "--key-id", key]);

  // CreateBucket takes no ExpectedBucketOwner: a name owned elsewhere answers BucketAlreadyExists.
  const createBucket = ["s3api", "create-bucket", "--bucket", bucket, "--object-ownership", "BucketOwnerEnforced"];
  if (region !== "us-east-1") createBucket.push("--create-bucket-configuration", q(`LocationConstraint=${region}`));
  add("tools", "Create the artifact bucket (skip when it exists)", createBucket);
  add(
    "tools",
    "Tag the bucket",
    s3api(
      "put-bucket-tagging",
      "--bucket",
      bucket,
      "--tagging",
      q(
        `TagSet=[${portalTags(spec)
          .map(([k, v]) => `{Key=${k},Value=${v}}`)
          .join(",")}]`,
      ),
    ),
  );
  add(
    "tools",
    "Disable ACLs",
    s3api("put-bucket-ownership-controls", "--bucket", bucket, "--ownership-controls", q("Rules=[{ObjectOwnership=BucketOwnerEnforced}]")),
  );
  add(
    "tools",
    "Block all public access",
    s3api(
      "put-public-access-block",
      "--bucket",
      bucket,
      "--public-access-block-configuration",
      "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
    ),
  );
  add(
    "tools",
    "Encrypt with the key by default",
    s3api("put-bucket-encryption", "--bucket", bucket, "--server-side-encryption-configuration", "file://bucket-encryption.json"),
    {
      file: { name: "bucket-encryption.json", content: json(settings.encryption.ServerSideEncryptionConfiguration) },
    },
  );
  add("tools", "Turn on versioning", s3api("put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled"));

  role(
    "tools",
    "pipeline service role",
    names.roles.pipeline,
    pipelineRoleTrustPolicy(spec, names),
    names.policyNames.pipeline,
    pipelineRolePermissionPolicy(spec, names, store),
    "pipeline-role",
  );

  const project = codeBuildProjectInput(spec, names, store);
  if (project && names.roles.codeBuild) {
    role(
      "tools",
      "CodeBuild service role",
      names.roles.codeBuild,
      codeBuildRoleTrustPolicy(spec, names),
      names.policyNames.codeBuild,
      codeBuildRolePermissionPolicy(spec, names, store),
      "codebuild-role",
    );
    add("tools", "Create the build project", ["codebuild", "create-project", "--cli-input-json", "file://codebuild-project.json"], {
      file: { name: "codebuild-project.json", content: json(project) },
    });
  }

  role(
    "repo",
    "cross-account source role",
    names.roles.crossAccount,
    crossAccountRoleTrustPolicy(spec, names),
    names.policyNames.crossAccount,
    crossAccountRolePermissionPolicy(spec, names, store),
    "cross-account-role",
  );

  add(
    "tools",
    "Let the repo account's portal roles use the key",
    ["kms", "put-key-policy", "--key-id", key, "--policy-name", "default", "--policy", "file://key-policy.json"],
    {
      file: {
        name: "key-policy.json",
        content: json(keyPolicyFor(options.currentKeyPolicy, spec, names, store, options.existingBuildRoleArn)),
      },
    },
  );
  add(
    "tools",
    "Let only this pipeline's roles read and write its artifacts",
    s3api("put-bucket-policy", "--bucket", bucket, "--policy", "file://bucket-policy.json"),
    {
      file: {
        name: "bucket-policy.json",
        content: json(bucketPolicyFor(options.currentBucketPolicy, spec, names, store, options.existingBuildRoleArn)),
      },
    },
  );

  const perm = eventBusPutPermissionInput(names, spec.organizationId);
  const permArgs = [
    "events",
    "put-permission",
    "--event-bus-name",
    q(perm.EventBusName),
    "--action",
    q(perm.Action),
    "--principal",
    q(perm.Principal),
    "--statement-id",
    q(perm.StatementId),
  ];
  if ("Condition" in perm)
    permArgs.push("--condition", q(`Type=${perm.Condition.Type},Key=${perm.Condition.Key},Value=${perm.Condition.Value}`));
  add(
    "tools",
    spec.organizationId
      ? "Let the organization's accounts send events to the default bus"
      : "Let the repo account send events to the default bus",
    permArgs,
  );

  const pattern = { name: "event-pattern.json", content: `${pushEventPattern(names)}\n` };
  role(
    "repo",
    "event forwarding role",
    names.roles.forwardPush,
    forwardPushRoleTrustPolicy(names),
    names.policyNames.forwardPush,
    forwardPushRolePermissionPolicy(names),
    "forward-push-role",
  );
  const repoRule = repoRuleInput(spec, names);
  add(
    "repo",
    "Match pushes to the branch",
    [
      "events",
      "put-rule",
      "--name",
      q(repoRule.Name),
      "--event-pattern",
      `file://${pattern.name}`,
      "--state",
      "ENABLED",
      "--description",
      q(repoRule.Description),
      "--tags",
      tagIam,
    ],
    { file: pattern },
  );
  add(
    "repo",
    "Forward them to the tools account's default bus",
    ["events", "put-targets", "--rule", q(repoRule.Name), "--targets", "file://repo-targets.json"],
    {
      file: { name: "repo-targets.json", content: json(repoTargetsInput(names).Targets) },
    },
  );

  add(
    "tools",
    "Create the pipeline (this starts a first execution)",
    ["codepipeline", "create-pipeline", "--cli-input-json", "file://pipeline.json"],
    {
      file: { name: "pipeline.json", content: json(createPipelineInput(spec, names, store)) },
    },
  );

  role(
    "tools",
    "start-on-push role",
    names.roles.startOnPush,
    startOnPushRoleTrustPolicy(names),
    names.policyNames.startOnPush,
    startOnPushRolePermissionPolicy(names),
    "start-on-push-role",
  );
  const toolsRule = toolsRuleInput(spec, names);
  add(
    "tools",
    "Match the forwarded pushes",
    [
      "events",
      "put-rule",
      "--name",
      q(toolsRule.Name),
      "--event-pattern",
      `file://${pattern.name}`,
      "--state",
      "ENABLED",
      "--description",
      q(toolsRule.Description),
      "--tags",
      tagIam,
    ],
    { file: pattern },
  );
  add(
    "tools",
    "Start the pipeline on each push",
    ["events", "put-targets", "--rule", q(toolsRule.Name), "--targets", "file://tools-targets.json"],
    {
      file: { name: "tools-targets.json", content: json(toolsTargetsInput(names).Targets) },
    },
  );
  return steps;
}

/** The steps as one commented shell script (files listed, not inlined). */
export function cliScript(steps: CliStep[]): string {
  return steps
    .map((s, i) => `# ${i + 1}. [${s.account}] ${s.title}${s.file ? ` (reads ${s.file.name})` : ""}\n${s.command}`)
    .join("\n\n")
    .concat("\n");
}
