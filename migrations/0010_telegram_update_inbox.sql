CREATE TABLE `chat_updates` (
	`transport` text NOT NULL,
	`update_id` integer NOT NULL,
	`payload` text,
	`received_at` integer NOT NULL,
	`handled_at` integer,
	`claimed_by` text,
	`claimed_until` integer,
	PRIMARY KEY(`transport`, `update_id`)
);
--> statement-breakpoint
CREATE INDEX `chat_updates_unhandled` ON `chat_updates` (`transport`,`handled_at`,`update_id`);--> statement-breakpoint
CREATE INDEX `chat_updates_received` ON `chat_updates` (`received_at`);