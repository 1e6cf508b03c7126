// A stand-in background process for tests/integration/supervisor.int.test.ts: prints its pid and waits.
process.stdout.write(`idle ${process.pid}\n`);
setInterval(() => {}, 60_000);
process.on("SIGTERM", () => process.exit(0));
