import { describe, expect, it } from 'vitest';
import { complianceSummary, type ComplianceSummary } from '../../../src/domain/coaching/compliance-summary.js';
import { workoutStatuses } from '../../../src/domain/coaching/plan-state.js';
import type { PlanVersion, WorkoutMatch } from '../../../src/domain/coaching/types.js';
import { complianceBody, complianceLine } from '../../../src/report/compliance-section.js';
import { renderReports } from '../../../src/report/render.js';
import type { ReportModel } from '../../../src/report/report-model.js';
import { compliancePlan, match, version } from '../../support/compliance-fixture.js';
import { visibleText } from '../../support/html-text.js';
import { buildReportFixture, HOSTILE_ACTIVITY_NAME } from '../../support/report-fixture.js';

const PLAN = compliancePlan('2026-03-02', 4);
const TODAY = '2026-03-18';
const HOSTILE_REASON = `Ill ${HOSTILE_ACTIVITY_NAME}`;
const HOSTILE_CHANGE = '<b>Tuesday</b> eased: "you said" you are ill & tired';

const MATCHES: WorkoutMatch[] = [
  match({ activityId: 'a1', date: '2026-03-03', status: 'done', doneTss: 58, verdicts: ['hit', 'hit', 'hit'] }),
  match({ activityId: 'a2', date: '2026-03-05', status: 'partial', doneTss: 50, verdicts: ['hit', 'under'] }),
  match({ activityId: 'a3', date: '2026-03-08', status: 'extra', doneTss: 40 }),
  match({ activityId: 'a4', date: '2026-03-10', status: 'done', doneTss: 61, verdicts: ['hit', 'hit', 'under'] }),
];
const VERSIONS: PlanVersion[] = [
  version(1, PLAN, '2026-03-01T10:00:00Z', 'New analysis', [{ kind: 'new-plan', text: 'A new plan.' }]),
  version(2, PLAN, '2026-03-16T07:00:00Z', HOSTILE_REASON, [
    { kind: 'eased', text: HOSTILE_CHANGE },
    { kind: 'eased', text: 'Thursday eased to a recovery spin.' },
  ]),
];

function summary(matches = MATCHES, today = TODAY, versions = VERSIONS): ComplianceSummary {
  const statuses = workoutStatuses(versions.at(-1)!.plan, matches, today);
  return complianceSummary({ versions, matches, statuses, today, timeZone: 'UTC' })!;
}

/** Visible text, quotes decoded, no space left before a full stop where a tag closed. */
const text = (html: { value: string }): string =>
  visibleText(html.value)
    .replace(/&quot;/g, '"')
    .replace(/ \./g, '.')
    .trim();
const byName = (model: ReportModel): Record<string, string> => Object.fromEntries(renderReports(model).map((r) => [r.fileName, r.html]));

