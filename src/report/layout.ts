/**
 * The page shell shared by the three reports: head (inline CSS, a Content-Security-Policy that
 * forbids every network request and every script but our own by hash), header with the links
 * between the files, the degraded-run banner and the footer.
 */
import { createHash } from 'node:crypto';
import { formatDate, formatPeriod } from './format.js';
import { html, raw, type RawHtml } from './html.js';
import type { ReportFileName, ReportModel } from './report-model.js';
import { STYLES } from './styles.js';

export const FILE_LABELS: Record<ReportFileName, string> = {
  'index.html': 'Summary',
  'coaching_insights.html': 'Coaching insights',
  'performance_dashboard.html': 'Performance dashboard',
};

/**
 * Click-to-sort for tables marked `data-sortable`: wraps each header in a button, sorts rows by
 * the cells' `data-v` (numbers numerically, blanks last). Without JavaScript the table is simply
 * in date order. No eval, no network.
 */
export const SORT_SCRIPT = `(function(){
Array.prototype.forEach.call(document.querySelectorAll('.sort-hint'),function(p){p.hidden=false;});
var tables=document.querySelectorAll('table[data-sortable]');
Array.prototype.forEach.call(tables,function(table){
var heads=table.tHead.rows[0].cells;
Array.prototype.forEach.call(heads,function(th,col){
var b=document.createElement('button');b.type='button';
while(th.firstChild)b.appendChild(th.firstChild);
th.appendChild(b);
b.addEventListener('click',function(){
var asc=th.getAttribute('aria-sort')!=='ascending';
Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');
var body=table.tBodies[0];
var rows=Array.prototype.slice.call(body.rows);
var key=function(r){var c=r.cells[col];var v=c?c.getAttribute('data-v'):null;if(v===null&&c)v=c.textContent;return v===null?'':v;};
rows.sort(function(a,b){
var x=key(a),y=key(b);
if(x===''||y==='')return x===y?0:(x===''?1:-1);
var nx=Number(x),ny=Number(y);
var d=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);
return asc?d:-d;});
rows.forEach(function(r){body.appendChild(r);});
});});});})();`;

function scriptHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

/** No network at all: styles inline, images only as data: URLs, scripts only ours (by hash). */
export function contentSecurityPolicy(scripts: readonly string[]): string {
  const scriptSrc = scripts.length > 0 ? scripts.map(scriptHash).join(' ') : "'none'";
  return `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${scriptSrc}; base-uri 'none'; form-action 'none'`;
}

export interface PageOptions {
  model: ReportModel;
  file: ReportFileName;
  /** The page's own heading under the report title. */
  heading: string;
  body: RawHtml;
  scripts?: string[];
}

export function nav(current: ReportFileName): RawHtml {
  const files = Object.keys(FILE_LABELS) as ReportFileName[];
  return html`<nav class="files" aria-label="Report files">${files.map((f) =>
    f === current ? html`<a href="${f}" aria-current="page">${FILE_LABELS[f]}</a>` : html`<a href="${f}">${FILE_LABELS[f]}</a>`,
  )}</nav>`;
}

function banner(model: ReportModel): RawHtml {
  const parts: RawHtml[] = [];
  if (model.run.degraded) {
    parts.push(
      html`<p class="banner" role="note"><strong>Written by the offline coach.</strong> ${model.run.degradedReason ?? 'The language model was not available.'} The figures are unaffected.</p>`,
    );
  }
  if (model.run.warnings.length > 0) {
    parts.push(
      html`<div class="banner" role="note"><strong>Worth knowing:</strong><ul>${model.run.warnings.map((w) => html`<li>${w.message}</li>`)}</ul></div>`,
    );
  }
  return html`${parts}`;
}

export function renderPage(options: PageOptions): string {
  const { model, file } = options;
  const scripts = options.scripts ?? [];
  const title = model.copy.title || `Training report for ${model.athlete.name}`;
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(scripts)}">
<meta name="generator" content="domestique">
<title>${options.heading} — ${title}</title>
<style>${raw(STYLES)}</style>
</head>
<body>
<div class="page">
<header class="top">
<h1>${title}</h1>
<p class="period">${options.heading} · ${formatPeriod(model.period.from, model.period.to)} (${model.period.months} months)</p>
${nav(file)}
</header>
${banner(model)}
<main>
${options.body}
</main>
<footer class="foot">
<p>${model.copy.footer}</p>
<p>Generated ${formatDate(model.generatedAt)} ${model.generatedAt.slice(11, 16)} UTC · ${model.run.provider}${model.run.model ? html` (${model.run.model})` : ''} · run ${model.runId}</p>
</footer>
</div>
${scripts.map((s) => html`<script>${raw(s)}</script>`)}
</body>
</html>
`;
  return doc.value;
}
