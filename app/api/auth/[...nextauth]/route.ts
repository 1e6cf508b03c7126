import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// next-auth builds its handler per request so configuration errors surface at request time, not import.
async function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(authOptions())(req, { params: await ctx.params });
}

export { handler as GET, handler as POST };
