/** One athlete's questions to the coach: when, which model, tokens and cost (for accounting and the export). */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { Blocking, QuestionRepository } from '../ports.js';
import type { QuestionRecord } from '../records.js';
import * as t from '../schema.js';
import type { AthleteScope } from './scope.js';

export class SqliteQuestionRepository implements Blocking<QuestionRepository> {
  constructor(private readonly scope: AthleteScope) {}

  recordQuestion(q: QuestionRecord): void {
    this.scope.db
      .insert(t.questions)
      .values({ id: randomUUID(), athleteId: this.scope.athleteId, askedAt: this.scope.clock(), ...q })
      .run();
  }

  /** Questions answered since `since` (the daily limit counts questions asked: `Store.usage`). */
  questionsSince(since: Date): number {
    return (
      this.scope.db
        .select({ n: sql<number>`count(*)` })
        .from(t.questions)
        .where(and(eq(t.questions.athleteId, this.scope.athleteId), gte(t.questions.askedAt, since)))
        .get()?.n ?? 0
    );
  }

  /** Every question, oldest first. */
  questions(): (QuestionRecord & { askedAt: Date })[] {
    const q = t.questions;
    const { askedAt, provider, model, intent, inputTokens, outputTokens, costUsd, grounded } = q;
    return this.scope.db
      .select({ askedAt, provider, model, intent, inputTokens, outputTokens, costUsd, grounded })
      .from(q)
      .where(eq(q.athleteId, this.scope.athleteId))
      .orderBy(asc(askedAt))
      .all();
  }
}
