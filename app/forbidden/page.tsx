import Link from "next/link";

export const metadata = { title: "Not allowed" };

export default function ForbiddenPage() {
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-8 text-center dark:border-slate-700 dark:bg-slate-900">
      <h1 className="text-xl font-semibold">Your role does not allow this page</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">Ask an admin if you need access. The attempt was recorded.</p>
      <Link href="/" className="mt-6 inline-block text-indigo-700 underline dark:text-indigo-300">
        Back to pipelines
      </Link>
    </div>
  );
}
