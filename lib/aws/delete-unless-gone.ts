import { isAwsError } from "@/lib/provisioning/aws-errors";

/**
 * Runs a delete call; an error named in `gone` means the resource is already deleted (an earlier attempt, or someone
 * else, got there first), which is what the caller wanted. Returns whether this call deleted it.
 */
export async function deleteUnlessGone(del: () => Promise<unknown>, ...gone: string[]): Promise<boolean> {
  try {
    await del();
    return true;
  } catch (e) {
    if (isAwsError(e, ...gone)) return false;
    throw e;
  }
}
