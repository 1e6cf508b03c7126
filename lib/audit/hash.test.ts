import { describe, expect, it } from "vitest";
import { GENESIS_HASH, keyedHash, plainHash as auditHash } from "./hash";
import { redact } from "./redact";

const content = {
  at: new Date("2026-01-01T00:00:00Z"),
  actorId: "u1",
  actorEmail: "a@example.com",
  action: "accounts.create",
  targetType: "account",
  targetId: "acc1",
  outcome: "success",
  details: "{}",
  requestIds: null,
  ip: "127.0.0.1",
  userAgent: "ua",
};

describe("audit hash", () => {
  it("is stable and changes with any field or the previous hash", () => {
    const h = auditHash(GENESIS_HASH, content);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash(GENESIS_HASH, { ...content })).toBe(h);
    expect(auditHash(GENESIS_HASH, { ...content, outcome: "denied" })).not.toBe(h);
    expect(auditHash(GENESIS_HASH, { ...content, details: '{"x":1}' })).not.toBe(h);
    expect(auditHash("f".repeat(64), content)).not.toBe(h);
  });

  it("does not confuse field boundaries", () => {
    expect(auditHash(GENESIS_HASH, { ...content, actorId: "u1a", actorEmail: "@example.com" })).not.toBe(
      auditHash(GENESIS_HASH, { ...content, actorId: "u1", actorEmail: "a@example.com" }),
    );
  });
});

describe("keyed audit hash", () => {
  const key = Buffer.from("k".repeat(32));
  it("is an HMAC: versioned, and different under another key or without one", () => {
    const h = keyedHash(key, GENESIS_HASH, content);
    expect(h).toMatch(/^k1:[0-9a-f]{64}$/);
    expect(keyedHash(key, GENESIS_HASH, { ...content })).toBe(h);
    expect(keyedHash(Buffer.from("x".repeat(32)), GENESIS_HASH, content)).not.toBe(h);
    expect(h.slice(3)).not.toBe(auditHash(GENESIS_HASH, content));
  });
});

describe("redact", () => {
  it("hides secret-looking string values at any depth and keeps the rest", () => {
    expect(
      redact({ password: "p", nested: { sessionToken: "t", name: "n" }, list: [{ externalId: "e" }], externalIdChanged: true }),
    ).toEqual({
      password: "[redacted]",
      nested: { sessionToken: "[redacted]", name: "n" },
      list: [{ externalId: "[redacted]" }],
      externalIdChanged: true,
    });
  });
});
