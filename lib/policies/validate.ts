/** Input validation for onboarding specs, using the name rules. Pure: returns problems, never throws. */
import { z } from "zod";
import {
  accountIdSchema,
  branchNameSchema,
  codeBuildProjectNameSchema,
  codeCommitRepositoryNameSchema,
  pipelineNameSchema,
  regionSchema,
  stageNameSchema,
} from "@/lib/names/rules";
import type { OnboardingSpec } from "./types";

export const onboardingSpecSchema = z
  .object({
    onboardingId: z.string().min(1, "The onboarding id is required").max(256, "The onboarding id must be at most 256 characters"),
    partition: z.literal("aws").optional(),
    region: regionSchema,
    toolsAccountId: accountIdSchema,
    repoAccountId: accountIdSchema,
    repositoryName: codeCommitRepositoryNameSchema,
    branchName: branchNameSchema,
    pipelineName: pipelineNameSchema,
    pipelineType: z.enum(["V1", "V2"]),
    executionMode: z.enum(["SUPERSEDED", "QUEUED", "PARALLEL"]).optional(),
    build: z.discriminatedUnion("mode", [
      z.object({ mode: z.literal("existing"), projectName: codeBuildProjectNameSchema }),
      z.object({
        mode: z.literal("create"),
        projectName: codeBuildProjectNameSchema,
        image: z.string().min(1).optional(),
        computeType: z.string().min(1).optional(),
      }),
    ]),
    approval: z.object({ enabled: z.boolean(), stageName: stageNameSchema.optional() }),
  })
  .superRefine((spec, ctx) => {
    if (spec.pipelineType === "V1" && spec.executionMode && spec.executionMode !== "SUPERSEDED") {
      ctx.addIssue({ code: "custom", path: ["executionMode"], message: "QUEUED and PARALLEL execution modes need a V2 pipeline" });
    }
    const approvalStage = spec.approval.stageName ?? "Approval";
    if (spec.approval.enabled && (approvalStage === "Source" || approvalStage === "Build")) {
      ctx.addIssue({
        code: "custom",
        path: ["approval", "stageName"],
        message: "The approval stage needs a name other than Source and Build",
      });
    }
  });

export interface SpecProblem {
  path: string;
  message: string;
}

/** Problems with the spec, one per field issue; empty when valid. */
export function validateOnboardingSpec(spec: unknown): SpecProblem[] {
  const r = onboardingSpecSchema.safeParse(spec);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/** Thrown only by builders whose output AWS would reject (the pipeline declaration). */
export class PolicyInputError extends Error {
  readonly problems: string[];
  constructor(what: string, problems: string[]) {
    super(`Invalid ${what}: ${problems.join("; ")}`);
    this.name = "PolicyInputError";
    this.problems = problems;
  }
}

export type { OnboardingSpec };
