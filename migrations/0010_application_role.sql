-- The Worker's role (docs/decisions/0030). Migrations run as the owner of the tables; the Worker connects as a
-- login role that is a member of contentos_app and owns nothing, so it cannot disable or drop a trigger, and on
-- the audit log it may only add and read rows. NOLOGIN: each environment creates its own login role in it
-- (README "Database roles"). Roles belong to the whole server, so another database may have created it already.
DO $$
BEGIN
  CREATE ROLE contentos_app NOLOGIN;
EXCEPTION
  -- unique_violation: another database's migration created it at the same moment.
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'contentos_app' AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb)) THEN
    RAISE EXCEPTION 'role contentos_app must not be a superuser or bypass RLS, create roles or create databases';
  END IF;
END
$$;--> statement-breakpoint
-- Already PostgreSQL 15's default; said again for databases created before it.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO contentos_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO contentos_app;--> statement-breakpoint
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO contentos_app;--> statement-breakpoint
-- The audit log: add and read, nothing else (no UPDATE, DELETE, TRUNCATE, TRIGGER or REFERENCES).
REVOKE ALL ON "audit_log" FROM contentos_app;--> statement-breakpoint
GRANT SELECT, INSERT ON "audit_log" TO contentos_app;--> statement-breakpoint
-- The heads are written by the trigger, as the owner; the Worker reads them to verify.
REVOKE ALL ON "audit_chain_heads" FROM contentos_app;--> statement-breakpoint
GRANT SELECT ON "audit_chain_heads" TO contentos_app;--> statement-breakpoint
-- The cron records how far it verified; nothing ever deletes a checkpoint.
REVOKE ALL ON "audit_chain_checkpoints" FROM contentos_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "audit_chain_checkpoints" TO contentos_app;--> statement-breakpoint
-- Tables later migrations create (as this same owner) get the ordinary rights; a table that needs fewer revokes
-- them in its migration, and tests/worker/audit-log/app-role.test.ts lists what the role holds on each table.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO contentos_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO contentos_app;
