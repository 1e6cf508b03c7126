/**
 * SigV4 credential scope parsing. The sandbox does NOT verify signatures: it only reads the access key id (to find
 * the caller), the region and the service name from `Credential=AKID/DATE/REGION/SERVICE/aws4_request`
 * (Authorization header, or X-Amz-Credential for presigned URLs).
 */
export interface CredentialScope {
  accessKeyId: string;
  region: string;
  service: string;
}

export function parseCredentialScope(authorization: string | undefined, query: URLSearchParams): CredentialScope | undefined {
  const fromHeader = authorization ? /Credential=([^,\s]+)/.exec(authorization)?.[1] : undefined;
  const cred = fromHeader ?? query.get("X-Amz-Credential") ?? undefined;
  if (!cred) return undefined;
  const [accessKeyId, , region, service] = cred.split("/");
  if (!accessKeyId || !region || !service) return undefined;
  return { accessKeyId, region, service };
}
