import { describe, expect, it } from "vitest";
import { notifyDomainsSchema, outsideRecipients, recipientsProblem } from "./notify-domains";

describe("PORTAL_NOTIFY_DOMAINS", () => {
  it("parses comma-separated domains, trimmed, lower-cased, without repeats", () => {
    expect(notifyDomainsSchema.parse(" Example.com, ops.example.com ,example.com")).toEqual(["example.com", "ops.example.com"]);
  });

  it("refuses what is not a list of domains", () => {
    for (const bad of ["", " , ", "example", "@example.com", "exa mple.com", "example.com;evil.test", "*.example.com"]) {
      expect(notifyDomainsSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe("recipients outside the allowed domains", () => {
  const domains = ["example.com", "ops.example.com"];

  it("a domain matches itself only (not a look-alike, not an unlisted subdomain), case-insensitively", () => {
    expect(
      outsideRecipients(
        [
          "a@example.com",
          "b@OPS.Example.com",
          "attacker@evil.test",
          "c@example.com.evil.test",
          "d@dev.example.com",
          "e@evil.test@example.com",
        ],
        domains,
      ),
    ).toEqual(["attacker@evil.test", "c@example.com.evil.test", "d@dev.example.com"]);
  });

  it("names the addresses and the allowed domains", () => {
    expect(recipientsProblem(["a@example.com"], domains)).toBeNull();
    expect(recipientsProblem(["attacker@evil.test"], domains)).toBe(
      "“attacker@evil.test” is outside the email domains notifications may go to. Allowed domains: example.com, ops.example.com.",
    );
    expect(recipientsProblem(["x@a.test", "y@b.test", "z@c.test", "w@d.test"], domains)).toMatch(
      /^“x@a\.test”, “y@b\.test”, “z@c\.test” and 1 more are outside/,
    );
    expect(recipientsProblem(["x@a.test"], [])).toMatch(/No email domain is allowed yet: an admin sets PORTAL_NOTIFY_DOMAINS\.$/);
  });
});
