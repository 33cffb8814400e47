/**
 * One athlete's profile history on PostgreSQL: each change is a new version valid from its date
 * (or a correction of that day's version); the domain decides which (`profileChange`,
 * `profileAt`). Mirrors ../../repositories/profile.ts; a change reads the history then writes, so
 * it holds the athlete's lock (two changes on one day at once make one corrected version, not two).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Weekday } from '../../../domain/calendar.js';
import { EMPTY_PROFILE, profileAt, profileChange, type ProfileFields, type ProfileVersion } from '../../../domain/profile.js';
import type { ProfileRepository } from '../../ports.js';
import { pick } from '../../repositories/scope.js';
import * as t from '../schema.js';
import { lockAthlete, type PgAthleteScope, type PgHandle } from './scope.js';

/** The profile's fields, in the order a version lists them. */
const FIELDS = Object.keys(EMPTY_PROFILE) as (keyof ProfileFields)[];

/** One athlete's profile versions on PostgreSQL. */
export class PgProfileRepository implements ProfileRepository {
  constructor(private readonly scope: PgAthleteScope) {}

  async profileHistory(): Promise<ProfileVersion[]> {
    return (await this.rows(this.scope.db)).map(toProfileVersion);
  }

  /** The profile valid on `date` (see `profileAt` in the domain). */
  async profileAt(date: Date): Promise<ProfileVersion | null> {
    return profileAt(await this.profileHistory(), date);
  }

  async currentProfile(): Promise<ProfileVersion | null> {
    return this.profileAt(this.scope.clock());
  }

  /**
   * Saves a change at `validFrom` (default now): a new version carrying the other fields over, or —
   * on a day that already has a version, in the athlete's time zone — a correction of that day's
   * version (see `profileChange`). Returns the profile valid from then, fields resolved.
   */
  async updateProfile(changes: Partial<ProfileFields>, validFrom: Date = this.scope.clock()): Promise<ProfileVersion> {
    const { db, athleteId, clock } = this.scope;
    return db.transaction(async (tx) => {
      await lockAthlete(tx, athleteId);
      const rows = (await this.rows(tx)).map((row) => ({ ...toProfileVersion(row), id: row.id }));
      const [athlete] = await tx.select({ timeZone: t.athletes.timeZone }).from(t.athletes).where(eq(t.athletes.id, athleteId)).limit(1);
      const { version, replaces } = profileChange(rows, changes, validFrom, athlete?.timeZone ?? 'UTC');
      if (replaces) {
        await tx
          .update(t.profileVersions)
          .set(profileColumns(version))
          .where(and(eq(t.profileVersions.athleteId, athleteId), eq(t.profileVersions.id, replaces.id)));
      } else {
        await tx
          .insert(t.profileVersions)
          .values({ id: randomUUID(), athleteId, ...profileColumns(version), validFrom: version.validFrom, createdAt: clock() });
      }
      const history = [...rows.filter((r) => r !== replaces), version];
      return profileAt(history, version.validFrom)!;
    });
  }

  /** Every version, oldest first (on the pool, or the transaction it is given). */
  private rows(handle: PgHandle): Promise<ProfileRow[]> {
    return handle
      .select()
      .from(t.profileVersions)
      .where(eq(t.profileVersions.athleteId, this.scope.athleteId))
      .orderBy(asc(t.profileVersions.validFrom), asc(t.profileVersions.createdAt));
  }
}

type ProfileRow = typeof t.profileVersions.$inferSelect;

function profileColumns(p: ProfileFields): ProfileFields {
  return pick(p, FIELDS);
}

/** A stored row as a version (the SQLite mapper, for PostgreSQL's row type). */
function toProfileVersion(row: ProfileRow): ProfileVersion {
  return { validFrom: row.validFrom, ...pick(row, FIELDS), trainingDays: (row.trainingDays as Weekday[] | null) ?? null };
}
