import { pipelineRolePermissionPolicy, pipelineRoleTrustPolicy } from "@/lib/policies/pipeline-role";
import { codeBuildRolePermissionPolicy, codeBuildRoleTrustPolicy } from "@/lib/policies/codebuild-role";
import { crossAccountRolePermissionPolicy, crossAccountRoleTrustPolicy } from "@/lib/policies/cross-account-role";
import {
  forwardPushRolePermissionPolicy,
  forwardPushRoleTrustPolicy,
  startOnPushRolePermissionPolicy,
  startOnPushRoleTrustPolicy,
} from "@/lib/policies/event-rules";
import { roleStep } from "./role-step";

export const pipelineRoleStep = roleStep({
  key: "tools.pipeline-role",
  title: "Pipeline service role",
  account: "tools",
  dependsOn: ["tools.kms-key"],
  role: (ctx) => ({
    role: ctx.names.roles.pipeline,
    policyName: ctx.names.policyNames.pipeline,
    trust: pipelineRoleTrustPolicy(ctx.spec, ctx.names),
    permissions: pipelineRolePermissionPolicy(ctx.spec, ctx.names, ctx.store),
    description: `CodePipeline service role of ${ctx.names.pipeline.name}`,
  }),
});

export const codeBuildRoleStep = roleStep({
  key: "tools.codebuild-role",
  title: "CodeBuild service role",
  account: "tools",
  dependsOn: ["tools.kms-key"],
  enabled: (spec) => spec.build.mode === "create",
  role: (ctx) => ({
    role: ctx.names.roles.codeBuild!,
    policyName: ctx.names.policyNames.codeBuild,
    trust: codeBuildRoleTrustPolicy(ctx.spec, ctx.names),
    permissions: codeBuildRolePermissionPolicy(ctx.spec, ctx.names, ctx.store),
    description: `CodeBuild service role of ${ctx.names.codeBuild.projectName}`,
  }),
});

export const crossAccountRoleStep = roleStep({
  key: "repo.cross-account-role",
  title: "Cross-account source role",
  account: "repo",
  dependsOn: ["tools.kms-key"],
  role: (ctx) => ({
    role: ctx.names.roles.crossAccount,
    policyName: ctx.names.policyNames.crossAccount,
    trust: crossAccountRoleTrustPolicy(ctx.spec, ctx.names),
    permissions: crossAccountRolePermissionPolicy(ctx.spec, ctx.names, ctx.store),
    description: `Assumed by pipeline ${ctx.names.pipeline.name} in ${ctx.names.toolsAccountId} to read ${ctx.names.repository.name}`,
  }),
});

export const forwardPushRoleStep = roleStep({
  key: "repo.forward-push-role",
  title: "Push forwarding role (EventBridge)",
  account: "repo",
  dependsOn: [],
  role: (ctx) => ({
    role: ctx.names.roles.forwardPush,
    policyName: ctx.names.policyNames.forwardPush,
    trust: forwardPushRoleTrustPolicy(ctx.names),
    permissions: forwardPushRolePermissionPolicy(ctx.names),
    description: `Forwards pushes of ${ctx.names.repository.name} to account ${ctx.names.toolsAccountId}`,
  }),
});

export const startOnPushRoleStep = roleStep({
  key: "tools.start-on-push-role",
  title: "Pipeline start role (EventBridge)",
  account: "tools",
  dependsOn: [],
  role: (ctx) => ({
    role: ctx.names.roles.startOnPush,
    policyName: ctx.names.policyNames.startOnPush,
    trust: startOnPushRoleTrustPolicy(ctx.names),
    permissions: startOnPushRolePermissionPolicy(ctx.names),
    description: `Lets EventBridge start ${ctx.names.pipeline.name}`,
  }),
});
