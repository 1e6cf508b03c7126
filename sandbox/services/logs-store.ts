/**
 * CloudWatch Logs data: log groups of an account and Region, their streams and events (ingestion order). Other
 * services write here directly (CodeBuild writes each build's log into `/aws/codebuild/<project>` / `<build uuid>`);
 * `logs.ts` serves it over the wire.
 */
import { type World, regionSlice } from "../state";

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}
export interface LogStream {
  name: string;
  creationTime: number;
  events: LogEvent[];
}
export interface LogGroup {
  name: string;
  creationTime: number;
  streams: Record<string, LogStream>;
}
export interface LogsState {
  groups: Record<string, LogGroup>;
}

export const logsState = (world: World, account: string, region: string) =>
  regionSlice<LogsState>(world, account, region, "logs", () => ({ groups: {} }));

export const logGroupArn = (region: string, account: string, group: string) => `arn:aws:logs:${region}:${account}:log-group:${group}`;
export const logStreamArn = (region: string, account: string, group: string, stream: string) =>
  `${logGroupArn(region, account, group)}:log-stream:${stream}`;

/** The stream, created with its group when missing (what CodeBuild's CreateLogGroup + CreateLogStream do). */
export function ensureLogStream(
  world: World,
  at: { account: string; region: string; group: string; stream: string; now: number },
): LogStream {
  const st = logsState(world, at.account, at.region);
  const g = (st.groups[at.group] ??= { name: at.group, creationTime: at.now, streams: {} });
  return (g.streams[at.stream] ??= { name: at.stream, creationTime: at.now, events: [] });
}

export function findLogStream(world: World, account: string, region: string, group: string, stream: string): LogStream | undefined {
  return world.accounts[account]?.regions[region] ? logsState(world, account, region).groups[group]?.streams[stream] : undefined;
}

/** Appends events (PutLogEvents as the writer would); timestamps never go backwards within a stream. */
export function appendLogEvents(stream: LogStream, events: { timestamp: number; message: string }[], now: number): void {
  for (const e of events) stream.events.push({ timestamp: e.timestamp, message: e.message, ingestionTime: now });
}
