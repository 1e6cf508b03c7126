import type { AwsErrorInfo } from "@/lib/core/aws-errors";

export type ConnectionCode =
  | "ok"
  | "assume_denied"
  | "source_identity_denied"
  | "wrong_account"
  | "portal_credentials_invalid"
  | "region_disabled"
  | "unreachable"
  | "unknown";

/** One thing to compare, with the exact value it must have. */
export interface DiagnosisCheck {
  what: string;
  value?: string;
}

export interface Diagnosis {
  ok: boolean;
  code: ConnectionCode;
  title: string;
  detail: string;
  /** What the portal tried, in one line (the call and its parameters). */
  tried?: string;
  /** What to check, each with its exact value: shown as a list, not a paragraph. */
  checks?: DiagnosisCheck[];
  assumedRoleArn?: string;
  requestId?: string;
}

export interface DiagnoseInput {
  roleArn: string;
  accountId: string;
  portalPrincipal: string;
  endpoint?: string;
}

/**
 * Turns an AssumeRole failure into advice. The advice is stored and shown to every role: it never carries the
 * external id (admins only). AWS answers one uniform AccessDenied whether the role is
 * missing, its trust policy names someone else, or the ExternalId differs, so that case lists the three
 * checks with the exact values to compare rather than guessing one.
 */
/** What the connection test does: the same for every outcome, so it can be shown next to a stored result too. */
export function connectionTried(input: Pick<DiagnoseInput, "roleArn" | "portalPrincipal">): string {
  return `sts:AssumeRole on ${input.roleArn} as ${input.portalPrincipal}, with the registered external id and SourceIdentity set to the signed-in user, then sts:GetCallerIdentity with the assumed credentials.`;
}

/** The checks that go with a failure code, each with the exact value to compare (never the external id itself). */
export function connectionChecks(
  code: ConnectionCode,
  input: Pick<DiagnoseInput, "roleArn" | "accountId" | "portalPrincipal" | "endpoint">,
): DiagnosisCheck[] {
  switch (code) {
    case "assume_denied":
      return [
        { what: "The role exists in account", value: `${input.roleArn} (account ${input.accountId})` },
        {
          what: "Its trust policy allows sts:AssumeRole and sts:SetSourceIdentity for the portal's identity",
          value: input.portalPrincipal,
        },
        {
          what: "Its sts:ExternalId condition equals the external id registered here (an admin sees it on this page; a copy-paste slip is the most common cause)",
        },
      ];
    case "source_identity_denied":
      return [{ what: "The trust statement's Action list includes sts:SetSourceIdentity for", value: input.portalPrincipal }];
    case "wrong_account":
      return [{ what: "The account id and the role ARN name the same account", value: `${input.accountId} / ${input.roleArn}` }];
    case "unreachable":
      return [
        { what: "The portal host reaches the STS endpoint", value: input.endpoint ?? "the AWS STS endpoint" },
        { what: "Proxy settings and AWS_ENDPOINT_URL on the portal host" },
      ];
    case "portal_credentials_invalid":
      return [{ what: "The portal host's default credential chain yields valid credentials for", value: input.portalPrincipal }];
    default:
      return [];
  }
}

export function diagnoseAssumeFailure(err: AwsErrorInfo, input: DiagnoseInput): Diagnosis {
  const withChecks = (d: Omit<Diagnosis, "tried" | "checks">): Diagnosis => ({
    ...d,
    tried: connectionTried(input),
    checks: connectionChecks(d.code, input),
  });
  return withChecks(assumeFailure(err, input));
}

function assumeFailure(err: AwsErrorInfo, input: DiagnoseInput): Omit<Diagnosis, "tried" | "checks"> {
  const base = { ok: false, requestId: err.requestId };
  if (err.network) {
    return {
      ...base,
      code: "unreachable",
      title: "AWS endpoint unreachable",
      detail: `The portal could not reach ${input.endpoint ?? "the AWS STS endpoint"} (${err.message}). Check the network, proxy and AWS_ENDPOINT_URL.`,
    };
  }
  if (
    err.name === "InvalidClientTokenId" ||
    err.name === "ExpiredToken" ||
    err.name === "CredentialsProviderError" ||
    err.name === "SignatureDoesNotMatch"
  ) {
    return {
      ...base,
      code: "portal_credentials_invalid",
      title: "The portal's own AWS credentials are not valid",
      detail: `AWS rejected the credentials the portal runs with (${err.name}: ${err.message}). Fix the portal host's default credential chain; the account's role was not tried.`,
    };
  }
  if (err.name === "RegionDisabledException") {
    return { ...base, code: "region_disabled", title: "STS is not enabled in this region", detail: err.message };
  }
  if (err.name === "AccessDenied" && /sts:SetSourceIdentity/.test(err.message)) {
    return {
      ...base,
      code: "source_identity_denied",
      title: "The role does not permit SourceIdentity",
      detail: `The trust policy of ${input.roleArn} must also allow "sts:SetSourceIdentity" for ${input.portalPrincipal}. The portal sets SourceIdentity to the signed-in user so CloudTrail names the person behind every call. Add "sts:SetSourceIdentity" to the Action list of the trust statement.`,
    };
  }
  if (err.name === "AccessDenied") {
    return {
      ...base,
      code: "assume_denied",
      title: "AWS refused to let the portal assume the role",
      detail:
        `AWS gives one answer for three causes; check each: ` +
        `(1) the role ${input.roleArn} exists in account ${input.accountId}; ` +
        `(2) its trust policy allows sts:AssumeRole for the portal's identity ${input.portalPrincipal}; ` +
        `(3) its sts:ExternalId condition equals the external id registered here (an ExternalId mismatch is the most common cause after a copy-paste). ` +
        `An admin finds the external id and the exact trust policy to paste on the account page.`,
    };
  }
  return { ...base, code: "unknown", title: "AssumeRole failed", detail: `${err.name}: ${err.message}` };
}

/** After a successful AssumeRole: the credentials must act in the registered account. */
export function diagnoseIdentity(callerAccount: string | undefined, callerArn: string | undefined, registeredAccount: string): Diagnosis {
  if (callerAccount !== registeredAccount) {
    return {
      ok: false,
      code: "wrong_account",
      title: "The role is in a different account than registered",
      detail: `The assumed credentials act in account ${callerAccount ?? "unknown"}, not ${registeredAccount}. Correct the account id or the role ARN.`,
      assumedRoleArn: callerArn,
    };
  }
  return { ok: true, code: "ok", title: "Connected", detail: `Assumed ${callerArn}.`, assumedRoleArn: callerArn };
}
