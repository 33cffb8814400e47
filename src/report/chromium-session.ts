/**
 * The one headless Chromium behind the report pictures: launched lazily and reused, each page
 * opened with every request other than data:/about: aborted (a report can never reach the
 * network) and given a time limit. A crashed, hung or disconnected browser is replaced on the next
 * call; without a usable browser (executable missing, launch failing) a page's work returns null
 * and the reason is logged.
 */
import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer';

/**
 * Launching gets at least this long: when puppeteer's launch times out it waits up to 5 s for the
 * half-started browser to exit before killing it, and a process that ends meanwhile leaves it behind.
 */
export const MIN_LAUNCH_TIMEOUT_MS = 15_000;

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

export interface SessionOptions {
  executablePath: string;
  /** Per page's work; launching gets at least MIN_LAUNCH_TIMEOUT_MS. */
  timeoutMs: number;
  warn: (obj: object, msg: string) => void;
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

const removeDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true }).catch(() => undefined);

/** Closes a browser (killing it when it does not close within 5 s) and removes its profile. */
async function discard(browser: Browser | null, dir: string | null): Promise<void> {
  if (browser) {
    try {
      await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    } catch {
      // already gone
    }
    browser.process()?.kill('SIGKILL');
  }
  if (dir) await removeDir(dir);
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

export class ChromiumSession {
  private browser: Browser | null = null;
  private profileDir: string | null = null;
  private launching: Promise<Browser | null> | null = null;

  constructor(private readonly options: SessionOptions) {}

  /**
   * Runs `work` on a fresh page within the time limit; null (and a warning naming `what`) when
   * there is no browser or the work fails. A browser that disconnects mid-work is restarted once.
   */
  async onPage<T>(what: string, work: (page: Page) => Promise<T>): Promise<T | null> {
    const { timeoutMs, warn } = this.options;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const browser = await this.getBrowser();
      if (!browser) return null;
      let page: Page | null = null;
      let timer: NodeJS.Timeout | undefined;
      try {
        const run = (async () => {
          page = await browser.newPage();
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
        const crashed = !browser.connected;
        if (error instanceof RenderTimeout || crashed) await this.reset();
        if (crashed && attempt === 1) {
          warn({ what, err: asError(error) }, 'Chromium disconnected while rendering; restarting it once.');
          continue;
        }
        warn({ what, err: asError(error), timeoutMs }, `Report ${what} failed: the HTML reports are sent without it.`);
        return null;
      } finally {
        if (timer) clearTimeout(timer);
        const opened = page as Page | null;
        if (opened) await opened.close().catch(() => undefined);
      }
    }
    return null;
  }

  /** Closes the browser and removes its profile (after a launch under way); a later call launches a new one. */
  async close(): Promise<void> {
    if (this.launching) await this.launching;
    await this.reset();
  }

  private async getBrowser(): Promise<Browser | null> {
    if (this.browser && this.browser.connected) return this.browser;
    if (this.browser) await this.reset();
    this.launching ??= this.launch().finally(() => {
      this.launching = null;
    });
    return this.launching;
  }

  private async reset(): Promise<void> {
    const browser = this.browser;
    const dir = this.profileDir;
    this.browser = null;
    this.profileDir = null;
    await discard(browser, dir);
  }

  private async launch(): Promise<Browser | null> {
    const { executablePath, timeoutMs, warn } = this.options;
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
      const browser = await puppeteer.launch({
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
      browser.on('disconnected', () => this.forget(browser));
      this.browser = browser;
      this.profileDir = dir;
      return browser;
    } catch (error) {
      await removeDir(dir);
      warn({ executablePath, err: asError(error) }, 'Chromium failed to start: the HTML reports are sent without a picture.');
      return null;
    }
  }

  /** A browser that went away on its own: dropped (the next call launches anew) and its profile removed. */
  private forget(browser: Browser): void {
    if (this.browser !== browser) return;
    this.browser = null;
    const stale = this.profileDir;
    this.profileDir = null;
    if (stale) void removeDir(stale);
  }
}
