import { consoleUrlForArn } from "./console-url";
import type { ResourceKind } from "./types";

/** The shared artifact key's policy (tools.key-policy): this onboarding's grants among other onboardings' and foreign statements. */
export const kmsKeyPolicy: ResourceKind = {
  kind: "kms-key-policy",
  label: "KMS key policy",
  service: "KMS",
  // Plan items name the key's ARN: the key's page shows its policy.
  console: { url: consoleUrlForArn, example: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
  grants: {
    coveredBy: ["kms-key"],
    reason:
      "ReadKeys reads the policy; PutKeyPolicy is allowed by the key policy statement written at CreateKey (provisioningRoleKeyAdministration), never by IAM",
  },
  applySteps: ["tools.key-policy"],
  delete: {
    none: "a document shared by every onboarding of the key: teardown removes this onboarding's statements (lib/teardown/steps/shared-statements.ts), never the policy",
  },
};
