import { describe, expect, it } from "vitest";
import { generateExternalId, withoutExternalId } from "./external-id";

describe("external ids", () => {
  it("are generated unguessable and distinct", () => {
    const ids = new Set(Array.from({ length: 200 }, generateExternalId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^portal-[\w-]{24}$/);
  });

  it("are masked in stored messages shown to every role", () => {
    const old = "(3) its sts:ExternalId condition equals the external id registered here, portal-abc123 (an ExternalId mismatch…)";
    expect(withoutExternalId(old, "portal-abc123")).not.toContain("portal-abc123");
    expect(withoutExternalId(old, "portal-abc123")).toContain("(external id hidden)");
    expect(withoutExternalId(null, "portal-abc123")).toBeNull();
  });
});
