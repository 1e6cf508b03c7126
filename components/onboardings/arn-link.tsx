import { consoleUrlForArn } from "./console-links";

/** An ARN in monospace, linked to its AWS console page when there is one. */
export function ArnLink({ arn, testId, size = "text-xs" }: { arn: string; testId?: string; size?: string }) {
  const href = consoleUrlForArn(arn);
  if (!href) return <span className={`break-all font-mono ${size}`} data-testid={testId}>{arn}</span>;
  return (
    <a href={href} target="_blank" rel="noreferrer" className={`break-all font-mono ${size} text-indigo-700 hover:underline dark:text-indigo-300`} title="Open in the AWS console">
      <span data-testid={testId}>{arn}</span>
      <span className="sr-only"> (opens the AWS console in a new tab)</span>
    </a>
  );
}
