CREATE TABLE `calendar_entries` (
	`athlete_id` text NOT NULL,
	`external_id` text NOT NULL,
	`remote_id` text,
	`date` text NOT NULL,
	`content_hash` text NOT NULL,
	`pushed_at` integer NOT NULL,
	PRIMARY KEY(`athlete_id`, `external_id`),
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `connections` (
	`athlete_id` text NOT NULL,
	`service` text NOT NULL,
	`external_athlete_id` text NOT NULL,
	`sealed_secret` text NOT NULL,
	`push_calendar` integer DEFAULT true NOT NULL,
	`connected_at` integer NOT NULL,
	`last_sync_at` integer,
	`cursor` integer,
	`next_poll_at` integer,
	`backfill` text,
	PRIMARY KEY(`athlete_id`, `service`),
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "connections_service_check" CHECK("connections"."service" in ('intervals','strava'))
);
--> statement-breakpoint
CREATE INDEX `connections_service_external` ON `connections` (`service`,`external_athlete_id`);--> statement-breakpoint
CREATE INDEX `connections_service_poll` ON `connections` (`service`,`next_poll_at`);--> statement-breakpoint
CREATE TABLE `oauth_states` (
	`state` text PRIMARY KEY NOT NULL,
	`athlete_id` text NOT NULL,
	`identity_key` text NOT NULL,
	`months` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `oauth_states_expires` ON `oauth_states` (`expires_at`);--> statement-breakpoint
CREATE INDEX `oauth_states_athlete` ON `oauth_states` (`athlete_id`);--> statement-breakpoint
CREATE TABLE `sync_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`athlete_id` text NOT NULL,
	`service` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`batch` text,
	`dedupe_key` text,
	`state` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`run_after` integer NOT NULL,
	`claimed_by` text,
	`claimed_at` integer,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	`last_error` text,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "sync_jobs_service_check" CHECK("sync_jobs"."service" in ('intervals','strava')),
	CONSTRAINT "sync_jobs_kind_check" CHECK("sync_jobs"."kind" in ('backfill','fetch-activity','delete-activity','deauthorize','push-calendar')),
	CONSTRAINT "sync_jobs_state_check" CHECK("sync_jobs"."state" in ('queued','running','done','failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_jobs_dedupe_key` ON `sync_jobs` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `sync_jobs_claim` ON `sync_jobs` (`state`,`run_after`);--> statement-breakpoint
CREATE INDEX `sync_jobs_athlete_batch` ON `sync_jobs` (`athlete_id`,`batch`);--> statement-breakpoint
CREATE INDEX `sync_jobs_athlete_service` ON `sync_jobs` (`athlete_id`,`service`,`state`);--> statement-breakpoint
CREATE TABLE `synced_activities` (
	`athlete_id` text NOT NULL,
	`service` text NOT NULL,
	`external_id` text NOT NULL,
	`activity_id` text,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`athlete_id`, `service`, `external_id`),
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`activity_id`) REFERENCES `activities`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "synced_activities_service_check" CHECK("synced_activities"."service" in ('intervals','strava'))
);
--> statement-breakpoint
CREATE INDEX `synced_activities_activity` ON `synced_activities` (`activity_id`);