import "server-only";
import { db } from "@/lib/db";
import { onboardingInclude, type PipelineTarget } from "./read";

/** The onboarding whose pipeline the pipeline and execution pages show, with both accounts. */
export async function pipelineTarget(id: string): Promise<PipelineTarget | null> {
  return (await db.onboarding.findUnique({ where: { id }, include: onboardingInclude })) as PipelineTarget | null;
}
