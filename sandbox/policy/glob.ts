const cache = new Map<string, RegExp>();

/** IAM wildcard match: `*` any run of characters, `?` any single character. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const key = (ignoreCase ? "i:" : "c:") + pattern;
  let re = cache.get(key);
  if (!re) {
    const src = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${src}$`, ignoreCase ? "is" : "s");
    cache.set(key, re);
  }
  return re.test(value);
}

/** ARN match: the six colon-separated parts are compared one by one, each with wildcards. */
export function arnMatch(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return false;
  return p.every((part, i) => globMatch(part, v[i]));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}
