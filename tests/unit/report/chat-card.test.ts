/**
 * The chat picture's page (a 540 × 675 CSS px card) and the rule that colours the key numbers'
 * trend arrows by whether the change is good news, not by its direction alone.
 */
import { describe, expect, it } from 'vitest';
import { keyNumberCard, trendTone } from '../../../src/report/components.js';
import { CARD_HEIGHT, CARD_WIDTH, formWord, renderChatCard, weekOf } from '../../../src/report/pages/chat-card-page.js';
import type { KeyNumber, Trend } from '../../../src/report/report-model.js';
import { buildEmptyReportFixture, buildReportFixture, HOSTILE_GOAL } from '../../support/report-fixture.js';

const up = { percent: 5, direction: 'up' as const };
const down = { percent: -5, direction: 'down' as const };
const flat = { percent: 0.2, direction: 'flat' as const };
const k = (judge: KeyNumber['judge'], value: number, trend: Trend = up): KeyNumber => ({ label: 'x', value, unit: '', trend, judge });

describe('trend arrow colours', () => {
  it('FTP, eFTP, W/kg, fitness and best efforts: up is good, down is bad, flat is neutral', () => {
    expect(trendTone(k('higher-is-better', 265, up))).toBe('good');
    expect(trendTone(k('higher-is-better', 265, down))).toBe('bad');
    expect(trendTone(k('higher-is-better', 265, flat))).toBe('neutral');
  });

  it('fatigue (ATL), volume and load: amber whichever way', () => {
    expect(trendTone(k('neutral', 80, up))).toBe('neutral');
    expect(trendTone(k('neutral', 40, down))).toBe('neutral');
  });

  it('form (TSB) by its value: very negative is bad whichever way it moved', () => {
    expect(trendTone(k('form', -35, up))).toBe('bad');
    expect(trendTone(k('form', -35, down))).toBe('bad');
    expect(trendTone(k('form', -20, down))).toBe('neutral');
    expect(trendTone(k('form', 0, down))).toBe('good');
    expect(trendTone(k('form', 20, up))).toBe('good');
    expect(trendTone(k('form', 30, up))).toBe('neutral');
    expect([formWord(-35), formWord(-20), formWord(0), formWord(30)]).toEqual(['deep fatigue', 'training hard', 'fresh', 'losing fitness']);
  });

  it('no judgement without a judge, a value or a direction', () => {
    expect(trendTone({ value: 1, trend: up })).toBeNull();
    expect(trendTone(k('higher-is-better', Number.NaN))).toBeNull();
    expect(trendTone({ value: 1, trend: { percent: null, direction: null }, judge: 'form' })).toBeNull();
  });

  it('the key-number card carries the tone as a class and says it in words', () => {
    const html = keyNumberCard({ label: 'Form (TSB)', value: -35, unit: '', trend: up, judge: 'form' }).value;
    expect(html).toContain('class="k-trend tone-bad"');
    expect(html).toContain('against the previous period: a warning');
    expect(keyNumberCard({ label: 'FTP', value: 265, unit: 'W', trend: up, judge: 'higher-is-better' }).value).toContain('tone-good');
    expect(keyNumberCard({ label: 'Fatigue (ATL)', value: 60, unit: 'TSS/d', trend: up, judge: 'neutral' }).value).toContain(
      'tone-neutral',
    );
    expect(keyNumberCard({ label: 'FTP', value: 265, unit: 'W', trend: up }).value).toContain('class="k-trend"');
  });
});

describe('the chat card', () => {
  const model = buildReportFixture({ hostile: true });
  const html = renderChatCard(model);

  it('is one small self-contained page of 540 × 675 CSS px that requests nothing', () => {
    expect([CARD_WIDTH, CARD_HEIGHT]).toEqual([540, 675]);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`width:${CARD_WIDTH}px;height:${CARD_HEIGHT}px`);
    expect(html).toMatch(/http-equiv="Content-Security-Policy" content="default-src (&#39;|')none/);
    expect(html).not.toMatch(/<script|<img|<link|https?:\/\//);
    expect(Buffer.byteLength(html)).toBeLessThan(40 * 1024);
  });

  it("shows FTP, eFTP, W/kg and CTL/ATL/TSB, the PMC sparkline, the power curve and this week's plan", () => {
    for (const label of ['FTP', 'eFTP', 'W/kg', 'Fitness CTL', 'Fatigue ATL', 'Form TSB'])
      expect(html).toContain(`<div class="k-label">${label}</div>`);
    expect(html).toContain('>265<'); // FTP
    expect(html).toContain('>3.79<'); // W/kg, two decimals
    expect(html.match(/<svg class="spark"/g)).toHaveLength(2);
    expect(html).toMatch(/class="l-ctl" d="M[\d.]+ [\d.]+(L[\d.]+ [\d.]+){80,}/); // ~90 days of CTL
    expect(html).toMatch(/class="l-current" d="M/);
    const week = weekOf(model.plan!.weeks, model.generatedAt.slice(0, 10))!;
    expect(html).toContain(`week ${week.week} (`);
    for (const day of week.days) for (const w of day.workouts) expect(html).toContain(w.name.replace(/&/g, '&amp;'));
    expect((html.match(/<li[^>]*><span class="day">/g) ?? []).length).toBe(7);
  });

  it("escapes the athlete's strings and never shows the goal", () => {
    const named = renderChatCard({ ...model, athlete: { ...model.athlete, name: '<img src=x onerror=alert(1)>' } });
    expect(named).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(named).not.toContain('<img');
    expect(html).not.toContain(HOSTILE_GOAL);
  });

  it('renders a model with no data: dashes and plain words, no broken charts', () => {
    const empty = renderChatCard(buildEmptyReportFixture());
    expect(empty).toContain('No fitness data yet');
    expect(empty).toContain('No power data');
    expect(empty).toMatch(/No plan in this analysis yet|The plan is over/);
    expect(empty).not.toContain('NaN');
  });
});
