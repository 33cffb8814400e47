/**
 * The three reports in real headless Chromium, offline: nothing requested, no errors, charts drawn,
 * the model's figures on the page, the ride table sorting on click, hostile strings shown as text
 * with no dialog ever opening, no horizontal scroll at 390 px; then the snapshotter's PNG and PDF.
 * Skipped (loudly) without /usr/bin/chromium; CI installs it.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH, renderChatCard } from '../../src/report/pages/chat-card-page.js';
import { renderReports } from '../../src/report/render.js';
import { offlineOrchestrator } from '../support/offline-orchestrator.js';
import { REPORT_FILES, type ReportFileName } from '../../src/report/report-model.js';
import { blockNetwork, CHROMIUM_ARGS } from '../../src/report/chromium-session.js';
import { createSnapshotter, MAX_PNG_BYTES } from '../../src/report/snapshot.js';
import { seedAthlete } from '../support/athlete.js';
import { buildEmptyReportFixture, buildReportFixture, HOSTILE_ACTIVITY_NAME, HOSTILE_GOAL } from '../support/report-fixture.js';
import { tempStore } from '../support/store.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`\n!!! ${CHROMIUM} is missing: the report browser tests are SKIPPED. Install chromium to run them.\n`);

interface Opened {
  page: Page;
  blocked: string[];
  failed: string[];
  consoleErrors: string[];
  pageErrors: string[];
}

describe.skipIf(!available)('reports in headless Chromium', () => {
  const model = buildReportFixture({ hostile: true });
  const reports = renderReports(model);
  const dialogs: string[] = [];
  let browser: Browser;
  let siteDir: string;
  let profileDir: string;

  beforeAll(async () => {
    siteDir = mkdtempSync(join(tmpdir(), 'domestique-report-test-'));
    profileDir = mkdtempSync(join(tmpdir(), 'domestique-report-profile-'));
    for (const r of reports) writeFileSync(join(siteDir, r.fileName), r.html);
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir: profileDir, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(siteDir, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  });

  /** Opens a report from disk with every request but the file itself aborted and counted. */
  async function open(file: ReportFileName, width = 390): Promise<Opened> {
    const page = await browser.newPage();
    const url = `file://${join(siteDir, file)}`;
    const opened: Opened = { page, blocked: [], failed: [], consoleErrors: [], pageErrors: [] };
    await page.setRequestInterception(true);
    blockNetwork(page, { allow: (u) => u === url, onBlocked: (u) => opened.blocked.push(u) });
    page.on('requestfailed', (r) => opened.failed.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') opened.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => opened.pageErrors.push(String(e)));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setViewport({ width, height: 844, deviceScaleFactor: 1 });
    await page.goto(url, { waitUntil: 'load' });
    return opened;
  }

  for (const file of REPORT_FILES) {
    it(`${file}: loads offline with nothing requested, no errors, every chart drawn, no horizontal scroll at 390 px`, async () => {
      const { page, blocked, failed, consoleErrors, pageErrors } = await open(file);
      try {
        expect(blocked).toEqual([]);
        expect(failed).toEqual([]);
        expect(consoleErrors).toEqual([]);
        expect(pageErrors).toEqual([]);
        // Every <svg>: at least one mark with a non-zero box.
        const charts = (await page.evaluate(`[...document.querySelectorAll('svg')].map((svg) => ({
          id: svg.getAttribute('data-chart') || svg.getAttribute('aria-label'),
          named: !!svg.querySelector('title') && svg.getAttribute('role') === 'img',
          marks: [...svg.querySelectorAll('path, rect, circle, polygon')].filter((m) => { const b = m.getBBox(); return b.width > 0 || b.height > 0; }).length,
          width: svg.getBoundingClientRect().width,
        }))`)) as { id: string; named: boolean; marks: number; width: number }[];
        expect(charts.length).toBeGreaterThan(0);
        for (const c of charts) {
          expect(c.marks, `${c.id} has marks`).toBeGreaterThan(0);
          expect(c.named, `${c.id} has a title and role=img`).toBe(true);
          expect(c.width, `${c.id} is visible`).toBeGreaterThan(100);
          expect(c.width, `${c.id} fits the screen`).toBeLessThanOrEqual(390);
        }
        expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
      } finally {
        await page.close();
      }
    });
  }

  it('also fits a 1280 px screen', async () => {
    for (const file of REPORT_FILES) {
      const { page } = await open(file, 1280);
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(1280);
      await page.close();
    }
  });

  it('shows the model figures: FTP, CTL and best 20 min', async () => {
    const figure = (label: string): string => {
      const k = model.keyNumbers.find((n) => n.label.startsWith(label));
      return String(k!.value);
    };
    for (const file of ['index.html', 'performance_dashboard.html'] as const) {
      const { page } = await open(file);
      const kpis = (await page.evaluate(
        `Object.fromEntries([...document.querySelectorAll('.kpi')].map((k) => [k.querySelector('.k-label').textContent, k.querySelector('.k-value').textContent]))`,
      )) as Record<string, string>;
      expect(kpis['FTP']).toBe(`${figure('FTP')}W`);
      expect(kpis['CTL (fitness)']).toBe(`${figure('CTL')}TSS/day`);
      expect(kpis['Best 20 min']).toBe(`${figure('Best 20 min')}W`);
      const text = String(await page.evaluate('document.body.innerText'));
      expect(text).toContain('265');
      await page.close();
    }
    const { page } = await open('coaching_insights.html');
    const text = String(await page.evaluate('document.body.innerText'));
    expect(text).toContain(`FTP 265\u202fW`);
    expect(text).toContain(`Best 20 min **${model.powerCurve.current['1200']} W**`.replace(/\*\*/g, ''));
    await page.close();
  });

  it('shows NP, TSS, IF and Pw:HR in the ride table at 390 px without scrolling it sideways', async () => {
    const { page } = await open('performance_dashboard.html');
    const layout = (await page.evaluate(`(() => {
      const box = document.querySelector('table.rides').parentElement.getBoundingClientRect();
      return { right: box.right, heads: Object.fromEntries([...document.querySelectorAll('table.rides thead th')].map((th) => [th.textContent, th.getBoundingClientRect().right])) };
    })()`)) as { right: number; heads: Record<string, number> };
    for (const head of ['NP (W)', 'TSS', 'IF', 'Pw:HR (%)']) expect(layout.heads[head], head).toBeLessThanOrEqual(layout.right + 0.5);
    await page.close();
  });

  it('in miles too: NP, TSS and IF stay on a 390 px screen, the distance column says mi, and the page never scrolls sideways', async () => {
    const imperial = { ...model, athlete: { ...model.athlete, units: 'imperial' as const } };
    const page = await browser.newPage();
    try {
      await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 1 });
      await page.setContent(renderReports(imperial).find((r) => r.fileName === 'performance_dashboard.html')!.html, { waitUntil: 'load' });
      const layout = (await page.evaluate(`(() => {
        const scroller = document.querySelector('table.rides').parentElement;
        const box = scroller.getBoundingClientRect();
        const heads = [...document.querySelectorAll('table.rides thead th')];
        const cells = [...document.querySelector('table.rides tbody tr').cells];
        const at = (name) => heads.findIndex((th) => th.textContent === name);
        const right = (name) => ({ head: heads[at(name)].getBoundingClientRect().right, cell: cells[at(name)].getBoundingClientRect().right, text: cells[at(name)].textContent });
        return { right: box.right, scrollLeft: scroller.scrollLeft, page: document.documentElement.scrollWidth, heads: heads.map((th) => th.textContent), np: right('NP (W)'), tss: right('TSS'), if: right('IF') };
      })()`)) as {
        right: number;
        scrollLeft: number;
        page: number;
        heads: string[];
        np: { head: number; cell: number; text: string };
        tss: { head: number; cell: number; text: string };
        if: { head: number; cell: number; text: string };
      };
      expect(layout.heads).toContain('Distance (mi)');
      expect(layout.page).toBeLessThanOrEqual(390);
      expect(layout.scrollLeft).toBe(0);
      for (const column of [layout.np, layout.tss, layout.if]) {
        expect(column.head).toBeLessThanOrEqual(layout.right + 0.5);
        expect(column.cell).toBeLessThanOrEqual(layout.right + 0.5);
        expect(column.text).toMatch(/^[\d.]+$|^—$/);
      }
    } finally {
      await page.close();
    }
  });

  it('colours the trend arrows by whether the change is good news: FTP up green, ATL up amber, deep negative form red', async () => {
    const judged = {
      ...model,
      keyNumbers: [
        {
          key: 'ftp' as const,
          label: 'FTP',
          value: 265,
          unit: 'W',
          trend: { percent: 5.2, direction: 'up' as const },
          judge: 'higher-is-better' as const,
        },
        {
          key: 'atl' as const,
          label: 'Fatigue (ATL)',
          value: 80,
          unit: 'TSS/d',
          trend: { percent: 20, direction: 'up' as const },
          judge: 'neutral' as const,
        },
        {
          key: 'tsb' as const,
          label: 'Form (TSB)',
          value: -35,
          unit: '',
          trend: { percent: null, direction: 'up' as const },
          judge: 'form' as const,
        },
      ],
    };
    const page = await browser.newPage();
    try {
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
      await page.setContent(renderReports(judged).find((r) => r.fileName === 'index.html')!.html, { waitUntil: 'load' });
      const colours = (await page.evaluate(
        `[...document.querySelectorAll('.kpi')].map((k) => getComputedStyle(k.querySelector('.k-trend .arrow')).color)`,
      )) as string[];
      expect(colours).toEqual(['rgb(43, 138, 62)', 'rgb(179, 92, 0)', 'rgb(201, 42, 42)']);
    } finally {
      await page.close();
    }
  });

  it('sorts the ride table when a column heading is clicked', async () => {
    const { page } = await open('performance_dashboard.html');
    const heads = (await page.evaluate(`[...document.querySelectorAll('table.rides thead th')].map((th) => th.textContent)`)) as string[];
    const nth = (head: string): number => heads.indexOf(head) + 1;
    const column = async (index: number): Promise<string[]> =>
      (await page.evaluate(
        `[...document.querySelectorAll('table.rides tbody tr')].map((r) => r.cells[${index}].getAttribute('data-v'))`,
      )) as string[];
    const dates = await column(0);
    expect(dates).toEqual([...dates].sort().reverse()); // newest first without JS help
    await page.click(`table.rides thead th:nth-child(${nth('Duration')}) button`);
    const ascending = (await column(nth('Duration') - 1)).map(Number);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(await page.$eval(`table.rides thead th:nth-child(${nth('Duration')})`, (th) => th.getAttribute('aria-sort'))).toBe('ascending');
    await page.click(`table.rides thead th:nth-child(${nth('Duration')}) button`);
    const descending = (await column(nth('Duration') - 1)).map(Number);
    expect(descending).toEqual([...ascending].reverse());
    // Blank cells (rides without power) sort last both ways.
    await page.click(`table.rides thead th:nth-child(${nth('Avg power (W)')}) button`);
    const power = await column(nth('Avg power (W)') - 1);
    expect(power.slice(-3)).toEqual(['', '', '']);
    await page.click(`table.rides thead th:nth-child(${nth('Name')}) button`); // Name, as text
    const names = (await column(nth('Name') - 1)).filter((n) => n !== '');
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    await page.close();
  });

  it('a ride named with 3,000 characters widens no table, at 390 and 1280 px (data tables opened too), and its row stays a few lines high', async () => {
    const longDir = mkdtempSync(join(tmpdir(), 'domestique-report-long-'));
    const name = 'A'.repeat(3000);
    const longModel = buildReportFixture();
    longModel.rides[0]!.name = name;
    for (const r of longModel.wPrimeBalance?.rides ?? []) r.name = name;
    for (const r of longModel.aerobicDecoupling.rides) r.name = name;
    const dashboard = (m: typeof longModel) => renderReports(m).find((r) => r.fileName === 'performance_dashboard.html')!.html;
    writeFileSync(join(longDir, 'plain.html'), dashboard(buildReportFixture()));
    writeFileSync(join(longDir, 'long.html'), dashboard(longModel));
    const measure = async (file: string, width: number) => {
      const page = await browser.newPage();
      await page.setViewport({ width, height: 844, deviceScaleFactor: 1 });
      await page.goto(`file://${join(longDir, file)}`, { waitUntil: 'load' });
      const m = (await page.evaluate(`(() => {
        document.querySelectorAll('details').forEach((d) => { d.open = true; });
        const named = [...document.querySelectorAll('td')].filter((td) => td.textContent.length >= 3000);
        return {
          page: document.documentElement.scrollWidth,
          tables: [...document.querySelectorAll('table')].map((t) => Math.round(t.getBoundingClientRect().width)),
          named: named.length,
          tallest: Math.max(0, ...named.map((td) => td.getBoundingClientRect().height)),
        };
      })()`)) as { page: number; tables: number[]; named: number; tallest: number };
      await page.close();
      return m;
    };
    try {
      for (const width of [390, 1280]) {
        const plain = await measure('plain.html', width);
        const long = await measure('long.html', width);
        expect(long.named, `${width} px: cells with the long name`).toBeGreaterThanOrEqual(3);
        expect(long.page).toBeLessThanOrEqual(width + 2);
        expect(long.tables).toHaveLength(plain.tables.length);
        long.tables.forEach((w, i) =>
          expect(w, `${width} px: table ${i} (plain ${plain.tables[i]} px)`).toBeLessThanOrEqual(Math.max(plain.tables[i]!, width) + 4),
        );
        expect(long.tallest, `${width} px: the long name's row`).toBeLessThan(120); // three lines, not 3,000 characters' worth
      }
    } finally {
      rmSync(longDir, { recursive: true, force: true });
    }
  });

  it('renders a model with no data without errors or horizontal scroll', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'domestique-report-empty-'));
    try {
      for (const r of renderReports(buildEmptyReportFixture())) {
        writeFileSync(join(emptyDir, r.fileName), r.html);
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.setViewport({ width: 390, height: 844 });
        await page.goto(`file://${join(emptyDir, r.fileName)}`, { waitUntil: 'load' });
        expect(errors).toEqual([]);
        expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
        expect(String(await page.evaluate('document.body.innerText'))).toMatch(/No (rides|training plan|power data)/);
        await page.close();
      }
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });

  it('shows hostile strings as text and never opens a dialog', async () => {
    const dashboard = await open('performance_dashboard.html');
    const rideText = String(await dashboard.page.evaluate('document.querySelector("table.rides").innerText'));
    expect(rideText).toContain(HOSTILE_ACTIVITY_NAME);
    expect(await dashboard.page.evaluate('document.images.length')).toBe(0);
    expect(await dashboard.page.evaluate('document.scripts.length')).toBe(1);
    // Sorting moves the row around; still text.
    await dashboard.page.click('table.rides thead th:nth-child(2) button');
    await dashboard.page.close();
    for (const file of ['index.html', 'coaching_insights.html'] as const) {
      const { page } = await open(file);
      const text = String(await page.evaluate('document.body.innerText'));
      expect(text).toContain(HOSTILE_GOAL);
      expect(text).toContain('<script>alert(1)</script>'); // from the Markdown summary, escaped
      expect(await page.evaluate('document.scripts.length')).toBe(0);
      await page.close();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(dialogs).toEqual([]);
  });

  describe('snapshotter', () => {
    const dashboard = reports.find((r) => r.fileName === 'performance_dashboard.html')!.html;
    const warnings: string[] = [];
    const snap = createSnapshotter({ executablePath: CHROMIUM, logger: { warn: (_obj, msg) => warnings.push(msg) } });
    afterAll(() => snap.close());

    it('renders the dashboard to a phone PNG under 1 MB', async () => {
      const png = await snap.png(dashboard);
      expect(png).not.toBeNull();
      expect([...png!.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png!.byteLength).toBeLessThanOrEqual(MAX_PNG_BYTES);
      const width = Buffer.from(png!).readUInt32BE(16);
      expect([390, 585, 780]).toContain(width); // 390 CSS px at 1×, 1.5× or 2×
      expect(warnings).toEqual([]);
    }, 60_000);

    it('renders the chat card to a 1080 × 1350 PNG under 1 MB, everything on it inside the card', async () => {
      const card = renderChatCard(model);
      const png = await snap.card(card);
      expect(png).not.toBeNull();
      const bytes = Buffer.from(png!);
      expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1080, 1350]);
      expect(png!.byteLength).toBeLessThanOrEqual(MAX_PNG_BYTES);
      expect(warnings).toEqual([]);
      // Nothing is cut off: every block, the seventh day of the week and the footer end inside 540 × 675.
      const page = await browser.newPage();
      try {
        await page.setViewport({ width: CARD_WIDTH, height: CARD_HEIGHT, deviceScaleFactor: 1 });
        await page.setContent(card, { waitUntil: 'load' });
        const boxes = (await page.evaluate(`(() => {
          const b = (el) => { const r = el.getBoundingClientRect(); return { right: r.right, bottom: r.bottom }; };
          const week = document.querySelector('.week');
          const days = [...document.querySelectorAll('.days li')];
          return { blocks: [...document.querySelectorAll('header, .kpi, .panel, .week, footer')].map(b), week: b(week), lastDay: b(days[days.length - 1]), days: days.length, scrollWidth: document.documentElement.scrollWidth };
        })()`)) as {
          blocks: { right: number; bottom: number }[];
          week: { bottom: number };
          lastDay: { bottom: number };
          days: number;
          scrollWidth: number;
        };
        expect(boxes.days).toBe(7);
        expect(boxes.lastDay.bottom).toBeLessThanOrEqual(boxes.week.bottom);
        for (const box of boxes.blocks) {
          expect(box.right).toBeLessThanOrEqual(CARD_WIDTH);
          expect(box.bottom).toBeLessThanOrEqual(CARD_HEIGHT);
        }
        expect(boxes.scrollWidth).toBeLessThanOrEqual(CARD_WIDTH);
      } finally {
        await page.close();
      }
    }, 60_000);

    it('renders all three files to one PDF', async () => {
      const pdf = await snap.pdf(reports.map((r) => r.html));
      expect(pdf).not.toBeNull();
      expect(Buffer.from(pdf!.subarray(0, 4)).toString('latin1')).toBe('%PDF');
      expect(warnings).toEqual([]);
    }, 60_000);

    it('gives up on a hung page, logs why, and renders again with a fresh browser', async () => {
      const hangWarnings: string[] = [];
      const slow = createSnapshotter({
        executablePath: CHROMIUM,
        timeoutMs: 8_000,
        logger: { warn: (_obj, msg) => hangWarnings.push(msg) },
      });
      try {
        await expect(slow.png('<!doctype html><p>spin</p><script>for(;;){}</script>')).resolves.toBeNull();
        expect(hangWarnings.join('\n')).toMatch(/picture failed/);
        const png = await slow.png(dashboard);
        expect(png).not.toBeNull();
      } finally {
        await slow.close();
      }
    }, 60_000);

    it('launches a new browser after close()', async () => {
      await snap.close();
      const png = await snap.png('<!doctype html><p>again</p><img src="https://example.com/x.png">');
      expect(png).not.toBeNull();
    }, 60_000);
  });
});

