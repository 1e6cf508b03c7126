/**
 * Whether a resource the ledger records is still this onboarding's own, judged from what AWS says now: the ARN
 * its name resolves to must be the recorded ARN, and its tags must carry `portal:managed-by` = `crossline-portal`
 * and `portal:onboarding` = this onboarding (lib/policies/common.ts `portalTags`). Teardown deletes nothing else:
 * a name or an alias alone proves nothing, since anyone may re-create or re-tag a resource under it. Pure.
 */
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE, PORTAL_TAG_KEY } from "@/lib/policies/types";

export type TagPairs = [string, string | undefined][];

/** How every "kept because it is not ours" reason begins (the offboard page shows it before confirming). */
export const NOT_OWN = "not this onboarding's own";

/**
 * null when the tags name one of `owners` (this onboarding; for the shared key also the onboarding that created it)
 * and carry the portal's mark; otherwise why the resource is kept.
 */
export function notOwnReason(tags: TagPairs, owners: string[]): string | null {
  const owner = tags.find(([k]) => k === PORTAL_TAG_KEY)?.[1];
  if (!owner) return `${NOT_OWN}: untagged (it carries no ${PORTAL_TAG_KEY} tag), so offboarding leaves it in place`;
  if (!owners.includes(owner)) return `${NOT_OWN}: tagged for ${owner}, so offboarding leaves it in place`;
  const mark = tags.find(([k]) => k === MANAGED_BY_TAG_KEY)?.[1];
  if (mark !== MANAGED_BY_TAG_VALUE)
    return `${NOT_OWN}: its ${MANAGED_BY_TAG_KEY} tag is ${mark === undefined ? "missing" : `"${mark}"`}, not ${MANAGED_BY_TAG_VALUE}, so offboarding leaves it in place`;
  return null;
}

/** null when the resource found under the recorded name is the recorded one; otherwise why it is kept. */
export function arnMismatchReason(recorded: string, found: string | undefined): string | null {
  if (found === recorded) return null;
  return `${NOT_OWN}: the resource under this name is ${found ?? "of unknown ARN"}, not the ${recorded} the portal recorded, so offboarding leaves it in place`;
}

/** `arn:<partition>:s3:::<bucket>` → the bucket; null for anything else. */
export function bucketOfArn(arn: string): string | null {
  const m = /^arn:[\w-]+:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/.exec(arn);
  return m ? m[1] : null;
}

export const LEGACY_BUCKET_REASON =
  "the old shared artifact bucket of naming v1 (every onboarding of the tools account and region wrote to it): an offboarding never deletes it or its objects";

/**
 * Whether offboarding may delete a recorded bucket, from names alone (the tags are checked separately, before any
 * object is deleted): the recorded ARN must name exactly this onboarding's per-onboarding bucket
 * (lib/names/derive.ts `artifactBucketNameFor`), never the naming-v1 shared one (`legacyArtifactBucketNameFor`).
 */
export function bucketNameReason(
  row: { name: string; arn: string },
  names: { bucketName: string; legacyBucketName: string },
): string | null {
  const bucket = bucketOfArn(row.arn);
  if (bucket === names.legacyBucketName || row.name === names.legacyBucketName) return LEGACY_BUCKET_REASON;
  if (bucket !== row.name)
    return `${NOT_OWN}: the recorded ARN ${row.arn} does not name the bucket ${row.name}, so offboarding leaves it in place`;
  if (bucket !== names.bucketName)
    return `${NOT_OWN}: ${bucket} is not this onboarding's bucket name (${names.bucketName}), so offboarding leaves it in place`;
  return null;
}
