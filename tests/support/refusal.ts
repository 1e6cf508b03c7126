/** The AWS error name a call is refused with, or "allowed": attack tests assert the refusal, e.g. /AccessDenied/. */
export async function awsRefusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).name;
  }
  return "allowed";
}
