import { formatDistanceStrict } from "date-fns";

export interface LastTest {
  lastTestAt: Date | null;
  lastTestOk: boolean | null;
  lastTestMessage: string | null;
}

/** The title part of a stored test message (`${title}. ${detail}`: titles carry no full stop). */
export function storedTitle(message: string | null): string | null {
  if (!message) return null;
  const i = message.indexOf(". ");
  return i === -1 ? message.replace(/\.$/, "") : message.slice(0, i);
}

/**
 * What a form says next to an account whose last connection test failed or was never run (null when it passed).
 * Such accounts stay selectable (the test may be stale), but never silently.
 */
export function connectionWarning(a: LastTest, now: Date): string | null {
  if (a.lastTestOk === true && a.lastTestAt) return null;
  if (!a.lastTestAt || a.lastTestOk === null) return "Connection never tested: test it on the account page before relying on it.";
  const ago = formatDistanceStrict(a.lastTestAt, now, { addSuffix: true });
  const title = storedTitle(a.lastTestMessage);
  return `Last connection test failed ${ago}${title ? `: ${title}.` : "."}`;
}
