import { z } from "zod";
import { isCommercialRegion } from "@/lib/names/regions";
import { accountIdField } from "./account-id";

export const PURPOSES = ["tools", "repo", "both"] as const;
export type Purpose = (typeof PURPOSES)[number];

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/;

const trimmed = (max: number, label: string) =>
  z.string().trim().min(1, `${label} is required.`).max(max, `${label} must be at most ${max} characters.`);

export const accountFields = z
  .object({
    name: trimmed(64, "Display name"),
    accountId: accountIdField,
    purpose: z.enum(PURPOSES, { error: "Choose tools, repo or both." }),
    defaultRegion: z.string().trim().refine(isCommercialRegion, "Choose a commercial AWS region from the list."),
    roleArn: trimmed(2048, "Provisioning role ARN").regex(
      ROLE_ARN,
      "Enter an IAM role ARN such as arn:aws:iam::123456789012:role/PortalProvisioningRole.",
    ),
    externalId: z
      .string()
      .trim()
      .max(1224, "An external id is at most 1224 characters.")
      .regex(/^([\w+=,.@:/-]{2,})?$/, "An external id is 2 or more of letters, digits and +=,.@:/-")
      .optional()
      .transform((v) => (v ? v : undefined)),
    // AWS Organizations ids: "o-" + 10 to 32 lowercase letters or digits (Organizations API reference).
    organizationId: z
      .string()
      .trim()
      .regex(/^(o-[a-z0-9]{10,32})?$/, "An AWS Organization id looks like o-a1b2c3d4e5 (o- and 10 to 32 lowercase letters or digits).")
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .superRefine((v, ctx) => {
    if (v.organizationId && v.purpose === "repo") {
      ctx.addIssue({
        code: "custom",
        path: ["organizationId"],
        message: "The Organization-wide grant is a setting of tools accounts (their event bus and key); leave it empty for a repo account.",
      });
    }
    const arnAccount = ROLE_ARN.exec(v.roleArn)?.[1];
    // Only a well-formed id is compared: a malformed one already has its own error (no second, confusing one).
    if (arnAccount && /^\d{12}$/.test(String(v.accountId)) && arnAccount !== v.accountId) {
      ctx.addIssue({
        code: "custom",
        path: ["roleArn"],
        message: `The role must be in account ${v.accountId}; this ARN is in ${arnAccount}.`,
      });
    }
  });

export type AccountFields = z.infer<typeof accountFields>;

export const accountUpdate = accountFields.and(z.object({ id: z.string().min(1) }));
export const accountRef = z.object({ id: z.string().min(1, "Missing account.") });
