/**
 * Building blocks the three pages share: key-number cards with trend arrows, Markdown lists,
 * sections, and the athlete line.
 */
import { formatDate, formatNumber, formatPeriod, formatSignedPercent, MISSING, naturalDigits, UNIT_SPACE } from './format.js';
import { html, markdownInline, type RawHtml } from './html.js';
import type { KeyNumber, ReportModel } from './report-model.js';

const ARROWS = { up: '▲', down: '▼', flat: '▶' } as const;
const DIRECTION_WORDS = { up: 'up', down: 'down', flat: 'unchanged' } as const;

export function keyNumberCard(k: KeyNumber): RawHtml {
  const value = k.value === null || !Number.isFinite(k.value) ? null : k.value;
  const trend = k.trend;
  let trendHtml: RawHtml | string = '';
  if (value !== null && trend && trend.direction !== null) {
    const words = `${DIRECTION_WORDS[trend.direction]}${trend.percent !== null ? ` ${formatSignedPercent(trend.percent)}` : ''} against the previous period`;
    trendHtml = html`<div class="k-trend" title="${words}"><span class="arrow" aria-hidden="true">${ARROWS[trend.direction]}</span> <span aria-hidden="true">${trend.percent !== null ? formatSignedPercent(trend.percent) : ''}</span><span class="visually-hidden">${words}</span></div>`;
  }
  return html`<li class="kpi"><div class="k-label">${k.label}</div><div class="k-value">${value === null ? html`<span title="no data">${MISSING}</span>` : formatNumber(value, naturalDigits(value))}${value !== null && k.unit ? html`<span class="k-unit">${k.unit}</span>` : ''}</div>${trendHtml}${
    k.note ? html`<div class="k-note">${k.note}</div>` : value === null ? html`<div class="k-note">no data in this period</div>` : ''
  }</li>`;
}

/** The key-number cards; `previous` names the period the arrows compare with. */
export function keyNumbers(numbers: readonly KeyNumber[], previous?: { from: string; to: string }): RawHtml {
  if (numbers.length === 0) return html`<p class="empty-note">No key numbers: there were no rides in this period.</p>`;
  const hasTrend = numbers.some((k) => k.trend && k.trend.direction !== null);
  return html`<ul class="kpis">${numbers.map(keyNumberCard)}</ul>${
    hasTrend && previous ? html`<p class="small muted kpi-caption">▲ ▼ change against the previous period (${formatPeriod(previous.from, previous.to)}).</p>` : ''
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
  if (a.weightKg !== null) parts.push(html`${formatNumber(a.weightKg, naturalDigits(a.weightKg))}${UNIT_SPACE}kg`);
  if (a.wattsPerKg !== null) parts.push(html`${formatNumber(a.wattsPerKg, 2)}${UNIT_SPACE}W/kg`);
  if (a.eventDate) parts.push(html`event ${formatDate(a.eventDate)}`);
  return html`<p class="athlete">${parts.map((p, i) => (i === 0 ? p : html` · ${p}`))}</p>${a.goals ? html`<p class="goals"><span class="muted">Goal:</span> ${a.goals}</p>` : ''}`;
}

/** Count of days in a plan week with at least one hard workout. */
export function hardDays(days: readonly { workouts: readonly { intensity: string }[] }[]): number {
  return days.filter((d) => d.workouts.some((w) => w.intensity === 'hard')).length;
}
