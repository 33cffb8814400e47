CREATE TABLE "activities" (
	"id" text PRIMARY KEY NOT NULL,
	"athlete_id" text NOT NULL,
	"activity_key" text NOT NULL,
	"source" text NOT NULL,
	"source_kind" text NOT NULL,
	"source_hash" text NOT NULL,
	"session_index" integer NOT NULL,
	"sport" text NOT NULL,
	"sub_sport" text,
	"source_type" text NOT NULL,
	"name" text,
	"description" text,
	"external_id" text,
	"start_time" bigint NOT NULL,
	"timer_seconds" double precision,
	"elapsed_seconds" double precision,
	"moving_seconds" double precision,
	"distance_meters" double precision,
	"ascent_meters" double precision,
	"avg_power" double precision,
	"max_power" double precision,
	"normalized_power" double precision,
	"power" text NOT NULL,
	"avg_heart_rate" double precision,
	"max_heart_rate" double precision,
	"avg_cadence" double precision,
	"avg_speed" double precision,
	"work_kilojoules" double precision,
	"device" text,
	"laps" text NOT NULL,
	"warnings" text NOT NULL,
	"metrics" text NOT NULL,
	"streams" "bytea",
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_sources" (
	"athlete_id" text NOT NULL,
	"source_hash" text NOT NULL,
	"session_index" integer NOT NULL,
	"activity_id" text NOT NULL,
	"source" text NOT NULL,
	"source_kind" text NOT NULL,
	"upload_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "activity_sources_athlete_id_source_hash_session_index_pk" PRIMARY KEY("athlete_id","source_hash","session_index")
);
--> statement-breakpoint
CREATE TABLE "athletes" (
	"id" text PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"units" text DEFAULT 'metric' NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_identities" (
	"key" text PRIMARY KEY NOT NULL,
	"athlete_id" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_state" (
	"identity_key" text PRIMARY KEY NOT NULL,
	"athlete_id" text,
	"state" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profile_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"athlete_id" text NOT NULL,
	"valid_from" bigint NOT NULL,
	"ftp" double precision,
	"weight_kg" double precision,
	"max_hr" double precision,
	"lthr" double precision,
	"resting_hr" double precision,
	"age" integer,
	"sex" text,
	"goals" text,
	"event_date" text,
	"training_days" text,
	"weekly_hours" double precision,
	"plan_weeks" integer,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "questions" (
	"id" text PRIMARY KEY NOT NULL,
	"athlete_id" text NOT NULL,
	"asked_at" bigint NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"intent" text,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"grounded" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reminders" (
	"athlete_id" text PRIMARY KEY NOT NULL,
	"enabled" integer NOT NULL,
	"day_of_month" text DEFAULT '1' NOT NULL,
	"time_of_day" text DEFAULT '09:00' NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"channel_key" text,
	"next_due_at" bigint,
	"last_sent_at" bigint,
	"disabled_reason" text,
	"claimed_by" text,
	"claimed_at" bigint,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"run_id" text NOT NULL,
	"athlete_id" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "reports_run_id_file_name_pk" PRIMARY KEY("run_id","file_name")
);
--> statement-breakpoint
CREATE TABLE "run_phases" (
	"run_id" text NOT NULL,
	"athlete_id" text NOT NULL,
	"phase" text NOT NULL,
	"status" text NOT NULL,
	"started_at" bigint NOT NULL,
	"duration_ms" bigint NOT NULL,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"note" text,
	CONSTRAINT "run_phases_run_id_phase_pk" PRIMARY KEY("run_id","phase")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"athlete_id" text NOT NULL,
	"status" text NOT NULL,
	"period_from" text,
	"period_to" text,
	"provider" text,
	"model" text,
	"degraded" integer DEFAULT 0 NOT NULL,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"error_code" text,
	"error_message" text,
	"input_hash" text,
	"stale_reason" text,
	"created_at" bigint NOT NULL,
	"started_at" bigint,
	"finished_at" bigint,
	CONSTRAINT "runs_status_check" CHECK ("runs"."status" in ('queued','running','done','failed','interrupted'))
);
--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" text PRIMARY KEY NOT NULL,
	"athlete_id" text NOT NULL,
	"file_names" text NOT NULL,
	"bytes" bigint DEFAULT 0 NOT NULL,
	"new_count" integer NOT NULL,
	"duplicate_count" integer NOT NULL,
	"merged_count" integer NOT NULL,
	"errors" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_events" (
	"id" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"kind" text NOT NULL,
	"amount" bigint NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "usage_events_kind_check" CHECK ("usage_events"."kind" in ('file','bytes','analysis','question','link-failure'))
);
--> statement-breakpoint
CREATE TABLE "athlete_events" (
	"id" text PRIMARY KEY NOT NULL,
	"athlete_id" text NOT NULL,
	"date" text NOT NULL,
	"priority" text NOT NULL,
	"name" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "athlete_events_priority_check" CHECK ("athlete_events"."priority" in ('A','B','C'))
);
--> statement-breakpoint
CREATE TABLE "checkins" (
	"athlete_id" text PRIMARY KEY NOT NULL,
	"enabled" integer NOT NULL,
	"weekday" text DEFAULT 'mon' NOT NULL,
	"time_of_day" text DEFAULT '08:00' NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"channel_key" text,
	"next_due_at" bigint,
	"last_sent_at" bigint,
	"disabled_reason" text,
	"claimed_by" text,
	"claimed_at" bigint,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_versions" (
	"athlete_id" text NOT NULL,
	"version" integer NOT NULL,
	"reason" text NOT NULL,
	"changes" text NOT NULL,
	"plan" text NOT NULL,
	"ftp" double precision NOT NULL,
	"input" text NOT NULL,
	"source_run_id" text,
	"created_at" bigint NOT NULL,
	CONSTRAINT "plan_versions_athlete_id_version_pk" PRIMARY KEY("athlete_id","version")
);
--> statement-breakpoint
CREATE TABLE "workout_matches" (
	"activity_id" text PRIMARY KEY NOT NULL,
	"athlete_id" text NOT NULL,
	"plan_version" integer NOT NULL,
	"workout_key" text,
	"date" text NOT NULL,
	"status" text NOT NULL,
	"match" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "workout_matches_status_check" CHECK ("workout_matches"."status" in ('done','partial','extra'))
);
--> statement-breakpoint
CREATE TABLE "calendar_entries" (
	"athlete_id" text NOT NULL,
	"external_id" text NOT NULL,
	"remote_id" text,
	"date" text NOT NULL,
	"content_hash" text NOT NULL,
	"pushed_at" bigint NOT NULL,
	CONSTRAINT "calendar_entries_athlete_id_external_id_pk" PRIMARY KEY("athlete_id","external_id")
);
--> statement-breakpoint
CREATE TABLE "connections" (
	"athlete_id" text NOT NULL,
	"service" text NOT NULL,
	"external_athlete_id" text NOT NULL,
	"sealed_secret" text NOT NULL,
	"push_calendar" integer DEFAULT 1 NOT NULL,
	"connected_at" bigint NOT NULL,
	"last_sync_at" bigint,
	"cursor" bigint,
	"next_poll_at" bigint,
	"backfill" text,
	CONSTRAINT "connections_athlete_id_service_pk" PRIMARY KEY("athlete_id","service"),
	CONSTRAINT "connections_service_check" CHECK ("connections"."service" in ('intervals','strava'))
);
--> statement-breakpoint
CREATE TABLE "oauth_states" (
	"state" text PRIMARY KEY NOT NULL,
	"athlete_id" text NOT NULL,
	"identity_key" text NOT NULL,
	"months" integer NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"athlete_id" text NOT NULL,
	"service" text NOT NULL,
	"kind" text NOT NULL,
	"payload" text NOT NULL,
	"batch" text,
	"dedupe_key" text,
	"state" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"run_after" bigint NOT NULL,
	"claimed_by" text,
	"claimed_at" bigint,
	"created_at" bigint NOT NULL,
	"finished_at" bigint,
	"last_error" text,
	CONSTRAINT "sync_jobs_dedupe_key" UNIQUE("dedupe_key"),
	CONSTRAINT "sync_jobs_service_check" CHECK ("sync_jobs"."service" in ('intervals','strava')),
	CONSTRAINT "sync_jobs_kind_check" CHECK ("sync_jobs"."kind" in ('backfill','fetch-activity','delete-activity','deauthorize','push-calendar')),
	CONSTRAINT "sync_jobs_state_check" CHECK ("sync_jobs"."state" in ('queued','running','done','failed'))
);
--> statement-breakpoint
CREATE TABLE "synced_activities" (
	"athlete_id" text NOT NULL,
	"service" text NOT NULL,
	"external_id" text NOT NULL,
	"activity_id" text,
	"seen_at" bigint NOT NULL,
	CONSTRAINT "synced_activities_athlete_id_service_external_id_pk" PRIMARY KEY("athlete_id","service","external_id"),
	CONSTRAINT "synced_activities_service_check" CHECK ("synced_activities"."service" in ('intervals','strava'))
);
--> statement-breakpoint
CREATE TABLE "chat_updates" (
	"transport" text NOT NULL,
	"update_id" bigint NOT NULL,
	"payload" text,
	"received_at" bigint NOT NULL,
	"handled_at" bigint,
	"claimed_by" text,
	"claimed_until" bigint,
	CONSTRAINT "chat_updates_transport_update_id_pk" PRIMARY KEY("transport","update_id")
);
--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_sources" ADD CONSTRAINT "activity_sources_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_sources" ADD CONSTRAINT "activity_sources_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_sources" ADD CONSTRAINT "activity_sources_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_identities" ADD CONSTRAINT "chat_identities_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_state" ADD CONSTRAINT "chat_state_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_versions" ADD CONSTRAINT "profile_versions_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_phases" ADD CONSTRAINT "run_phases_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_phases" ADD CONSTRAINT "run_phases_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "athlete_events" ADD CONSTRAINT "athlete_events_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_versions" ADD CONSTRAINT "plan_versions_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workout_matches" ADD CONSTRAINT "workout_matches_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workout_matches" ADD CONSTRAINT "workout_matches_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_entries" ADD CONSTRAINT "calendar_entries_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_states" ADD CONSTRAINT "oauth_states_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_jobs" ADD CONSTRAINT "sync_jobs_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "synced_activities" ADD CONSTRAINT "synced_activities_athlete_id_athletes_id_fk" FOREIGN KEY ("athlete_id") REFERENCES "public"."athletes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "synced_activities" ADD CONSTRAINT "synced_activities_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_athlete_start" ON "activities" USING btree ("athlete_id","start_time");--> statement-breakpoint
CREATE INDEX "activities_athlete_external" ON "activities" USING btree ("athlete_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "activities_athlete_key" ON "activities" USING btree ("athlete_id","activity_key");--> statement-breakpoint
CREATE INDEX "activity_sources_activity" ON "activity_sources" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "chat_identities_athlete" ON "chat_identities" USING btree ("athlete_id");--> statement-breakpoint
CREATE INDEX "profile_versions_athlete_valid" ON "profile_versions" USING btree ("athlete_id","valid_from");--> statement-breakpoint
CREATE INDEX "questions_athlete_asked" ON "questions" USING btree ("athlete_id","asked_at");--> statement-breakpoint
CREATE INDEX "reminders_due" ON "reminders" USING btree ("enabled","next_due_at");--> statement-breakpoint
CREATE INDEX "reports_athlete" ON "reports" USING btree ("athlete_id");--> statement-breakpoint
CREATE INDEX "runs_athlete_created" ON "runs" USING btree ("athlete_id","created_at");--> statement-breakpoint
CREATE INDEX "runs_status" ON "runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "uploads_athlete" ON "uploads" USING btree ("athlete_id","created_at");--> statement-breakpoint
CREATE INDEX "usage_events_subject_kind_at" ON "usage_events" USING btree ("subject","kind","at");--> statement-breakpoint
CREATE INDEX "usage_events_at" ON "usage_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "athlete_events_athlete_date" ON "athlete_events" USING btree ("athlete_id","date");--> statement-breakpoint
CREATE INDEX "checkins_due" ON "checkins" USING btree ("enabled","next_due_at");--> statement-breakpoint
CREATE INDEX "workout_matches_athlete_date" ON "workout_matches" USING btree ("athlete_id","date");--> statement-breakpoint
CREATE INDEX "connections_service_external" ON "connections" USING btree ("service","external_athlete_id");--> statement-breakpoint
CREATE INDEX "connections_service_poll" ON "connections" USING btree ("service","next_poll_at");--> statement-breakpoint
CREATE INDEX "oauth_states_expires" ON "oauth_states" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "oauth_states_athlete" ON "oauth_states" USING btree ("athlete_id");--> statement-breakpoint
CREATE INDEX "sync_jobs_claim" ON "sync_jobs" USING btree ("state","run_after");--> statement-breakpoint
CREATE INDEX "sync_jobs_athlete_batch" ON "sync_jobs" USING btree ("athlete_id","batch");--> statement-breakpoint
CREATE INDEX "sync_jobs_athlete_service" ON "sync_jobs" USING btree ("athlete_id","service","state");--> statement-breakpoint
CREATE INDEX "synced_activities_activity" ON "synced_activities" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "chat_updates_unhandled" ON "chat_updates" USING btree ("transport","handled_at","update_id");--> statement-breakpoint
CREATE INDEX "chat_updates_received" ON "chat_updates" USING btree ("received_at");