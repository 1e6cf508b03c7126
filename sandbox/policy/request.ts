/**
 * The request as IAM sees it, built from AWS's Service Authorization Reference (SAR): the action must exist; an action
 * with no resource types is authorized against "*" only; otherwise the resource must match the ARN format of one of
 * its resource types. Only the condition keys the SAR lists for the action (and the resource type it names), plus
 * global keys present in the request, exist in the context.
 */
import { type AbsentKey, isModelledKey } from "./conditions";
import "./tags"; // registers the actions whose request tags are modelled
import { type ActionRef, type ResourceTypeRef, actionReference, isListed, listedKeys, resourceTypeOf } from "./reference";
import type { ConditionContext } from "./types";

/** Resource types whose tags the sandbox puts in the context as aws:ResourceTag/<key> (see resource-tags.ts). */
export const RESOURCE_TAG_TYPES = new Set([
  "kms:key",
  "iam:role",
  "iam:policy",
  "codepipeline:pipeline",
  "codepipeline:stage",
  "codepipeline:action",
  "codebuild:project",
  "events:rule-on-default-event-bus",
  "events:rule-on-custom-event-bus",
  "s3:bucket",
  "sns:topic",
  "codestar-notifications:notificationrule",
]);

export type PreparedRequest =
  | { ok: true; ref: ActionRef; type?: ResourceTypeRef; context: ConditionContext; absent(key: string): AbsentKey }
  | { ok: false; reason: string };

const isTagFamily = (lower: string) =>
  lower.startsWith("aws:resourcetag/") || lower.startsWith("aws:requesttag/") || lower === "aws:tagkeys";

export function prepareRequest(action: string, resource: string, context: ConditionContext): PreparedRequest {
  const ref = actionReference(action);
  if (!ref) return { ok: false, reason: `${action} is not an action of AWS's Service Authorization Reference` };
  let type: ResourceTypeRef | undefined;
  if (ref.resourceTypes.length === 0) {
    if (resource !== "*")
      return {
        ok: false,
        reason: `${ref.action} has no resource types in the Service Authorization Reference: it is authorized against "*", not ${resource}`,
      };
  } else if (resource === "*") {
    if (ref.resourceTypes.some((t) => t.required))
      return {
        ok: false,
        reason: `${ref.action} requires a resource (${ref.resourceTypes.map((t) => t.arnFormat).join(" | ")}), the request names none`,
      };
  } else {
    type = resourceTypeOf(ref, resource);
    if (!type)
      return {
        ok: false,
        reason: `${resource} matches no resource type of ${ref.action} (${ref.resourceTypes.map((t) => t.arnFormat).join(" | ")})`,
      };
  }
  const listed = listedKeys(ref, type);
  const kept: ConditionContext = {};
  for (const [k, v] of Object.entries(context)) {
    const lower = k.toLowerCase();
    const keep = lower.startsWith("aws:") && !isTagFamily(lower) ? true : isListed(listed, k);
    if (keep) kept[k] = v;
  }
  const absent = (key: string): AbsentKey => {
    const lower = key.toLowerCase();
    if (isTagFamily(lower) || !lower.startsWith("aws:")) {
      // A key the SAR does not list for this request does not exist in it: the condition sees it as absent.
      if (!isListed(listed, key)) return { modelled: true };
      if (lower.startsWith("aws:resourcetag/"))
        return type && RESOURCE_TAG_TYPES.has(type.id)
          ? { modelled: true }
          : { modelled: false, reason: `the sandbox does not model aws:ResourceTag for ${type?.id ?? `${ref.action} without a resource`}` };
      const family = lower.includes("/") ? `${lower.slice(0, lower.indexOf("/"))}/*` : lower;
      if (isModelledKey(family, ref.action) || isModelledKey(lower, ref.action)) return { modelled: true };
      return {
        modelled: false,
        reason: `the Service Authorization Reference lists it for ${ref.action} but the sandbox does not model it`,
      };
    }
    if (isModelledKey(lower, ref.action)) return { modelled: true };
    return { modelled: false, reason: "the sandbox does not model this global condition key" };
  };
  return { ok: true, ref, type, context: kept, absent };
}
