/**
 * AWS console addresses for the ARNs the portal shows. Pure (used by server and client components, and by
 * lib/explain). Console links open in whatever account the person is signed in to; the account id is shown beside them.
 */

export function pipelineConsoleUrl(name: string, region: string): string {
  return `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${encodeURIComponent(name)}/view?region=${region}`;
}

/**
 * The CloudWatch Logs console page of one log stream. The console's fragment encodes names twice, with `$` for `%`
 * (`/aws/codebuild/x` → `$252Faws$252Fcodebuild$252Fx`).
 */
export function logStreamConsoleUrl(region: string, group: string, stream: string): string {
  const enc = (s: string) => encodeURIComponent(encodeURIComponent(s)).replace(/%/g, "$");
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${enc(group)}/log-events/${enc(stream)}`;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | null {
  const m = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$/.exec(arn);
  if (!m) return null;
  return { partition: m[1], service: m[2], region: m[3], account: m[4] ?? "", resource: m[5] };
}

/** The console page of the resource an ARN names, or null when there is no sensible one. */
export function consoleUrlForArn(arn: string): string | null {
  const p = parseArn(arn);
  if (!p || p.partition !== "aws") return null;
  const r = p.region;
  switch (p.service) {
    case "iam": {
      const m = /^role\/(?:.*\/)?([^/]+)$/.exec(p.resource);
      return m ? `https://console.aws.amazon.com/iam/home#/roles/details/${encodeURIComponent(m[1])}` : null;
    }
    case "kms": {
      const m = /^key\/(.+)$/.exec(p.resource);
      return m && r ? `https://${r}.console.aws.amazon.com/kms/home?region=${r}#/kms/keys/${encodeURIComponent(m[1])}` : null;
    }
    case "s3": {
      const bucket = p.resource.split("/")[0];
      return bucket ? `https://s3.console.aws.amazon.com/s3/buckets/${encodeURIComponent(bucket)}` : null;
    }
    case "codepipeline":
      return r && /^[A-Za-z0-9.@\-_]+$/.test(p.resource) ? pipelineConsoleUrl(p.resource, r) : null;
    case "codebuild": {
      const m = /^project\/(.+)$/.exec(p.resource);
      return m && r ? `https://${r}.console.aws.amazon.com/codesuite/codebuild/projects/${encodeURIComponent(m[1])}?region=${r}` : null;
    }
    case "codecommit":
      return r
        ? `https://${r}.console.aws.amazon.com/codesuite/codecommit/repositories/${encodeURIComponent(p.resource)}/browse?region=${r}`
        : null;
    case "events": {
      const m = /^rule\/([^/]+)$/.exec(p.resource);
      if (m && r) return `https://${r}.console.aws.amazon.com/events/home?region=${r}#/eventbus/default/rules/${encodeURIComponent(m[1])}`;
      if (/^event-bus\//.test(p.resource) && r) return `https://${r}.console.aws.amazon.com/events/home?region=${r}#/eventbuses`;
      return null;
    }
    case "sns":
      return r && /^[\w-]+$/.test(p.resource) ? `https://${r}.console.aws.amazon.com/sns/v3/home?region=${r}#/topic/${arn}` : null;
    // Notification rules have ids AWS assigns; the console lists them under the Developer Tools settings.
    case "codestar-notifications":
      return r && /^notificationrule\//.test(p.resource)
        ? `https://${r}.console.aws.amazon.com/codesuite/settings/notifications/rules?region=${r}`
        : null;
    default:
      return null;
  }
}
