import type { SourceRevisionView } from "@/lib/pipelines/types";
import { shortCommit } from "@/lib/pipelines/format";

/** A source revision: short commit id (linked to CodeCommit), first line of the message, author. */
export function Revision({ revision, compact = false }: { revision: SourceRevisionView | undefined; compact?: boolean }) {
  if (!revision?.commitId) return <span className="text-xs text-slate-500 dark:text-slate-400">—</span>;
  const title = (revision.message ?? "").split("\n")[0];
  const author = revision.author?.name ?? revision.author?.email;
  return (
    <span className="block min-w-0" data-testid="revision">
      <span className="flex min-w-0 items-baseline gap-2">
        {revision.url ? (
          <a
            href={revision.url}
            target="_blank"
            rel="noreferrer"
            className="shrink-0 font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300"
            title={revision.commitId}
          >
            {shortCommit(revision.commitId)}
          </a>
        ) : (
          <span className="shrink-0 font-mono text-xs" title={revision.commitId}>
            {shortCommit(revision.commitId)}
          </span>
        )}
        <span
          className={`min-w-0 text-sm text-slate-800 dark:text-slate-200 ${compact ? "truncate" : "break-words"}`}
          title={revision.message}
          data-testid="revision-message"
        >
          {title}
        </span>
      </span>
      {author && (
        <span className="block truncate text-xs text-slate-500 dark:text-slate-400" data-testid="revision-author">
          by {author}
        </span>
      )}
    </span>
  );
}
