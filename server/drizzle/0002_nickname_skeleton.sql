ALTER TABLE "players" ADD COLUMN "nickname_skeleton" text;--> statement-breakpoint
ALTER TABLE "players" ADD CONSTRAINT "players_nickname_skeleton_unique" UNIQUE("nickname_skeleton");