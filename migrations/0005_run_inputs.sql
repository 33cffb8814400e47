ALTER TABLE `runs` ADD `input_hash` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `stale_reason` text;