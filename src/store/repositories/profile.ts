/**
 * One athlete's profile history: each change is a new version valid from its date (or a
 * correction of that day's version); the domain decides which (`profileChange`, `profileAt`).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Weekday } from '../../domain/calendar.js';
import { EMPTY_PROFILE, profileAt, profileChange, type ProfileFields, type ProfileVersion } from '../../domain/profile.js';
import type { Blocking, ProfileRepository } from '../ports.js';
import * as t from '../schema.js';
import { IMMEDIATE, pick, type AthleteScope, type Reader } from './scope.js';

/** The profile's fields, in the order a version lists them. */
const FIELDS = Object.keys(EMPTY_PROFILE) as (keyof ProfileFields)[];

export class SqliteProfileRepository implements Blocking<ProfileRepository> {
  constructor(private readonly scope: AthleteScope) {}

  profileHistory(): ProfileVersion[] {
    return this.rows(this.scope.db).map(toProfileVersion);
  }

  /** The profile valid on `date` (see `profileAt` in the domain). */
  profileAt(date: Date): ProfileVersion | null {
    return profileAt(this.profileHistory(), date);
  }

  currentProfile(): ProfileVersion | null {
    return this.profileAt(this.scope.clock());
  }

  /**
   * Saves a change at `validFrom` (default now): a new version carrying the other fields over, or —
   * on a day that already has a version, in the athlete's time zone — a correction of that day's
   * version (see `profileChange`). Returns the profile valid from then, fields resolved.
   */
  updateProfile(changes: Partial<ProfileFields>, validFrom: Date = this.scope.clock()): ProfileVersion {
    const { db, athleteId, clock } = this.scope;
    return db.transaction((tx) => {
      const rows = this.rows(tx).map((row) => ({ ...toProfileVersion(row), id: row.id }));
      const zone =
        tx.select({ timeZone: t.athletes.timeZone }).from(t.athletes).where(eq(t.athletes.id, athleteId)).get()?.timeZone ?? 'UTC';
      const { version, replaces } = profileChange(rows, changes, validFrom, zone);
      if (replaces) {
        tx.update(t.profileVersions)
          .set(profileColumns(version))
          .where(and(eq(t.profileVersions.athleteId, athleteId), eq(t.profileVersions.id, replaces.id)))
          .run();
      } else {
        tx.insert(t.profileVersions)
          .values({ id: randomUUID(), athleteId, ...profileColumns(version), validFrom: version.validFrom, createdAt: clock() })
          .run();
      }
      const history = [...rows.filter((r) => r !== replaces), version];
      return profileAt(history, version.validFrom)!;
    }, IMMEDIATE);
  }

  /** Every version, oldest first (on `db`, or the transaction `tx` it is given). */
  private rows(db: Reader) {
    return db
      .select()
      .from(t.profileVersions)
      .where(eq(t.profileVersions.athleteId, this.scope.athleteId))
      .orderBy(asc(t.profileVersions.validFrom), asc(t.profileVersions.createdAt))
      .all();
  }
}

function profileColumns(p: ProfileFields): ProfileFields {
  return pick(p, FIELDS);
}

function toProfileVersion(row: typeof t.profileVersions.$inferSelect): ProfileVersion {
  return { validFrom: row.validFrom, ...pick(row, FIELDS), trainingDays: (row.trainingDays as Weekday[] | null) ?? null };
}
