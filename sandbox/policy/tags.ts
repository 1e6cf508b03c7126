/** aws:RequestTag/<key> and aws:TagKeys of a request that carries tags, and the actions that model them. */
import { registerConditionKeys } from "./conditions";
import { type ConditionContext, asList } from "./types";

/**
 * Operations whose declarations put the request's tags in the context (AWS's reference lists aws:RequestTag and
 * aws:TagKeys for them). A condition on request tags of any other action that the reference lists fails closed.
 */
registerConditionKeys(
  ["aws:requesttag/*", "aws:TagKeys"],
  [
    "iam:CreateRole",
    "iam:TagRole",
    "iam:CreatePolicy",
    "iam:TagPolicy",
    "kms:CreateKey",
    "kms:TagResource",
    "codepipeline:CreatePipeline",
    "codepipeline:TagResource",
    "codebuild:CreateProject",
    "codebuild:UpdateProject",
    "events:PutRule",
    "events:TagResource",
    "sts:AssumeRole",
    "sts:TagSession",
  ],
);
// IAM's own name for a role's tags, filled with aws:ResourceTag/<key> (resource-tags.ts).
registerConditionKeys(["iam:resourcetag/*"]);
registerConditionKeys(
  ["aws:TagKeys"],
  ["iam:UntagRole", "iam:UntagPolicy", "kms:UntagResource", "codepipeline:UntagResource", "events:UntagResource"],
);

type AnyTag = { Key?: string; Value?: string; TagKey?: string; TagValue?: string; key?: string; value?: string };

/** The tags of a request (any of AWS's spellings: Key/Value, TagKey/TagValue, key/value) as condition keys. */
export function requestTagContext(tags: unknown): ConditionContext {
  const list = asList(tags as AnyTag[]).filter((t) => t && typeof t === "object" && (t.Key ?? t.TagKey ?? t.key));
  if (!list.length) return {};
  const out: ConditionContext = {};
  for (const t of list) out[`aws:RequestTag/${t.Key ?? t.TagKey ?? t.key}`] = t.Value ?? t.TagValue ?? t.value ?? "";
  out["aws:TagKeys"] = list.map((t) => String(t.Key ?? t.TagKey ?? t.key));
  return out;
}

/** aws:TagKeys of an untag request (a list of keys). */
export const tagKeysContext = (keys: unknown): ConditionContext => {
  const list = asList(keys as string[]).filter((k) => typeof k === "string");
  return list.length ? { "aws:TagKeys": list } : {};
};

export const hasTags = (tags: unknown) => Object.keys(requestTagContext(tags)).length > 0;
