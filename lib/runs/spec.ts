import type { OnboardingSpec } from "@/lib/policies/types";

/** The stored JSON array of notification email addresses (anything else reads as none). */
export function parseEmailList(text: string | undefined): string[] {
  try {
    const v: unknown = JSON.parse(text ?? "[]");
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export interface OnboardingRow {
  id: string;
  region: string;
  repositoryName: string;
  branchName: string;
  pipelineName: string;
  pipelineType: string;
  buildMode: string;
  buildProject: string;
  approval: boolean;
  notifications?: boolean;
  notificationEmails?: string;
  pipelineRoleName?: string | null;
  toolsAccount: { accountId: string; organizationId?: string | null; roleArn?: string };
  repoAccount: { accountId: string };
}

/** The pure-document input for one onboarding, from its database row. */
export function specOf(o: OnboardingRow): OnboardingSpec {
  return {
    onboardingId: o.id,
    region: o.region,
    toolsAccountId: o.toolsAccount.accountId,
    repoAccountId: o.repoAccount.accountId,
    repositoryName: o.repositoryName,
    branchName: o.branchName,
    pipelineName: o.pipelineName,
    pipelineType: o.pipelineType === "V2" ? "V2" : "V1",
    build: o.buildMode === "existing" ? { mode: "existing", projectName: o.buildProject } : { mode: "create", projectName: o.buildProject },
    approval: { enabled: o.approval },
    ...(o.notifications ? { notifications: { emails: parseEmailList(o.notificationEmails) } } : {}),
    ...(o.pipelineRoleName ? { pinnedPipelineRoleName: o.pipelineRoleName } : {}),
    ...(o.toolsAccount.organizationId ? { organizationId: o.toolsAccount.organizationId } : {}),
    ...(o.toolsAccount.roleArn ? { toolsProvisioningRoleArn: o.toolsAccount.roleArn } : {}),
  };
}
