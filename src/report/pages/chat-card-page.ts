/**
 * The chat picture: a phone-sized card (540 × 675 CSS px, 1080 × 1350 pixels at 2×, the 4:5 of a
 * portrait photo) with the key numbers (FTP, eFTP, W/kg, CTL/ATL/TSB, arrows coloured by whether
 * the change is good news), a PMC sparkline, the power curve and this week's plan. Its own small
 * page — not a crop of the dashboard — so it reads at a glance in a chat; the snapshotter
 * (src/report/snapshot.ts, `card`) turns it into a PNG. Pure, like the reports: no I/O, no clock
 * ("this week" is the week of the run's `generatedAt`), every user string escaped.
 */
import type { PlanWeek } from '../../domain/plan/types.js';
import { pmcSparkline, powerCurveSparkline } from '../charts/card-charts.js';
import { ARROWS, FORM_BAD_BELOW, FORM_STALE_ABOVE, FORM_TIRED_BELOW, trendTone } from '../components.js';
import {
  capitalize,
  formatDate,
  formatDuration,
  formatNumber,
  formatPeriod,
  formatShortDate,
  formatSignedPercent,
  formatWeekday,
  MISSING,
  naturalDigits,
} from '../format.js';
import { html, raw, type RawHtml } from '../html.js';
import { contentSecurityPolicy } from '../layout.js';
import type { KeyNumber, KeyNumberKey, ReportModel } from '../report-model.js';

/** The card's size in CSS px; the snapshotter renders it at 2× (1080 × 1350 pixels). */
export const CARD_WIDTH = 540;
export const CARD_HEIGHT = 675;
/** Where the card is kept with a run's reports, so that a resent analysis shows the same picture. */
export const CHAT_CARD_FILE = 'chat_card.html';

/** The six key numbers on the card, by key (labels as a fallback for older models). */
const CARD_NUMBERS: readonly { key: KeyNumberKey; label: RegExp; short: string }[] = [
  { key: 'ftp', label: /^FTP\b/, short: 'FTP' },
  { key: 'eftp', label: /eFTP/, short: 'eFTP' },
  { key: 'wkg', label: /W\/kg/, short: 'W/kg' },
  { key: 'ctl', label: /CTL/, short: 'Fitness CTL' },
  { key: 'atl', label: /ATL/, short: 'Fatigue ATL' },
  { key: 'tsb', label: /TSB/, short: 'Form TSB' },
];

