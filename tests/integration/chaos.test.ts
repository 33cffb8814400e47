/**
 * Chaos across a whole chat flow: eight athletes upload and analyse while the model (the real
 * Anthropic SDK against a fake) answers at random with 429s, 529s, hangs, dropped connections,
 * malformed tool arguments or good answers. Every run completes — done or degraded — and every
 * athlete gets their reports; none is lost.
 */
import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/llm/anthropic/anthropic-provider.js';
import type { RunRecord } from '../../src/store/store.js';
import { drop, hang, overloaded, rateLimited, reply, startFakeAnthropic, type FakeStep } from '../fakes/fake-anthropic.js';
import { testChat } from '../support/chat-app.js';
import { ANALYSIS_ANSWER, PLANNING_ANSWER } from '../support/model-answers.js';
import { recentRides } from '../support/synthetic-files.js';

/** A seeded pseudo-random sequence, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('chaos', () => {
  it('every run completes or degrades under random model failures; none is lost', async () => {
    const fake = await startFakeAnthropic({ apiKey: 'sk-ant-chaos' });
    const next = random(20261125);
    const good: FakeStep[] = [
      reply({ toolCalls: [{ name: 'get_period_summary', input: {} }] }),
      reply({ text: JSON.stringify(ANALYSIS_ANSWER) }),
      reply({ toolCalls: [{ name: 'propose_plan', input: { weeks: 4 } }] }),
      reply({ text: JSON.stringify(PLANNING_ANSWER) }),
      reply({ toolCalls: [{ name: 'get_pmc', input: { weeks: 'many' } }] }),
    ];
    const bad: (() => FakeStep)[] = [
      () => rateLimited({ retryAfterMs: 5 }),
      () => overloaded({ retryAfterMs: 5 }),
      () => hang(),
      () => drop(),
    ];
    for (let i = 0; i < 400; i++)
      fake.enqueue(next() < 0.45 ? bad[Math.floor(next() * bad.length)]!() : good[Math.floor(next() * good.length)]!);
    const provider = createAnthropicProvider({
      apiKey: 'sk-ant-chaos',
      model: 'claude-sonnet-5',
      baseURL: fake.url,
      maxRetries: 1,
      timeoutMs: 800,
    });
    const chat = await testChat({ RUN_CONCURRENCY: '3' }, { provider });
    const app = chat.app;
    try {
      const athletes = Array.from({ length: 8 }, (_, i) => {
        const posts: string[] = [];
        const files: string[] = [];
        const thread = {
          athleteKey: `memory:chaos-${i}`,
          displayName: `Chaos ${i}`,
          isPrivate: true,
          maxDownloadBytes: 20 * 1024 * 1024,
          post: async (r: { text: string }) => (posts.push(r.text), { id: String(posts.length) }),
          edit: async () => {},
          sendFiles: async (f: { fileName: string }[]) => void files.push(...f.map((x) => x.fileName)),
        };
        return { i, thread, posts, files };
      });
      await Promise.all(
        athletes.map(async ({ i, thread }) => {
          await app.conversation.handle(thread, { kind: 'text', text: `ftp ${230 + i * 5}` });
          const rides = recentRides(new Date(), 4, 300 + i);
          await app.conversation.handle(thread, {
            kind: 'files',
            attachments: rides.map((r) => ({ fileName: r.fileName, sizeBytes: r.content.length, download: async () => r.content })),
          });
          await app.conversation.handle(thread, { kind: 'command', name: 'analyze', args: '' });
        }),
      );
      const deadline = Date.now() + 150_000;
      while (!athletes.every((a) => a.files.filter((f) => f.endsWith('.html')).length === 3)) {
        if (Date.now() > deadline)
          throw new Error(
            `lost runs: ${athletes
              .filter((a) => a.files.length < 3)
              .map((a) => `${a.i}: ${a.posts.at(-1)}`)
              .join(' | ')}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
      const runs: RunRecord[] = [];
      for (const a of athletes)
        runs.push((await app.store.athlete((await app.store.findByIdentity(a.thread.athleteKey))!.id).latestRun())!);
      expect(runs.every((r) => r.status === 'done')).toBe(true);
      const degraded = runs.filter((r) => r.degraded).length;
      expect(degraded).toBeGreaterThan(0); // the chaos did bite…
      for (const a of athletes)
        expect(a.posts.some((p) => p.includes('Your analysis is ready') || p.includes('The full reports follow'))).toBe(true);
      console.info(
        `[chaos] ${runs.length} runs: ${runs.length - degraded} done with the model, ${degraded} degraded to the offline coach; ${fake.messageRequests.length} model requests`,
      );
    } finally {
      await chat.close();
      await fake.close();
    }
  }, 240_000);
});
