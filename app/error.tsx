"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";

/** An unexpected failure while rendering a page: branded, with a retry and the digest to quote in the logs. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = "Something went wrong · Crossline";
    heading.current?.focus();
  }, []);
  return (
    <div
      role="alert"
      className="mx-auto max-w-lg rounded-lg border border-red-300 bg-white p-8 text-center dark:border-red-700 dark:bg-slate-900"
      data-testid="error-page"
    >
      <h1 ref={heading} tabIndex={-1} className="text-xl font-semibold focus:outline-none">
        Something went wrong
      </h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">
        The portal could not show this page. Try again; if it keeps failing, give an admin the reference below.
      </p>
      {error.digest && <p className="mt-2 font-mono text-xs text-slate-600 dark:text-slate-300">Reference {error.digest}</p>}
      <div className="mt-6 flex justify-center gap-4">
        <button
          type="button"
          onClick={reset}
          className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700"
        >
          Try again
        </button>
        <Link href="/" className="px-3 py-2 text-sm text-indigo-700 underline dark:text-indigo-300">
          Back to pipelines
        </Link>
      </div>
    </div>
  );
}
