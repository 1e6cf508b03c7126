import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  cliCommands,
  cliScript,
  keyPolicyFor,
  notificationNames,
  notificationRuleCli,
  notificationTopicCli,
  shellQuote,
} from "@/lib/policies";
import { deriveResourceNames } from "@/lib/names/derive";
import { fixture, pretty } from "./__fixtures__/read";
import { referenceNames as names, referenceSpec as spec, referenceStore as store } from "./__fixtures__/reference";

describe("cliCommands", () => {
  const steps = cliCommands(spec, names, store);

  it("the whole script, byte for byte", () => {
    expect(cliScript(steps)).toBe(fixture("cli-script.sh"));
  });

  it("the key policy command and file", () => {
    const s = steps.find((x) => x.command.startsWith("aws kms put-key-policy"));
    expect(s?.command).toBe(
      "aws kms put-key-policy --key-id arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab --policy-name default --policy file://key-policy.json --profile tools --region us-east-1",
    );
    expect(s?.file).toEqual({ name: "key-policy.json", content: fixture("key-policy.json") });
  });

  it("every file a command references is provided, with the same content as the documents", () => {
    for (const s of steps) {
      const ref = /file:\/\/(\S+)/.exec(s.command)?.[1];
      expect(s.file?.name).toBe(ref);
    }
    const byName = Object.fromEntries(steps.filter((s) => s.file).map((s) => [s.file!.name, s.file!.content]));
    for (const f of [
      "pipeline-role-policy.json",
      "cross-account-role-trust.json",
      "cross-account-role-policy.json",
      "bucket-policy.json",
      "codebuild-project.json",
      "repo-targets.json",
    ]) {
      const expected = f === "repo-targets.json" ? pretty(JSON.parse(fixture(f)).Targets) : fixture(f);
      expect(byName[f], f).toBe(expected);
    }
    expect(byName["pipeline.json"]).toBe(fixture("create-pipeline-input.json"));
  });

  it("repo-account steps use the repo profile", () => {
    const repo = steps.filter((s) => s.account === "repo").map((s) => s.command.split(" ").slice(1, 3).join(" "));
    expect(repo).toEqual([
      "iam create-role",
      "iam put-role-policy",
      "iam create-role",
      "iam put-role-policy",
      "events put-rule",
      "events put-targets",
    ]);
    for (const s of steps) expect(s.command).toContain(`--profile ${s.account}`);
  });

  it("outside us-east-1 the bucket gets a LocationConstraint; profiles can be renamed; current policies are merged", () => {
    const eu = { ...spec, region: "eu-west-1" };
    const n = deriveResourceNames(eu);
    const euStore = {
      bucketName: n.artifactStore.bucketName,
      keyAlias: n.artifactStore.kmsAlias,
      keyArn: store.keyArn.replace("us-east-1", "eu-west-1"),
    };
    const current = {
      Version: "2012-10-17" as const,
      Statement: [
        { Sid: "Foreign", Effect: "Allow" as const, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" },
      ],
    };
    const s = cliCommands(eu, n, euStore, { toolsProfile: "acme tools", currentKeyPolicy: current });
    expect(s.find((x) => x.command.includes("create-bucket"))?.command).toBe(
      `aws s3api create-bucket --bucket ${n.artifactStore.bucketName} --object-ownership BucketOwnerEnforced --create-bucket-configuration LocationConstraint=eu-west-1 --profile 'acme tools' --region eu-west-1`,
    );
    // Every other s3api call names the expected bucket owner: bucket names are predictable.
    for (const x of s.filter((c) => c.command.startsWith("aws s3api") && !c.command.includes("create-bucket")))
      expect(x.command).toContain("--expected-bucket-owner 111111111111");
    expect(s.find((x) => x.file?.name === "key-policy.json")?.file?.content).toBe(pretty(keyPolicyFor(current, eu, n, euStore)));
  });

  it("roles are created with the permissions boundary of their account", () => {
    const creates = steps.filter((x) => x.command.includes("iam create-role"));
    expect(creates).toHaveLength(5);
    for (const c of creates)
      expect(c.command).toContain(
        `--permissions-boundary arn:aws:iam::${c.account === "tools" ? "111111111111" : "222222222222"}:policy/portal/crossline-portal-boundary`,
      );
  });

  it("an existing build project: no CodeBuild steps", () => {
    const existing = { ...spec, build: { mode: "existing" as const, projectName: "shared-build" } };
    const s = cliCommands(existing, deriveResourceNames(existing), store);
    expect(s.some((x) => x.command.includes("codebuild"))).toBe(false);
    expect(s).toHaveLength(steps.length - 3);
  });

  it("shellQuote", () => {
    expect(shellQuote("alias/x-1")).toBe("alias/x-1");
    expect(shellQuote("it's here")).toBe("'it'\\''s here'");
    expect(shellQuote("a[b]")).toBe("'a[b]'");
  });

  it("shellQuote: a value holding a quote and a command comes back from a real shell as one unchanged word", () => {
    // The string of the issue, checked as text only (never handed to a shell, in case quoting ever breaks) …
    expect(shellQuote("x'; rm -rf /")).toBe("'x'\\''; rm -rf /'");
    // … and a harmless payload of the same shape through a real shell.
    const evil = "x'; echo INJECTED #";
    expect(argvOf(`printf '%s\\n' ${shellQuote(evil)}`)).toEqual([evil]);
  });
});

/** What a POSIX shell makes of a command line: its words, one per line (printf stands in for aws). */
function argvOf(line: string): string[] {
  const r = spawnSync("sh", ["-c", line], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split("\n").slice(0, -1);
}

describe("notification commands", () => {
  const n = notificationNames({ pipelineName: spec.pipelineName, region: "us-east-1", toolsAccountId: "111111111111" });
  // Payloads are harmless (echo): these lines go through a real shell below.
  const emails = ["ops@example.com", "evil'; echo INJECTED #@example.com", "$(echo INJECTED)@example.com"];
  const lines = notificationTopicCli({ onboardingId: "onb'; id #" }, n, emails);

  it("every interpolated value is shell-quoted: emails and tag values reach aws as one argument each, nothing else runs", () => {
    const asPrintf = (l: string) => l.replace(/^aws /, "printf '%s\\n' ");
    expect(argvOf(asPrintf(lines[0]))).toEqual([
      "sns",
      "create-topic",
      "--name",
      n.topicName,
      "--tags",
      "Key=portal:managed-by,Value=crossline-portal",
      "Key=portal:onboarding,Value=onb'; id #",
    ]);
    expect(argvOf(asPrintf(lines[1]))).toEqual([
      "sns",
      "set-topic-attributes",
      "--topic-arn",
      n.topicArn,
      "--attribute-name",
      "Policy",
      "--attribute-value",
      "file://notifications-topic-policy.json",
    ]);
    for (const [i, e] of emails.entries()) {
      expect(argvOf(asPrintf(lines[2 + i]))).toEqual([
        "sns",
        "subscribe",
        "--topic-arn",
        n.topicArn,
        "--protocol",
        "email",
        "--notification-endpoint",
        e,
      ]);
    }
    expect(lines[3]).toBe(
      `aws sns subscribe --topic-arn ${n.topicArn} --protocol email --notification-endpoint 'evil'\\''; echo INJECTED #@example.com'`,
    );
    expect(lines[2]).toBe(`aws sns subscribe --topic-arn ${n.topicArn} --protocol email --notification-endpoint ops@example.com`);
  });

  it("the rule's command reads its input from the file the plan shows", () => {
    expect(notificationRuleCli()).toEqual([
      "aws codestar-notifications create-notification-rule --cli-input-json file://notification-rule.json",
    ]);
  });

  it("every command of the main script splits into the words it means", () => {
    for (const s of cliCommands(spec, names, store, { toolsProfile: "a'; echo INJECTED #" })) {
      const words = argvOf(s.command.replace(/^aws /, "printf '%s\\n' "));
      if (s.account === "tools") expect(words[words.indexOf("--profile") + 1]).toBe("a'; echo INJECTED #");
    }
  });
});
