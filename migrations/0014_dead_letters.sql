CREATE TABLE "dead_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" text NOT NULL,
	"effect" text NOT NULL,
	"event_type" text,
	"organization_id" uuid,
	"reason" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"last_error" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"first_failed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_failed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	CONSTRAINT "dead_letters_event_effect_key" UNIQUE("event_id","effect"),
	CONSTRAINT "dead_letters_reason" CHECK ("dead_letters"."reason" in ('effect_failed', 'malformed', 'unknown_type')),
	CONSTRAINT "dead_letters_resolution" CHECK ("dead_letters"."resolution" is null or "dead_letters"."resolution" in ('redriven', 'replayed')),
	CONSTRAINT "dead_letters_resolved" CHECK (("dead_letters"."resolved_at" is null) = ("dead_letters"."resolution" is null))
);
--> statement-breakpoint
CREATE INDEX "dead_letters_due_idx" ON "dead_letters" USING btree ("next_attempt_at") WHERE "dead_letters"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "dead_letters_unresolved_idx" ON "dead_letters" USING btree ("first_failed_at") WHERE "dead_letters"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "dead_letters_list_idx" ON "dead_letters" USING btree ("first_failed_at" DESC NULLS LAST,"id" DESC NULLS LAST);