import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './harness.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const ACTION_TIMEOUT_MS = Number(process.env.BROWSER_TIMEOUT_MS) || 10_000;

export interface TestBrowser {
  browser: Browser;
  /**
   * A new, isolated context (own cookies); closed with the browser. With axe: true, axe-core is
   * loaded into every page of it before the page's own content (see expectNoAxeViolations).
   */
  newContext(options?: BrowserContextOptions & { axe?: boolean }): Promise<BrowserContext>;
  /** A page in a new context of its own: one person at their own computer. */
  newPage(options?: BrowserContextOptions & { axe?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Starts Debian's Chromium on a fresh, temporary profile (removed again on close).
 * Each test opens its own contexts from it, so one browser serves a whole test file.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'kic-chromium-'));
  let persistent: BrowserContext;
  try {
    persistent = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, timeout: 30_000,
    });
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  const browser = persistent.browser();
  if (!browser) throw new Error('Chromium started without a browser handle');
  const newContext = async ({ axe = false, ...options }: BrowserContextOptions & { axe?: boolean } = {}) => {
    const context = await browser.newContext({ locale: 'de-DE', ...options });
    // Registered once, evaluated by Chromium itself on each new document: far cheaper than a script tag per page.
    if (axe) await context.addInitScript({ content: axeSource() });
    // The pages are small and local: anything slower than this is a failure, reported quickly.
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
    return context;
  };
  return {
    browser,
    newContext,
    newPage: async (options) => (await newContext(options)).newPage(),
    close: async () => {
      await persistent.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A free TCP port on the loopback interface (closed again before it is returned). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ListeningApp extends TestApp {
  baseUrl: string;
  /** An absolute URL on the running platform. */
  url(path: string): string;
}

/**
 * A fresh platform on a fresh database, listening on 127.0.0.1 on a free port. BASE_URL names that
 * very port, so links in mails lead back to this server.
 */
export async function startListeningApp(env: Record<string, string> = {}): Promise<ListeningApp> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const t = await startTestApp({ PORT: String(port), HOST: '127.0.0.1', BASE_URL: baseUrl, ...env });
    try {
      await t.app.listen({ port, host: '127.0.0.1' });
    } catch (err) {
      await t.close();
      // Another process took the port between probing and listening: try another one.
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 5) continue;
      throw err;
    }
    return { ...t, baseUrl, url: (path: string) => new URL(path, baseUrl).toString() };
  }
}

/**
 * Waits until the page shows the given path (with its query, if one is given) and has loaded;
 * fails naming the page it shows instead.
 */
export async function expectAt(page: Page, expected: string): Promise<void> {
  const seen = (u: URL) => (expected.includes('?') ? u.pathname + u.search : u.pathname);
  try {
    await page.waitForURL((u) => seen(u) === expected);
  } catch {
    assert.fail(`expected to be at ${expected}, but the browser shows ${seen(new URL(page.url()))}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Accessibility

const require = createRequire(import.meta.url);
let axeCode: string | undefined;
const axeSource = () => (axeCode ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));

/** The page header with the main navigation and the account controls. */
export const siteHeader = (page: Page) => page.locator('header.site-header');

/** Signs in through the sign-in page and waits until the header offers to sign out. */
export async function signIn(page: Page, app: { url(path: string): string }, who: { email: string; password: string }): Promise<void> {
  await page.goto(app.url('/anmelden'));
  await page.getByLabel('E-Mail-Adresse').fill(who.email);
  await page.getByLabel(/^Passwort/).fill(who.password);
  await page.getByRole('main').getByRole('button', { name: 'Anmelden', exact: true }).click();
  await siteHeader(page).getByRole('button', { name: 'Abmelden' }).waitFor();
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core on the page as it is and fails with a readable list of every violation.
 * axe comes from the context (newContext({ axe: true })) or is added here as a script tag, for which
 * the context needs bypassCSP: true, as the site's CSP forbids inline scripts.
 */
export async function expectNoAxeViolations(page: Page, label = new URL(page.url()).pathname): Promise<void> {
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ content: axeSource() });
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: tags, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, AXE_TAGS);
  if (violations.length > 0) {
    const report = violations.map((v) => [
      `  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help} (${v.helpUrl})`,
      ...v.nodes.map((n) => `      at ${JSON.stringify(n.target)}${n.failureSummary ? `\n         ${n.failureSummary.replace(/\n/g, '\n         ')}` : ''}`),
    ].join('\n')).join('\n');
    assert.fail(`${violations.length} accessibility violation(s) on ${label}:\n${report}`);
  }
}

/** Saves a full-page screenshot for a person to look at (not an assertion). */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = process.env.SCREENSHOT_DIR || join(tmpdir(), 'screens');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
