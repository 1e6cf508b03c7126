import { type Principal, type PrincipalBlock, asList } from "./types";

/** Does one `"AWS": "..."` entry of a Principal element name this caller? */
export function matchAwsPrincipal(entry: string, p: Principal): boolean {
  if (entry === "*") return p.type !== "service";
  if (/^\d{12}$/.test(entry)) return p.account === entry && p.type !== "service";
  const m = /^arn:aws:(iam|sts)::(\d{12}):(.+)$/.exec(entry);
  if (!m) return false;
  const [, svc, account, rest] = m;
  if (p.account !== account) return false;
  if (svc === "iam" && rest === "root") return p.type !== "service";
  if (svc === "iam" && rest.startsWith("role/")) {
    return p.type === "assumed-role" && !!p.roleArn && lastName(p.roleArn).toLowerCase() === lastName(rest).toLowerCase();
  }
  if (svc === "iam" && rest.startsWith("user/")) {
    return p.type === "user" && lastName(p.arn).toLowerCase() === lastName(rest).toLowerCase();
  }
  if (svc === "sts" && rest.startsWith("assumed-role/")) return p.type === "assumed-role" && p.arn === entry;
  return false;
}

const lastName = (arnOrPath: string) => arnOrPath.slice(arnOrPath.lastIndexOf("/") + 1);

/** Does a Principal element (of a resource or trust policy) name this caller? */
export function matchPrincipalBlock(block: PrincipalBlock | undefined, p: Principal): boolean {
  if (block === undefined) return false;
  if (block === "*") return true;
  if (typeof block !== "object") return false;
  if (asList(block.AWS).some((e) => matchAwsPrincipal(e, p))) return true;
  if (p.type === "service" && asList(block.Service).some((s) => s === p.service)) return true;
  // Federated and CanonicalUser principals are not implemented: they never match (fail closed).
  return false;
}

/** Does a resource policy's Principal element name this assumed-role session by its own ARN (not the role's)? */
export function namesSessionDirectly(block: PrincipalBlock | undefined, p: Principal): boolean {
  if (p.type !== "assumed-role" || !block || block === "*" || typeof block !== "object") return false;
  return asList(block.AWS).some((e) => e === p.arn);
}
