// CloudWatch Logs GetLogEvents over the logs the sandbox's CodeBuild builds write: AWS's paging semantics
// (startFromHead, limit, tokens that come back unchanged at either end, time range), its errors, and IAM
// authorization on the log-stream resource type.
import { BatchGetBuildsCommand } from "@aws-sdk/client-codebuild";
import { CloudWatchLogsClient, GetLogEventsCommand, type GetLogEventsCommandInput } from "@aws-sdk/client-cloudwatch-logs";
import { PutRolePolicyCommand, CreateRoleCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeBuildRolePermissionPolicy } from "@/lib/policies";
import { type Creds, failure, root } from "./clients";
import { type Provisioned, TOOLS, actionState, approvalToken, names, provision, push, spec, waitStatus } from "./pipeline-exec-world";

let w: Provisioned;
let logs: CloudWatchLogsClient;
const logsAs = (creds: Creds) => new CloudWatchLogsClient({ endpoint: w.h.url, region: "us-east-1", credentials: creds, maxAttempts: 1 });
const group = names.codeBuild.logGroupName;

async function approve(id: string) {
  const token = await approvalToken(w.tools.cp, id);
  const { PutApprovalResultCommand } = await import("@aws-sdk/client-codepipeline");
  await w.tools.cp.send(
    new PutApprovalResultCommand({
      pipelineName: spec.pipelineName,
      stageName: "Approval",
      actionName: "Approve",
      token,
      result: { status: "Approved", summary: "ok" },
    }),
  );
}

/** Pushes `message`, approves, waits for the execution to fail; the failed build's id and stream. */
async function failedBuild(message: string) {
  const id = (await push(w.h, message)).body.pipelineExecutionIds[0];
  await approve(id);
  await waitStatus(w.tools.cp, id, "Failed");
  const buildId = (await actionState(w.tools.cp, "Build", "Build")).latestExecution!.externalExecutionId!;
  const build = (await w.tools.cb.send(new BatchGetBuildsCommand({ ids: [buildId] }))).builds![0];
  return { buildId, build, stream: buildId.slice(buildId.indexOf(":") + 1) };
}

beforeAll(async () => {
  w = await provision();
  logs = logsAs(root(TOOLS));
});
afterAll(async () => {
  await w.close();
});

