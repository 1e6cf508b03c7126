import Link from "next/link";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { OUTCOMES } from "@/lib/audit/filters";

/** A plain GET form: filters live in the URL, so a filtered view can be linked, bookmarked and exported. */
export function AuditFilterForm({ values, errors }: { values: Record<string, string>; errors: Record<string, string[] | undefined> }) {
  const invalid = (k: string) => (errors[k]?.length ? true : undefined);
  const text = (id: string, label: string, hint?: string, placeholder?: string) => (
    <Field id={id} label={label} hint={hint} errors={errors[id]}>
      <input
        id={id}
        name={id}
        defaultValue={values[id] ?? ""}
        placeholder={placeholder}
        aria-invalid={invalid(id)}
        aria-describedby={describedBy(id, !!hint)}
        className={inputClass}
      />
    </Field>
  );
  return (
    <form
      method="get"
      action="/admin/audit"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900"
      aria-label="Filter the audit history"
      noValidate
    >
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {text("actor", "Actor email", undefined, "dana@example.com")}
        {text("action", "Action", undefined, "users.setRole")}
        {text("targetType", "Target type", undefined, "user, account, onboarding…")}
        {text("targetId", "Target id")}
        <Field id="outcome" label="Outcome" errors={errors.outcome}>
          <select
            id="outcome"
            name="outcome"
            defaultValue={values.outcome ?? ""}
            aria-invalid={invalid("outcome")}
            aria-describedby={describedBy("outcome", false)}
            className={inputClass}
          >
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </Field>
        {text("from", "From (UTC)", "YYYY-MM-DD or YYYY-MM-DDTHH:mm", "2026-01-01")}
        {text("to", "To (UTC)", "Inclusive; a date alone means the whole day.", "2026-01-31T18:00")}
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
          Apply filters
        </button>
        <Link href="/admin/audit" className="text-sm text-slate-600 hover:underline dark:text-slate-300">
          Clear
        </Link>
      </div>
    </form>
  );
}
