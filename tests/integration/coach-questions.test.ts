/**
 * Questions to the coach on a seeded store: the offline answers with the engine's own figures, and
 * a model conversation (scripted model, real tool loop) that uses only this athlete's data and
 * gets an invented figure caught and fixed. (The intent matcher on twenty phrasings:
 * tests/unit/conversation/intents.test.ts; the grounding check: tests/unit/conversation/grounding.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CoachQuestions } from '../../src/conversation/coach-questions.js';
import { NEEDS_MODEL } from '../../src/conversation/intents.js';
import { createOfflineCoach } from '../../src/llm/offline/offline-coach.js';
import { loadFactSheet } from '../../src/orchestrator/fact-sheet.js';
import { loadPrompts } from '../../src/orchestrator/prompts.js';
import { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { renderReports } from '../../src/report/render.js';
import { scriptedProvider } from '../fakes/scripted-provider.js';
import { seedAthlete } from '../support/athlete.js';
import { tempStore } from '../support/store.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const NOW = new Date('2026-11-02T12:00:00Z');

async function seeded(withPlan = true) {
  const s = await tempStore(() => NOW);
  cleanups.push(s.cleanup);
  const athleteId = await seedAthlete(s.store);
  if (withPlan) {
    await new Orchestrator({
      store: s.store,
      provider: createOfflineCoach(),
      offline: createOfflineCoach(),
      prompts: loadPrompts(),
      clock: () => NOW,
      renderReports,
    }).run({ athleteId, planStartDate: '2026-10-26' });
  }
  return { store: s.store, athlete: s.store.athlete(athleteId) };
}

describe('offline answers', () => {
  it("answer with the engine's own figures", async () => {
    const { athlete } = await seeded();
    const coach = new CoachQuestions({ provider: createOfflineCoach(), prompts: loadPrompts(), clock: () => NOW });
    const detail = (await loadFactSheet(athlete, 6))!;
    const now = detail.pmc.at(-1)!;
    const ask = (q: string) => coach.answer(athlete, q, [], '2026-11-02');

    const form = await ask('How fit am I right now?');
    // the engine's figures on the last ride's day, and faded to today
    expect(form.text).toContain(`CTL ${now.ctl.toFixed(1)}`);
    expect(form.text).toContain(`TSB ${now.tsb.toFixed(1)}`);
    expect(form.text).toMatch(/^Today \(\d{4}-\d{2}-\d{2}\), \d+ days? after your latest ride: fitness \(CTL\) [\d.]+/);
    const ftp = await ask('What is my FTP?');
    expect(ftp.text).toMatch(/Your FTP is 260 W \(3\.71 W\/kg\)/);
    expect(ftp.text).toContain(`${Math.round(detail.sheet.powerCurve.model.eftp ?? 0)} W`);
    const bests = await ask('What are my best efforts?');
    const best20 = Math.max(...detail.loads.map((l) => l.metrics.powerCurve[1200] ?? 0));
    expect(bests.text).toContain(`20 min ${best20.toFixed(0)} W`);
    const next = await ask('What should I ride tomorrow?');
    expect(next.text).toMatch(/Tomorrow|2026-11-0\d/);
    expect(next.text).toMatch(/TSS \d+/);
    const zones = await ask('Is my training polarized?');
    expect(zones.text).toMatch(/Power zones over .*Z1 \d+ %/);
    const week = await ask('Was last week too hard?');
    expect(week.text).toMatch(/\d+ activit(y|ies), [\d.]+ h, \d+ TSS/);
    for (const a of [form, ftp, bests, next, zones, week]) expect(a.provider).toBe('offline');
  });

  it('say plainly which questions need a model', async () => {
    const { athlete } = await seeded(false);
    const coach = new CoachQuestions({ provider: createOfflineCoach(), prompts: loadPrompts(), clock: () => NOW });
    const answer = await coach.answer(athlete, 'Should I buy a new saddle?', [], '2026-11-02');
    expect(answer.text).toBe(NEEDS_MODEL);
  });
});

describe('with a model', () => {
  it("calls tools over this athlete's data only, and gets an invented number caught and fixed", async () => {
    const { store, athlete } = await seeded();
    const other = store.athlete((await store.athleteForIdentity('telegram:99', 'Other Rider')).id);
    await other.updateProfile({ ftp: 333 });
    const detail = (await loadFactSheet(athlete, 6))!;
    const ctl = detail.pmc.at(-1)!.ctl;
    const model = scriptedProvider('anthropic');
    model.enqueue(
      {
        toolCalls: [
          { name: 'get_pmc', arguments: { weeks: 4 } },
          { name: 'get_profile', arguments: {} },
        ],
      },
      { text: `Your CTL is ${ctl.toFixed(1)} and your FTP is 285 W.` }, // 285 is invented
      { toolCalls: [{ name: 'get_profile', arguments: {} }] },
      { text: `Your CTL is ${ctl.toFixed(1)} and your FTP is 260 W.` },
    );
    const coach = new CoachQuestions({ provider: model, prompts: loadPrompts(), clock: () => NOW });
    const answer = await coach.answer(athlete, 'How fit am I, and what is my FTP?', [], '2026-11-02');
    expect(answer).toMatchObject({ provider: 'anthropic', grounded: true, fellBack: false });
    expect(answer.text).toBe(`Your CTL is ${ctl.toFixed(1)} and your FTP is 260 W.`);
    const regenerate = JSON.stringify(model.requests[2]!.messages);
    expect(regenerate).toContain('figures that no tool returned: 285');
    const everything = JSON.stringify(model.requests);
    expect(everything).toContain('\\"ftp\\":260');
    expect(everything).not.toContain('333');
    expect(everything).not.toContain('Other Rider');
    expect(model.requests[0]!.purpose).toBe('ask-coach');
    expect(model.requests[0]!.system).toContain('Ask the coach');
  });

  it('removes a figure still invented after one regeneration', async () => {
    const { athlete } = await seeded(false);
    const model = scriptedProvider('anthropic');
    model.enqueue(
      { text: 'Your FTP is 260 W. You will hit 300 W by spring.' },
      { text: 'Your FTP is 260 W. You will hit 300 W by spring.' },
    );
    const answer = await new CoachQuestions({ provider: model, prompts: loadPrompts(), clock: () => NOW }).answer(
      athlete,
      'What is my FTP? ftp 260',
      [],
      '2026-11-02',
    );
    expect(answer.grounded).toBe(false);
    expect(answer.text).toBe('Your FTP is 260 W.');
  });

  it("counts tokens and cost at the model's own price, also when the offline matcher stood in", async () => {
    const { athlete } = await seeded(false);
    const priceOf = (provider: string, model: string, u: { inputTokens: number; outputTokens: number }) =>
      provider === 'anthropic' && model === 'anthropic-model' ? (u.inputTokens * 2 + u.outputTokens * 10) / 1e6 : undefined;
    const model = scriptedProvider('anthropic');
    model.enqueue(
      { toolCalls: [{ name: 'get_profile', arguments: {} }], usage: { inputTokens: 1000, outputTokens: 20 } },
      { text: 'Your FTP is 260 W.', usage: { inputTokens: 2000, outputTokens: 30 } },
    );
    const answer = await new CoachQuestions({ provider: model, prompts: loadPrompts(), clock: () => NOW, priceOf }).answer(
      athlete,
      'What is my FTP?',
      [],
      '2026-11-02',
    );
    expect(answer).toMatchObject({ provider: 'anthropic', model: 'anthropic-model', usage: { inputTokens: 3000, outputTokens: 50 } });
    expect(answer.costUsd).toBeCloseTo(0.0065, 10);
    const failing = scriptedProvider('anthropic');
    failing.enqueue({ toolCalls: [{ name: 'get_profile', arguments: {} }], usage: { inputTokens: 1000, outputTokens: 20 } });
    const fellBack = await new CoachQuestions({ provider: failing, prompts: loadPrompts(), clock: () => NOW, priceOf }).answer(
      athlete,
      'What is my FTP?',
      [],
      '2026-11-02',
    );
    expect(fellBack).toMatchObject({
      provider: 'offline',
      model: 'rules-v1',
      fellBack: true,
      usage: { inputTokens: 1000, outputTokens: 20 },
    });
    expect(fellBack.costUsd).toBeCloseTo(0.0022, 10);
  });

  it('falls back to the offline answer when the model fails', async () => {
    const { athlete } = await seeded(false);
    const model = scriptedProvider('anthropic'); // empty script: the model is unavailable
    const answer = await new CoachQuestions({ provider: model, prompts: loadPrompts(), clock: () => NOW }).answer(
      athlete,
      'What is my FTP?',
      [],
      '2026-11-02',
    );
    expect(answer).toMatchObject({ provider: 'offline', fellBack: true });
    expect(answer.text).toMatch(/Your FTP is 260 W/);
  });
});
