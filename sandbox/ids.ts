import { createHash, randomBytes, randomUUID } from "node:crypto";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** AWS-style unique ids: AROA… (role), ANPA… (policy), ASIA… (temporary access key). */
export function awsId(prefix: string, length = 21): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (let i = out.length; i < length; i++) out += ALNUM[bytes[i] % ALNUM.length];
  return out;
}

export const requestId = () => randomUUID();
export const uuid = () => randomUUID();
export const secret = (n = 40) =>
  randomBytes(n)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, n)
    .padEnd(n, "x");
export const sha1 = (data: string | Buffer) => createHash("sha1").update(data).digest("hex");
