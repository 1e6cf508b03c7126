import { z } from "zod";
import type { ChainHead } from "./chain";

/** An exported chain head as text: `<seq>:<hash>`, e.g. `1234:k1:3f…` (plain hashes are 64 hex). */
export const formatHead = (h: ChainHead) => `${h.seq}:${h.hash}`;

export const headSchema = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v, ctx): ChainHead | undefined => {
    if (!v) return undefined;
    const m = /^(\d{1,12}):((?:k1:)?[0-9a-f]{64})$/.exec(v);
    if (!m) {
      ctx.addIssue({ code: "custom", message: "Paste a head exactly as exported: <seq>:<hash>, e.g. 1234:k1:3f…" });
      return z.NEVER;
    }
    return { seq: Number(m[1]), hash: m[2] };
  });
