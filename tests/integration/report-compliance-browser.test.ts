/**
 * The reports' compliance section in real headless Chromium, from a real store: an athlete whose
 * current plan was adapted once (a reason with markup in it), with rides stored and matched to it —
 * done, partial and extra. The section, its chart (a planned and a done bar per week) and the
 * adaptation's reason and changes are visible, the hostile text stays text, nothing scrolls
 * sideways at 390 px; screenshots of the section go to /tmp/compliance.png (1280 px) and
 * /tmp/compliance-390.png.
 * Skipped (loudly) without /usr/bin/chromium.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComplianceSummary } from '../../src/domain/coaching/compliance-summary.js';
import type { WorkoutMatch } from '../../src/domain/coaching/types.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { complianceSection } from '../../src/orchestrator/compliance-section.js';
import { blockNetwork, CHROMIUM_ARGS } from '../../src/report/chromium-session.js';
import { renderReports } from '../../src/report/render.js';
import { offlineOrchestrator } from '../support/offline-orchestrator.js';
import type { AthleteStore, Store } from '../../src/store/store.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { compliancePlan, FTP, match, PLAN_INPUT, type MatchSpec } from '../support/compliance-fixture.js';
import { buildReportFixture, HOSTILE_ACTIVITY_NAME } from '../support/report-fixture.js';
import { tempStore } from '../support/store.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`\n!!! ${CHROMIUM} is missing: the compliance browser test is SKIPPED. Install chromium to run it.\n`);

/** Wednesday of the plan's third week. */
const TODAY_NOON = new Date('2026-03-18T12:00:00Z');
const REASON = `Missed Thursday's threshold session ${HOSTILE_ACTIVITY_NAME}`;
const CHANGES = [
  "Thursday's Threshold 2×10 moved to Friday: missed on Thursday.",
  'Week 3 target lowered to 190 TSS to keep the load <b>steady</b>.',
];

/** Stores a synthetic ride at 17:00 UTC on `date`; returns its activity id. */
async function storeRide(athlete: AthleteStore, date: string, seed: number, minutes: number): Promise<string> {
  const ride = syntheticRide({ seed, startTime: new Date(`${date}T17:00:00Z`), durationSeconds: minutes * 60, ftp: FTP });
  const decoded = decodeFit(encodeActivityFit([ride]), `ride-${date}.fit`);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return (await athlete.recordUpload([`ride-${date}.fit`], { activities: decoded.value, errors: [] })).activityIds[0]!;
}

/** An athlete on week 3 of a 4-week plan adapted once, with six rides matched: done, partial and extra. */
async function athleteWithPlan(): Promise<{ summary: ComplianceSummary; store: Store; athleteId: string; cleanup: () => void }> {
  let now = new Date('2026-03-01T10:00:00Z');
  const s = await tempStore(() => now);
  const athlete = s.store.athlete((await s.store.athleteForIdentity('telegram:1', 'Anna')).id);
  await athlete.update({ timeZone: 'Europe/Berlin' });
  const plan = compliancePlan('2026-03-02', 4);
  await athlete.coaching.savePlanVersion({
    reason: 'New analysis',
    changes: [{ kind: 'new-plan', text: 'A new plan of 4 weeks from 2 Mar.' }],
    plan,
    ftp: FTP,
    sourceRunId: null,
    input: PLAN_INPUT,
  });
  const rides: Omit<MatchSpec, 'activityId'>[] = [
    { date: '2026-03-03', status: 'done', doneTss: 62, verdicts: ['hit', 'hit', 'hit'] },
    { date: '2026-03-05', status: 'partial', doneTss: 48, verdicts: ['hit', 'under'] },
    { date: '2026-03-07', status: 'done', doneTss: 93 },
    { date: '2026-03-08', status: 'extra', doneTss: 55, workoutName: 'Café ride' },
    { date: '2026-03-10', status: 'done', doneTss: 59, verdicts: ['hit', 'hit', 'under'] },
    { date: '2026-03-17', status: 'partial', doneTss: 41, verdicts: ['hit', 'short', 'missed'] },
  ];
  for (const [i, spec] of rides.entries()) {
    now = new Date(`${spec.date}T19:00:00Z`);
    const activityId = await storeRide(athlete, spec.date, 40 + i, 45);
    const m: WorkoutMatch = match({ ...spec, activityId });
    await athlete.coaching.saveMatch(m, 1);
  }
  now = new Date('2026-03-13T07:30:00Z');
  await athlete.coaching.savePlanVersion({
    reason: REASON,
    changes: CHANGES.map((text) => ({ kind: 'moved' as const, text })),
    plan,
    ftp: FTP,
    sourceRunId: null,
    input: PLAN_INPUT,
  });
  const summary = await complianceSection(athlete, TODAY_NOON);
  if (!summary) throw new Error('no compliance for an athlete with a plan');
  return { summary, store: s.store, athleteId: athlete.athleteId, cleanup: s.cleanup };
}

