CREATE TABLE "admin_audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "admin_audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"admin_id" uuid NOT NULL,
	"action" text NOT NULL,
	"player_id" uuid,
	"item_id" integer,
	"reason" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admin_audit_log_action_valid" CHECK ("admin_audit_log"."action" in ('grant', 'deduct', 'ban', 'unban', 'export', 'delete', 'item_create', 'item_update', 'item_retire', 'item_restore', 'books_check'))
);
--> statement-breakpoint
CREATE TABLE "ledger_days" (
	"day" text NOT NULL,
	"type" text NOT NULL,
	"entries" bigint NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "ledger_days_day_type_pk" PRIMARY KEY("day","type")
);
--> statement-breakpoint
ALTER TABLE "ledger" DROP CONSTRAINT "ledger_type_valid";--> statement-breakpoint
ALTER TABLE "players" ADD COLUMN "banned_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "players" ADD COLUMN "banned_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "players" ADD COLUMN "ban_reason" text;--> statement-breakpoint
ALTER TABLE "players" ADD COLUMN "deleted_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "admin_audit_log" ADD CONSTRAINT "admin_audit_log_admin_id_players_id_fk" FOREIGN KEY ("admin_id") REFERENCES "public"."players"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_audit_log" ADD CONSTRAINT "admin_audit_log_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_audit_log" ADD CONSTRAINT "admin_audit_log_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_audit_log_player_idx" ON "admin_audit_log" USING btree ("player_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "admin_audit_log_action_idx" ON "admin_audit_log" USING btree ("action","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ledger_created_at_brin" ON "ledger" USING brin ("created_at");--> statement-breakpoint
CREATE INDEX "players_created_at_idx" ON "players" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "ledger" ADD CONSTRAINT "ledger_type_valid" CHECK ("ledger"."type" in ('login_bonus', 'purchase', 'sale', 'battle_stake', 'battle_payout', 'battle_refund', 'admin_grant', 'admin_deduct', 'account_closed', 'market_purchase', 'market_sale', 'market_fee'));