// The portal over HTTP as a signed-in person: next-auth's credentials flow (GET /api/auth/csrf, POST
// /api/auth/callback/credentials) with a cookie jar, then JSON requests with the session cookie.
export class PortalSession {
  private cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1));
    }
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async signIn(email: string, password: string): Promise<void> {
    const csrfRes = await fetch(`${this.base}/api/auth/csrf`);
    this.keep(csrfRes);
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    const res = await fetch(`${this.base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: this.cookieHeader() },
      body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: `${this.base}/` }),
    });
    this.keep(res);
    if (![...this.cookies.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in of ${email} failed (${res.status})`);
  }

  async post(pathname: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${this.base}${pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: this.cookieHeader() },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  }

  async get(pathname: string): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${this.base}${pathname}`, { headers: { cookie: this.cookieHeader() }, signal: AbortSignal.timeout(30_000) });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  }
}
