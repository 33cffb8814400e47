/**
 * Pictures of the reports with headless Chromium: the chat card (src/report/pages/chat-card-page.ts)
 * as a 1080 × 1350 PNG for the chat, the dashboard as a phone-wide PNG, and all three pages as one
 * PDF. One browser is launched lazily and reused; renders run one at a
 * time, each with a timeout; a crashed, hung or disconnected browser is replaced on the next call.
 * Every request other than data:/about: is aborted, so a report can never reach the network.
 * Without a usable browser (executable missing, launch failing) png/pdf return null and log why:
 * the HTML reports are produced regardless, so a missing picture is never an error.
 */
import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer';
import { CARD_HEIGHT, CARD_WIDTH } from './pages/chat-card-page.js';
import { combineForPrint } from './print.js';

/** Debian's Chromium; the app passes PUPPETEER_EXECUTABLE_PATH from its config instead when set. */
export const DEFAULT_EXECUTABLE_PATH = '/usr/bin/chromium';
export const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * Launching gets at least this long: when puppeteer's launch times out it waits up to 5 s for the
 * half-started browser to exit before killing it, and a process that ends meanwhile leaves it behind.
 */
export const MIN_LAUNCH_TIMEOUT_MS = 15_000;
/** The chat picture must stay under this (Telegram/Discord previews, mobile data). */
export const MAX_PNG_BYTES = 1_000_000;
/** CSS pixels: an iPhone 12–15 screen. */
export const PHONE_WIDTH = 390;
/** CSS pixels: the picture is clipped here at most (a 2× picture stays under 8,000 px tall). */
export const MAX_PICTURE_HEIGHT = 3_900;
/** The chat card is drawn at this scale: 540 × 675 CSS px become 1080 × 1350 pixels. */
export const CARD_SCALE = 2;

/** Flags for a quiet, offline, throwaway browser (the profile dir is added per launch). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface SnapshotLogger {
  warn(obj: object, msg: string): void;
}

export interface SnapshotOptions {
  executablePath?: string;
  /** Per render; launching gets at least MIN_LAUNCH_TIMEOUT_MS. */
  timeoutMs?: number;
  logger?: SnapshotLogger;
}

export interface Snapshotter {
  /**
   * The chat card (`renderChatCard`) as a PNG of 1080 × 1350 pixels (its 540 × 675 CSS px at 2×;
   * smaller only if that were over 1 MB), or null without a browser.
   */
  card(html: string): Promise<Uint8Array | null>;
  /** The page as a PNG 390 CSS px wide (2× pixels when it fits in 1 MB), or null without a browser. */
  png(html: string): Promise<Uint8Array | null>;
  /** The pages as one A4 PDF, or null without a browser. */
  pdf(htmls: string[]): Promise<Uint8Array | null>;
  /** Closes the browser and removes its profile; a later call launches a new one. */
  close(): Promise<void>;
}

class RenderTimeout extends Error {
  constructor(ms: number) {
    super(`render took longer than ${ms} ms`);
  }
}

/**
 * Aborts every request that is not data: or about: (our reports make none); `allow` lets a caller
 * load one more URL (a test opening the file itself), `onBlocked` counts what was stopped.
 */
export function blockNetwork(page: Page, options: { allow?: (url: string) => boolean; onBlocked?: (url: string) => void } = {}): void {
  page.on('request', (request: HTTPRequest) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('about:') || options.allow?.(url) === true) void request.continue();
    else {
      options.onBlocked?.(url);
      void request.abort('blockedbyclient');
    }
  });
}

/**
 * Marks the page as a picture (the stylesheet then hides links and data tables), and measures its
 * height in CSS px down to the `data-snapshot-end` marker, or of the whole document.
 */
const MEASURE = `(() => {
  document.documentElement.classList.add('snapshot');
  const marker = document.querySelector('[data-snapshot-end]');
  const full = Math.ceil(document.documentElement.scrollHeight);
  if (!marker) return full;
  return Math.ceil(marker.getBoundingClientRect().top + window.scrollY);
})()`;

