import type { ActionResult } from "@/lib/actions/result";

/** The form-level message of an action result, announced to screen readers. */
export function FormStatus({ state }: { state: ActionResult<unknown> | undefined }) {
  const text = state && !state.ok ? state.error : state?.ok ? state.message : undefined;
  return (
    <p role="status" aria-live="polite" className={`min-h-5 text-sm ${state && !state.ok ? "text-red-700" : "text-emerald-700"}`} data-testid="form-status">
      {text}
    </p>
  );
}