const CARD_STYLES = String.raw`
*{box-sizing:border-box}
html,body{margin:0;width:${CARD_WIDTH}px;height:${CARD_HEIGHT}px;overflow:hidden}
body{background:#f4f6f8;color:#1a1f26;font:15px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",sans-serif;display:flex;flex-direction:column;padding:18px 18px 12px;gap:10px}
header{display:flex;justify-content:space-between;align-items:baseline;gap:10px}
.brand{font-size:12px;font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:#0a62c2}
h1{font-size:21px;margin:0;line-height:1.2;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:330px}
.period{font-size:13px;color:#5a6470;text-align:right;white-space:nowrap}
.kpis{display:grid;grid-template-columns:repeat(3,1fr);gap:8px;margin:0;padding:0;list-style:none}
.kpi{background:#fff;border:1px solid #d8dde3;border-radius:12px;padding:7px 10px 6px;min-width:0}
.k-label{font-size:12px;color:#5a6470}
.k-value{font-size:27px;font-weight:750;line-height:1.15;white-space:nowrap;font-variant-numeric:tabular-nums}
.k-unit{font-size:13px;font-weight:500;color:#5a6470;margin-left:3px}
.k-trend{font-size:12.5px;font-weight:650;white-space:nowrap;color:#5a6470;min-height:17px}
.tone-good{color:#2b8a3e}.tone-bad{color:#c92a2a}.tone-neutral{color:#b35c00}
.k-note{font-weight:400;color:#5a6470}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.panel{background:#fff;border:1px solid #d8dde3;border-radius:12px;padding:7px 8px 4px;min-width:0}
.panel h2{font-size:13px;margin:0 0 2px;font-weight:650}
.panel h2 .muted{font-weight:400}
svg.spark{display:block;width:100%;height:auto}
svg text{font-family:inherit;font-size:10px}
.c-muted{fill:#5a6470}.c-strong{fill:#1a1f26;font-weight:700;font-size:11px}
.end{font-size:11px;font-weight:700}
.c-ctl{fill:#1f6fd1}.c-atl{fill:#c2255c}.c-tsb{fill:#b35c00}
.l-ctl{fill:none;stroke:#1f6fd1;stroke-width:2.6;stroke-linejoin:round}
.l-atl{fill:none;stroke:#c2255c;stroke-width:1.3;stroke-linejoin:round;opacity:.85}
.a-tsb{fill:#e67700;opacity:.22;stroke:#e67700;stroke-width:.8}
.zero{stroke:#9aa3ad;stroke-width:.8;stroke-dasharray:2 2}
.grid{stroke:#e9ecf0;stroke-width:1}.axis{stroke:#d8dde3;stroke-width:1}
.l-current{fill:none;stroke:#1f6fd1;stroke-width:2.6;stroke-linejoin:round}
.l-previous{fill:none;stroke:#9aa3ad;stroke-width:1.6;stroke-linejoin:round}
.d-current{fill:#1f6fd1;stroke:#fff;stroke-width:1}
.legend{font-size:11px;color:#5a6470;margin:0}
.legend b{font-weight:700}
.s-ctl{color:#1f6fd1}.s-atl{color:#c2255c}.s-tsb{color:#e67700}.s-previous{color:#9aa3ad}
.week{background:#fff;border:1px solid #d8dde3;border-radius:12px;padding:8px 12px;flex:1;min-height:0;overflow:hidden}
.week h2{font-size:14px;margin:0 0 4px;display:flex;justify-content:space-between;gap:8px}
.week h2 span{font-weight:500;color:#5a6470;white-space:nowrap}
.days{list-style:none;margin:0;padding:0}
.days li{display:grid;grid-template-columns:84px 1fr auto;gap:8px;align-items:baseline;padding:2px 0;border-top:1px solid #eef0f3;font-size:14px;line-height:1.3}
.days li:first-child{border-top:0}
.day{color:#5a6470;font-size:13px;white-space:nowrap}
.what{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;min-width:0}
.meta{color:#5a6470;font-size:13px;white-space:nowrap;font-variant-numeric:tabular-nums}
.hard .what{font-weight:650}
.hard .what::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;background:#d6336c;margin-right:6px;vertical-align:1px}
.rest .what{color:#9aa3ad}
.today .day{color:#0a62c2;font-weight:700}
.empty{color:#5a6470;font-style:italic;margin:4px 0}
footer{font-size:11px;color:#5a6470;display:flex;justify-content:space-between;gap:8px}
`;

/** Form (TSB) in a word, by the same bands as its arrow's colour (components.ts, trendTone). */
export function formWord(tsb: number): string {
  if (tsb < FORM_BAD_BELOW) return 'deep fatigue';
  if (tsb < FORM_TIRED_BELOW) return 'training hard';
  if (tsb > FORM_STALE_ABOVE) return 'losing fitness';
  return 'fresh';
}

function pick(numbers: readonly KeyNumber[], spec: (typeof CARD_NUMBERS)[number]): KeyNumber | undefined {
  return numbers.find((k) => k.key === spec.key) ?? numbers.find((k) => k.key === undefined && spec.label.test(k.label));
}

function cardNumber(k: KeyNumber | undefined, short: string): RawHtml {
  const value = k && k.value !== null && Number.isFinite(k.value) ? k.value : null;
  const digits = value === null ? 0 : k?.unit === 'W/kg' ? 2 : naturalDigits(value) > 1 ? 1 : naturalDigits(value);
  const trend = k?.trend;
  const tone = k ? trendTone(k) : null;
  let trendHtml: RawHtml = html``;
  if (value !== null && trend && trend.direction !== null) {
    const change =
      k?.judge === 'form'
        ? formWord(value)
        : trend.direction === 'flat'
          ? 'unchanged'
          : trend.percent !== null
            ? formatSignedPercent(trend.percent)
            : '';
    trendHtml = html`<span class="${tone ? `tone-${tone}` : ''}">${ARROWS[trend.direction]} ${change}</span>`;
  } else if (k?.note) trendHtml = html`<span class="k-note">${k.note}</span>`;
  const unit = k?.unit && k.unit !== 'W/kg' ? k.unit : '';
  return html`<li class="kpi"><div class="k-label">${short}</div><div class="k-value">${value === null ? MISSING : formatNumber(value, digits)}${value !== null && unit ? html`<span class="k-unit">${unit}</span>` : ''}</div><div class="k-trend">${trendHtml}</div></li>`;
}