describe.skipIf(!available)('the compliance section in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let summary: ComplianceSummary;
  let cleanup = (): void => {};
  const dialogs: string[] = [];

  beforeAll(async () => {
    ({ summary, cleanup } = await athleteWithPlan());
    dir = mkdtempSync(join(tmpdir(), 'domestique-compliance-'));
    for (const r of renderReports({ ...buildReportFixture(), compliance: summary })) writeFileSync(join(dir, r.fileName), r.html);
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir: join(dir, 'profile'), args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(file: string, width: number) {
    const page = await browser.newPage();
    const url = `file://${join(dir, file)}`;
    const problems: string[] = [];
    await page.setRequestInterception(true);
    blockNetwork(page, { allow: (u) => u === url, onBlocked: (u) => problems.push(`requested ${u}`) });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
    await page.goto(url, { waitUntil: 'load' });
    return { page, problems };
  }

  it('reads the store: three weeks up to today, the six rides, the adaptation', () => {
    expect(summary.weeks.map((w) => w.week)).toEqual([1, 2, 3]);
    expect(summary.weeks.map((w) => w.doneTss)).toEqual([62 + 48 + 93 + 55, 59, 41]);
    expect(summary.matchedRides).toBe(6);
    expect(summary.adaptations).toEqual([{ version: 2, date: '2026-03-13', reason: REASON, changes: CHANGES }]);
  });

  for (const width of [390, 1280]) {
    it(`${width} px: the section, its chart with planned and done bars, and the adaptation's reason are visible`, async () => {
      const { page, problems } = await open('coaching_insights.html', width);
      try {
        expect(problems).toEqual([]);
        const seen = (await page.evaluate(`(() => {
          const section = document.querySelector('section[aria-labelledby="compliance-h"]');
          const box = (el) => { const r = el.getBoundingClientRect(); return { width: r.width, height: r.height }; };
          const visible = (el) => { const b = box(el); return b.width > 0 && b.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
          const svg = section.querySelector('svg[data-chart="compliance-load"]');
          const bars = (cls) => [...svg.querySelectorAll('rect.' + cls)].map((r) => ({ height: r.getBBox().height, fill: getComputedStyle(r).fill }));
          return {
            heading: section.querySelector('h2').textContent,
            visible: visible(section),
            text: section.innerText,
            chart: { width: box(svg).width, visible: visible(svg), planned: bars('b-load'), done: bars('d-ctl') },
            adaptations: [...section.querySelectorAll('ul.adaptations > li')].map((li) => ({ text: li.innerText, visible: visible(li) })),
            images: document.images.length,
            scrollWidth: document.documentElement.scrollWidth,
          };
        })()`)) as {
          heading: string;
          visible: boolean;
          text: string;
          chart: { width: number; visible: boolean; planned: { height: number; fill: string }[]; done: { height: number; fill: string }[] };
          adaptations: { text: string; visible: boolean }[];
          images: number;
          scrollWidth: number;
        };
        expect(seen.heading).toBe('Plan and rides so far');
        expect(seen.visible).toBe(true);
        expect(seen.chart.visible).toBe(true);
        expect(seen.chart.width).toBeGreaterThan(300);
        expect(seen.chart.width).toBeLessThanOrEqual(width);
        expect(seen.chart.planned).toHaveLength(3);
        expect(seen.chart.done).toHaveLength(3);
        for (const bar of [...seen.chart.planned, ...seen.chart.done]) expect(bar.height).toBeGreaterThan(0);
        // two colours: planned and done are told apart
        expect(seen.chart.planned[0]!.fill).not.toBe(seen.chart.done[0]!.fill);
        // the week with the extra ride has the tallest done bar
        const doneHeights = seen.chart.done.map((b) => b.height);
        expect(Math.max(...doneHeights)).toBe(doneHeights[0]);
        expect(seen.text).toContain('Sweet spot');
        expect(seen.adaptations).toHaveLength(1);
        expect(seen.adaptations[0]!.visible).toBe(true);
        expect(seen.adaptations[0]!.text).toContain(`13 Mar 2026 · version 2: ${REASON}`);
        for (const change of CHANGES) expect(seen.adaptations[0]!.text).toContain(change);
        expect(seen.images).toBe(0);
        expect(seen.scrollWidth).toBeLessThanOrEqual(width);
        await (await page.$('section[aria-labelledby="compliance-h"]'))!.screenshot({
          path: width === 1280 ? '/tmp/compliance.png' : '/tmp/compliance-390.png',
        });
      } finally {
        await page.close();
      }
    });
  }

  it('the summary page carries the one line, linking to the section', async () => {
    const { page, problems } = await open('index.html', 390);
    try {
      expect(problems).toEqual([]);
      const line = String(await page.evaluate(`document.querySelector('.compliance-line').innerText`));
      const done = summary.weeks.reduce((s, w) => s + w.doneTss, 0);
      // intervals hit: 3 of 3, 1 of 2, 2 of 3, 1 of 3
      expect(line).toMatch(new RegExp(`^So far: ${done}\\s+TSS done of \\d+\\s+TSS planned, 7 of 11 work intervals on target`));
      expect(await page.evaluate(`document.querySelector('.compliance-line a').getAttribute('href')`)).toBe(
        'coaching_insights.html#compliance',
      );
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
      expect(dialogs).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('complianceSection (the store read)', () => {
  it("is null without a current plan, and counts the weeks up to today in the athlete's zone", async () => {
    const s = await tempStore(() => new Date('2026-03-01T10:00:00Z'));
    try {
      const athlete = s.store.athlete((await s.store.athleteForIdentity('telegram:2', 'Ben')).id);
      expect(await complianceSection(athlete, new Date('2026-03-18T12:00:00Z'))).toBeNull();
      await athlete.coaching.savePlanVersion({
        reason: 'New analysis',
        changes: [{ kind: 'new-plan', text: 'A new plan.' }],
        plan: compliancePlan('2026-03-02', 4),
        ftp: FTP,
        sourceRunId: null,
        input: PLAN_INPUT,
      });
      // Sunday 15 March 23:30 UTC is already Monday 16 March in Berlin: week 3 has begun there
      const sundayNight = new Date('2026-03-15T23:30:00Z');
      await athlete.update({ timeZone: 'UTC' });
      expect((await complianceSection(athlete, sundayNight))!.weeks.map((w) => w.week)).toEqual([1, 2]);
      await athlete.update({ timeZone: 'Europe/Berlin' });
      const berlin = (await complianceSection(athlete, sundayNight))!;
      expect(berlin.today).toBe('2026-03-16');
      expect(berlin.weeks.map((w) => w.week)).toEqual([1, 2, 3]);
      expect(berlin.matchedRides).toBe(0);
    } finally {
      await s.cleanup();
    }
  });
});

describe('an analysis run', () => {
  it("puts the current plan's compliance in its report model and on coaching_insights.html", async () => {
    const { summary, store, athleteId, cleanup } = await athleteWithPlan();
    try {
      const orchestrator = offlineOrchestrator(store, TODAY_NOON);
      const result = await orchestrator.run({ athleteId, planStartDate: '2026-03-23' });
      expect(result.report.compliance).toEqual(summary);
      const insights = String(result.files.find((f) => f.fileName === 'coaching_insights.html')!.content);
      expect(insights).toContain('<h2 id="compliance-h">Plan and rides so far</h2>');
      expect(insights).toContain('data-chart="compliance-load"');
      expect(insights).toContain('&lt;img src=x onerror=alert(1)&gt;');
    } finally {
      cleanup();
    }
  }, 120_000);
});
