/**
 * Headless Chromium for the browser game's e2e: the system's /usr/bin/chromium (apt's, never a
 * downloaded build) driven by playwright-core, and a guard per page that records every console error,
 * uncaught exception and failed request, so a test fails on any of them unless it declared it expected
 * (an API refusal the scenario provokes, the connection errors while the server is down).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page, type Request } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface Problem {
  kind: 'console' | 'pageerror' | 'requestfailed' | 'http';
  text: string;
}

/** Records what went wrong in a page; `allow` patterns and the outage window excuse the expected. */
export class PageGuard {
  readonly problems: Problem[] = [];
  /** While true (the server is down on purpose), connection failures are expected. */
  outage = false;
  private readonly allowed: RegExp[] = [];
  /** Counts the page's navigations (goto, reload); each request remembers the count it started in. */
  private navigations = 0;
  private readonly startedIn = new WeakMap<Request, number>();

  constructor(readonly page: Page) {
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) this.navigations += 1;
      else this.startedIn.set(request, this.navigations);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') this.record('console', message.text());
    });
    page.on('pageerror', (error) => this.record('pageerror', error.message));
    page.on('requestfailed', (request) => {
      const errorText = request.failure()?.errorText ?? '';
      // The browser fetches the icon on its own and drops that fetch when the page navigates (a
      // reload, a log-out): not a failure of the game.
      if (errorText === 'net::ERR_ABORTED' && new URL(request.url()).pathname === '/favicon.svg') return;
      // A fetch still in flight when the test leaves the page (page.goto) is dropped by the browser with
      // ERR_ABORTED: the page is gone, not failed. The client's own timeout aborts in place and counts.
      const started = this.startedIn.get(request);
      if (errorText === 'net::ERR_ABORTED' && started !== undefined && started < this.navigations) return;
      this.record('requestfailed', `${request.method()} ${request.url()} ${errorText}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) {
        this.record(
          'http',
          `${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`,
        );
      }
    });
  }

  /** An API refusal the scenario provokes on purpose, e.g. /404 POST \/api\/v1\/auth\/login/. */
  allow(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  private record(kind: Problem['kind'], text: string): void {
    if (
      this.outage &&
      /ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|net::|Failed to fetch|50[234]/.test(
        text,
      )
    )
      return;
    // Chrome logs every 4xx answer as "Failed to load resource"; the answer itself is judged as `http`.
    if (
      kind === 'console' &&
      /Failed to load resource: the server responded with a status of 4\d\d/.test(text)
    )
      return;
    if (this.allowed.some((pattern) => pattern.test(text))) return;
    this.problems.push({ kind, text });
  }
}

export interface Player {
  context: BrowserContext;
  page: Page;
  guard: PageGuard;
  name: string;
}

export async function newPlayer(
  browser: Browser,
  name: string,
  options: { locale?: string; width?: number; height?: number } = {},
): Promise<Player> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
  });
  const page = await context.newPage();
  return { context, page, guard: new PageGuard(page), name };
}

/** Desktop (as is) and 360 px wide screenshots of what the page shows now, under web/test-artifacts/. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const viewport = page.viewportSize() ?? { width: 1440, height: 900 };
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-360.png`), fullPage: true });
  await page.setViewportSize(viewport);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) does not block it.
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{
            violations: Array<{ id: string; impact: string | null; help: string; nodes: unknown[] }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
