/**
 * A ride named with 3,000 characters (one endless word, or words with markup in them) must not
 * widen the tables that show ride names: each name cell wraps anywhere inside a box of bounded
 * width and height (`td.text` > `span.clip`), the full name in its title, everything escaped.
 */
import { describe, expect, it } from 'vitest';
import { clippedText } from '../../../src/report/html.js';
import { renderReports } from '../../../src/report/render.js';
import { STYLES } from '../../../src/report/styles.js';
import { buildReportFixture } from '../../support/report-fixture.js';

const WORD = 'A'.repeat(3000);
const MARKUP = '"><img src=x onerror=alert(1)>&'.repeat(100); // 3,100 characters
const ESCAPED_MARKUP = '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;'.repeat(100);

function longNamedModel(name: string) {
  const model = buildReportFixture();
  model.rides[0]!.name = name;
  for (const r of model.wPrimeBalance?.rides ?? []) r.name = name;
  for (const r of model.aerobicDecoupling.rides) r.name = name;
  return model;
}

/** The CSS declarations of the rule with exactly this selector. */
function rule(css: string, selector: string): string {
  const at = css.indexOf(`\n${selector}{`);
  expect(at, `a rule for ${selector}`).toBeGreaterThanOrEqual(0);
  return css.slice(at + selector.length + 2, css.indexOf('}', at));
}

const cells = (doc: string, table: RegExp): string[] => {
  const block = table.exec(doc)?.[0] ?? '';
  return [...block.matchAll(/<td[^>]*class="text"[^>]*>[\s\S]*?<\/td>/g)].map((m) => m[0]);
};

describe('long ride names in the reports', () => {
  it('the styles wrap a name cell anywhere and bound its box (width, three lines)', () => {
    const clip = rule(STYLES, '.clip');
    expect(clip).toContain('overflow-wrap:anywhere');
    expect(clip).toContain('word-break:break-word');
    expect(clip).toMatch(/max-width:\d+em/);
    expect(clip).toContain('-webkit-line-clamp:3');
    expect(clip).toContain('overflow:hidden');
    expect(clip).toContain('white-space:normal');
    expect(rule(STYLES, 'table td.text')).toContain('white-space:normal');
  });

  it('renders a 3,000-character name in the rides, W′ and decoupling data tables as a clipped cell with the full name as its title', () => {
    const dashboard = renderReports(longNamedModel(WORD)).find((r) => r.fileName === 'performance_dashboard.html')!.html;
    expect(dashboard).toContain(rule(STYLES, '.clip')); // the page carries the styles
    const tables = [
      /<table class="rides"[\s\S]*?<\/table>/,
      /<table class="w-prime"[\s\S]*?<\/table>/,
      /<figure class="chart[^"]*" id="decoupling"[\s\S]*?<\/figure>/,
    ];
    for (const table of tables) {
      const named = cells(dashboard, table).filter((c) => c.includes(WORD));
      expect(named.length, String(table)).toBeGreaterThan(0);
      for (const cell of named)
        expect(cell).toBe(`${cell.slice(0, cell.indexOf('>') + 1)}<span class="clip" title="${WORD}">${WORD}</span></td>`);
    }
    // ordinary names get no title, and "Untitled" stays muted
    const rides = /<table class="rides"[\s\S]*?<\/table>/.exec(dashboard)![0];
    expect(rides).toMatch(/<td data-v="[^"]*" class="text"><span class="clip">[^<]{1,30}<\/span><\/td>/);
    expect(rides).toContain('<td data-v="" class="text"><span class="muted">Untitled</span></td>');
  });

  it('keeps a long name with markup escaped, in the text and in the title', () => {
    const dashboard = renderReports(longNamedModel(MARKUP)).find((r) => r.fileName === 'performance_dashboard.html')!.html;
    expect(dashboard).not.toContain('<img src=x');
    expect(dashboard).toContain(`<span class="clip" title="${ESCAPED_MARKUP}">${ESCAPED_MARKUP}</span>`);
    expect(clippedText('<b>"x"</b> & a long enough name to get a title').value).toBe(
      '<span class="clip" title="&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; a long enough name to get a title">&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; a long enough name to get a title</span>',
    );
  });
});