export function createSnapshotter(options: SnapshotOptions = {}): Snapshotter {
  const executablePath = options.executablePath ?? DEFAULT_EXECUTABLE_PATH;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const warn = (obj: object, msg: string): void => options.logger?.warn(obj, msg);

  let browser: Browser | null = null;
  let profileDir: string | null = null;
  let launching: Promise<Browser | null> | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  async function discard(b: Browser | null, dir: string | null): Promise<void> {
    if (b) {
      try {
        await Promise.race([b.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      } catch {
        // already gone
      }
      b.process()?.kill('SIGKILL');
    }
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }

  async function reset(): Promise<void> {
    const b = browser;
    const dir = profileDir;
    browser = null;
    profileDir = null;
    await discard(b, dir);
  }

  async function launch(): Promise<Browser | null> {
    try {
      await access(executablePath, constants.X_OK);
    } catch {
      warn(
        { executablePath },
        'No Chromium for report pictures: install chromium or set PUPPETEER_EXECUTABLE_PATH; the HTML reports are sent without a picture.',
      );
      return null;
    }
    const dir = await mkdtemp(join(tmpdir(), 'domestique-chromium-'));
    try {
      const b = await puppeteer.launch({
        executablePath,
        headless: true,
        userDataDir: dir,
        args: CHROMIUM_ARGS,
        timeout: Math.max(timeoutMs, MIN_LAUNCH_TIMEOUT_MS),
        protocolTimeout: Math.max(timeoutMs, MIN_LAUNCH_TIMEOUT_MS) * 2,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
      b.on('disconnected', () => {
        if (browser === b) {
          browser = null;
          const stale = profileDir;
          profileDir = null;
          if (stale) void rm(stale, { recursive: true, force: true }).catch(() => undefined);
        }
      });
      browser = b;
      profileDir = dir;
      return b;
    } catch (error) {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      warn(
        { executablePath, err: error instanceof Error ? error : new Error(String(error)) },
        'Chromium failed to start: the HTML reports are sent without a picture.',
      );
      return null;
    }
  }

  async function getBrowser(): Promise<Browser | null> {
    if (browser && browser.connected) return browser;
    if (browser) await reset();
    launching ??= launch().finally(() => {
      launching = null;
    });
    return launching;
  }

  async function onPage<T>(what: string, work: (page: Page) => Promise<T>): Promise<T | null> {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const b = await getBrowser();
      if (!b) return null;
      let page: Page | null = null;
      let timer: NodeJS.Timeout | undefined;
      try {
        const run = (async () => {
          page = await b.newPage();
          await page.setRequestInterception(true);
          blockNetwork(page);
          return work(page);
        })();
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new RenderTimeout(timeoutMs)), timeoutMs);
        });
        run.catch(() => undefined);
        return await Promise.race([run, timeout]);
      } catch (error) {
        const crashed = !b.connected;
        if (error instanceof RenderTimeout || crashed) await reset();
        const err = error instanceof Error ? error : new Error(String(error));
        if (crashed && attempt === 1) {
          warn({ what, err }, 'Chromium disconnected while rendering; restarting it once.');
          continue;
        }
        warn({ what, err, timeoutMs }, `Report ${what} failed: the HTML reports are sent without it.`);
        return null;
      } finally {
        if (timer) clearTimeout(timer);
        const p = page as Page | null;
        if (p) await p.close().catch(() => undefined);
      }
    }
    return null;
  }

  /** Runs renders one at a time: one small server, one browser, bounded memory. */
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  }

  async function renderPng(page: Page, html: string): Promise<Uint8Array> {
    await page.setViewport({ width: PHONE_WIDTH, height: 844, deviceScaleFactor: 2 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
    const measured = Number(await page.evaluate(MEASURE));
    let height = Math.max(200, Math.min(MAX_PICTURE_HEIGHT, Number.isFinite(measured) ? measured : 844));
    let shot: Uint8Array | null = null;
    // 2× when it fits in 1 MB, then 1.5× and 1×, then shorter.
    for (const scale of [2, 1.5, 1, 1, 1]) {
      await page.setViewport({ width: PHONE_WIDTH, height, deviceScaleFactor: scale });
      shot = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: PHONE_WIDTH, height }, captureBeyondViewport: false });
      if (shot.byteLength <= MAX_PNG_BYTES) return shot;
      if (scale === 1) height = Math.floor(height * 0.7);
    }
    if (!shot || shot.byteLength > MAX_PNG_BYTES) throw new Error(`picture over ${MAX_PNG_BYTES} bytes even at 1× and ${height} px`);
    return shot;
  }

  async function renderCard(page: Page, html: string): Promise<Uint8Array> {
    await page.setViewport({ width: CARD_WIDTH, height: CARD_HEIGHT, deviceScaleFactor: CARD_SCALE });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
    let shot: Uint8Array | null = null;
    // A flat card is far below 1 MB at 2×; the smaller scales are a safety net, not the plan.
    for (const scale of [CARD_SCALE, 1.5, 1]) {
      if (scale !== CARD_SCALE) await page.setViewport({ width: CARD_WIDTH, height: CARD_HEIGHT, deviceScaleFactor: scale });
      shot = await page.screenshot({
        type: 'png',
        clip: { x: 0, y: 0, width: CARD_WIDTH, height: CARD_HEIGHT },
        captureBeyondViewport: false,
      });
      if (shot.byteLength <= MAX_PNG_BYTES) return shot;
      warn({ bytes: shot.byteLength, scale }, 'The chat card is over 1 MB: trying a smaller scale.');
    }
    throw new Error(`chat card over ${MAX_PNG_BYTES} bytes even at 1×`);
  }

  async function renderPdf(page: Page, htmls: string[]): Promise<Uint8Array> {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.setContent(combineForPrint(htmls), { waitUntil: 'load', timeout: timeoutMs });
    return page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, timeout: timeoutMs });
  }

  return {
    card: (html) => serial(() => onPage('picture', (page) => renderCard(page, html))),
    png: (html) => serial(() => onPage('picture', (page) => renderPng(page, html))),
    pdf: (htmls) => serial(() => onPage('PDF', (page) => renderPdf(page, htmls))),
    close: () =>
      serial(async () => {
        if (launching) await launching;
        await reset();
      }),
  };
}
