CREATE TABLE "mfa_totp" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"confirmed_at" timestamp with time zone,
	"last_used_step" bigint,
	"recovery_code_hashes" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mfa_totp_recovery_codes_bounded" CHECK (cardinality("mfa_totp"."recovery_code_hashes") <= 20)
);
--> statement-breakpoint
CREATE TABLE "mfa_verifications" (
	"credential_digest" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"method" text NOT NULL,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "mfa_verifications_method" CHECK ("mfa_verifications"."method" in ('totp', 'recovery_code'))
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "mfa_required_roles" "user_role"[] DEFAULT '{super_admin,org_admin}'::user_role[] NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "mfa_max_age_seconds" integer;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "mfa_built_in_totp" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "mfa_totp" ADD CONSTRAINT "mfa_totp_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mfa_verifications" ADD CONSTRAINT "mfa_verifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mfa_verifications_user_idx" ON "mfa_verifications" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "mfa_verifications_expires_idx" ON "mfa_verifications" USING btree ("expires_at");--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_mfa_max_age_range" CHECK ("organizations"."mfa_max_age_seconds" is null or "organizations"."mfa_max_age_seconds" between 60 and 2592000);