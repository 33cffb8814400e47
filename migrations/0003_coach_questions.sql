CREATE TABLE `questions` (
	`id` text PRIMARY KEY NOT NULL,
	`athlete_id` text NOT NULL,
	`asked_at` integer NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`intent` text,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`grounded` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`athlete_id`) REFERENCES `athletes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `questions_athlete_asked` ON `questions` (`athlete_id`,`asked_at`);