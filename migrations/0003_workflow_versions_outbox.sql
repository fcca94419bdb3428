CREATE TABLE "content_versions" (
	"content_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"organization_id" uuid NOT NULL,
	"action" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"author_type" text NOT NULL,
	"author_id" uuid,
	"message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_versions_pkey" PRIMARY KEY("content_id","version")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "processed_events" (
	"event_id" uuid NOT NULL,
	"consumer" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_pkey" PRIMARY KEY("event_id","consumer")
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "approval_threshold" numeric(4, 2) DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "prohibited_phrases" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "required_disclaimer" text;--> statement-breakpoint
ALTER TABLE "content" ADD COLUMN "published_version" integer;--> statement-breakpoint
ALTER TABLE "content" ADD COLUMN "quality_breakdown" jsonb;--> statement-breakpoint
ALTER TABLE "content" ADD COLUMN "compliance_note" text;--> statement-breakpoint
ALTER TABLE "content" ADD COLUMN "scheduled_version" integer;--> statement-breakpoint
ALTER TABLE "content" ADD COLUMN "schedule_error" text;--> statement-breakpoint
ALTER TABLE "content" ADD COLUMN "schedule_failed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "content_versions" ADD CONSTRAINT "content_versions_content_id_content_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."content"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_versions" ADD CONSTRAINT "content_versions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "content_versions_organization_idx" ON "content_versions" USING btree ("organization_id","content_id");--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "outbox" USING btree ("occurred_at") WHERE "outbox"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "content_due_idx" ON "content" USING btree ("scheduled_at") WHERE "content"."status" = 'approved' and "content"."scheduled_at" is not null;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_approval_threshold_range" CHECK ("organizations"."approval_threshold" between 0 and 10);--> statement-breakpoint
-- Content that predates versioning gets its current state as its first recorded version, and what is
-- published stays live through the new pointer.
INSERT INTO "content_versions" ("content_id", "version", "organization_id", "action", "snapshot", "author_type", "author_id", "message", "created_at")
SELECT c."id", c."version", c."organization_id", 'content.import',
  jsonb_build_object('type', c."type", 'title', c."title", 'body', c."body", 'platforms', to_jsonb(c."platforms"),
    'status', c."status", 'qualityScore', c."quality_score", 'complianceStatus', c."compliance_status",
    'scheduledAt', c."scheduled_at", 'publishedAt', c."published_at", 'creatorId', c."creator_id", 'version', c."version"),
  'system', NULL, 'recorded when versioning was introduced', c."updated_at"
FROM "content" c
ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "content" SET "published_version" = "version" WHERE "status" = 'published' AND "published_version" IS NULL;
