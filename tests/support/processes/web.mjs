// A stand-in web server for tests/integration/supervisor.int.test.ts: answers every request with its pid, on the
// port given as argv[2] (0 = any; the chosen port is printed as "listening <port>").
import http from "node:http";
const server = http.createServer((_req, res) => res.end(JSON.stringify({ pid: process.pid })));
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => process.stdout.write(`listening ${server.address().port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
