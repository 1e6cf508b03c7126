/** CodeBuild's data: projects and build records per account and Region, shared by the service and the build engine. */
import { type World, regionSlice } from "../state";

export const CODEBUILD_SERVICE_PRINCIPAL = "codebuild.amazonaws.com";

export interface Tag {
  key: string;
  value: string;
}
export interface BuildProject {
  name: string;
  arn: string;
  description?: string;
  source: Record<string, unknown>;
  secondarySources?: unknown[];
  artifacts: Record<string, unknown>;
  secondaryArtifacts?: unknown[];
  environment: Record<string, unknown>;
  serviceRole: string;
  timeoutInMinutes: number;
  queuedTimeoutInMinutes: number;
  encryptionKey?: string;
  logsConfig?: Record<string, unknown>;
  cache?: Record<string, unknown>;
  tags: Tag[];
  created: number;
  lastModified: number;
}

export type BuildStatus = "SUCCEEDED" | "FAILED" | "FAULT" | "TIMED_OUT" | "IN_PROGRESS" | "STOPPED";
export interface BuildRecord {
  id: string;
  arn: string;
  buildNumber: number;
  projectName: string;
  startTime: number;
  endTime?: number;
  currentPhase: string;
  buildStatus: BuildStatus;
  sourceVersion?: string;
  initiator: string;
  phases: BuildPhaseRecord[];
  /** Simulated completion time (epoch ms) while IN_PROGRESS; survives restarts (codebuild-builds.ts). */
  dueAt?: number;
  serviceRole?: string;
  encryptionKey?: string;
  /** CloudWatch Logs group and stream the build writes (logs-store.ts; served by GetLogEvents and the deep link). */
  logGroup?: string;
  logStream?: string;
  /** Log lines of builds recorded before the logs lived in CloudWatch Logs (state files of older sandboxes). */
  logLines?: string[];
  /** Pipeline builds: input artifacts to read and output artifacts to write, as S3 locations. */
  inputArtifacts?: { name: string; bucket: string; key: string }[];
  outputArtifacts?: { name: string; bucket: string; key: string }[];
  /** The failure, when FAILED: phase, context code and message. */
  failure?: { phase: string; code: string; message: string };
  /** The pipeline execution that started the build. */
  pipelineExecutionId?: string;
}
export interface BuildPhaseRecord {
  phaseType: string;
  phaseStatus?: string;
  startTime?: number;
  endTime?: number;
  contexts?: { statusCode: string; message: string }[];
}

export interface CodeBuildState {
  projects: Record<string, BuildProject>;
  builds: Record<string, BuildRecord>;
  buildCounters: Record<string, number>;
}

export const cbState = (world: World, account: string, region: string) =>
  regionSlice<CodeBuildState>(world, account, region, "codebuild", () => ({ projects: {}, builds: {}, buildCounters: {} }));

export const projectArn = (region: string, account: string, name: string) => `arn:aws:codebuild:${region}:${account}:project/${name}`;

export function findProject(world: World, account: string, region: string, name: string): BuildProject | undefined {
  if (!world.accounts[account]) return undefined;
  return cbState(world, account, region).projects[name];
}
