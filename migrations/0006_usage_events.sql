CREATE TABLE `usage_events` (
	`id` text PRIMARY KEY NOT NULL,
	`subject` text NOT NULL,
	`kind` text NOT NULL,
	`amount` integer NOT NULL,
	`at` integer NOT NULL,
	CONSTRAINT "usage_events_kind_check" CHECK("usage_events"."kind" in ('file','bytes','analysis','question','link-failure'))
);
--> statement-breakpoint
CREATE INDEX `usage_events_subject_kind_at` ON `usage_events` (`subject`,`kind`,`at`);--> statement-breakpoint
CREATE INDEX `usage_events_at` ON `usage_events` (`at`);