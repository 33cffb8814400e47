/**
 * Building blocks the three pages share: key-number cards with trend arrows, Markdown lists,
 * sections, and the athlete line.
 */
import { formatDate, formatNumber, formatPeriod, formatSignedPercent, formatWeight, MISSING, naturalDigits, UNIT_SPACE } from './format.js';
import { html, markdownInline, type RawHtml } from './html.js';
import type { KeyNumber, ReportModel } from './report-model.js';

export const ARROWS = { up: '▲', down: '▼', flat: '▶' } as const;
const DIRECTION_WORDS = { up: 'up', down: 'down', flat: 'unchanged' } as const;

/** Form (TSB) below this is deep fatigue: red whichever way it moved. */
export const FORM_BAD_BELOW = -30;
/** Form from FORM_BAD_BELOW to this is the fatigue of hard training: amber. */
export const FORM_TIRED_BELOW = -10;
/** Form above this is fresh but losing fitness: amber. */
export const FORM_STALE_ABOVE = 25;

export type TrendTone = 'good' | 'bad' | 'neutral';
const TONE_WORDS: Record<TrendTone, string> = { good: 'good news', bad: 'a warning', neutral: 'neither good nor bad by itself' };

/**
 * Whether a key number's change is good news, by its `judge` (not by its direction alone):
 * higher-is-better numbers (FTP, eFTP, W/kg, fitness, best efforts) are good up, bad down and
 * neutral flat; fatigue, volume and load are neutral (amber) whichever way; form (TSB) is judged by
 * its value — below −30 bad, −30 to −10 neutral, −10 to +25 good, above +25 neutral. Null when there
 * is no arrow or no judge.
 */
export function trendTone(k: Pick<KeyNumber, 'value' | 'trend' | 'judge'>): TrendTone | null {
  const direction = k.trend?.direction ?? null;
  if (direction === null || k.value === null || !Number.isFinite(k.value) || !k.judge) return null;
  if (k.judge === 'neutral') return 'neutral';
  if (k.judge === 'form')
    return k.value < FORM_BAD_BELOW ? 'bad' : k.value < FORM_TIRED_BELOW || k.value > FORM_STALE_ABOVE ? 'neutral' : 'good';
  return direction === 'up' ? 'good' : direction === 'down' ? 'bad' : 'neutral';
}

export function keyNumberCard(k: KeyNumber): RawHtml {
  const value = k.value === null || !Number.isFinite(k.value) ? null : k.value;
  const trend = k.trend;
  let trendHtml: RawHtml | string = '';
  if (value !== null && trend && trend.direction !== null) {
    const tone = trendTone(k);
    const words = `${DIRECTION_WORDS[trend.direction]}${trend.percent !== null ? ` ${formatSignedPercent(trend.percent)}` : ''} against the previous period${tone ? `: ${TONE_WORDS[tone]}` : ''}`;
    trendHtml = html`<div class="k-trend${tone ? ` tone-${tone}` : ''}" title="${words}"><span class="arrow" aria-hidden="true">${ARROWS[trend.direction]}</span> <span aria-hidden="true">${trend.percent !== null ? formatSignedPercent(trend.percent) : ''}</span><span class="visually-hidden">${words}</span></div>`;
  }
  return html`<li class="kpi"><div class="k-label">${k.label}</div><div class="k-value">${value === null ? html`<span title="no data">${MISSING}</span>` : formatNumber(value, naturalDigits(value))}${value !== null && k.unit ? html`<span class="k-unit">${k.unit}</span>` : ''}</div>${trendHtml}${
    k.note ? html`<div class="k-note">${k.note}</div>` : value === null ? html`<div class="k-note">no data in this period</div>` : ''
  }</li>`;
}

/** The key-number cards; `previous` names the period the arrows compare with. */
export function keyNumbers(numbers: readonly KeyNumber[], previous?: { from: string; to: string }): RawHtml {
  if (numbers.length === 0) return html`<p class="empty-note">No key numbers: there were no rides in this period.</p>`;
  const hasTrend = numbers.some((k) => k.trend && k.trend.direction !== null);
  const judged = numbers.some((k) => trendTone(k) !== null);
  return html`<ul class="kpis">${numbers.map(keyNumberCard)}</ul>${
    hasTrend && previous
      ? html`<p class="small muted kpi-caption">▲ ▼ change against the previous period (${formatPeriod(previous.from, previous.to)}).${
          judged
            ? html` <span class="tone-good">Green</span>: good news, <span class="tone-bad">red</span>: a warning, <span class="tone-neutral">amber</span>: neither by itself (fatigue, volume; form is judged by its value).`
            : ''
        }</p>`
      : ''
  }`;
}

/** A bulleted list of Markdown items, or the `empty` sentence. */
export function markdownList(items: readonly string[], empty: string, className = ''): RawHtml {
  const list = items.filter((i) => i.trim() !== '');
  if (list.length === 0) return html`<p class="empty-note">${empty}</p>`;
  return html`<ul class="${className}">${list.map((i) => html`<li>${markdownInline(i)}</li>`)}</ul>`;
}

export function section(id: string, title: string, body: RawHtml, className = ''): RawHtml {
  return html`<section class="card ${className}" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>${body}</section>`;
}

/** "Alex Rider · FTP 265 W (profile) · 70 kg · Goal: … · Event 25 Jan 2026". */
export function athleteLine(model: ReportModel): RawHtml {
  const a = model.athlete;
  const parts: RawHtml[] = [html`<strong>${a.name}</strong>`];
  if (a.ftp !== null) parts.push(html`FTP ${formatNumber(a.ftp)}${UNIT_SPACE}W${a.ftpSource === 'estimated' ? ' (estimated)' : ''}`);
  else parts.push(html`no FTP set`);
  if (a.weightKg !== null) parts.push(html`${formatWeight(a.weightKg, a.units ?? 'metric')}`);
  if (a.wattsPerKg !== null) parts.push(html`${formatNumber(a.wattsPerKg, 2)}${UNIT_SPACE}W/kg`);
  if (a.eventDate) parts.push(html`event ${formatDate(a.eventDate)}`);
  return html`<p class="athlete">${parts.map((p, i) => (i === 0 ? p : html` · ${p}`))}</p>${a.goals ? html`<p class="goals"><span class="muted">Goal:</span> ${a.goals}</p>` : ''}`;
}

/** Count of days in a plan week with at least one hard workout. */
export function hardDays(days: readonly { workouts: readonly { intensity: string }[] }[]): number {
  return days.filter((d) => d.workouts.some((w) => w.intensity === 'hard')).length;
}
