-- CreateIndex
CREATE INDEX "AuditEvent_targetType_seq_idx" ON "AuditEvent"("targetType", "seq");


-- Defence in depth: the audit history is append-only in the database too, not only in the application.
-- PostgreSQL twin of the SQLite triggers: any UPDATE, DELETE or TRUNCATE of AuditEvent aborts.
CREATE FUNCTION "AuditEvent_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "AuditEvent_append_only"();
CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "AuditEvent_append_only"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent" FOR EACH STATEMENT EXECUTE FUNCTION "AuditEvent_append_only"();

-- The highest seq ever issued, the twin of SQLite's sqlite_sequence row for AuditEvent: kept by a trigger in
-- the inserting transaction (so it rolls back with it, unlike a sequence), read by the writer to number the
-- next event without gaps and by verification to detect deleted newest events (lib/audit).
CREATE TABLE "AuditEventIssued" (
    "id" BOOLEAN NOT NULL DEFAULT true PRIMARY KEY CHECK ("id"),
    "seq" INTEGER NOT NULL
);
INSERT INTO "AuditEventIssued" ("id", "seq") SELECT true, COALESCE(MAX("seq"), 0) FROM "AuditEvent";

CREATE FUNCTION "AuditEvent_issue"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "AuditEventIssued" SET "seq" = GREATEST("seq", NEW."seq");
  RETURN NEW;
END;
$$;

CREATE TRIGGER "AuditEvent_issued" AFTER INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "AuditEvent_issue"();
