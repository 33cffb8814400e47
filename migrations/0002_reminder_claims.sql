ALTER TABLE `reminders` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `reminders` ADD `claimed_at` integer;