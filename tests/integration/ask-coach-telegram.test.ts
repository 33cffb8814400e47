/**
 * A question in Telegram answered by a model (the real Anthropic SDK against a fake Messages
 * API): the tools return this athlete's data only, the answer holds their figures, and an
 * invented number is caught and regenerated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/llm/anthropic/anthropic-provider.js';
import { reply, startFakeAnthropic } from '../fakes/fake-anthropic.js';
import { TelegramTestBot } from '../fakes/telegram-driver.js';
import { recentRides } from '../support/synthetic-files.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('ask the coach on Telegram with a model', () => {
  it("answers from this athlete's tools only, and an invented figure is caught and fixed", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domestique-ask-'));
    dirs.push(dir);
    const anthropic = await startFakeAnthropic({ apiKey: 'sk-ant-test' });
    const provider = createAnthropicProvider({
      apiKey: 'sk-ant-test',
      model: 'claude-sonnet-5',
      baseURL: anthropic.url,
      maxRetries: 0,
      timeoutMs: 10_000,
    });
    const bot = await TelegramTestBot.start(join(dir, 'ask.db'), { provider });
    try {
      const anna = 4101;
      const ben = 4102;
      for (const [user, ftp, seed] of [
        [anna, 262, 61],
        [ben, 333, 62],
      ] as const) {
        bot.fake.userSendsText(user, `ftp ${ftp}`, 'private', { firstName: user === anna ? 'Anna' : 'Benedikt' });
        bot.fake.userSendsAlbum(user, recentRides(new Date(), 4, seed), { firstName: user === anna ? 'Anna' : 'Benedikt' });
        await bot.fake.waitFor(() => bot.fake.messages(user).some((m) => /new activit/.test(m.text)), 60_000, 'the upload');
      }
      anthropic.enqueue(
        reply({
          toolCalls: [
            { name: 'get_profile', input: {} },
            { name: 'get_pmc', input: { weeks: 4 } },
          ],
          usage: { input_tokens: 900, output_tokens: 40 },
        }),
        reply({ text: 'Your FTP is 262 W, but your real threshold is 287 W.', usage: { input_tokens: 1500, output_tokens: 30 } }),
        reply({ text: 'Your FTP is 262 W. Keep riding steadily.', usage: { input_tokens: 1600, output_tokens: 30 } }),
      );
      bot.fake.userSendsText(anna, 'What is my FTP and how fit am I?', 'private', { firstName: 'Anna' });
      const answer = await bot.fake.waitFor(
        () => bot.fake.messages(anna).find((m) => /Your FTP is 262 W/.test(m.text)),
        60_000,
        'the answer',
      );
      expect(answer.text).toBe('Your FTP is 262 W. Keep riding steadily.');
      const requests = anthropic.messageRequests.map((r) => JSON.stringify(r.body));
      expect(requests).toHaveLength(3);
      expect(requests[2]).toContain('figures that no tool returned: 287');
      const all = requests.join('\n');
      expect(all).toContain('\\"ftp\\":262');
      expect(all).not.toContain('333');
      expect(all).not.toContain('Benedikt');
      const athlete = (await bot.app.store.findByIdentity(`telegram:${anna}`))!;
      expect(await bot.app.store.athlete(athlete.id).questionsSince(new Date(0))).toBe(1);
    } finally {
      await bot.close();
      await anthropic.close();
    }
  }, 180_000);
});
