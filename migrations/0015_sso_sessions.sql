CREATE TABLE "organization_sso" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_encrypted" text NOT NULL,
	"allowed_domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"default_role" "user_role",
	"role_claim" text,
	"role_mapping" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_sso_issuer_length" CHECK (char_length("organization_sso"."issuer") between 1 and 2048),
	CONSTRAINT "organization_sso_client_id_length" CHECK (char_length("organization_sso"."client_id") between 1 and 255),
	CONSTRAINT "organization_sso_allowed_domains_count" CHECK (cardinality("organization_sso"."allowed_domains") <= 50),
	CONSTRAINT "organization_sso_default_role" CHECK ("organization_sso"."default_role" is null or "organization_sso"."default_role" <> 'super_admin'),
	CONSTRAINT "organization_sso_role_claim_length" CHECK ("organization_sso"."role_claim" is null or char_length("organization_sso"."role_claim") <= 100)
);
--> statement-breakpoint
CREATE TABLE "auth_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"issuer" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"idle_expires_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"amr" text[] DEFAULT '{}'::text[] NOT NULL,
	"acr" text,
	"auth_time" timestamp with time zone,
	"mfa" boolean DEFAULT false NOT NULL,
	"user_agent" text,
	"ip" "inet",
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	CONSTRAINT "auth_sessions_id_format" CHECK ("auth_sessions"."id" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "auth_sessions_revoked_complete" CHECK (("auth_sessions"."revoked_at" is null) = ("auth_sessions"."revoked_reason" is null)),
	CONSTRAINT "auth_sessions_revoked_reason" CHECK ("auth_sessions"."revoked_reason" is null or "auth_sessions"."revoked_reason" in ('sign_out', 'revoked', 'role_changed', 'status_changed', 'sso_removed')),
	CONSTRAINT "auth_sessions_amr_count" CHECK (cardinality("auth_sessions"."amr") <= 20)
);
--> statement-breakpoint
CREATE TABLE "login_transactions" (
	"state" text PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"nonce" text NOT NULL,
	"code_verifier" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"return_to" text NOT NULL,
	"browser_binding" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organization_sso" ADD CONSTRAINT "organization_sso_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "login_transactions" ADD CONSTRAINT "login_transactions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organization_sso_allowed_domains_idx" ON "organization_sso" USING gin ("allowed_domains");--> statement-breakpoint
CREATE INDEX "auth_sessions_user_idx" ON "auth_sessions" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "auth_sessions_organization_idx" ON "auth_sessions" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "auth_sessions_expires_idx" ON "auth_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "login_transactions_expires_idx" ON "login_transactions" USING btree ("expires_at");