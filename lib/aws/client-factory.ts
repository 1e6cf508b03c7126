// THE AWS client factory (re-exported by lib/aws/clients.ts, which builds the portal's per-account client sets
// with it). No "server-only": the seed, sandbox:push, benches, drills and the browser tier's set-up helpers use it
// too, and it holds no secret.
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { awsTarget, s3ClientConfig } from "./config";

/** Static or provider credentials, as every SDK v3 client takes them. */
export type ClientCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | AwsCredentialIdentityProvider;

/**
 * THE client factory: any SDK v3 client class, built with the portal's endpoint and retry policy
 * (lib/aws/config.ts: AWS_ENDPOINT_URL, PORTAL_AWS_MAX_ATTEMPTS, standard retry mode, path-style S3 on an
 * endpoint). Every AWS call of the portal, its scripts (seed), benches and drills goes through here;
 * lib/aws/one-factory.test.ts fails on a `new …Client(` anywhere else. `overrides` changes what a caller must
 * (a connection test's short timeouts), never silently.
 */
export function awsClient<T>(
  Client: new (cfg: never) => T,
  opts: { region: string; credentials?: ClientCredentials; endpoint?: string; overrides?: Record<string, unknown> },
): T {
  const cfg = {
    ...s3ClientConfig(opts.region),
    ...(opts.endpoint ? { endpoint: opts.endpoint, forcePathStyle: true } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...opts.overrides,
  };
  return new Client(cfg as never);
}

/**
 * A client acting as an account's root on the local sandbox (`SANDBOXROOT<account>` keys): set-up (the demo
 * seed), benches, drills and tests reading AWS as each account's administrator. Same retry policy as the portal,
 * so the sandbox's fault switches (SANDBOX_THROTTLE_RATE, SANDBOX_5XX_RATE) do not fail them. The portal itself
 * never uses these keys.
 */
export function sandboxRootClient<T>(
  Client: new (cfg: never) => T,
  accountId: string,
  opts: { endpoint?: string; region?: string } = {},
): T {
  return awsClient(Client, {
    region: opts.region ?? "us-east-1",
    endpoint: opts.endpoint ?? awsTarget().endpoint,
    credentials: { accessKeyId: `SANDBOXROOT${accountId}`, secretAccessKey: "sandbox" },
  });
}
