import { describe, expect, it } from "vitest";
import {
  MASK,
  WITHHELD,
  mapEnvironmentVariables,
  maskEnvironmentVariables,
  maskLogLines,
  maskSecretsInText,
  withholdEnvironmentVariables,
} from "./mask-secrets";

describe("maskSecretsInText (build-log lines)", () => {
  it.each([
    ["AWS access key id", "using key AKIAIOSFODNN7EXAMPLE now", `using key AKIA${MASK} now`],
    ["temporary access key id", "ASIAY34FZKBOKMUTVV7A", `ASIA${MASK}`],
    ["aws_secret_access_key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", `aws_secret_access_key = ${MASK}`],
    ["AWS_SECRET_ACCESS_KEY in an env dump", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG", `AWS_SECRET_ACCESS_KEY=${MASK}`],
    [
      "bearer token",
      "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc-def_ghi' https://api",
      `curl -H 'Authorization: Bearer ${MASK}' https://api`,
    ],
    ["password assignment", "mysql --password=hunter2 -u root", `mysql --password=${MASK} -u root`],
    ["DB_PASSWORD in an env dump", "DB_PASSWORD=correct-horse", `DB_PASSWORD=${MASK}`],
    ["token: value", "token: abc123def", `token: ${MASK}`],
    ["JSON secret", `{"client_secret": "s3cr3t-value", "user": "bob"}`, `{"client_secret": "${MASK}", "user": "bob"}`],
    ["api key flag", "deploy --api-key=0123456789abcdef", `deploy --api-key=${MASK}`],
    ["GitHub classic token", "cloning with ghp_abcdefghijklmnopqrstuvwxyz0123456789", `cloning with ghp_${MASK}`],
    ["GitHub fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", `github_pat_${MASK}`],
    [
      "URL credentials",
      "git clone https://bob:pa55word@git.example.com/repo.git",
      `git clone https://bob:${MASK}@git.example.com/repo.git`,
    ],
  ])("%s", (_label, line, masked) => {
    expect(maskSecretsInText(line)).toBe(masked);
  });

  it("leaves ordinary build output alone", () => {
    for (const line of [
      "[Container] 2026/12/07 19:30:01.123456 Running command npm test",
      "Phase complete: BUILD State: FAILED",
      "not ok 1 - the commit asked for a failure",
      "Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: npm test. Reason: exit status 1",
      "keyboard layout: us",
    ])
      expect(maskSecretsInText(line)).toBe(line);
  });
});

describe("maskLogLines", () => {
  it("masks a private-key block whole, across lines, and stops at its END line", () => {
    expect(
      maskLogLines([
        "before",
        "-----BEGIN RSA PRIVATE KEY-----",
        "MIIEowIBAAKCAQEA",
        "abcdef==",
        "-----END RSA PRIVATE KEY-----",
        "after token=x1",
      ]),
    ).toEqual([
      "before",
      `-----BEGIN RSA PRIVATE KEY-----${MASK}`,
      MASK,
      MASK,
      `${MASK}-----END RSA PRIVATE KEY-----`,
      `after token=${MASK}`,
    ]);
  });

  it("a block on one line, and one whose END is not in the tail", () => {
    expect(maskLogLines(["key: -----BEGIN PRIVATE KEY-----MIIabc-----END PRIVATE KEY----- done"])).toEqual([
      `key: -----BEGIN PRIVATE KEY-----${MASK}-----END PRIVATE KEY----- done`,
    ]);
    expect(maskLogLines(["-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXk"])).toEqual([
      `-----BEGIN OPENSSH PRIVATE KEY-----${MASK}`,
      MASK,
    ]);
  });
});

describe("environment variables", () => {
  const vars = [
    { name: "GITHUB_TOKEN", value: "ghp_abcdefghijklmnopqrstuvwxyz0123456789", type: "PLAINTEXT" },
    { name: "DB_PASSWORD", value: "hunter2", type: "PLAINTEXT" },
    { name: "NPM_AUTH", value: "x", type: "PLAINTEXT" },
    { name: "SIGNING_KEY", value: "k", type: "PLAINTEXT" },
    { name: "AWS_CREDENTIALS", value: "c", type: "PLAINTEXT" },
    { name: "PGPWD", value: "p", type: "PLAINTEXT" },
    { name: "STAGE", value: "prod", type: "PLAINTEXT" },
    { name: "DEPLOY_URL", value: "https://deploy:s3cret@deploy.example.com", type: "PLAINTEXT" },
  ];

  it("secret-named values become the mask, others are masked by pattern; names and types are kept", () => {
    expect(maskEnvironmentVariables(vars)).toEqual([
      { name: "GITHUB_TOKEN", value: MASK, type: "PLAINTEXT" },
      { name: "DB_PASSWORD", value: MASK, type: "PLAINTEXT" },
      { name: "NPM_AUTH", value: MASK, type: "PLAINTEXT" },
      { name: "SIGNING_KEY", value: MASK, type: "PLAINTEXT" },
      { name: "AWS_CREDENTIALS", value: MASK, type: "PLAINTEXT" },
      { name: "PGPWD", value: MASK, type: "PLAINTEXT" },
      { name: "STAGE", value: "prod", type: "PLAINTEXT" },
      { name: "DEPLOY_URL", value: `https://deploy:${MASK}@deploy.example.com`, type: "PLAINTEXT" },
    ]);
  });

  it("withheld: every value replaced", () => {
    expect(withholdEnvironmentVariables(vars).map((v) => v.value)).toEqual(vars.map(() => WITHHELD));
  });

  it("mapEnvironmentVariables touches only a project environment's variables", () => {
    const env = { type: "LINUX_CONTAINER", image: "aws/codebuild/standard:7.0", environmentVariables: vars.slice(0, 1) };
    expect(mapEnvironmentVariables(env, maskEnvironmentVariables)).toEqual({ ...env, environmentVariables: [{ ...vars[0], value: MASK }] });
    expect(mapEnvironmentVariables({ type: "LINUX_CONTAINER" }, maskEnvironmentVariables)).toEqual({ type: "LINUX_CONTAINER" });
    expect(mapEnvironmentVariables(null, maskEnvironmentVariables)).toBeNull();
  });
});
