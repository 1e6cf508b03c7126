/**
 * The pipeline pages' command feedback, as a pure reducer (no React): one message per command, tied to the
 * execution it acted on, newest first. A command's new result replaces its own older message (a second Start
 * shows only the second Start's outcome; a failed retry of a stop replaces that stop's earlier message), so an
 * error is never hidden behind a stale success, and successes of other commands never hide it either: it goes
 * on top.
 */

export type FeedbackOutcome = "ok" | "warning" | "error";

export interface FeedbackEntry {
  /** Which command on which execution: the same key replaces the earlier message. */
  key: string;
  command: string;
  executionId?: string;
  outcome: FeedbackOutcome;
  text: string;
  /** Increasing: newer entries have larger numbers. */
  seq: number;
}

export type FeedbackEvent =
  | { type: "report"; key: string; command: string; executionId?: string; outcome: FeedbackOutcome; text: string }
  | { type: "dismiss"; key: string };

export const FEEDBACK_LIMIT = 5;

export const feedbackKey = (command: string, executionId?: string, stageName?: string) =>
  [command, executionId ?? "", stageName ?? ""].join("|");

export function feedbackReducer(entries: FeedbackEntry[], ev: FeedbackEvent): FeedbackEntry[] {
  if (ev.type === "dismiss") return entries.filter((e) => e.key !== ev.key);
  const key = ev.key;
  const seq = entries.reduce((m, e) => Math.max(m, e.seq), 0) + 1;
  const entry: FeedbackEntry = { key, command: ev.command, executionId: ev.executionId, outcome: ev.outcome, text: ev.text, seq };
  return [entry, ...entries.filter((e) => e.key !== key)].slice(0, FEEDBACK_LIMIT);
}

/** A server action's answer as a feedback event (the started execution of a Start, else the form's execution). */
export function feedbackEvent(
  command: string,
  form: { executionId?: string; stageName?: string },
  result: { ok: true; data?: unknown; message?: string } | { ok: false; error: string },
): FeedbackEvent | null {
  // Keyed by what the person acted on (a Start acts on the pipeline, not on the execution it creates).
  const key = feedbackKey(command, form.executionId, form.stageName);
  if (result.ok) {
    if (!result.message) return null;
    const data = (result.data ?? {}) as { warning?: boolean; executionId?: string; executionIds?: string[] };
    return {
      type: "report",
      key,
      command,
      executionId: form.executionId ?? data.executionId ?? data.executionIds?.[0],
      outcome: data.warning ? "warning" : "ok",
      text: result.message,
    };
  }
  return { type: "report", key, command, executionId: form.executionId, outcome: "error", text: result.error };
}
