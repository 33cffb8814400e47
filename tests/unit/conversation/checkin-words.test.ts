/**
 * The check-in's words from a model: it gets the figures from its one tool, and what it writes is
 * kept when every figure comes from that tool; a sentence with another goes; a model that fails,
 * is offline or leaves too little: the rule coach's words.
 */
import { describe, expect, it } from 'vitest';
import { checkinWriter } from '../../../src/conversation/checkin-words.js';
import { checkinWords } from '../../../src/conversation/messages/checkin.js';
import { unfence } from '../../../src/llm/fence.js';
import { createOfflineCoach } from '../../../src/llm/offline/offline-coach.js';
import { LlmError } from '../../../src/llm/provider.js';
import { loadPrompts } from '../../../src/orchestrator/prompts.js';
import { scriptedProvider } from '../../fakes/scripted-provider.js';
import { checkinReviewFixture } from '../../support/checkin-fixture.js';

const prompts = loadPrompts();
const review = checkinReviewFixture();

describe('the check-in in the model words', () => {
  it('writes from the figures of its tool, which are the check-in figures', async () => {
    const model = scriptedProvider('anthropic');
    const words =
      'Two of three planned sessions last week, 171 of 220 TSS: solid, even with Thursday missed. ' +
      'Your form (TSB) is -6.8, so you can train as planned this week.';
    model.enqueue({ toolCalls: [{ name: 'get_checkin', arguments: {} }] }, { text: words });
    expect(await checkinWriter({ provider: model, prompts })(review)).toBe(words);
    const toolResult = model.requests[1]!.messages.find((m) => m.role === 'tool')!;
    expect(unfence(toolResult.content)).toMatchObject({
      lastWeek: { planned: { sessions: 3, tss: 220 }, done: { sessions: 2, hours: 3.5, tss: 171 }, missed: [{ name: 'Threshold 2×10' }] },
      formNow: { ctl: 41.3, atl: 48, tsb: -6.8 },
      planChanges: [{ reason: 'Missed Thursday', changes: ["Thursday's Threshold 2×10 is dropped: missed."] }],
    });
    expect(model.requests[0]!.purpose).toBe('checkin');
  });

  it('drops the sentences with a figure no tool returned', async () => {
    const model = scriptedProvider('anthropic');
    model.enqueue(
      { toolCalls: [{ name: 'get_checkin', arguments: {} }] },
      { text: 'Last week you rode 171 of 220 TSS planned, a good week. Your FTP is surely 290 W by now.' },
    );
    expect(await checkinWriter({ provider: model, prompts })(review)).toBe('Last week you rode 171 of 220 TSS planned, a good week.');
  });

  it('the rule coach writes when the model fails, leaves too little, or there is no model', async () => {
    const rules = checkinWords(review);
    const failing = scriptedProvider('anthropic');
    failing.enqueue({ error: new LlmError('overloaded', 'busy') });
    expect(await checkinWriter({ provider: failing, prompts })(review)).toBe(rules);
    const inventing = scriptedProvider('anthropic');
    inventing.enqueue({ text: 'You did 999 TSS.' }); // no tool called: nothing grounded is left
    expect(await checkinWriter({ provider: inventing, prompts })(review)).toBe(rules);
    expect(await checkinWriter({ provider: createOfflineCoach(), prompts })(review)).toBe(rules);
  });
});
