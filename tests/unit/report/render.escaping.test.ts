import { describe, expect, it } from 'vitest';
import { renderReports } from '../../../src/report/render.js';
import { SORT_SCRIPT } from '../../../src/report/layout.js';
import type { ReportModel } from '../../../src/report/report-model.js';
import { buildReportFixture, HOSTILE_ACTIVITY_NAME, HOSTILE_GOAL } from '../../support/report-fixture.js';

const byName = (model: ReportModel): Record<string, string> => Object.fromEntries(renderReports(model).map((r) => [r.fileName, r.html]));

/** Every <script> element's text in the document. */
const scripts = (doc: string): string[] => [...doc.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1] ?? '');

describe('report escaping', () => {
  const model = buildReportFixture({ hostile: true });
  const files = byName(model);

  it('shows a hostile activity name as text', () => {
    const dashboard = files['performance_dashboard.html']!;
    expect(dashboard).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(dashboard).not.toContain(HOSTILE_ACTIVITY_NAME);
    expect(dashboard).not.toMatch(/<img\b/i);
  });

  it('shows a goal containing <script> as text, in every file', () => {
    for (const doc of [files['index.html']!, files['coaching_insights.html']!]) {
      expect(doc).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(doc).not.toContain(HOSTILE_GOAL);
    }
  });

  it('has no script but the sort script, and only in the dashboard', () => {
    expect(scripts(files['index.html']!)).toEqual([]);
    expect(scripts(files['coaching_insights.html']!)).toEqual([]);
    expect(scripts(files['performance_dashboard.html']!)).toEqual([SORT_SCRIPT]);
    for (const doc of Object.values(files)) {
      // No inline event handler on any tag (quoted attribute values blanked first: they hold escaped text).
      expect(doc.replace(/="[^"]*"/g, '=""')).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
      expect(doc).not.toMatch(/javascript:/i);
    }
  });

  it('sanitises Markdown: no script, no javascript: link, no attributes', () => {
    const m = buildReportFixture();
    m.analysis.summary =
      'Good **block**.\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) ![x](http://evil.example/x.png) <a href="javascript:alert(2)" onclick="alert(3)">a</a>';
    m.analysis.insights = ['Try <b onmouseover="alert(1)">this</b>', '[link](javascript:void(0))'];
    m.planNotes = {
      coachingNotes: ['<iframe src="https://evil.example"></iframe> stay easy'],
      monitoring: ['<style>body{display:none}</style> watch HR'],
    };
    const out = byName(m);
    for (const doc of Object.values(out)) {
      expect(doc).not.toMatch(/<script>alert/);
      expect(doc).not.toMatch(/href="javascript:/i);
      // The only links are ours: the three files, in-page anchors and the data: downloads.
      for (const [, href] of doc.matchAll(/<a\s[^>]*href="([^"]*)"/gi))
        expect(href).toMatch(
          /^(index\.html|coaching_insights\.html|performance_dashboard\.html)(#[\w-]+)?$|^#|^data:(text\/calendar|application\/xml);/,
        );
      expect(doc).not.toMatch(/<iframe/i);
      expect(doc).not.toMatch(/<b\s+onmouseover/i);
      expect(doc).not.toContain('evil.example/x.png"');
      expect(doc).not.toMatch(/<style>body\{display:none\}/);
    }
    expect(out['index.html']).toContain('<strong>block</strong>');
    expect(out['index.html']).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('escapes user strings inside attributes (download names) and titles', () => {
    const m = buildReportFixture();
    m.athlete.name = 'Eve "<b>" O\'Neil';
    m.copy.title = `Training report for ${m.athlete.name}`;
    m.planExports!.zwo[0]!.fileName = '"><svg onload=alert(1)>.zwo';
    const out = byName(m);
    expect(out['coaching_insights.html']).toContain('download="&quot;&gt;&lt;svg onload=alert(1)&gt;.zwo"');
    expect(out['index.html']).toContain('Eve &quot;&lt;b&gt;&quot; O&#39;Neil');
    expect(out['index.html']).not.toContain('<b>"');
  });

  it('embeds the .ics and .zwo exports as data URLs that decode to the original text', () => {
    const m = buildReportFixture();
    const doc = byName(m)['coaching_insights.html']!;
    const ics = /href="(data:text\/calendar;charset=utf-8,[^"]+)" download="training-plan.ics"/.exec(doc)?.[1];
    expect(ics).toBeDefined();
    expect(decodeURIComponent(ics!.slice(ics!.indexOf(',') + 1).replace(/&#39;/g, "'"))).toBe(m.planExports!.ics);
    const zwoLinks = [...doc.matchAll(/href="data:application\/xml;charset=utf-8,[^"]+" download="([^"]+)"/g)].map((x) => x[1]);
    expect(zwoLinks).toEqual(m.planExports!.zwo.map((z) => z.fileName));
  });

  it('sets a Content-Security-Policy that forbids network access', () => {
    for (const doc of Object.values(files)) {
      expect(doc).toContain('content="default-src &#39;none&#39;;');
      expect(doc).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
      expect(doc).not.toMatch(/@import|url\(/i);
    }
  });
});
