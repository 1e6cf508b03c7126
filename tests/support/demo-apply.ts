// Applies one onboarding of the demo accounts, as an engineer would, on the database and sandbox in the
// environment; prints the run id. For the clean-stop test, which drives a service started by scripts/start.mjs:
// node --conditions=react-server --import tsx tests/support/demo-apply.ts <pipeline name>
import { db } from "@/lib/db";
import { createOnboarding, startApply } from "@/lib/onboarding/service";

async function main() {
  const pipelineName = process.argv[2] ?? "stop-test";
  const [tools, repo, admin] = await Promise.all([
    db.awsAccount.findUniqueOrThrow({ where: { accountId: "111111111111" } }),
    db.awsAccount.findUniqueOrThrow({ where: { accountId: "222222222222" } }),
    db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } }),
  ]);
  const ctx = {
    user: { id: admin.id, email: admin.email, name: admin.name, role: "admin" as const },
    client: { ip: "127.0.0.1", userAgent: "demo-apply" },
  };
  const o = await createOnboarding(
    {
      toolsAccountId: tools.id,
      repoAccountId: repo.id,
      region: "us-east-1",
      repositoryName: "demo-service",
      branchName: "main",
      pipelineName,
      pipelineType: "V1",
      buildMode: "create",
      buildProject: `${pipelineName}-build`,
      approval: false,
    },
    ctx,
  );
  const run = await startApply(o.id, ctx);
  console.log(run.id);
  await db.$disconnect();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