describe('snapshotter without a browser', () => {
  it('returns null with a logged reason when the browser fails to start', async () => {
    const warnings: { obj: object; msg: string }[] = [];
    // An executable that exits at once, like a broken Chromium install.
    const snap = createSnapshotter({ executablePath: '/bin/false', logger: { warn: (obj, msg) => warnings.push({ obj, msg }) } });
    await expect(snap.png('<p>x</p>')).resolves.toBeNull();
    await snap.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(/Chromium failed to start/);
    expect(warnings[0]!.obj).toMatchObject({ executablePath: '/bin/false' });
  });

  it('returns null with a logged reason when the executable is missing', async () => {
    const warnings: { obj: object; msg: string }[] = [];
    const snap = createSnapshotter({
      executablePath: '/nonexistent/chromium',
      logger: { warn: (obj, msg) => warnings.push({ obj, msg }) },
    });
    await expect(snap.png('<p>x</p>')).resolves.toBeNull();
    await expect(snap.pdf(['<p>x</p>'])).resolves.toBeNull();
    await snap.close();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]!.msg).toMatch(/No Chromium/);
    expect(warnings[0]!.obj).toEqual({ executablePath: '/nonexistent/chromium' });
  });
});

describe.skipIf(!available)("a real run's reports in headless Chromium", () => {
  it("an offline run's three files load offline without errors, draw every chart and show run.json's FTP, CTL and best 20 min", async () => {
    const s = await tempStore(() => new Date('2026-11-24T12:00:00Z'));
    const dir = mkdtempSync(join(tmpdir(), 'domestique-real-report-'));
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: join(dir, 'profile'),
      args: CHROMIUM_ARGS,
    });
    try {
      const athleteId = await seedAthlete(s.store);
      const orchestrator = offlineOrchestrator(s.store, new Date('2026-11-24T12:00:00Z'));
      const result = await orchestrator.run({ athleteId, planStartDate: '2026-11-30' });
      for (const f of result.files) writeFileSync(join(dir, f.fileName), f.content);
      const json = JSON.parse(result.files.find((f) => f.fileName === 'run.json')!.content) as {
        athlete: { ftp: number };
        fitness: { ctl: number };
        bests: Record<string, number>;
      };
      for (const file of REPORT_FILES) {
        const page = await browser.newPage();
        const url = `file://${join(dir, file)}`;
        const problems: string[] = [];
        await page.setRequestInterception(true);
        blockNetwork(page, { allow: (u) => u === url, onBlocked: (u) => problems.push(`requested ${u}`) });
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(m.text());
        });
        page.on('pageerror', (e) => problems.push(String(e)));
        await page.setViewport({ width: 390, height: 844 });
        await page.goto(url, { waitUntil: 'load' });
        expect(problems, file).toEqual([]);
        const emptyCharts = Number(
          await page.evaluate(
            `[...document.querySelectorAll('svg')].filter((svg) => ![...svg.querySelectorAll('path, rect, circle, polygon')].some((m) => { const b = m.getBBox(); return b.width > 0 || b.height > 0; })).length`,
          ),
        );
        expect(emptyCharts, `${file}: charts without marks`).toBe(0);
        if (file !== 'coaching_insights.html') {
          const kpis = (await page.evaluate(
            `Object.fromEntries([...document.querySelectorAll('.kpi')].map((k) => [k.querySelector('.k-label').textContent, k.querySelector('.k-value').textContent]))`,
          )) as Record<string, string>;
          expect(kpis['FTP']).toBe(`${json.athlete.ftp}W`);
          expect(kpis['Fitness (CTL)']).toBe(`${json.fitness.ctl}TSS/d`);
          expect(kpis['Best 20 min']).toBe(`${json.bests['1200']}W`);
        } else {
          expect(String(await page.evaluate('document.body.innerText'))).toContain(`${json.athlete.ftp}`);
        }
        await page.close();
      }
    } finally {
      await browser.close();
      await s.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
