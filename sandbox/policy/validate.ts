import { AwsError } from "../errors";
import { AWS_CONDITION_OPERATORS } from "./conditions";
import { type PolicyDocument, type PolicyStatement, asList } from "./types";

export type PolicyKind = "identity" | "trust" | "resource";

const malformed = (msg: string, code = "MalformedPolicyDocument") => new AwsError(code, msg, 400, "Sender", `${code}Exception`);

/** Parse and check the grammar of a policy document the way IAM does at write time. */
export function parsePolicyDocument(text: unknown, kind: PolicyKind, errorCode = "MalformedPolicyDocument"): PolicyDocument {
  if (typeof text !== "string" || !text.trim()) throw malformed("Syntax errors in policy.", errorCode);
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed("This policy contains invalid Json", errorCode);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw malformed("Syntax errors in policy.", errorCode);
  if (doc.Version !== undefined && doc.Version !== "2012-10-17" && doc.Version !== "2008-10-17")
    throw malformed("The policy failed legacy parsing", errorCode);
  if (doc.Statement === undefined) throw malformed("Syntax errors in policy.", errorCode);
  const statements = asList<PolicyStatement>(doc.Statement);
  if (statements.length === 0) throw malformed("Syntax errors in policy.", errorCode);
  for (const st of statements) checkStatement(st, kind, errorCode);
  return doc as PolicyDocument;
}

function checkStatement(st: PolicyStatement, kind: PolicyKind, code: string): void {
  if (typeof st !== "object" || st === null) throw malformed("Syntax errors in policy.", code);
  if (st.Effect !== "Allow" && st.Effect !== "Deny") throw malformed("Syntax errors in policy.", code);
  const hasAction = st.Action !== undefined,
    hasNotAction = st.NotAction !== undefined;
  if (hasAction === hasNotAction) throw malformed("Syntax errors in policy.", code);
  for (const a of asList(st.Action ?? st.NotAction)) {
    if (typeof a !== "string" || (a !== "*" && !/^[a-zA-Z0-9-]+:[A-Za-z0-9*?]+$/.test(a)))
      throw malformed(`Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.`, code);
  }
  const hasPrincipal = st.Principal !== undefined || st.NotPrincipal !== undefined;
  if (kind === "identity") {
    if (hasPrincipal) throw malformed("Policy document should not specify a principal.", code);
    if (st.Resource === undefined && st.NotResource === undefined) throw malformed("Policy statement must contain resources.", code);
  } else {
    if (!hasPrincipal) throw malformed("Missing required field Principal", code);
    checkPrincipal(st.Principal ?? st.NotPrincipal, code);
  }
  if (kind === "trust") {
    for (const a of asList(st.Action ?? st.NotAction)) {
      if (!/^sts:(AssumeRole[A-Za-z]*|SetSourceIdentity|TagSession|SetContext|\*)$/i.test(a) && a !== "*")
        throw malformed("AssumeRole policy may only specify STS AssumeRole actions.", code);
    }
  }
  if (st.Condition !== undefined) {
    if (typeof st.Condition !== "object" || st.Condition === null) throw malformed("Syntax errors in policy.", code);
    for (const [op, block] of Object.entries(st.Condition)) {
      const base = op.replace(/^(ForAnyValue|ForAllValues):/, "").replace(/IfExists$/, "");
      if (!AWS_CONDITION_OPERATORS.includes(base)) throw malformed(`Invalid Condition type : ${op}`, code);
      if (typeof block !== "object" || block === null || Array.isArray(block)) throw malformed("Syntax errors in policy.", code);
    }
  }
}

function checkPrincipal(p: unknown, code: string): void {
  if (p === "*") return;
  if (typeof p !== "object" || p === null || Array.isArray(p)) throw malformed("Invalid principal in policy", code);
  for (const [k, v] of Object.entries(p)) {
    if (!["AWS", "Service", "Federated", "CanonicalUser"].includes(k)) throw malformed(`Invalid principal in policy: "${k}"`, code);
    for (const e of asList(v as string | string[])) {
      if (typeof e !== "string") throw malformed("Invalid principal in policy", code);
      if (k === "AWS" && e !== "*" && !/^\d{12}$/.test(e) && !/^arn:aws:(iam|sts)::\d{12}:.+$/.test(e))
        throw malformed(`Invalid principal in policy: "AWS":"${e}"`, code);
    }
  }
}
