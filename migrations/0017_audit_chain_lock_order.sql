-- The chain's trigger takes the organization's KEY SHARE lock before the chain head (docs/decisions/0030).
-- Before, a writer took the head and only then, in its foreign key check, waited for the organization's row;
-- a slug change holding that row FOR UPDATE and then writing its own audit entry waited for the head: deadlock.
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  head record;
BEGIN
  -- The lock the entry's foreign key check would take at the end of the statement, taken now, before the head:
  -- a writer that must wait for the organization's row (a slug change holds it FOR UPDATE) waits holding nothing.
  PERFORM 1 FROM public.organizations o WHERE o.id = NEW.organization_id FOR KEY SHARE;
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
$$;
