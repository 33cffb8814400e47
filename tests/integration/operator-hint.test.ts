/**
 * A question the offline coach cannot answer: the athlete reads what it can answer, the operator's
 * log (once) how a model would answer it — never the other way round.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { testChat, type TestChat } from '../support/chat-app.js';

let chat: TestChat | null = null;
afterEach(async () => {
  await chat?.close();
  chat = null;
});

describe('the LLM_PROVIDER hint', () => {
  it("goes to the operator's log once, never to the athlete", async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    chat = await testChat({}, { logger, clock: () => new Date('2026-09-15T10:00:00Z') });
    const t = chat.thread('telegram:1');
    expect(await t.send({ kind: 'text', text: "What's the capital of France?" })).toMatch(/off-topic/);
    expect(await t.send({ kind: 'text', text: 'Should I buy a new saddle?' })).toMatch(/can't answer from your rides and plan/);
    expect(t.posts.map((p) => p.text).join('\n')).not.toMatch(/LLM_PROVIDER|model/);
    const hints = lines.filter((l) => l.includes('LLM_PROVIDER'));
    expect(hints).toHaveLength(1);
    expect(JSON.parse(hints[0]!)).toMatchObject({ level: 30, athleteKey: 'telegram:1' });
  });
});
