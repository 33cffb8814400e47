/**
 * Pictures of the reports with headless Chromium: the chat card (src/report/pages/chat-card-page.ts)
 * as a 1080 × 1350 PNG for the chat, the dashboard as a phone-wide PNG, and all three pages as one
 * PDF. The browser (chromium-session.ts) is launched lazily and reused; renders run one at a
 * time, each with a timeout; a crashed, hung or disconnected browser is replaced on the next call.
 * Without a usable browser png/pdf return null and log why: the HTML reports are produced
 * regardless, so a missing picture is never an error.
 */
import type { Page } from 'puppeteer';
import { ChromiumSession } from './chromium-session.js';
import { CARD_HEIGHT, CARD_WIDTH } from './pages/chat-card-page.js';
import { combineForPrint } from './print.js';

/** Debian's Chromium; the app passes PUPPETEER_EXECUTABLE_PATH from its config instead when set. */
export const DEFAULT_EXECUTABLE_PATH = '/usr/bin/chromium';
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The chat picture must stay under this (Telegram/Discord previews, mobile data). */
export const MAX_PNG_BYTES = 1_000_000;
/** CSS pixels: an iPhone 12–15 screen. */
export const PHONE_WIDTH = 390;
/** CSS pixels: the picture is clipped here at most (a 2× picture stays under 8,000 px tall). */
export const MAX_PICTURE_HEIGHT = 3_900;
/** The chat card is drawn at this scale: 540 × 675 CSS px become 1080 × 1350 pixels. */
export const CARD_SCALE = 2;

export interface SnapshotLogger {
  warn(obj: object, msg: string): void;
}

export interface SnapshotOptions {
  executablePath?: string;
  /** Per render; launching gets at least MIN_LAUNCH_TIMEOUT_MS (chromium-session.ts). */
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

type Warn = (obj: object, msg: string) => void;

async function renderPng(page: Page, html: string, timeoutMs: number): Promise<Uint8Array> {
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

async function renderCard(page: Page, html: string, timeoutMs: number, warn: Warn): Promise<Uint8Array> {
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

async function renderPdf(page: Page, htmls: string[], timeoutMs: number): Promise<Uint8Array> {
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
  await page.setContent(combineForPrint(htmls), { waitUntil: 'load', timeout: timeoutMs });
  return page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, timeout: timeoutMs });
}

/** The Snapshotter on one ChromiumSession, renders queued one at a time: one small server, one browser, bounded memory. */
class ChromiumSnapshotter implements Snapshotter {
  private readonly session: ChromiumSession;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly timeoutMs: number,
    private readonly warn: Warn,
    executablePath: string,
  ) {
    this.session = new ChromiumSession({ executablePath, timeoutMs, warn });
  }

  card(html: string): Promise<Uint8Array | null> {
    return this.serial(() => this.session.onPage('picture', (page) => renderCard(page, html, this.timeoutMs, this.warn)));
  }

  png(html: string): Promise<Uint8Array | null> {
    return this.serial(() => this.session.onPage('picture', (page) => renderPng(page, html, this.timeoutMs)));
  }

  pdf(htmls: string[]): Promise<Uint8Array | null> {
    return this.serial(() => this.session.onPage('PDF', (page) => renderPdf(page, htmls, this.timeoutMs)));
  }

  close(): Promise<void> {
    return this.serial(() => this.session.close());
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

export function createSnapshotter(options: SnapshotOptions = {}): Snapshotter {
  const warn: Warn = (obj, msg) => options.logger?.warn(obj, msg);
  return new ChromiumSnapshotter(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, warn, options.executablePath ?? DEFAULT_EXECUTABLE_PATH);
}
