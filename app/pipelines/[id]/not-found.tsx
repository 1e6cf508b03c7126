import Link from "next/link";

export const metadata = { title: "Not found" };

/** An unknown pipeline or execution (HTTP 404). */
export default function PipelineNotFound() {
  return (
    <div
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-6 text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      data-testid="pipeline-not-found"
    >
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        The portal knows no such pipeline or execution. It may have been offboarded, or the link is mistyped.
      </p>
      <p className="text-sm">
        <Link href="/" className="text-indigo-700 underline dark:text-indigo-300">
          Back to the dashboard
        </Link>
      </p>
    </div>
  );
}
