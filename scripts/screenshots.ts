/**
 * Runs the offline coach on a synthetic season (the tests' seeded athlete), renders its three
 * reports and writes screenshots at 390 px and 1280 px wide to docs/screenshots/, plus the chat
 * picture (the 1080 × 1350 card of src/report/pages/chat-card-page.ts, as the bot sends it), and
 * prints sizes and timings:
 *
 *   npx tsx scripts/screenshots.ts [--chromium=/usr/bin/chromium] [--out=docs/screenshots]
 *
 * A developer tool (it reads the seeded season from tests/support); the app never runs it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer from 'puppeteer';
import { createOfflineCoach } from '../src/llm/offline/offline-coach.js';
import { loadPrompts } from '../src/orchestrator/prompts.js';
import { Orchestrator } from '../src/orchestrator/orchestrator.js';
import { Store } from '../src/store/store.js';
import { seedAthlete } from '../tests/support/athlete.js';
import { renderChatCard } from '../src/report/pages/chat-card-page.js';
import { renderReports } from '../src/report/render.js';
import { blockNetwork, CHROMIUM_ARGS } from '../src/report/chromium-session.js';
import { createSnapshotter, DEFAULT_EXECUTABLE_PATH, MAX_PNG_BYTES } from '../src/report/snapshot.js';

/** Screenshots are cut at this many CSS px so each file stays under 1 MB. */
const MAX_HEIGHT = { 390: 4_800, 1280: 3_400 } as const;

function arg(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const executablePath = arg('chromium', DEFAULT_EXECUTABLE_PATH);
  const outDir = resolve(arg('out', 'docs/screenshots'));
  const colorScheme = arg('scheme', 'light') === 'dark' ? 'dark' : 'light';
  mkdirSync(outDir, { recursive: true });
  const dbDir = mkdtempSync(join(tmpdir(), 'domestique-screens-db-'));
  const clock = () => new Date('2026-11-24T12:00:00Z');
  const store = await Store.open(join(dbDir, 'season.db'), { clock });
  const athleteId = await seedAthlete(store);
  // the seeded goal is a prompt-injection probe for the tests; a newcomer should see a real one
  await store
    .athlete(athleteId)
    .updateProfile({ goals: 'Sub-7 h at the Marmotte', eventDate: '2027-07-05' }, new Date('2026-11-24T12:00:00Z'));
  const orchestrator = new Orchestrator({
    store,
    provider: createOfflineCoach(),
    offline: createOfflineCoach(),
    prompts: loadPrompts(),
    clock,
    renderReports,
  });
  const model = (await orchestrator.run({ athleteId, planStartDate: '2026-11-30' })).report;
  await store.close();
  rmSync(dbDir, { recursive: true, force: true });

  let t = performance.now();
  const reports = renderReports(model);
  const cold = performance.now() - t;
  t = performance.now();
  const runs = 20;
  for (let i = 0; i < runs; i++) renderReports(model);
  const warm = (performance.now() - t) / runs;
  console.log(`renderReports: cold ${cold.toFixed(1)} ms, warm ${warm.toFixed(1)} ms (mean of ${runs})`);
  for (const r of reports) console.log(`  ${r.fileName}: ${kb(Buffer.byteLength(r.html, 'utf8'))}`);

  const profile = mkdtempSync(join(tmpdir(), 'domestique-screens-'));
  const siteDir = mkdtempSync(join(tmpdir(), 'domestique-site-'));
  for (const r of reports) writeFileSync(join(siteDir, r.fileName), r.html);
  const browser = await puppeteer.launch({ executablePath, headless: true, userDataDir: profile, args: CHROMIUM_ARGS });
  try {
    for (const width of [390, 1280] as const) {
      for (const r of reports) {
        const page = await browser.newPage();
        await page.setRequestInterception(true);
        const main = `file://${join(siteDir, r.fileName)}`;
        blockNetwork(page, { allow: (url) => url === main, onBlocked: (url) => console.warn(`  blocked request: ${url}`) });
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: colorScheme }]);
        await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
        await page.goto(main, { waitUntil: 'load' });
        const full = Number(await page.evaluate('document.documentElement.scrollHeight'));
        let height = Math.min(full, MAX_HEIGHT[width]);
        let png = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width, height }, captureBeyondViewport: true });
        while (png.byteLength > MAX_PNG_BYTES && height > 600) {
          height = Math.floor(height * 0.8);
          png = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width, height }, captureBeyondViewport: true });
        }
        const name = `${r.fileName.replace('.html', '')}-${width}${colorScheme === 'dark' ? '-dark' : ''}.png`;
        writeFileSync(join(outDir, name), png);
        console.log(`  ${name}: ${width}×${height} of ${full} px, ${kb(png.byteLength)}`);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(siteDir, { recursive: true, force: true });
  }

  const card = renderChatCard(model);
  const snap = createSnapshotter({ executablePath, logger: { warn: (obj, msg) => console.warn(msg, obj) } });
  try {
    t = performance.now();
    const picture = await snap.card(card);
    const pngCold = performance.now() - t;
    t = performance.now();
    await snap.card(card);
    const pngWarm = performance.now() - t;
    t = performance.now();
    const pdf = await snap.pdf(reports.map((r) => r.html));
    const pdfMs = performance.now() - t;
    if (picture) writeFileSync(join(outDir, 'chat-picture.png'), picture);
    const size = picture ? `${Buffer.from(picture).readUInt32BE(16)}×${Buffer.from(picture).readUInt32BE(20)}, ` : '';
    console.log(
      `chat picture: ${size}${picture ? kb(picture.byteLength) : 'none'}, cold ${pngCold.toFixed(0)} ms (with browser launch), warm ${pngWarm.toFixed(0)} ms`,
    );
    console.log(`snapshot pdf: ${pdf ? kb(pdf.byteLength) : 'none'}, ${pdfMs.toFixed(0)} ms`);
  } finally {
    await snap.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
