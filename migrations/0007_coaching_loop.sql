CREATE TABLE `athlete_events` (
	`id` text PRIMARY KEY NOT NULL,
	`athlete_id` text NOT NULL,
	`date` text NOT NULL,
	`priority` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "athlete_events_priority_check" CHECK("athlete_events"."priority" in ('A','B','C'))
);
--> statement-breakpoint
CREATE INDEX `athlete_events_athlete_date` ON `athlete_events` (`athlete_id`,`date`);--> statement-breakpoint
CREATE TABLE `checkins` (
	`athlete_id` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`weekday` text DEFAULT 'mon' NOT NULL,
	`time_of_day` text DEFAULT '08:00' NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`channel_key` text,
	`next_due_at` integer,
	`last_sent_at` integer,
	`disabled_reason` text,
	`claimed_by` text,
	`claimed_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `checkins_due` ON `checkins` (`enabled`,`next_due_at`);--> statement-breakpoint
CREATE TABLE `plan_versions` (
	`athlete_id` text NOT NULL,
	`version` integer NOT NULL,
	`reason` text NOT NULL,
	`changes` text NOT NULL,
	`plan` text NOT NULL,
	`ftp` real NOT NULL,
	`input` text NOT NULL,
	`source_run_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`athlete_id`, `version`),
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `workout_matches` (
	`activity_id` text PRIMARY KEY NOT NULL,
	`athlete_id` text NOT NULL,
	`plan_version` integer NOT NULL,
	`workout_key` text,
	`date` text NOT NULL,
	`status` text NOT NULL,
	`match` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`activity_id`) REFERENCES `activities`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "workout_matches_status_check" CHECK("workout_matches"."status" in ('done','partial','extra'))
);
--> statement-breakpoint
CREATE INDEX `workout_matches_athlete_date` ON `workout_matches` (`athlete_id`,`date`);