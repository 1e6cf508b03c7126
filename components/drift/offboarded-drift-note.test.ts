import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { OffboardedDriftNote } from "./offboarded-drift-note";

describe("the drift section of an offboarded onboarding", () => {
  it("says when it was offboarded and that drift is no longer checked; no verdict, no verify, repair or plan", () => {
    const html = renderToStaticMarkup(createElement(OffboardedDriftNote, { offboardedAt: "2026-12-07T18:04:05.000Z" }));
    expect(html).toContain("Offboarded on ");
    expect(html).toContain("2026-12-07 18:04:05 UTC");
    expect(html).toContain("drift is no longer checked.");
    expect(html).toContain('data-status="offboarded"');
    expect(html).not.toMatch(/in sync|resources match|Verify|Repair|plan|href=/i);
  });

  it("without a known offboarding time it still gives no verdict", () => {
    const html = renderToStaticMarkup(createElement(OffboardedDriftNote, { offboardedAt: null }));
    expect(html).toContain("Offboarded — drift is no longer checked.");
  });
});
