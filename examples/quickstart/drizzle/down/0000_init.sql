-- mizzle down migration: reverses the migration of the same name (`mizzle migrate --to`)
-- lossy: drops table messages (its data is lost)
-- lossy: drops table sessions (its data is lost)
-- lossy: drops table settings (its data is lost)
DROP TABLE `messages`;--> statement-breakpoint
DROP TABLE `sessions`;--> statement-breakpoint
DROP TABLE `settings`;