-- mizzle down migration: reverses the migration of the same name (`mizzle migrate --to`)
-- lossy: drops table iterations (its data is lost)
-- lossy: drops table patterns (its data is lost)
-- lossy: drops table providers (its data is lost)
-- lossy: drops table sessions (its data is lost)
-- lossy: drops table stories (its data is lost)
-- lossy: drops table task_files (its data is lost)
-- lossy: drops table tasks (its data is lost)
DROP TABLE `iterations`;--> statement-breakpoint
DROP TABLE `patterns`;--> statement-breakpoint
DROP TABLE `providers`;--> statement-breakpoint
DROP TABLE `sessions`;--> statement-breakpoint
DROP TABLE `stories`;--> statement-breakpoint
DROP TABLE `task_files`;--> statement-breakpoint
DROP TABLE `tasks`;