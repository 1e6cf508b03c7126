// A separate process that appends audit events, for the cross-process chain test:
// node --conditions=react-server --import tsx tests/support/audit-writer.ts <label> <count>
import { recordAudit } from "@/lib/audit/append";
import { db } from "@/lib/db";

async function main() {
  const [label, count] = [process.argv[2] ?? "writer", Number(process.argv[3] ?? 10)];
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      recordAudit({ actor: { email: `${label}@example.com` }, action: "test.crossProcess", outcome: "success", details: { i } }),
    ),
  );
  await db.$disconnect();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