describe("a failed build's log through GetLogEvents", () => {
  let stream: string;
  let all: { message?: string; timestamp?: number; ingestionTime?: number }[];
  const get = (over: Partial<GetLogEventsCommandInput> = {}) =>
    logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, ...over }));

  beforeAll(async () => {
    const f = await failedBuild("Break the tests [fail]");
    stream = f.stream;
    expect(f.build.logs).toMatchObject({
      groupName: group,
      streamName: stream,
      cloudWatchLogsArn: `arn:aws:logs:us-east-1:${TOOLS}:log-group:${group}:log-stream:${stream}`,
    });
    all = (await get({ startFromHead: true })).events!;
  });

  it("holds CodeBuild's agent lines: the failing command, the failed phase and its context, in order", () => {
    const messages = all.map((e) => e.message!);
    expect(messages[0]).toMatch(/^\[Container\] \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\.\d{6} Running on CodeBuild On-demand$/);
    const at = (text: string) => messages.findIndex((m) => m.endsWith(text));
    expect(at("Entering phase BUILD")).toBeGreaterThan(at("Phase complete: PRE_BUILD State: SUCCEEDED"));
    expect(at("Running command npm test")).toBeGreaterThan(at("Entering phase BUILD"));
    expect(at("Command did not exit successfully npm test exit status 1")).toBeGreaterThan(at("Running command npm test"));
    expect(at("Phase complete: BUILD State: FAILED")).toBeGreaterThan(at("Command did not exit successfully npm test exit status 1"));
    expect(messages[at("Phase complete: BUILD State: FAILED") + 1]).toMatch(
      /Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: npm test\. Reason: exit status 1$/,
    );
    for (const e of all)
      expect(e).toEqual({ timestamp: expect.any(Number), message: expect.any(String), ingestionTime: expect.any(Number) });
    const ts = all.map((e) => e.timestamp!);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
  });

  it("without startFromHead returns the newest `limit` events; the backward token pages towards the head, the forward token stays at the end", async () => {
    expect(all.length).toBeGreaterThan(12);
    const tail = await get({ limit: 5 });
    expect(tail.events!.map((e) => e.message)).toEqual(all.slice(-5).map((e) => e.message));
    expect(tail.nextForwardToken).toMatch(/^f\/\d{56}$/);
    expect(tail.nextBackwardToken).toMatch(/^b\/\d{56}$/);
    // At the end of the stream the forward token comes back unchanged, with no events.
    const end = await get({ nextToken: tail.nextForwardToken, startFromHead: true, limit: 5 });
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(tail.nextForwardToken);
    // Backward from the tail: the five before it, and so on until the head, where the backward token repeats.
    const before = await get({ nextToken: tail.nextBackwardToken, limit: 5 });
    expect(before.events!.map((e) => e.message)).toEqual(all.slice(-10, -5).map((e) => e.message));
    let token = before.nextBackwardToken!;
    const seen = [...before.events!, ...tail.events!];
    for (let i = 0; i < 100; i++) {
      const page = await get({ nextToken: token, limit: 5 });
      if (page.nextBackwardToken === token) {
        expect(page.events).toEqual([]);
        break;
      }
      seen.unshift(...page.events!);
      token = page.nextBackwardToken!;
    }
    expect(seen.map((e) => e.message)).toEqual(all.map((e) => e.message));
  });

  it("startFromHead pages forward from the first event; the whole stream without a limit", async () => {
    const head = await get({ startFromHead: true, limit: 3 });
    expect(head.events!.map((e) => e.message)).toEqual(all.slice(0, 3).map((e) => e.message));
    const next = await get({ startFromHead: true, limit: 3, nextToken: head.nextForwardToken });
    expect(next.events!.map((e) => e.message)).toEqual(all.slice(3, 6).map((e) => e.message));
    expect(next.nextBackwardToken).toBe(head.nextForwardToken!.replace(/^f/, "b"));
    expect((await get()).events!.length).toBe(all.length);
  });

  it("startTime is inclusive and endTime exclusive", async () => {
    const last = all.at(-1)!.timestamp!;
    const from = await get({ startFromHead: true, startTime: last });
    expect(from.events!.length).toBeGreaterThan(0);
    expect(from.events!.every((e) => e.timestamp === last)).toBe(true);
    const until = await get({ startFromHead: true, endTime: last });
    expect(until.events!.every((e) => e.timestamp! < last)).toBe(true);
    expect(until.events!.length + from.events!.length).toBe(all.length);
  });

  it("errors: missing group, missing stream, both group parameters, a bad token, a bad limit", async () => {
    const missingGroup = await failure(get({ logGroupName: "/aws/codebuild/nope" }));
    expect([missingGroup.name, missingGroup.message]).toEqual(["ResourceNotFoundException", "The specified log group does not exist."]);
    const missingStream = await failure(get({ logStreamName: "nope" }));
    expect([missingStream.name, missingStream.message]).toEqual(["ResourceNotFoundException", "The specified log stream does not exist."]);
    expect((await failure(get({ logGroupIdentifier: group }))).name).toBe("InvalidParameterException");
    expect((await failure(get({ nextToken: "garbage" }))).name).toBe("InvalidParameterException");
    expect((await failure(get({ limit: 0 }))).name).toBe("ValidationException");
    expect((await failure(get({ limit: 10_001 }))).name).toBe("ValidationException");
    // The group's ARN works as logGroupIdentifier.
    const byArn = await logs.send(
      new GetLogEventsCommand({
        logGroupIdentifier: `arn:aws:logs:us-east-1:${TOOLS}:log-group:${group}`,
        logStreamName: stream,
        limit: 1,
      }),
    );
    expect(byArn.events!.map((e) => e.message)).toEqual([all.at(-1)!.message]);
  });

  it("authorizes logs:GetLogEvents on the log stream: a role granted /aws/codebuild/* reads, one granted another group is denied", async () => {
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${TOOLS}:root` }, Action: "sts:AssumeRole" }],
    });
    const session = async (name: string, resource: string): Promise<Creds> => {
      await w.tools.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
      await w.tools.iam.send(
        new PutRolePolicyCommand({
          RoleName: name,
          PolicyName: "logs",
          PolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "logs:GetLogEvents", Resource: resource }],
          }),
        }),
      );
      const c = (
        await w.tools.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${TOOLS}:role/${name}`, RoleSessionName: "tester" }))
      ).Credentials!;
      return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    };
    const reader = logsAs(await session("BuildLogReader", `arn:aws:logs:us-east-1:${TOOLS}:log-group:/aws/codebuild/*:log-stream:*`));
    expect((await reader.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 2 }))).events).toHaveLength(2);
    const other = logsAs(await session("LambdaLogReader", `arn:aws:logs:us-east-1:${TOOLS}:log-group:/aws/lambda/*`));
    const denied = await failure(other.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream })));
    expect(denied.name).toBe("AccessDeniedException");
    expect(denied.message).toContain(
      `logs:GetLogEvents on resource: arn:aws:logs:us-east-1:${TOOLS}:log-group:${group}:log-stream:${stream}`,
    );
    // Denied before anything is looked up: a missing group is AccessDenied too, not ResourceNotFound.
    expect((await failure(other.send(new GetLogEventsCommand({ logGroupName: "/aws/codebuild/nope", logStreamName: "x" })))).name).toBe(
      "AccessDeniedException",
    );
  });
});

