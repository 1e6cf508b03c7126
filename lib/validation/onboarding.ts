import { z } from "zod";
import { branchNameSchema, codeBuildProjectNameSchema, codeCommitRepositoryNameSchema, pipelineNameSchema, regionSchema } from "@/lib/names/rules";

const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.literal(""), z.boolean()])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

/** What the onboarding form submits. Names follow domain.md's rules; cross-field and AWS checks come after. */
export const onboardingFields = z
  .object({
    toolsAccountId: z.string().min(1, "Choose the tools account."),
    repoAccountId: z.string().min(1, "Choose the repo account."),
    region: regionSchema,
    repositoryName: codeCommitRepositoryNameSchema,
    branchName: branchNameSchema,
    pipelineName: pipelineNameSchema,
    pipelineType: z.enum(["V1", "V2"], { error: "Choose V1 or V2." }),
    buildMode: z.enum(["create", "existing"], { error: "Choose how the build stage is set up." }),
    buildProject: codeBuildProjectNameSchema,
    approval: checkbox,
  })
  .superRefine((v, ctx) => {
    if (v.toolsAccountId === v.repoAccountId) {
      ctx.addIssue({ code: "custom", path: ["repoAccountId"], message: "The repo account must differ from the tools account (this portal builds cross-account pipelines)." });
    }
  });

export type OnboardingFields = z.infer<typeof onboardingFields>;

/** Fields that may change after creation: the rest name resources and stay fixed. */
export const onboardingEdit = z.object({
  id: z.string().min(1),
  branchName: branchNameSchema,
  pipelineType: z.enum(["V1", "V2"]),
  buildMode: z.enum(["create", "existing"]),
  buildProject: codeBuildProjectNameSchema,
  approval: checkbox,
});

export type OnboardingEdit = z.infer<typeof onboardingEdit>;

export const onboardingRef = z.object({ id: z.string().min(1, "Missing onboarding.") });
export const runRef = z.object({ runId: z.string().min(1, "Missing run.") });
