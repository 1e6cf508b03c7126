/** Server log lines go to stderr so they never mix with the CLI's stdout banner. */
export const logWarn = (msg: string) => process.stderr.write(`[sandbox] ${msg}\n`);
export const logDebug = (msg: string) => {
  if (process.env.SANDBOX_DEBUG) process.stderr.write(`[sandbox:debug] ${msg}\n`);
};
