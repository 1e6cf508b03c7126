import { afterEach, describe, expect, it, vi } from "vitest";
import { databaseProvider, databaseUrl } from "./database-url";

afterEach(() => vi.unstubAllEnvs());

describe("DATABASE_URL", () => {
  it("defaults to the embedded SQLite file, resolved against the working directory", () => {
    vi.stubEnv("DATABASE_URL", "");
    expect(databaseProvider()).toBe("sqlite");
    expect(databaseUrl()).toBe(`file:${process.cwd()}/.data/portal.db`);
  });

  it("takes a postgresql:// or postgres:// URL as given", () => {
    for (const url of ["postgresql://portal:pw@db.internal:5432/portal?sslmode=require", "postgres://u@localhost/p"]) {
      vi.stubEnv("DATABASE_URL", url);
      expect(databaseProvider()).toBe("postgresql");
      expect(databaseUrl()).toBe(url);
    }
  });

  it("refuses any other database, without echoing the password", () => {
    vi.stubEnv("DATABASE_URL", "mysql://root:hunter2@db/portal");
    expect(() => databaseUrl()).toThrow(/SQLite file: URL or a postgresql:\/\/ URL/);
    expect(() => databaseUrl()).not.toThrow(/hunter2/);
  });
});
