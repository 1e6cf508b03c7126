// Another portal instance, in its own process (its own memory and its own Prisma client on the same database):
// tries one credentials sign-in as lib/auth/options.ts does and prints {"signedIn": boolean}.
// Usage: node --conditions=react-server --import tsx tests/support/sign-in-elsewhere.ts <email> <password>
import { authOptions } from "@/lib/auth/options";
import { db } from "@/lib/db";

type Authorize = (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown>;
const [email, password] = process.argv.slice(2);
const provider = authOptions().providers.find((p) => p.id === "credentials") as unknown as { options: { authorize: Authorize } };
provider.options.authorize({ email, password }, { headers: { "user-agent": "second-instance" } }).then(async (user) => {
  console.log(JSON.stringify({ signedIn: user !== null }));
  await db.$disconnect();
});
