import "server-only";
import type { Metadata } from "next";
import { isAllowed, type PageKey } from "@/lib/auth/access-table";
import { getCurrentUser } from "@/lib/auth/session";

/**
 * A page's title naming its object ("Pipeline my-app", completed to "Pipeline my-app · Crossline" by the root
 * layout's template). Only someone the page admits learns the name: others get the generic title, and an
 * unknown object "Not found".
 */
export async function titleFor(key: PageKey, generic: string, named: () => Promise<string | null>): Promise<Metadata> {
  const user = await getCurrentUser();
  if (!user || user.mustChangePassword || !isAllowed(key, user.role)) return { title: generic };
  const title = await named();
  return { title: title ?? "Not found" };
}
