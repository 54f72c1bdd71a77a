-- mizzle down migration: reverses the migration of the same name (`mizzle migrate --to`)
-- lossy: drops table sessions (its data is lost)
-- lossy: drops table usage_logs (its data is lost)
-- lossy: drops table api_keys (its data is lost)
-- lossy: drops table workspace_members (its data is lost)
-- lossy: drops table workspaces (its data is lost)
-- lossy: drops table users (its data is lost)
DROP TABLE `sessions`;--> statement-breakpoint
DROP TABLE `usage_logs`;--> statement-breakpoint
DROP TABLE `api_keys`;--> statement-breakpoint
DROP TABLE `workspace_members`;--> statement-breakpoint
DROP TABLE `workspaces`;--> statement-breakpoint
DROP TABLE `users`;