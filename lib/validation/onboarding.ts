import { z } from "zod";
import { required } from "./required";
import {
  branchNameSchema,
  codeBuildProjectNameSchema,
  codeCommitRepositoryNameSchema,
  pipelineNameSchema,
  regionSchema,
} from "@/lib/names/rules";

const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.literal(""), z.boolean()])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

const EMAIL = z.email();
/** Notification recipients: addresses separated by commas, spaces or new lines; each valid, at most 10, no repeats. */
export const notificationEmailList = z
  .string()
  .max(4000, "Too long: at most 10 addresses.")
  .optional()
  .transform((v, ctx) => {
    const list = [
      ...new Set(
        (v ?? "")
          .split(/[\s,;]+/)
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    for (const e of list)
      if (!EMAIL.safeParse(e).success) ctx.addIssue({ code: "custom", message: `“${e.slice(0, 80)}” is not an email address.` });
    if (list.length > 10)
      ctx.addIssue({ code: "custom", message: "At most 10 addresses: subscribe a mailing list, or wire a chat tool to the topic." });
    return list;
  });

/** What the onboarding form submits. Names follow docs/aws-domain.md#name-rules; cross-field and AWS checks come after. */
export const onboardingFields = z
  .object({
    toolsAccountId: z.string({ error: "Choose the tools account." }).min(1, "Choose the tools account."),
    repoAccountId: z.string({ error: "Choose the repo account." }).min(1, "Choose the repo account."),
    region: required("Choose the region.", regionSchema),
    repositoryName: required("Enter the repository name.", codeCommitRepositoryNameSchema),
    branchName: required("Enter the branch name.", branchNameSchema),
    pipelineName: required("Enter the pipeline name.", pipelineNameSchema),
    // V2 is the AWS console's default for new pipelines.
    pipelineType: z.enum(["V1", "V2"], { error: "Choose V1 or V2." }).default("V2"),
    buildMode: z.enum(["create", "existing"], { error: "Choose how the build stage is set up." }),
    buildProject: required("Enter the CodeBuild project name.", codeBuildProjectNameSchema),
    approval: checkbox,
    notifications: checkbox,
    notificationEmails: notificationEmailList,
  })
  .superRefine((v, ctx) => {
    if (v.toolsAccountId === v.repoAccountId) {
      ctx.addIssue({
        code: "custom",
        path: ["repoAccountId"],
        message: "The repo account must differ from the tools account (this portal builds cross-account pipelines).",
      });
    }
  });

type NotificationKeys = "notifications" | "notificationEmails";
/** Notifications are optional for callers other than the form (off, no addresses). */
type WithOptionalNotifications<T> = Omit<T, NotificationKeys> & Partial<Pick<T, NotificationKeys & keyof T>>;

export type OnboardingFields = WithOptionalNotifications<z.infer<typeof onboardingFields>>;

/** Fields that may change after creation: the rest name resources and stay fixed. */
export const onboardingEdit = z.object({
  id: z.string().min(1),
  branchName: required("Enter the branch name.", branchNameSchema),
  pipelineType: z.enum(["V1", "V2"]),
  buildMode: z.enum(["create", "existing"]),
  buildProject: required("Enter the CodeBuild project name.", codeBuildProjectNameSchema),
  approval: checkbox,
  notifications: checkbox,
  notificationEmails: notificationEmailList,
});

export type OnboardingEdit = WithOptionalNotifications<z.infer<typeof onboardingEdit>>;

const STEP_KEY = /^(tools|repo)\.[a-z-]+$/;

/**
 * Apply: the resources the plan listed as "adopt" (existing, untagged) are taken over only when the person applying
 * ticks the confirmation; `adopt` carries their step keys as the plan page listed them.
 */
export const applyInput = z
  .object({
    id: z.string().min(1, "Missing onboarding."),
    adopt: z
      .string()
      .optional()
      .transform((v) => (v ? v.split(",").filter(Boolean) : []))
      .pipe(z.array(z.string().regex(STEP_KEY, "Unknown resource to adopt.")).max(20)),
    confirmAdopt: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.adopt.length && v.confirmAdopt !== "on") {
      ctx.addIssue({
        code: "custom",
        path: ["confirmAdopt"],
        message: "Confirm that the portal may take over the existing resources listed as “adopt”, or rename or remove them first.",
      });
    }
  });
export const runRef = z.object({ runId: z.string().min(1, "Missing run.") });
