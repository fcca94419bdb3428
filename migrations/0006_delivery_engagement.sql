CREATE TABLE "engagement_daily" (
	"organization_id" uuid NOT NULL,
	"content_id" uuid NOT NULL,
	"day" date NOT NULL,
	"platform" text NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"shares" integer DEFAULT 0 NOT NULL,
	"likes" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "engagement_daily_pkey" PRIMARY KEY("content_id","day","platform"),
	CONSTRAINT "engagement_daily_counts_non_negative" CHECK ("engagement_daily"."views" >= 0 and "engagement_daily"."clicks" >= 0 and "engagement_daily"."shares" >= 0 and "engagement_daily"."likes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "engagement_dropped" (
	"organization_id" uuid NOT NULL,
	"day" date NOT NULL,
	"reason" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "engagement_dropped_pkey" PRIMARY KEY("organization_id","day","reason")
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "delivery_public" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "engagement_daily" ADD CONSTRAINT "engagement_daily_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_daily" ADD CONSTRAINT "engagement_daily_content_id_content_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."content"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_dropped" ADD CONSTRAINT "engagement_dropped_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "engagement_daily_organization_day_idx" ON "engagement_daily" USING btree ("organization_id","day");--> statement-breakpoint
CREATE INDEX "engagement_daily_updated_at_idx" ON "engagement_daily" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "content_delivery_list_idx" ON "content" USING btree ("organization_id","published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "content"."published_version" is not null;