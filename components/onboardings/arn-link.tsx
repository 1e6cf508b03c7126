import { consoleUrlForArn } from "@/lib/resources/console-url";

/**
 * An ARN in monospace, linked to its AWS console page when there is one. `href`: the page its resource kind names
 * (lib/resources/labels.ts `consoleHref`, computed on the server); without it, the page the ARN's service has.
 */
export function ArnLink({
  arn,
  href: kindHref,
  testId,
  size = "text-xs",
}: {
  arn: string;
  href?: string | null;
  testId?: string;
  size?: string;
}) {
  const href = kindHref === undefined ? consoleUrlForArn(arn) : kindHref;
  if (!href)
    return (
      <span className={`break-all font-mono ${size}`} data-testid={testId}>
        {arn}
      </span>
    );
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer"
      className={`break-all font-mono ${size} text-indigo-700 hover:underline dark:text-indigo-300`}
      title="Open in the AWS console"
    >
      <span data-testid={testId}>{arn}</span>
      <span className="sr-only"> (opens the AWS console in a new tab)</span>
    </a>
  );
}
