import Link from "next/link";

// The root segment: the layout's title template applies to child segments only.
export const metadata = { title: { absolute: "Not found · Crossline" } };

/** Every notFound() and unknown path: branded, inside the site's header and landmarks. */
export default function NotFound() {
  return (
    <div
      className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-8 text-center dark:border-slate-700 dark:bg-slate-900"
      data-testid="not-found"
    >
      <p className="font-mono text-sm font-semibold text-indigo-700 dark:text-indigo-300">404</p>
      <h1 className="mt-1 text-xl font-semibold">This page does not exist</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">The address may be mistyped, or what it named was removed.</p>
      <Link href="/" className="mt-6 inline-block text-indigo-700 underline dark:text-indigo-300">
        Back to pipelines
      </Link>
    </div>
  );
}
