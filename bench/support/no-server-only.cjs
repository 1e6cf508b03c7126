// Preload for benchmarks that render React to HTML: they run without the react-server condition (react-dom/server
// needs the full React), so the "server-only" marker package would throw; point it at an empty module instead, for
// require() and for ESM imports alike.
const Module = require("node:module");
const path = require("node:path");

const empty = path.join(__dirname, "empty.cjs");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === "server-only" ? empty : resolve.call(this, request, ...rest);
};
Module.register?.(
  `data:text/javascript,${encodeURIComponent(
    `export async function resolve(s, c, next) { return s === "server-only" ? { url: ${JSON.stringify(require("node:url").pathToFileURL(empty).href)}, shortCircuit: true } : next(s, c); }`,
  )}`,
);
