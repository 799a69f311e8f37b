import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium (CI installs it with apt-get); tests never download a browser of their own. */
export const CHROMIUM = process.env.BALANCEOPS_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRED = process.env.BALANCEOPS_REQUIRE_BROWSER === '1';

/**
 * Why the browser tests are skipped, or undefined to run them. With BALANCEOPS_REQUIRE_BROWSER=1 (CI) they
 * always run, so a missing Chromium fails them instead of passing silently.
 */
export function browserSkipReason(): string | undefined {
  if (REQUIRED || existsSync(CHROMIUM)) return undefined;
  return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set BALANCEOPS_CHROMIUM); BALANCEOPS_REQUIRE_BROWSER=1 makes this a failure`;
}

/** Headless Chromium as this machine runs it: no sandbox (root), and no calls home. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`BALANCEOPS_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught exceptions and console errors the page raised: a test ends by checking there were none. */
  errors: string[];
  close(): Promise<void>;
}

/** A fresh context (own storage) at laptop size, in a fixed zone east of UTC so that local != UTC. */
export async function openPage(browser: Browser, url: string): Promise<TestPage> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    timezoneId: 'Asia/Seoul',
    locale: 'en-US',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // Failed fetches are expected where a test stops the server; the UI reports them itself.
    if (msg.type() === 'error' && !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(msg.text()))
      errors.push(`console: ${msg.text()}`);
  });
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  return { page, context, errors, close: () => context.close() };
}

/**
 * Polls `read` until `check` accepts its value (the UI renders asynchronously), and fails with the last
 * value seen. The bound only stops a wait that would never end; no test asserts on how long anything took.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      if (check(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: never happened; last value ${JSON.stringify(last)}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The text a person sees in an element (Playwright's rendered text, with its line breaks and spacing). */
export function textOf(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node: the rendered text is the point
  return locator.innerText();
}

/** Waits until the locator's text matches. */
export function textMatches(page: Page, selector: string, pattern: RegExp): Promise<string> {
  return eventually(
    () => textOf(page.locator(selector).first()),
    (text) => pattern.test(text),
    `text of ${selector} matching ${pattern}`,
  );
}

/** Saves a screenshot when BALANCEOPS_SCREENSHOTS names a folder (for looking at the UI, never committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.BALANCEOPS_SCREENSHOTS;
  if (dir === undefined || dir === '') return;
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
}
