ALTER TABLE "users" ADD COLUMN "idp_issuer" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "idp_subject" text;--> statement-breakpoint
CREATE UNIQUE INDEX "users_idp_identity_key" ON "users" USING btree ("idp_issuer","idp_subject");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_idp_identity_complete" CHECK (("users"."idp_issuer" is null) = ("users"."idp_subject" is null));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_idp_subject_length" CHECK (char_length("users"."idp_subject") <= 255);