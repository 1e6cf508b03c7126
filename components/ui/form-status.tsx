import type { ActionResult } from "@/lib/actions/result";

/** The form-level message of an action result, announced to screen readers. */
export function FormStatus({ state }: { state: ActionResult<unknown> | undefined }) {
  const text = state && !state.ok ? state.error : state?.ok ? state.message : undefined;
  return (
    <p
      role="status"
      aria-live="polite"
      className={`min-h-5 text-sm ${state && !state.ok ? "text-red-700 dark:text-red-300" : "text-emerald-700 dark:text-emerald-300"}`}
      data-testid="form-status"
    >
      {text}
    </p>
  );
}
