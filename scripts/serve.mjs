// Serves the built portal (or `next dev` with --dev) through Node's HTTP server so the caller's address comes
// from the socket: every request gets x-crossline-client-ip set here (a client-sent one is overwritten), and
// X-Forwarded-For is believed only from PORTAL_TRUSTED_PROXIES (scripts/client-ip.mjs). The address is signed
// with a key made at each start and handed to Next through the environment (PORTAL_CLIENT_IP_KEY), so the
// portal believes the header only when this server set it: under plain `next start` a client could send it.
// Usage: node scripts/serve.mjs [--dev] -p <port>
import { randomBytes } from "node:crypto";
import http from "node:http";
import {
  CLIENT_IP_HEADER,
  CLIENT_IP_KEY_ENV,
  CLIENT_IP_SIG_HEADER,
  parseTrustedProxies,
  resolveClientIp,
  signClientIp,
} from "./client-ip.mjs";
import { proxyWarning } from "./proxy-warning.mjs";
import { root } from "./setup.mjs";

const dev = process.argv.includes("--dev");
// Always a fresh key: one set in the environment by someone else is not trusted.
const ipKey = randomBytes(32).toString("base64url");
process.env[CLIENT_IP_KEY_ENV] = ipKey;
// As `next start` / `next dev` do, before Next is loaded.
process.env.NODE_ENV ??= dev ? "development" : "production";
const { default: next } = await import("next");
const pIndex = process.argv.indexOf("-p");
const port = Number(pIndex > 0 ? process.argv[pIndex + 1] : (process.env.PORT ?? 3000));
const trusted = parseTrustedProxies(process.env.PORTAL_TRUSTED_PROXIES);
const warning = proxyWarning(process.env);
if (warning) console.warn(`[serve] WARNING: ${warning}`);

const app = next({ dev, dir: root, port, hostname: "localhost" });
const handle = app.getRequestHandler();
await app.prepare();
const server = http.createServer((req, res) => {
  const ip = resolveClientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
  delete req.headers[CLIENT_IP_SIG_HEADER];
  if (ip) {
    req.headers[CLIENT_IP_HEADER] = ip;
    req.headers[CLIENT_IP_SIG_HEADER] = signClientIp(ip, ipKey);
  } else delete req.headers[CLIENT_IP_HEADER];
  // Next fills x-forwarded-for from the socket only when it is absent; give it the resolved client.
  if (ip) req.headers["x-forwarded-for"] = ip;
  else delete req.headers["x-forwarded-for"];
  handle(req, res);
});
// Dev mode: hot reload runs over WebSocket upgrades.
if (dev && typeof app.getUpgradeHandler === "function") server.on("upgrade", app.getUpgradeHandler());
server.listen(port, () => console.log(`[serve] portal listening on http://localhost:${port}${dev ? " (dev)" : ""}`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
