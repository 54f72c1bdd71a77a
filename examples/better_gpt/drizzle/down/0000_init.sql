-- mizzle down migration: reverses the migration of the same name (`mizzle migrate --to`)
-- lossy: drops table chats (its data is lost)
-- lossy: drops table files (its data is lost)
-- lossy: drops table projects (its data is lost)
DROP TABLE "chats" CASCADE;--> statement-breakpoint
DROP TABLE "files" CASCADE;--> statement-breakpoint
DROP TABLE "projects" CASCADE;