/** The plan week that holds `day`, or the first week when the plan starts later; null when it is over. */
export function weekOf(weeks: readonly PlanWeek[], day: string): PlanWeek | null {
  const holding = weeks.find((w) => w.days.some((d) => d.date === day));
  if (holding) return holding;
  const first = weeks[0];
  return first && first.days[0] && day < first.days[0].date ? first : null;
}

function weekPanel(model: ReportModel): RawHtml {
  const plan = model.plan;
  const today = model.generatedAt.slice(0, 10);
  const week = plan ? weekOf(plan.weeks, today) : null;
  if (!plan || !week) {
    return html`<section class="week"><h2>The plan</h2><p class="empty">${plan ? 'The plan is over: send new rides and analyse again for the next block.' : 'No plan in this analysis yet.'}</p></section>`;
  }
  const starts = week.days[0]?.date ?? today;
  const title = starts > today ? `Next week · week ${week.week}` : `This week · week ${week.week}`;
  return html`<section class="week"><h2>${title} (${capitalize(week.phase)})<span>${formatNumber(week.plannedTss)} TSS · ${formatNumber(week.hours, 1)} h</span></h2><ul class="days">${week.days.map(
    (d) => {
      const day = `${formatWeekday(d.weekday)} ${formatShortDate(d.date)}`;
      const cls = [
        d.workouts.length === 0 ? 'rest' : d.workouts.some((w) => w.intensity === 'hard') ? 'hard' : '',
        d.date === today ? 'today' : '',
      ]
        .filter(Boolean)
        .join(' ');
      const attr = cls ? html` class="${cls}"` : '';
      if (d.workouts.length === 0)
        return html`<li${attr}><span class="day">${day}</span><span class="what">rest</span><span class="meta"></span></li>`;
      const minutes = d.workouts.reduce((s, w) => s + w.durationMinutes, 0);
      const tss = d.workouts.reduce((s, w) => s + w.tss, 0);
      return html`<li${attr}><span class="day">${day}</span><span class="what">${d.workouts.map((w) => w.name).join(' + ')}</span><span class="meta">${formatDuration(minutes * 60, 'chat')} · ${formatNumber(tss)} TSS</span></li>`;
    },
  )}</ul></section>`;
}

/** The chat picture's HTML: one self-contained page of CARD_WIDTH × CARD_HEIGHT CSS px. */
export function renderChatCard(model: ReportModel): string {
  const numbers = CARD_NUMBERS.map((spec) => cardNumber(pick(model.keyNumbers, spec), spec.short));
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=${CARD_WIDTH}">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy([])}">
<title>${model.athlete.name} — ${formatPeriod(model.period.from, model.period.to)}</title>
<style>${raw(CARD_STYLES)}</style>
</head>
<body>
<header><div><div class="brand">domestique</div><h1>${model.athlete.name}</h1></div><div class="period">${formatPeriod(model.period.from, model.period.to)}<br>vs ${formatPeriod(model.period.previousFrom, model.period.previousTo)}</div></header>
<ul class="kpis">${numbers}</ul>
<div class="charts">
<section class="panel"><h2>Fitness <span class="muted">· fatigue · form</span></h2>${pmcSparkline(model.pmc, model.period.to)}<p class="legend"><b class="s-ctl">━</b> CTL <b class="s-atl">━</b> ATL <b class="s-tsb">▮</b> TSB</p></section>
<section class="panel"><h2>Power curve <span class="muted">· best watts</span></h2>${powerCurveSparkline(model.powerCurve)}<p class="legend"><b class="s-ctl">━</b> this period <b class="s-previous">━</b> previous</p></section>
</div>
${weekPanel(model)}
<footer><span>Generated ${formatDate(model.generatedAt)} · run ${model.runId.slice(0, 8)}</span><span>Full reports: the HTML files</span></footer>
</body>
</html>
`;
  return doc.value;
}
