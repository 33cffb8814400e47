/**
 * Every PostgreSQL table by the name `db:check` counts it under (the same names as on SQLite), and
 * the order in which rows can be inserted without breaking a foreign key (parents first).
 */
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import * as c from './coaching-schema.js';
import * as i from './inbox-schema.js';
import * as t from './schema.js';
import * as s from './sync-schema.js';

/** Every table, as `db:check` counts them (the keys of SQLite's report). */
export const PG_TABLES: Record<string, PgTable> = {
  athletes: t.athletes,
  chatIdentities: t.chatIdentities,
  profileVersions: t.profileVersions,
  activities: t.activities,
  activitySources: t.activitySources,
  uploads: t.uploads,
  runs: t.runs,
  runPhases: t.runPhases,
  reports: t.reports,
  reminders: t.reminders,
  chatState: t.chatState,
  questions: t.questions,
  usageEvents: t.usageEvents,
  planVersions: c.planVersions,
  workoutMatches: c.workoutMatches,
  athleteEvents: c.athleteEvents,
  checkins: c.checkins,
  connections: s.connections,
  syncJobs: s.syncJobs,
  syncedActivities: s.syncedActivities,
  calendarEntries: s.calendarEntries,
  oauthStates: s.oauthStates,
  chatUpdates: i.chatUpdates,
};

/** The SQL names of the tables, parents before the tables that reference them. */
export function tablesInForeignKeyOrder(): string[] {
  const parents = new Map<string, string[]>();
  for (const table of Object.values(PG_TABLES)) {
    const config = getTableConfig(table);
    const refs = config.foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name);
    parents.set(
      config.name,
      refs.filter((name) => name !== config.name),
    );
  }
  const ordered: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (ordered.includes(name)) return;
    if (path.includes(name)) throw new Error(`Foreign keys form a cycle: ${[...path, name].join(' → ')}`);
    for (const parent of parents.get(name) ?? []) visit(parent, [...path, name]);
    ordered.push(name);
  };
  for (const name of parents.keys()) visit(name, []);
  return ordered;
}
