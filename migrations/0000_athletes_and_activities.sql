CREATE TABLE `activities` (
	`id` text PRIMARY KEY NOT NULL,
	`athlete_id` text NOT NULL,
	`activity_key` text NOT NULL,
	`source` text NOT NULL,
	`source_kind` text NOT NULL,
	`source_hash` text NOT NULL,
	`session_index` integer NOT NULL,
	`sport` text NOT NULL,
	`sub_sport` text,
	`source_type` text NOT NULL,
	`name` text,
	`description` text,
	`external_id` text,
	`start_time` integer NOT NULL,
	`timer_seconds` real,
	`elapsed_seconds` real,
	`moving_seconds` real,
	`distance_meters` real,
	`ascent_meters` real,
	`avg_power` real,
	`max_power` real,
	`normalized_power` real,
	`power` text NOT NULL,
	`avg_heart_rate` real,
	`max_heart_rate` real,
	`avg_cadence` real,
	`avg_speed` real,
	`work_kilojoules` real,
	`device` text,
	`laps` text NOT NULL,
	`warnings` text NOT NULL,
	`metrics` text NOT NULL,
	`streams` blob,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `activities_athlete_start` ON `activities` (`athlete_id`,`start_time`);--> statement-breakpoint
CREATE UNIQUE INDEX `activities_athlete_key` ON `activities` (`athlete_id`,`activity_key`);--> statement-breakpoint
CREATE TABLE `activity_sources` (
	`athlete_id` text NOT NULL,
	`source_hash` text NOT NULL,
	`session_index` integer NOT NULL,
	`activity_id` text NOT NULL,
	`source` text NOT NULL,
	`source_kind` text NOT NULL,
	`upload_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`athlete_id`, `source_hash`, `session_index`),
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`activity_id`) REFERENCES `activities`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`upload_id`) REFERENCES `uploads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `activity_sources_activity` ON `activity_sources` (`activity_id`);--> statement-breakpoint
CREATE TABLE `athletes` (
	`id` text PRIMARY KEY NOT NULL,
	`display_name` text NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`units` text DEFAULT 'metric' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `chat_identities` (
	`key` text PRIMARY KEY NOT NULL,
	`athlete_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `chat_identities_athlete` ON `chat_identities` (`athlete_id`);--> statement-breakpoint
CREATE TABLE `profile_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`athlete_id` text NOT NULL,
	`valid_from` integer NOT NULL,
	`ftp` real,
	`weight_kg` real,
	`max_hr` real,
	`lthr` real,
	`resting_hr` real,
	`age` integer,
	`sex` text,
	`goals` text,
	`event_date` text,
	`training_days` text,
	`weekly_hours` real,
	`plan_weeks` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `profile_versions_athlete_valid` ON `profile_versions` (`athlete_id`,`valid_from`);--> statement-breakpoint
CREATE TABLE `uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`athlete_id` text NOT NULL,
	`file_names` text NOT NULL,
	`new_count` integer NOT NULL,
	`duplicate_count` integer NOT NULL,
	`merged_count` integer NOT NULL,
	`errors` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `uploads_athlete` ON `uploads` (`athlete_id`,`created_at`);