-- Hand-written: the audit log is append-only. Prisma's model cannot express
-- triggers, so this lives outside schema.prisma; the drift check ignores it.
-- TRUNCATE is not blocked (test clean-up and deliberate purges need it).
-- Consequence: a Person with audit entries cannot be deleted, because the
-- foreign key's ON DELETE SET NULL is an UPDATE; deactivate people instead.

CREATE FUNCTION "audit_log_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditLog is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "AuditLog_append_only"
BEFORE UPDATE OR DELETE ON "AuditLog"
FOR EACH ROW EXECUTE FUNCTION "audit_log_refuse_change"();
