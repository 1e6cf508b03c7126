/** HTTP front door: routes AWS calls to services, injects faults, keeps the call log, renders errors per protocol. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { assertAuthorized, isPrincipalVisible } from "./access";
import { parseCredentialScope } from "./auth-header";
import { browserRefusal } from "./browser-guard";
import { AwsError, internalFailure, missingAuth, serviceUnavailable, slowDown, throttling } from "./errors";
import { type Faults, normalizeFaults } from "./faults";
import { peekAccount, resolveCaller } from "./identity";
import { requestId as newRequestId } from "./ids";
import { logWarn } from "./log";
import { parseJson, renderJsonError, renderJsonResult, targetPrefix } from "./protocols/json";
import { parseQuery, renderQueryError, renderQueryResult } from "./protocols/query";
import { renderRestXmlError } from "./protocols/restxml";
import { assertSafeKeys } from "./protocols/safe-keys";
import type { ParsedRequest, ProtocolName, WireResponse } from "./protocols/types";
import type { OpContext, ServiceDef, ServiceHost } from "./registry";
import { type World, ensureAccount, saveWorld } from "./state";
import { summarize } from "./summary";

export interface CallLogEntry {
  service: string;
  action: string;
  account: string;
  mutating: boolean;
  status: number;
  at: number;
}

const CALL_LOG_LIMIT = 10_000;
const DEFAULT_XMLNS = "https://iam.amazonaws.com/doc/2010-05-08/";

export class SandboxServer {
  readonly callLog: CallLogEntry[] = [];
  faults: Faults;
  private readonly http: http.Server;
  private readonly subscribers = new Map<string, ((payload: unknown) => void)[]>();
  private readonly closeHooks: (() => void)[] = [];
  private readonly host: ServiceHost;
  private url?: string;

  constructor(
    public world: World,
    private readonly services: ServiceDef[],
    faults: Faults = {},
    private readonly stateFile?: string,
  ) {
    this.faults = normalizeFaults(faults);
    this.http = http.createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        logWarn(`unhandled: ${(e as Error).stack ?? e}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.host = {
      world: () => this.world,
      faults: () => this.faults,
      persist: () => this.persist(),
      subscribe: (t: string, fn: (p: unknown) => void) => this.subscribe(t, fn),
      publish: (t: string, p: unknown) => this.publish(t, p),
      onClose: (fn: () => void) => {
        this.closeHooks.push(fn);
      },
      baseUrl: () => this.url,
    };
    for (const s of services) s.attach?.(this.host);
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(port, host, () => {
        const addr = this.http.address() as AddressInfo;
        this.url = `http://${host.includes(":") ? `[${host}]` : host}:${addr.port}`;
        resolve(addr);
      });
    });
  }

  close(): Promise<void> {
    for (const fn of this.closeHooks.splice(0)) fn();
    this.persist();
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  persist(): void {
    if (this.stateFile) saveWorld(this.stateFile, this.world);
  }

  subscribe(topic: string, fn: (payload: unknown) => void): () => void {
    const list = this.subscribers.get(topic) ?? [];
    list.push(fn);
    this.subscribers.set(topic, list);
    return () =>
      this.subscribers.set(
        topic,
        (this.subscribers.get(topic) ?? []).filter((f) => f !== fn),
      );
  }

  publish(topic: string, payload: unknown): void {
    for (const fn of this.subscribers.get(topic) ?? []) {
      try {
        fn(payload);
      } catch (e) {
        logWarn(`subscriber of ${topic} failed: ${(e as Error).stack ?? e}`);
      }
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const body = await readBody(req);
    const refused = browserRefusal(req.headers, { method: req.method, path: url.pathname });
    if (refused) return send(res, refused);
    if (url.pathname.startsWith("/_sandbox/")) {
      if (body.length && !jsonKeysSafe(body))
        return send(res, {
          status: 400,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ error: "__proto__, constructor and prototype are not allowed as keys" }),
        });
      return send(res, await this.control(req.method ?? "GET", url.pathname, body));
    }

    const reqId = newRequestId();
    const response = await this.dispatch(req, url, body, reqId);
    if (this.faults.latencyMs) await sleep(this.faults.latencyMs);
    response.headers["x-amzn-requestid"] = reqId;
    send(res, response);
  }

  private async dispatch(req: http.IncomingMessage, url: URL, body: Buffer, reqId: string): Promise<WireResponse> {
    const scope = parseCredentialScope(header(req, "authorization"), url.searchParams);
    const target = header(req, "x-amz-target");
    const svc =
      this.services.find((s) => s.name === scope?.service) ??
      (target ? this.services.find((s) => s.targetPrefix === targetPrefix(target)) : undefined);
    const protocol: ProtocolName = svc?.protocol ?? (target ? "json" : "query");
    const render = (e: AwsError) =>
      protocol === "json" || protocol === "rest-json"
        ? renderJsonError(e, svc?.jsonContentType)
        : protocol === "rest-xml"
          ? renderRestXmlError(e, reqId, url.pathname)
          : renderQueryError(e, svc?.xmlns ?? DEFAULT_XMLNS, reqId);
    const entry: CallLogEntry = {
      service: svc?.name ?? scope?.service ?? "unknown",
      action: "unknown",
      account: "unknown",
      mutating: false,
      status: 0,
      at: Date.now(),
    };
    const finish = (r: WireResponse) => {
      entry.status = r.status;
      this.callLog.push(entry);
      if (this.callLog.length > CALL_LOG_LIMIT) this.callLog.splice(0, this.callLog.length - CALL_LOG_LIMIT);
      return r;
    };

    try {
      let parsed: ParsedRequest | undefined;
      if (svc && svc.protocol !== "rest-xml" && svc.protocol !== "rest-json") {
        parsed = svc.protocol === "json" ? parseJson(body.toString("utf8"), target) : parseQuery(body.toString("utf8"), url.searchParams);
        entry.action = parsed.action ?? "unknown";
        entry.mutating = svc.operations[entry.action]?.mutating ?? false;
      } else if (svc) {
        const name = svc.classify?.({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams });
        entry.action = name ?? `${req.method} ${url.pathname}`;
        entry.mutating = name ? (svc.operations[name]?.mutating ?? false) : req.method !== "GET" && req.method !== "HEAD";
      }
      if (scope) entry.account = peekAccount(this.world, scope.accessKeyId) ?? "unknown";
      // Faults come first: nothing is read or changed when a call is throttled or fails.
      // S3 throttles with 503 SlowDown (a HEAD has no body, so only the status tells the SDK to retry).
      if (this.faults.throttleRate && Math.random() < this.faults.throttleRate)
        return finish(render(protocol === "rest-xml" ? slowDown() : throttling()));
      if (this.faults.serverErrorRate && Math.random() < this.faults.serverErrorRate)
        return finish(render(Math.random() < 0.5 ? internalFailure() : serviceUnavailable()));
      if (!scope) return finish(render(missingAuth()));

      const now = Date.now();
      const caller = resolveCaller(this.world, scope.accessKeyId, header(req, "x-amz-security-token"), now);
      entry.account = caller.account ?? "unknown";
      const base = {
        world: this.world,
        caller,
        region: scope.region,
        now,
        requestId: reqId,
        faults: this.faults,
        isPrincipalVisible: (arn: string) => isPrincipalVisible(this.world, arn, Date.now(), this.faults.iamPropagationDelayMs),
        publish: (topic: string, payload: unknown) => this.publish(topic, payload),
      };
      if (!svc) {
        return finish(
          render(
            target
              ? new AwsError("UnknownOperationException", `The sandbox does not implement ${target}`, 400)
              : new AwsError("InvalidAction", `The sandbox does not implement service ${scope.service}`, 400),
          ),
        );
      }
      if (svc.rawHandler) {
        const r = await svc.rawHandler(
          { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body },
          base,
        );
        if (entry.mutating && r.status < 300) this.persist();
        return finish(r);
      }
      const op = parsed?.action ? svc.operations[parsed.action] : undefined;
      if (!op) {
        return finish(
          render(
            svc.protocol === "json"
              ? new AwsError(
                  "UnknownOperationException",
                  `The sandbox does not implement operation ${parsed?.action ?? target} of ${svc.name}`,
                  400,
                )
              : new AwsError(
                  "InvalidAction",
                  `Could not find operation ${parsed?.action ?? "(none)"} for version of ${svc.name} (the sandbox does not implement it)`,
                  400,
                ),
          ),
        );
      }
      if (!caller.account) throw missingAuth();
      const ctx: OpContext = { ...base, account: caller.account };
      if ((op.auth ?? "identity") === "identity") {
        const resources = [op.resources(parsed!.input, ctx)].flat();
        const context = op.conditionContext?.(parsed!.input, ctx);
        for (const r of resources) assertAuthorized(this.world, caller, op.iamAction, r, { region: scope.region, now, context });
      }
      for (const extra of op.alsoAuthorize?.(parsed!.input, ctx) ?? [])
        assertAuthorized(this.world, caller, extra.action, extra.resource, { region: scope.region, now, context: extra.context });
      const result = await op.handler(parsed!.input, ctx);
      if (op.mutating || op.persists) this.persist();
      return finish(
        svc.protocol === "json"
          ? renderJsonResult(result, svc.jsonContentType)
          : renderQueryResult(op.action, svc.xmlns ?? DEFAULT_XMLNS, result, reqId),
      );
    } catch (e) {
      if (e instanceof AwsError) return finish(render(e));
      logWarn(`handler error in ${entry.service}:${entry.action}: ${(e as Error).stack ?? e}`);
      return finish(render(internalFailure()));
    }
  }

  private async control(method: string, path: string, body: Buffer): Promise<WireResponse> {
    const json = (status: number, value: unknown): WireResponse => ({
      status,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(value),
    });
    const route = `${method} ${path.replace(/\/+$/, "")}`;
    switch (route) {
      case "GET /_sandbox/health":
        return json(200, { ok: true, services: this.services.map((s) => s.name) });
      case "GET /_sandbox/calls":
        return json(200, this.callLog);
      case "POST /_sandbox/calls/reset":
        this.callLog.length = 0;
        return json(200, { ok: true });
      case "GET /_sandbox/faults":
        return json(200, this.faults);
      case "POST /_sandbox/faults": {
        try {
          this.faults = normalizeFaults(JSON.parse(body.toString("utf8") || "{}"));
        } catch {
          return json(400, { error: "body must be JSON Faults" });
        }
        return json(200, this.faults);
      }
      case "POST /_sandbox/organization": {
        // {"organizationId": "o-…", "accounts": ["111111111111", …]}: those accounts join the organization (aws:PrincipalOrgID).
        let req: { organizationId?: unknown; accounts?: unknown };
        try {
          req = JSON.parse(body.toString("utf8") || "{}");
        } catch {
          return json(400, { error: "body must be JSON" });
        }
        const id = req.organizationId;
        const accounts = Array.isArray(req.accounts) ? req.accounts : [];
        if (
          (id !== null && (typeof id !== "string" || !/^o-[a-z0-9]{10,32}$/.test(id))) ||
          !accounts.length ||
          !accounts.every((a) => typeof a === "string" && /^\d{12}$/.test(a))
        )
          return json(400, {
            error: 'expected {organizationId: "o-" + 10-32 lowercase letters or digits (or null to leave), accounts: [12-digit ids]}',
          });
        for (const a of accounts as string[]) {
          const acct = ensureAccount(this.world, a);
          if (id === null) delete acct.organizationId;
          else acct.organizationId = id as string;
        }
        this.persist();
        return json(200, { organizationId: id, accounts });
      }
      case "GET /_sandbox/state":
        return json(200, summarize(this.world));
      default: {
        const extra = this.services.find((s) => s.controlRoutes?.[route])?.controlRoutes?.[route];
        if (extra) return json(200, extra(this.world));
        for (const s of this.services) {
          const r = await s.control?.({ method, path, body }, this.host);
          if (r) return r;
        }
        return json(404, { error: `no control route ${route}` });
      }
    }
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** False when a JSON body carries a __proto__/constructor/prototype key (non-JSON bodies are the routes' concern). */
function jsonKeysSafe(body: Buffer): boolean {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    return true;
  }
  try {
    assertSafeKeys(value);
    return true;
  } catch {
    return false;
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, r: WireResponse): void {
  const body = typeof r.body === "string" ? Buffer.from(r.body, "utf8") : r.body;
  res.writeHead(r.status, { ...r.headers, "content-length": String(body.length) });
  res.end(body);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
