// No "server-only" here: this reads only where AWS calls go and how they retry (no secret), and the client
// factory (lib/aws/client-factory.ts) that scripts, benches and the browser tier's helpers use needs it too.
/**
 * Where AWS calls go and how they retry: the one place for endpoint overrides and retry policy.
 * AWS_ENDPOINT_URL (set by `npm start` to the local sandbox, or by you to LocalStack/moto) sends every
 * service to one endpoint; S3 then needs path-style addressing.
 */
export interface AwsTarget {
  endpoint?: string;
  maxAttempts: number;
}

export function awsTarget(): AwsTarget {
  const endpoint = process.env.AWS_ENDPOINT_URL?.trim() || undefined;
  const maxAttempts = Number(process.env.PORTAL_AWS_MAX_ATTEMPTS ?? 8);
  return { endpoint, maxAttempts: Number.isFinite(maxAttempts) && maxAttempts > 0 ? maxAttempts : 8 };
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
