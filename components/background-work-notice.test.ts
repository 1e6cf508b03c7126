// The header's notice about background work (scripts/supervisor.mjs → lib/ops/supervisor-status.ts): nothing while
// the worker runs or is off; an accessible status while it restarts or was left down, with light and dark colours.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BackgroundWorkNotice } from "./background-work-notice";

const html = (worker: Parameters<typeof BackgroundWorkNotice>[0]["worker"]) =>
  renderToStaticMarkup(createElement(BackgroundWorkNotice, { worker }));

describe("BackgroundWorkNotice", () => {
  it("shows nothing while the worker runs, is off, or runs outside npm start", () => {
    expect(html("running")).toBe("");
    expect(html("off")).toBe("");
    expect(html("unsupervised")).toBe("");
  });

  it("says the background work is restarting, as a status for assistive technology", () => {
    const h = html("restarting");
    expect(h).toContain("Background work restarting");
    expect(h).toContain('role="status"');
    expect(h).toMatch(/text-amber-800[^"]*dark:text-amber-200/);
  });

  it("says the background work stopped when the worker was left down", () => {
    const h = html("down");
    expect(h).toContain("Background work stopped");
    expect(h).toMatch(/text-red-800[^"]*dark:text-red-200/);
  });
});
