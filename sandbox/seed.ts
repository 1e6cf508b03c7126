/** The demo "world" before the portal touches it: two accounts and two CodeCommit repositories in 222222222222. */
import { ccState, commitFiles, createRepository } from "./services/codecommit-store";
import { ensureAccount, type World } from "./state";

export const DEMO_TOOLS_ACCOUNT = "111111111111";
export const DEMO_REPO_ACCOUNT = "222222222222";
export const DEMO_REGION = "us-east-1";

const AUTHOR = { authorName: "Dana Developer", email: "dana@example.com" };
const file = (path: string, text: string) => ({ path, content: Buffer.from(text, "utf8") });

const README = `# demo-service

A tiny service used to demonstrate a cross-account CodePipeline.
`;
const BUILDSPEC = `version: 0.2

phases:
  install:
    runtime-versions:
      nodejs: 20
  build:
    commands:
      - echo "Building demo-service"
      - node src/index.js

artifacts:
  files:
    - '**/*'
`;
const INDEX_JS = `console.log("hello from demo-service");
`;

/** Idempotent: does nothing for parts that already exist. */
export function seedDemo(world: World, now = Date.now()): void {
  ensureAccount(world, DEMO_TOOLS_ACCOUNT, now);
  ensureAccount(world, DEMO_REPO_ACCOUNT, now);
  const repos = ccState(world, DEMO_REPO_ACCOUNT, DEMO_REGION).repositories;
  let t = now - 3 * 24 * 3600 * 1000;
  const tick = () => (t += 3600 * 1000);

  if (!repos["demo-service"]) {
    const r = createRepository(
      world,
      DEMO_REPO_ACCOUNT,
      DEMO_REGION,
      "demo-service",
      tick(),
      "Demo service built by the cross-account pipeline",
    );
    const c1 = commitFiles(r, {
      branchName: "main",
      ...AUTHOR,
      message: "Initial commit",
      putFiles: [file("README.md", README)],
      now: tick(),
    });
    const c2 = commitFiles(r, {
      branchName: "main",
      parentCommitId: c1.commit.commitId,
      ...AUTHOR,
      message: "Add buildspec",
      putFiles: [file("buildspec.yml", BUILDSPEC)],
      now: tick(),
    });
    commitFiles(r, {
      branchName: "main",
      parentCommitId: c2.commit.commitId,
      ...AUTHOR,
      message: "Add service entry point",
      putFiles: [file("src/index.js", INDEX_JS)],
      now: tick(),
    });
  }
  if (!repos["payments-api"]) {
    const r = createRepository(world, DEMO_REPO_ACCOUNT, DEMO_REGION, "payments-api", tick(), "Payments API");
    const c1 = commitFiles(r, {
      branchName: "main",
      ...AUTHOR,
      message: "Initial commit",
      putFiles: [file("README.md", "# payments-api\n"), file("buildspec.yml", BUILDSPEC.replace("demo-service", "payments-api"))],
      now: tick(),
    });
    commitFiles(r, {
      branchName: "develop",
      parentCommitId: c1.commit.commitId,
      ...AUTHOR,
      message: "Start develop",
      putFiles: [file("src/index.js", 'console.log("payments");\n')],
      now: tick(),
    });
  }
  world.meta.demoSeeded = true;
}
