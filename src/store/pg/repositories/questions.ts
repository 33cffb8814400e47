/**
 * One athlete's questions to the coach on PostgreSQL: when, which model, tokens and cost (for
 * accounting and the export). Mirrors ../../repositories/questions.ts.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { QuestionRepository } from '../../ports.js';
import type { QuestionRecord } from '../../records.js';
import * as t from '../schema.js';
import type { PgAthleteScope } from './scope.js';

/** One athlete's questions on PostgreSQL. */
export class PgQuestionRepository implements QuestionRepository {
  constructor(private readonly scope: PgAthleteScope) {}

  async recordQuestion(q: QuestionRecord): Promise<void> {
    await this.scope.db
      .insert(t.questions)
      .values({ id: randomUUID(), athleteId: this.scope.athleteId, askedAt: this.scope.clock(), ...q });
  }

  /** Questions answered since `since`, inclusive (the daily limit counts questions asked: `Store.usage`). */
  async questionsSince(since: Date): Promise<number> {
    const [row] = await this.scope.db
      .select({ n: sql<string>`count(*)` })
      .from(t.questions)
      .where(and(eq(t.questions.athleteId, this.scope.athleteId), gte(t.questions.askedAt, since)));
    // count(*) is a bigint, which the driver gives as text
    return Number(row?.n ?? 0);
  }

  /**
   * Every question, oldest first. Questions asked at the same millisecond come in the order they
   * were stored, as SQLite's rowid gives them: rows are only ever inserted, so their physical
   * position (ctid) is that order.
   */
  async questions(): Promise<(QuestionRecord & { askedAt: Date })[]> {
    const q = t.questions;
    const { askedAt, provider, model, intent, inputTokens, outputTokens, costUsd, grounded } = q;
    return this.scope.db
      .select({ askedAt, provider, model, intent, inputTokens, outputTokens, costUsd, grounded })
      .from(q)
      .where(eq(q.athleteId, this.scope.athleteId))
      .orderBy(asc(askedAt), sql`ctid`);
  }
}
