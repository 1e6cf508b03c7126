/**
 * Whether a key policy lets the provisioning role administer the key: the only grant that changes a key is the
 * key policy's own (provisioning-role.ts: no IAM statement changes keys), normally the statement written at CreateKey.
 */
import { PORTAL_KEY_ADMIN_ACTIONS } from "./provisioning-role-names";
import type { PolicyDocument, Statement } from "./types";

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function grants(s: Statement, action: string): boolean {
  return list(s.Action).some((a) => a === "*" || a.toLowerCase() === "kms:*" || a.toLowerCase() === action.toLowerCase());
}

/** True when an unconditioned Allow names `roleArn` for every action the portal takes on its keys, and no Deny names it. */
export function keyPolicyAdministeredBy(doc: PolicyDocument | undefined, roleArn: string): boolean {
  if (!doc) return false;
  const names = (s: Statement) => s.Principal === "*" || list(s.Principal?.AWS).includes(roleArn) || list(s.Principal?.AWS).includes("*");
  const allows = doc.Statement.filter(
    (s) => s.Effect === "Allow" && !s.Condition && list(s.Principal === "*" ? undefined : s.Principal?.AWS).includes(roleArn),
  );
  const denied = doc.Statement.some((s) => s.Effect === "Deny" && names(s) && PORTAL_KEY_ADMIN_ACTIONS.some((a) => grants(s, a)));
  return !denied && PORTAL_KEY_ADMIN_ACTIONS.every((a) => allows.some((s) => grants(s, a)));
}
