-- Each organization's audit rows form a hash chain (docs/decisions/0030): row n stores the hash of row n-1 and
-- its own hash over both, so an edited, deleted or inserted row no longer links. The database computes it in a
-- BEFORE INSERT trigger, so every writer chains, whatever its code.
CREATE TABLE "audit_chain_checkpoints" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"position" bigint NOT NULL,
	"hash" "bytea" NOT NULL,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL,
	"broken_position" bigint,
	"broken_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_chain_heads" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"position" bigint NOT NULL,
	"hash" "bytea" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_chain_checkpoints" ADD CONSTRAINT "audit_chain_checkpoints_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_chain_heads" ADD CONSTRAINT "audit_chain_heads_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
-- Nullable until the existing rows are chained below.
ALTER TABLE "audit_log" ADD COLUMN "chain_position" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" "bytea";--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" "bytea";--> statement-breakpoint
-- The hash of one row: sha256(prev_hash || UTF-8 of a JSON array of every other column, in this order). The array
-- is PostgreSQL's jsonb text (stable key order, normalized spacing); the instant is written in UTC to the
-- microsecond, so neither the session's time zone nor a driver's rounding changes it. The leading tag names the
-- format: a future column gets a new tag, never a silent change to this one.
CREATE FUNCTION audit_log_entry_hash(e "audit_log") RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT pg_catalog.sha256(e.prev_hash || pg_catalog.convert_to(pg_catalog.jsonb_build_array(
    'contentos.audit.v1',
    e.organization_id,
    e.chain_position,
    e.id,
    e.actor_type,
    e.actor_id,
    e.action,
    e.entity_type,
    e.entity_id,
    e.request_id,
    e.ip,
    e.user_agent,
    pg_catalog.to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.changes
  )::text, 'UTF8'))
$$;--> statement-breakpoint
-- Chains the existing rows in insertion (id) order. The append-only trigger is off only inside this migration's
-- transaction, which holds the table's exclusive lock until it commits.
ALTER TABLE "audit_log" DISABLE TRIGGER "audit_log_no_update_delete";--> statement-breakpoint
DO $$
DECLARE
  e audit_log;
  chain_org uuid;
  link bytea;
  n bigint;
BEGIN
  FOR e IN SELECT * FROM audit_log ORDER BY organization_id, id LOOP
    IF chain_org IS DISTINCT FROM e.organization_id THEN
      chain_org := e.organization_id;
      link := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
      n := 0;
    END IF;
    n := n + 1;
    e.chain_position := n;
    e.prev_hash := link;
    e.hash := audit_log_entry_hash(e);
    UPDATE audit_log SET chain_position = e.chain_position, prev_hash = e.prev_hash, hash = e.hash WHERE id = e.id;
    link := e.hash;
  END LOOP;
END
$$;--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE TRIGGER "audit_log_no_update_delete";--> statement-breakpoint
INSERT INTO "audit_chain_heads" ("organization_id", "position", "hash")
  SELECT DISTINCT ON (organization_id) organization_id, chain_position, hash
  FROM "audit_log" ORDER BY organization_id, chain_position DESC;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "chain_position" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_organization_chain_key" ON "audit_log" USING btree ("organization_id","chain_position");--> statement-breakpoint
-- Takes the next position under a lock on the organization's head row, so concurrent inserts of one organization
-- queue here (until their transactions end) while other organizations' inserts do not wait. SECURITY DEFINER:
-- it runs as the owner, so the application's role needs no write access to the heads. Every name is qualified
-- and pg_temp searched last, so a session's temporary objects cannot stand in for ours.
CREATE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  head record;
BEGIN
  SELECT h.position, h.hash INTO head FROM public.audit_chain_heads h
    WHERE h.organization_id = NEW.organization_id FOR UPDATE;
  IF NOT FOUND THEN
    -- An organization's first entry; of two at once, one inserts and the other waits on it, then reads it.
    INSERT INTO public.audit_chain_heads (organization_id, position, hash)
      VALUES (NEW.organization_id, 0, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
      ON CONFLICT (organization_id) DO NOTHING;
    SELECT h.position, h.hash INTO head FROM public.audit_chain_heads h
      WHERE h.organization_id = NEW.organization_id FOR UPDATE;
  END IF;
  -- Whatever the writer sent for these columns is replaced.
  NEW.chain_position := head.position + 1;
  NEW.prev_hash := head.hash;
  NEW.hash := public.audit_log_entry_hash(NEW);
  UPDATE public.audit_chain_heads SET position = NEW.chain_position, hash = NEW.hash
    WHERE organization_id = NEW.organization_id;
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION audit_log_chain() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER audit_log_chain
  BEFORE INSERT ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
