/**
 * AWS commercial regions (partition `aws`), excluding GovCloud, China and the European Sovereign Cloud.
 * Cross-checked against the S3 `BucketLocationConstraint` enum shipped with @aws-sdk/client-s3.
 */
export interface RegionInfo {
  readonly id: string;
  readonly name: string;
}

export const COMMERCIAL_REGIONS = [
  { id: "us-east-1", name: "US East (N. Virginia)" },
  { id: "us-east-2", name: "US East (Ohio)" },
  { id: "us-west-1", name: "US West (N. California)" },
  { id: "us-west-2", name: "US West (Oregon)" },
  { id: "af-south-1", name: "Africa (Cape Town)" },
  { id: "ap-east-1", name: "Asia Pacific (Hong Kong)" },
  { id: "ap-east-2", name: "Asia Pacific (Taipei)" },
  { id: "ap-south-1", name: "Asia Pacific (Mumbai)" },
  { id: "ap-south-2", name: "Asia Pacific (Hyderabad)" },
  { id: "ap-southeast-1", name: "Asia Pacific (Singapore)" },
  { id: "ap-southeast-2", name: "Asia Pacific (Sydney)" },
  { id: "ap-southeast-3", name: "Asia Pacific (Jakarta)" },
  { id: "ap-southeast-4", name: "Asia Pacific (Melbourne)" },
  { id: "ap-southeast-5", name: "Asia Pacific (Malaysia)" },
  { id: "ap-southeast-6", name: "Asia Pacific (New Zealand)" },
  { id: "ap-southeast-7", name: "Asia Pacific (Thailand)" },
  { id: "ap-northeast-1", name: "Asia Pacific (Tokyo)" },
  { id: "ap-northeast-2", name: "Asia Pacific (Seoul)" },
  { id: "ap-northeast-3", name: "Asia Pacific (Osaka)" },
  { id: "ca-central-1", name: "Canada (Central)" },
  { id: "ca-west-1", name: "Canada West (Calgary)" },
  { id: "eu-central-1", name: "Europe (Frankfurt)" },
  { id: "eu-central-2", name: "Europe (Zurich)" },
  { id: "eu-west-1", name: "Europe (Ireland)" },
  { id: "eu-west-2", name: "Europe (London)" },
  { id: "eu-west-3", name: "Europe (Paris)" },
  { id: "eu-south-1", name: "Europe (Milan)" },
  { id: "eu-south-2", name: "Europe (Spain)" },
  { id: "eu-north-1", name: "Europe (Stockholm)" },
  { id: "il-central-1", name: "Israel (Tel Aviv)" },
  { id: "me-south-1", name: "Middle East (Bahrain)" },
  { id: "me-central-1", name: "Middle East (UAE)" },
  { id: "mx-central-1", name: "Mexico (Central)" },
  { id: "sa-east-1", name: "South America (São Paulo)" },
] as const satisfies readonly RegionInfo[];

export type CommercialRegion = (typeof COMMERCIAL_REGIONS)[number]["id"];

export const COMMERCIAL_REGION_IDS: readonly CommercialRegion[] = COMMERCIAL_REGIONS.map((r) => r.id);

export function isCommercialRegion(value: string): value is CommercialRegion {
  return (COMMERCIAL_REGION_IDS as readonly string[]).includes(value);
}

export function regionDisplayName(id: string): string | undefined {
  return COMMERCIAL_REGIONS.find((r) => r.id === id)?.name;
}
