-- CreateIndex
CREATE INDEX "AuditEvent_targetType_seq_idx" ON "AuditEvent"("targetType", "seq");


-- Defence in depth: the audit history is append-only in the database too, not only in the application.
-- Any UPDATE or DELETE of an AuditEvent row aborts. (A future Prisma migration that redefines the
-- AuditEvent table would drop these triggers with it: such a migration must re-create them.)
CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent"
BEGIN
  SELECT RAISE(ABORT, 'AuditEvent is append-only: UPDATE is not allowed');
END;

CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent"
BEGIN
  SELECT RAISE(ABORT, 'AuditEvent is append-only: DELETE is not allowed');
END;
