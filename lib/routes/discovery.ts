import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { awsErrorInfo, parseFailureMessage } from "@/lib/core/aws-errors";
import { regionSchema } from "@/lib/names/rules";
import { accountById } from "@/lib/accounts/queries";
import { jsonError } from "./responses";
import { RouteError } from "./route-error";

/** The discovery lists (repositories, branches, build projects) read through an account's role in one region. */
export const regionQuery = z.object({ region: regionSchema });

export type DiscoveryPurpose = "tools" | "repo";

/** The account a discovery list reads from, checked for its purpose (404 / 400 otherwise). */
export async function discoveryAccount(id: string, purpose: DiscoveryPurpose) {
  const account = await accountById(id);
  if (!account) throw new RouteError(404, "No such account.");
  if (account.purpose !== purpose && account.purpose !== "both") {
    throw new RouteError(400, `${account.name} is registered as a ${account.purpose} account; choose a ${purpose} account.`);
  }
  return account;
}

/**
 * An AWS failure while listing through the account's role, as a sentence a person can act on (never the raw
 * error): a refused role points at the account page, where the connection test diagnoses it.
 */
export function discoveryFailure(e: unknown, account: { id: string; name: string; accountId: string }, what: string) {
  const info = awsErrorInfo(e);
  const accountUrl = `/accounts/${account.id}`;
  const where = `${account.name} (${account.accountId})`;
  if (info.network)
    return jsonError(502, `The portal could not reach AWS to list ${what} in ${where}. Try again in a moment.`, { accountUrl });
  if (info.parseFailure) return jsonError(502, `Listing ${what} in ${where}: ${parseFailureMessage(info.message)}`, { accountUrl });
  if (/AccessDenied|not authorized|InvalidClientTokenId|ExpiredToken|UnrecognizedClient/i.test(`${info.name} ${info.message}`)) {
    // Only STS's own refusals mean the role could not be assumed; a service's AccessDeniedException names the
    // assumed role (arn:aws:sts::…:assumed-role/…) but is about the action.
    const assume =
      /sts:AssumeRole|sts:SetSourceIdentity/.test(info.message) ||
      ["AccessDenied", "InvalidClientTokenId", "ExpiredToken", "UnrecognizedClientException"].includes(info.name);
    return jsonError(
      502,
      assume
        ? `The portal cannot assume the provisioning role of ${where}, so it cannot list ${what}. Test the connection on the account page and fix the role.`
        : `The provisioning role of ${where} is not allowed to list ${what} (${info.name}: ${info.message}). Compare the role with the permission policy on the account page.`,
      { accountUrl, code: info.name, requestId: info.requestId ?? null },
    );
  }
  const errorId = randomUUID().slice(0, 8);
  console.error(`[discovery ${what}] error ${errorId}`, e);
  return jsonError(502, `AWS could not list ${what} in ${where} (${info.name}; error id ${errorId}).`, {
    accountUrl,
    code: info.name,
    requestId: info.requestId ?? null,
  });
}
