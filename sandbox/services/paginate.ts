import { AwsError } from "../errors";

/** Marker/MaxItems pagination (IAM style). The marker is an opaque offset. */
export function paginate<T>(items: T[], marker: string | undefined, maxItems: string | number | undefined, def = 100) {
  const start = marker ? Number(Buffer.from(marker, "base64url").toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsError("InvalidInput", "Invalid Marker.", 400);
  const max = maxItems === undefined ? def : Number(maxItems);
  if (!Number.isInteger(max) || max < 1 || max > 1000) throw new AwsError("ValidationError", "MaxItems must be between 1 and 1000.", 400);
  const page = items.slice(start, start + max);
  const truncated = start + max < items.length;
  return { page, IsTruncated: truncated, Marker: truncated ? Buffer.from(String(start + max)).toString("base64url") : undefined };
}
