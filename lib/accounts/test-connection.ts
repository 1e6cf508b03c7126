import "server-only";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { assumeRoleParams, awsClient } from "@/lib/aws/clients";
import { awsTarget } from "@/lib/aws/config";
import { awsErrorInfo } from "@/lib/core/aws-errors";
import { portalPrincipalArn } from "@/lib/aws/portal-identity";
import { diagnoseAssumeFailure, diagnoseIdentity, type Diagnosis } from "./diagnose";

export interface ConnectionTarget {
  accountId: string;
  roleArn: string;
  externalId: string;
  defaultRegion: string;
}

// A connection test should answer in seconds, not ride out minutes of retries.
const quick = { maxAttempts: 2, requestHandler: { connectionTimeout: 3000, requestTimeout: 8000 } };

/** Assumes the account's role as the signed-in user and checks where the credentials act. */
export async function testConnection(account: ConnectionTarget, actorEmail: string): Promise<Diagnosis> {
  let assumed;
  try {
    assumed = await awsClient(STSClient, { region: account.defaultRegion, overrides: quick }).send(
      new AssumeRoleCommand(
        assumeRoleParams({ roleArn: account.roleArn, externalId: account.externalId, actorEmail, region: account.defaultRegion }),
      ),
    );
  } catch (e) {
    return diagnoseAssumeFailure(awsErrorInfo(e), {
      roleArn: account.roleArn,
      accountId: account.accountId,
      portalPrincipal: await portalPrincipalArn(),
      endpoint: awsTarget().endpoint,
    });
  }
  const c = assumed.Credentials!;
  try {
    const sts = awsClient(STSClient, {
      region: account.defaultRegion,
      overrides: quick,
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken },
    });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    return { ...diagnoseIdentity(id.Account, id.Arn, account.accountId), requestId: id.$metadata.requestId };
  } catch (e) {
    const info = awsErrorInfo(e);
    return {
      ok: false,
      code: info.network ? "unreachable" : "unknown",
      title: "GetCallerIdentity failed with the assumed role",
      detail: `${info.name}: ${info.message}`,
      requestId: info.requestId,
    };
  }
}
