import "server-only";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { trustPrincipalFor, type TrustPrincipal } from "@/lib/policies/trust-principal";
import { liveEnv } from "@/lib/config/env";
import { portalSts } from "./clients";

export interface PortalIdentity {
  /** The identity as configured (PORTAL_PRINCIPAL_ARN) or as GetCallerIdentity names it. */
  arn: string;
  /** What a trust policy names for it; null when it cannot be determined or cannot assume roles. */
  principal: TrustPrincipal | null;
}

let cached: Promise<PortalIdentity> | undefined;

/**
 * The identity the portal runs as, for the trust policies it tells people to write: PORTAL_PRINCIPAL_ARN when
 * set (give a role's IAM ARN with its path to be trusted exactly), else discovered once with GetCallerIdentity.
 */
export function portalIdentity(): Promise<PortalIdentity> {
  const { PORTAL_PRINCIPAL_ARN: configured, AWS_REGION: region } = liveEnv();
  if (configured) return Promise.resolve({ arn: configured, principal: trustPrincipalFor(configured) });
  cached ??= portalSts(region)
    .send(new GetCallerIdentityCommand({}))
    .then((r) => ({ arn: r.Arn ?? "unknown", principal: trustPrincipalFor(r.Arn ?? "") }))
    .catch((e) => {
      cached = undefined;
      return { arn: `unknown (GetCallerIdentity failed: ${(e as Error).name})`, principal: null };
    });
  return cached;
}

/** The portal identity's ARN, for messages. */
export const portalPrincipalArn = async () => (await portalIdentity()).arn;
