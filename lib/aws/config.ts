// No "server-only" here: this reads only where AWS calls go and how they retry (no secret), and the client
// factory (lib/aws/client-factory.ts) that scripts, benches and the browser tier's helpers use needs it too.
/**
 * Where AWS calls go and how they retry: the one place for endpoint overrides and retry policy.
 * AWS_ENDPOINT_URL (set by `npm start` to the local sandbox, or by you to LocalStack/moto) sends every
 * service to one endpoint; S3 then needs path-style addressing.
 */
import { liveEnv } from "../config/env";

export interface AwsTarget {
  endpoint?: string;
  maxAttempts: number;
}

export function awsTarget(): AwsTarget {
  const e = liveEnv();
  return { endpoint: e.AWS_ENDPOINT_URL, maxAttempts: e.PORTAL_AWS_MAX_ATTEMPTS };
}

export function baseClientConfig(region: string) {
  const t = awsTarget();
  return {
    region,
    maxAttempts: t.maxAttempts,
    retryMode: "standard" as const,
    ...(t.endpoint ? { endpoint: t.endpoint } : {}),
  };
}

export function s3ClientConfig(region: string) {
  const base = baseClientConfig(region);
  return { ...base, forcePathStyle: Boolean(base.endpoint) };
}
