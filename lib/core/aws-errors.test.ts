// A parse failure produced by a real SDK client: CodePipeline's JSON protocol given an HTML page with status 200
// (what a captive proxy or a misrouted endpoint answers). No network: the request handler answers in-process.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CodePipelineClient, GetPipelineCommand, PipelineNotFoundException } from "@aws-sdk/client-codepipeline";
import { HttpResponse } from "@smithy/protocol-http";
import { humanMessage } from "@/lib/runs/human-message";
import { classify } from "@/lib/runs/classify";
import { awsErrorInfo, isSdkParseFailure, parseFailureMessage } from "./aws-errors";

function clientAnswering(statusCode: number, body: string, headers: Record<string, string> = {}) {
  return new CodePipelineClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x" },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({
        response: new HttpResponse({
          statusCode,
          headers: { "content-type": "text/html", ...headers },
          body: Readable.from([Buffer.from(body)]),
        }),
      }),
    },
  });
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a failure");
}

describe("an SDK parse failure", () => {
  it("is recognised and worded as an unreadable answer, without SDK internals", async () => {
    const e = await errorOf(clientAnswering(200, "<html><body>Proxy login</body></html>").send(new GetPipelineCommand({ name: "p" })));
    expect(isSdkParseFailure(e)).toBe(true);
    const info = awsErrorInfo(e);
    expect(info.parseFailure).toBe(true);
    expect(info.message).not.toContain("$response");
    const words = parseFailureMessage(info.message);
    expect(words).toMatch(/^AWS's answer could not be read \(/);
    expect(words).toContain("not a permission problem");
    expect(words).not.toMatch(/Deserialization error|\$response|hidden field/);
  });

  it("a failed step says so in human words, not as a refusal", async () => {
    const e = await errorOf(clientAnswering(200, "<html>oops</html>").send(new GetPipelineCommand({ name: "p" })));
    const msg = humanMessage({ key: "tools.pipeline", title: "Pipeline" } as never, classify(e), {
      accountId: "111111111111",
      roleArn: "arn:aws:iam::111111111111:role/r",
      name: "Tools",
    });
    expect(msg).toMatch(/^Pipeline in Tools \(111111111111\): AWS's answer could not be read/);
    expect(msg).not.toMatch(/denied|refused|Deserialization error|\$response/);
  });

  it("AWS's own error answers are not parse failures", async () => {
    const e = await errorOf(
      clientAnswering(
        400,
        JSON.stringify({ __type: "PipelineNotFoundException", message: "Account 1 does not have a pipeline with name p" }),
        { "content-type": "application/x-amz-json-1.1" },
      ).send(new GetPipelineCommand({ name: "p" })),
    );
    expect(e).toBeInstanceOf(PipelineNotFoundException);
    expect(isSdkParseFailure(e)).toBe(false);
    expect(awsErrorInfo(e).parseFailure).toBe(false);
    expect(isSdkParseFailure(new Error("plain"))).toBe(false);
  });
});
