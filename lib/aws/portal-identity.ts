import "server-only";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { portalSts } from "./clients";

let cached: Promise<string> | undefined;

/** sts assumed-role ARNs are written as the role ARN in trust policies. */
export function principalArnForTrust(callerArn: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : callerArn;
}

/**
 * The identity the portal runs as, for the trust policies it tells people to write: PORTAL_PRINCIPAL_ARN
 * when set, else discovered once with GetCallerIdentity.
 */
export function portalPrincipalArn(): Promise<string> {
  const configured = process.env.PORTAL_PRINCIPAL_ARN?.trim();
  if (configured) return Promise.resolve(configured);
  cached ??= portalSts(process.env.AWS_REGION || "us-east-1")
    .send(new GetCallerIdentityCommand({}))
    .then((r) => principalArnForTrust(r.Arn ?? "unknown"))
    .catch((e) => {
      cached = undefined;
      return `unknown (GetCallerIdentity failed: ${(e as Error).name})`;
    });
  return cached;
}