describe("a build role that cannot write the artifact bucket", () => {
  it("fails UPLOAD_ARTIFACTS with S3's AccessDenied, in the action's message and in the log", async () => {
    const full = codeBuildRolePermissionPolicy(spec, names, w.store);
    const withoutPut = {
      ...full,
      Statement: full.Statement.map((s) => ({ ...s, Action: [s.Action].flat().filter((a) => a !== "s3:PutObject") })).filter(
        (s) => s.Action.length,
      ),
    };
    await w.tools.iam.send(
      new PutRolePolicyCommand({
        RoleName: names.roles.codeBuild!.name,
        PolicyName: names.policyNames.codeBuild,
        PolicyDocument: JSON.stringify(withoutPut),
      }),
    );
    try {
      const f = await failedBuild("A change that builds fine");
      const action = (await actionState(w.tools.cp, "Build", "Build")).latestExecution!;
      expect(action.errorDetails?.message).toMatch(
        /^Build terminated with state: FAILED\. Phase: UPLOAD_ARTIFACTS, Code: CLIENT_ERROR, Message: Error uploading artifacts: AccessDenied: .*s3:PutObject/,
      );
      expect(f.build.phases!.find((p) => p.phaseType === "UPLOAD_ARTIFACTS")?.phaseStatus).toBe("FAILED");
      const tail = (await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: f.stream, limit: 3 }))).events!.map(
        (e) => e.message,
      );
      expect(tail[1]).toMatch(/Phase complete: UPLOAD_ARTIFACTS State: FAILED$/);
      expect(tail[2]).toMatch(
        /Phase context status code: CLIENT_ERROR Message: Error uploading artifacts: AccessDenied: .*not authorized to perform: s3:PutObject/,
      );
    } finally {
      await w.tools.iam.send(
        new PutRolePolicyCommand({
          RoleName: names.roles.codeBuild!.name,
          PolicyName: names.policyNames.codeBuild,
          PolicyDocument: JSON.stringify(full),
        }),
      );
    }
  });
});
