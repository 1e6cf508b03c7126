import { describe, expect, it } from "vitest";
import { connectionWarning, storedTitle } from "./connection-warning";

const now = new Date("2026-12-02T12:00:00Z");

describe("account connection warning", () => {
  it("is silent for an account whose last test passed", () => {
    expect(
      connectionWarning({ lastTestAt: new Date("2026-12-01T12:00:00Z"), lastTestOk: true, lastTestMessage: "Connected. Assumed x." }, now),
    ).toBeNull();
  });

  it("names how long ago the test failed and its title, without the long detail", () => {
    const w = connectionWarning(
      {
        lastTestAt: new Date("2026-12-02T10:00:00Z"),
        lastTestOk: false,
        lastTestMessage: "AWS refused to let the portal assume the role. AWS gives one answer for three causes; check each: (1) …",
      },
      now,
    );
    expect(w).toBe("Last connection test failed 2 hours ago: AWS refused to let the portal assume the role.");
  });

  it("warns about an account never tested", () => {
    expect(connectionWarning({ lastTestAt: null, lastTestOk: null, lastTestMessage: null }, now)).toMatch(/^Connection never tested/);
  });

  it("takes the title from a stored message", () => {
    expect(storedTitle("AWS endpoint unreachable. The portal could not reach http://x (ECONNREFUSED).")).toBe("AWS endpoint unreachable");
    expect(storedTitle("Connected.")).toBe("Connected");
    expect(storedTitle(null)).toBeNull();
  });
});
