/**
 * The accessible figure around a chart's <svg>: heading, title and description for screen
 * readers, legend, note, and a data table as its text alternative; or the empty state that says
 * what is missing.
 */
import { clippedText, html, type RawHtml } from '../html.js';

export interface LegendItem {
  label: string;
  /** CSS class giving the swatch its color (e.g. "s-ctl"). */
  swatch: string;
  kind?: 'line' | 'dashed' | 'box' | 'dot';
}

export interface DataTable {
  head: string[];
  rows: string[][];
  /** Columns of free text someone typed (ride names): wrapped and clipped, never widening the table. */
  textColumns?: number[];
}

/** A chart's viewBox size (a Frame will do). */
export interface FigureSize {
  width: number;
  height: number;
}

/** What a figure shows besides its id, title and size. */
export interface FigureParts {
  /** One or two sentences saying what the chart shows — read by screen readers. */
  description: string;
  body: RawHtml;
  legend?: LegendItem[];
  note?: RawHtml | string;
  table?: DataTable;
  /** Extra class on the figure (layout hints such as "wide"). */
  className?: string;
}

export function legend(items: readonly LegendItem[]): RawHtml {
  return html`<ul class="legend">${items.map((i) => html`<li><span class="swatch ${i.kind ?? 'line'} ${i.swatch}" aria-hidden="true"></span>${i.label}</li>`)}</ul>`;
}

export function dataTable(table: DataTable, caption: string): RawHtml {
  return html`<details class="data"><summary>Data table</summary><div class="table-scroll"><table><caption>${caption}</caption><thead><tr>${table.head.map(
    (h) => html`<th scope="col">${h}</th>`,
  )}</tr></thead><tbody>${table.rows.map((r) => html`<tr>${r.map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : table.textColumns?.includes(i) ? html`<td class="text">${clippedText(c)}</td>` : html`<td>${c}</td>`))}</tr>`)}</tbody></table></div></details>`;
}

/**
 * The accessible figure: heading, <svg role="img"> with <title>/<desc>, legend, note, data table.
 * `id` is unique within the page and prefixes the ids of the title and description.
 */
export function chartFigure(id: string, title: string, size: FigureSize, f: FigureParts): RawHtml {
  return html`<figure class="chart ${f.className ?? ''}" id="${id}">
<figcaption class="chart-title">${title}</figcaption>
<svg class="plot" viewBox="0 0 ${size.width} ${size.height}" role="img" aria-labelledby="${id}-t ${id}-d" data-chart="${id}"><title id="${id}-t">${title}</title><desc id="${id}-d">${f.description}</desc>${f.body}</svg>
${f.legend && f.legend.length > 0 ? legend(f.legend) : ''}${f.note ? html`<p class="note">${f.note}</p>` : ''}${f.table ? dataTable(f.table, title) : ''}
</figure>`;
}

/** What a chart shows when its data is missing: the title and what to do about it. */
export function emptyChart(id: string, title: string, message: string): RawHtml {
  return html`<figure class="chart empty" id="${id}"><figcaption class="chart-title">${title}</figcaption><p class="empty-note">${message}</p></figure>`;
}
