CREATE TABLE `chat_state` (
	`identity_key` text PRIMARY KEY NOT NULL,
	`athlete_id` text,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `reminders` (
	`athlete_id` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`day_of_month` text DEFAULT '1' NOT NULL,
	`time_of_day` text DEFAULT '09:00' NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`channel_key` text,
	`next_due_at` integer,
	`last_sent_at` integer,
	`disabled_reason` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reminders_due` ON `reminders` (`enabled`,`next_due_at`);--> statement-breakpoint
CREATE TABLE `reports` (
	`run_id` text NOT NULL,
	`athlete_id` text NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`content` blob NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`run_id`, `file_name`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reports_athlete` ON `reports` (`athlete_id`);--> statement-breakpoint
CREATE TABLE `run_phases` (
	`run_id` text NOT NULL,
	`athlete_id` text NOT NULL,
	`phase` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`note` text,
	PRIMARY KEY(`run_id`, `phase`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`athlete_id` text NOT NULL,
	`status` text NOT NULL,
	`period_from` text,
	`period_to` text,
	`provider` text,
	`model` text,
	`degraded` integer DEFAULT false NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`error_code` text,
	`error_message` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "runs_status_check" CHECK("runs"."status" in ('queued','running','done','failed','interrupted'))
);
--> statement-breakpoint
CREATE INDEX `runs_athlete_created` ON `runs` (`athlete_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_status` ON `runs` (`status`);