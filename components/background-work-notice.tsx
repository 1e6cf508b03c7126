import type { BackgroundState } from "@/lib/ops/supervisor-status";

/**
 * Header notice while `npm start`'s supervisor restarts the background worker ("restarting") or has left it down
 * after repeated crashes ("down"). Pages keep working either way; runs wait in the queue until a worker claims them.
 */
export function BackgroundWorkNotice({ worker }: { worker: BackgroundState }) {
  if (worker !== "restarting" && worker !== "down") return null;
  const down = worker === "down";
  return (
    <span
      role="status"
      data-testid="background-work-notice"
      title={
        down
          ? "The provisioning worker crashed repeatedly and was left down; runs wait in the queue. Check the server log."
          : "The provisioning worker stopped unexpectedly and is being restarted; runs resume by themselves."
      }
      className={
        down
          ? "rounded-full border border-red-300 bg-red-50 px-2.5 py-0.5 text-xs font-semibold text-red-800 dark:border-red-700 dark:bg-red-950 dark:text-red-200"
          : "rounded-full border border-amber-300 bg-amber-50 px-2.5 py-0.5 text-xs font-semibold text-amber-800 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
      }
    >
      {down ? "Background work stopped" : "Background work restarting"}
    </span>
  );
}
