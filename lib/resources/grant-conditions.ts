/** Conditions the provisioning role's statements share (lib/resources/provisioning-role.ts and each kind's grants). */
import { MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from "@/lib/policies/managed-by-tag";
import { PORTAL_TAG_KEY } from "@/lib/policies/types";

export const MANAGED = { [`aws:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE };
export const REQUESTED = { [`aws:RequestTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE };

/** Condition of a creation (or its tagging action): tagged as the portal's, only portal tag keys, and never re-tagging a resource someone else marked. */
export const CREATE_TAGGED = {
  StringEquals: REQUESTED,
  "ForAllValues:StringLike": { "aws:TagKeys": "portal:*" },
  StringEqualsIfExists: MANAGED,
};

/** Resources the portal created carry its onboarding tag (also those created before portal:managed-by existed). */
export const PORTAL_CREATED = { Null: { [`aws:ResourceTag/${PORTAL_TAG_KEY}`]: "false" } };
