import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { clientFromHeaders } from "@/lib/auth/client-info";
import { signInRetryAfterMs } from "@/lib/auth/sign-in-throttle";
import { endSessionResponse } from "@/lib/auth/oidc/end-session-response";

/**
 * A credentials sign-in from a throttled account or address is answered 429 here, before next-auth reads the
 * password: no bcrypt work and no audit row per refused guess (the lock itself is audited when it starts).
 * The body keeps next-auth's `{ url }` shape so its client reports the refusal instead of crashing.
 */
async function throttled(req: Request): Promise<Response | null> {
  const form = await req
    .clone()
    .formData()
    .catch(() => null);
  const email = String(form?.get("email") ?? "").slice(0, 254);
  const client = clientFromHeaders(req.headers);
  const ms = await signInRetryAfterMs(email, client.ip ?? null);
  if (ms <= 0) return null;
  const seconds = Math.ceil(ms / 1000);
  const url = new URL("/signin?error=TooManyAttempts", req.url).toString();
  return Response.json(
    {
      url,
      error: "TooManyAttempts",
      retryAfterSeconds: seconds,
      message: `Too many failed sign-ins for this account or from this address. Try again in ${seconds} s.`,
    },
    { status: 429, headers: { "retry-after": String(seconds) } },
  );
}

// next-auth builds its handler per request so configuration errors surface at request time, not import.
async function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  const params = await ctx.params;
  if (req.method === "GET" && params.nextauth.join("/") === "end-session") return endSessionResponse(req);
  if (req.method === "POST" && params.nextauth.join("/") === "callback/credentials") {
    const refusal = await throttled(req);
    if (refusal) return refusal;
  }
  return NextAuth(authOptions({ client: clientFromHeaders(req.headers) }))(req, { params });
}

export { handler as GET, handler as POST };
