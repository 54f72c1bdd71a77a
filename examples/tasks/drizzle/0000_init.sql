CREATE TABLE `iterations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` text NOT NULL,
	`iteration_number` integer NOT NULL,
	`story_id` text,
	`status` text,
	`duration_seconds` integer,
	`error_message` text,
	`files_changed` text,
	`created_at` text DEFAULT CURRENT_TIMESTAMP,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `patterns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` text,
	`pattern` text NOT NULL,
	`category` text,
	`source_file` text,
	`created_at` text DEFAULT CURRENT_TIMESTAMP,
	`promoted_at` text,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `providers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`cli` text NOT NULL,
	`install_command` text,
	`auto_approve_flag` text,
	`resume_flag` text,
	`plan_activate_command` text,
	`icon` text,
	`is_installed` integer DEFAULT 0,
	`installed_version` text,
	`last_checked_at` text
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`name` text,
	`session_id` text,
	`stream_id` text,
	`mode` text DEFAULT 'agent',
	`messages` text DEFAULT '[]',
	`is_active` integer DEFAULT 0,
	`created_at` text DEFAULT CURRENT_TIMESTAMP,
	`updated_at` text DEFAULT CURRENT_TIMESTAMP,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `stories` (
	`id` text NOT NULL,
	`task_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`acceptance_criteria` text,
	`priority` integer DEFAULT 1,
	`passes` integer DEFAULT 0,
	`iteration_completed` integer,
	PRIMARY KEY(`task_id`, `id`),
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `idx_stories_task` ON `stories` (`task_id`);--> statement-breakpoint
CREATE TABLE `task_files` (
	`task_id` text PRIMARY KEY NOT NULL,
	`path` text NOT NULL,
	`file_hash` text,
	`db_hash` text,
	`mtime_ns` integer,
	`size` integer,
	`synced_at` text DEFAULT CURRENT_TIMESTAMP
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`branch_name` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`priority` integer DEFAULT 0,
	`current_iteration` integer DEFAULT 0,
	`max_iterations` integer DEFAULT 10,
	`worktree_path` text,
	`metadata_path` text,
	`provider_id` text,
	`created_at` text DEFAULT CURRENT_TIMESTAMP,
	`updated_at` text DEFAULT CURRENT_TIMESTAMP,
	`started_at` text,
	`completed_at` text
);
--> statement-breakpoint
CREATE INDEX `idx_tasks_status` ON `tasks` (`status`);--> statement-breakpoint
CREATE INDEX `idx_tasks_priority` ON `tasks` (`priority`);