describe('compliance section', () => {
  it('without a current plan, says so in one line with no chart', () => {
    const body = complianceBody(null).value;
    expect(body).not.toContain('<svg');
    expect(body.match(/<p\b/g)).toHaveLength(1);
    expect(text(complianceBody(null))).toMatch(/^No current plan to follow yet/);
  });

  it('before the plan starts, or with nothing matched, says so in one line with no chart, the adaptations still listed', () => {
    for (const [s, line] of [
      [summary(MATCHES, '2026-03-01'), 'Your plan starts on 2 Mar 2026: nothing to compare yet.'],
      [summary([]), 'No ride matched to your plan yet (since 2 Mar): upload your rides and each is compared with its planned workout.'],
    ] as const) {
      const body = complianceBody(s);
      expect(body.value).not.toContain('<svg');
      expect(text(body).startsWith(line)).toBe(true);
      expect(text(body)).toContain('Thursday eased to a recovery spin.');
    }
  });

  it('shows the totals, the sessions, the chart, the hit rate per workout type and the adaptations', () => {
    const s = summary();
    const body = complianceBody(s);
    const words = text(body);
    const done = 58 + 50 + 40 + 61;
    const planned = 2 * 220 + 60; // weeks 1 and 2, and Tuesday of week 3
    expect(words).toContain(
      `Since 2 Mar (plan version 2): ${done} TSS done of ${planned} TSS planned up to today (${Math.round((done / planned) * 100)} %).`,
    );
    // due: 3, 5, 7, 10, 12, 14, 17 March; done 3 and 10, partial 5, missed the rest
    expect(words).toContain('Workouts: 2 done, 1 partial, 4 missed of 7 workouts planned so far; 1 extra ride.');
    expect(words).toContain(`Intervals: 6 of 8 work intervals on target (${Math.round((6 / 8) * 100)} %).`);
    expect(body.value.match(/<svg/g)).toHaveLength(1);
    expect(body.value.match(/class="bar b-load"/g)).toHaveLength(s.weeks.length);
    expect(body.value.match(/class="bar d-ctl"/g)).toHaveLength(s.weeks.length);
    expect(words).toContain(`Sweet spot 5 / 6 ${Math.round((5 / 6) * 100)} %`);
    expect(words).toContain('Threshold 1 / 2 50 %');
    expect(words).toContain(`All 6 / 8 ${Math.round((6 / 8) * 100)} %`);
    expect(words).toContain(`Adaptations 16 Mar 2026 · version 2: ${HOSTILE_REASON} ${HOSTILE_CHANGE} Thursday eased to a recovery spin.`);
  });

  it('escapes the reasons and change texts', () => {
    const body = complianceBody(summary()).value;
    expect(body).not.toContain(HOSTILE_ACTIVITY_NAME);
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(body).toContain('&lt;b&gt;Tuesday&lt;/b&gt; eased: &quot;you said&quot; you are ill &amp; tired');
  });

  it('says when the plan has no adaptations yet', () => {
    expect(text(complianceBody(summary(MATCHES, TODAY, VERSIONS.slice(0, 1))))).toContain(
      'Adaptations None yet: the plan is as it was made.',
    );
  });

  it('gives the summary page one line linking to the section, and nothing without a current plan', () => {
    expect(complianceLine(undefined).value).toBe('');
    expect(complianceLine(null).value).toBe('');
    const line = complianceLine(summary());
    expect(text(line)).toBe(
      `So far: ${58 + 50 + 40 + 61} TSS done of ${2 * 220 + 60} TSS planned, 6 of 8 work intervals on target (75 %), 1 adaptation. See Coaching insights.`,
    );
    expect(line.value).toContain('href="coaching_insights.html#compliance"');
    expect(text(complianceLine(summary([])))).toBe('Your current plan: no ride matched to it yet. See Coaching insights.');
  });
});

describe('compliance in the reports', () => {
  const base = buildReportFixture();
  const plain = byName(base);

  it('adds nothing to a model without it (older models render byte for byte as before)', () => {
    for (const html of Object.values(plain)) expect(html).not.toMatch(/compliance/i);
    const nulled = byName({ ...base, compliance: null });
    expect(nulled['index.html']).toBe(plain['index.html']);
    expect(nulled['performance_dashboard.html']).toBe(plain['performance_dashboard.html']);
  });

  it('shows the section on coaching_insights.html before the plan, and the line on index.html', () => {
    const files = byName({ ...base, compliance: summary() });
    const insights = files['coaching_insights.html']!;
    expect(insights).toContain('<h2 id="compliance-h">Plan and rides so far</h2>');
    expect(insights.indexOf('id="compliance-h"')).toBeLessThan(insights.indexOf('id="plan-h"'));
    expect(insights.indexOf('id="compliance-h"')).toBeGreaterThan(insights.indexOf('id="recommendations-h"'));
    expect(insights).toContain('data-chart="compliance-load"');
    expect(files['index.html']).toContain('href="coaching_insights.html#compliance"');
    // the rest of the page is untouched: removing the section gives the page without it
    expect(insights.replace(/<section class="card " aria-labelledby="compliance-h">[\s\S]*?<\/section>\n/, '')).toBe(
      plain['coaching_insights.html'],
    );
  });

  it('says in one line that there is no current plan when the run found none', () => {
    const insights = byName({ ...base, compliance: null })['coaching_insights.html']!;
    expect(visibleText(insights)).toContain('Plan and rides so far No current plan to follow yet');
  });
});
