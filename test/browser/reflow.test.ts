import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { loadExamples } from '../../src/modules/catalogue/examples.js';
import { importRegister } from '../../src/modules/catalogue/import.js';
import { markDeployment } from '../../src/modules/catalogue/service.js';
import { startSolutionCheck } from '../../src/modules/aiact/service.js';
import { loadCurrentUser } from '../../src/platform/http/current-user.js';
import { expectNoAxeViolations, launchBrowser, signIn, startListeningApp, type ListeningApp, type TestBrowser } from '../support/browser.js';
import { makeSolution, viewerOf } from '../support/catalogue.js';
import { commonGround } from '../support/community-data.js';
import { completeSetup, createUser, publishLegalPages } from '../support/factories.js';
import { collectingInitiative } from '../support/procurement.js';

/**
 * Reflow (WCAG 1.4.10): every page template at 320 and 390 CSS px (a phone, or 1280 px zoomed to 400 %)
 * and at 1280 px. No page may scroll sideways, and axe finds nothing at any of the widths.
 * One browser and one page per role; the page is loaded once and resized, as turning a phone or zooming does.
 */

const WIDTHS = [320, 390, 1280];

let browser: TestBrowser;
let t: ListeningApp;
const seeded = { ownSlug: '', importedSlug: '', meetingSlug: '', questionId: 0, initiativeId: 0, checkId: 0 };
const admin = { id: 0, email: '', password: '' };
const member = { id: 0, email: '', password: '' };

const fixture = (name: string) => fileURLToPath(new URL(`../../src/modules/catalogue/fixtures/${name}`, import.meta.url));

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
  const db = t.database.db;
  await completeSetup(db);
  await publishLegalPages(db);
  Object.assign(admin, await createUser(db, { role: 'admin', name: 'Anna Admin', organisation: 'Arnsberg' }));
  Object.assign(member, await createUser(db, { role: 'member', name: 'Olga Olpe', organisation: 'Arnsberg' }));
  const adminViewer = await loadCurrentUser(db, admin.id);
  await loadExamples(db, adminViewer);
  await importRegister(db, 'nl', fixture('nl_algoritmeregister.csv'));
  await importRegister(db, 'atrs', fixture('uk_atrs_records.csv'));
  const viewer = await viewerOf(db, member.id);
  const own = await makeSolution(db, viewer, {
    title: 'Sprachassistent für das Bürgerbüro mit einer ausgesprochen langen Überschrift',
    summary: 'Ein Sprachassistent beantwortet Anrufe und vereinbart Termine.', human_oversight: 'Die Sachbearbeitung entscheidet.',
  });
  seeded.ownSlug = own.slug;
  await markDeployment(db, viewer, own.slug, { status: 'pilot', visibility: 'public' }, {});
  const imported = await db.selectFrom('solutions').select('slug').where('source', '=', 'nl').orderBy('id').executeTakeFirstOrThrow();
  seeded.importedSlug = imported.slug;
  const common = await commonGround(t);
  seeded.meetingSlug = common.meetingSlug;
  seeded.questionId = common.questionId;
  seeded.initiativeId = await collectingInitiative(db, viewer);
  seeded.checkId = await startSolutionCheck(db, viewer, own.slug);
});
after(async () => {
  await browser?.close();
  await t?.close();
});

/** What is wider than the window, for the failure message: the outermost elements that stick out. */
async function overflowReport(page: Page): Promise<string> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1)) {
        out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''} (right edge ${Math.round(r.right)})`);
      }
    }
    return out.slice(0, 8).join(', ');
  });
}

/** Loads the page once, then checks it at each width: no sideways scrolling, no axe violation. */
async function checkAtEveryWidth(page: Page, path: string, status = 200): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  const res = await page.goto(t.url(path));
  assert.equal(res?.status(), status, `GET ${path}`);
  assert.equal(new URL(page.url()).pathname, path.split('?')[0], `GET ${path} was redirected`);
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    if (scrollWidth > innerWidth) {
      assert.fail(`${path} scrolls sideways at ${width} px: ${scrollWidth} px wide; sticking out: ${await overflowReport(page)}`);
    }
    await expectNoAxeViolations(page, `${path} at ${width} px`);
  }
}

function templates(label: string, who: { email: string; password: string } | null, paths: () => (string | [string, number])[]) {
  describe(label, () => {
    let context: BrowserContext;
    let page: Page;
    before(async () => {
      context = await browser.newContext({ bypassCSP: true, axe: true });
      page = await context.newPage();
      if (who) await signIn(page, t, who);
    });
    after(() => context?.close());
    it('every page template fits 320, 390 and 1280 px without sideways scrolling or axe violations', async () => {
      const failures: string[] = [];
      for (const entry of paths()) {
        const [path, status] = typeof entry === 'string' ? [entry, 200] : entry;
        try {
          await checkAtEveryWidth(page, path, status);
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
      assert.deepEqual(failures, []);
    });
  });
}

templates('as an anonymous visitor', null, () => [
  '/', '/loesungen', '/loesungen?q=Chatbot', `/loesungen/${seeded.ownSlug}`, `/loesungen/${seeded.importedSlug}`,
  '/karte', '/zahlen', '/treffen', `/treffen/${seeded.meetingSlug}`, '/fragen', `/fragen/${seeded.questionId}`,
  '/organisationen', '/organisationen/arnsberg', '/organisationen/arnsberg/ki-register', '/ueber-die-daten',
  '/anmelden', '/mitmachen', '/passwort-vergessen', '/impressum', '/datenschutz', ['/gibt-es-nicht', 404],
]);

templates('as a member', member, () => [
  '/profil', '/mitglieder', '/benachrichtigungen', '/beschaffung', `/beschaffung/${seeded.initiativeId}`, '/beschaffung/neu',
  '/selbstcheck', '/selbstcheck/neu', `/selbstcheck/${seeded.checkId}/schritt/1`, '/loesungen/neu', `/loesungen/${seeded.ownSlug}/versionen`,
  '/fragen/neu', `/treffen/${seeded.meetingSlug}/themen`,
]);

templates('as an administrator', admin, () => [
  '/verwaltung', '/verwaltung/anfragen', '/verwaltung/konten', '/verwaltung/postausgang', '/verwaltung/protokoll', '/verwaltung/einladen',
  '/verwaltung/sicherheit', '/verwaltung/beispiele', '/treffen/neu', `/treffen/${seeded.meetingSlug}/anmeldungen`, '/fragen/moderation',
]);

describe('on a phone', () => {
  let context: BrowserContext;
  let page: Page;
  before(async () => {
    context = await browser.newContext({ bypassCSP: true, axe: true, viewport: { width: 320, height: 640 } });
    page = await context.newPage();
  });
  after(() => context?.close());

  it('the main navigation is a menu that opens without JavaScript; on a wide screen its links are always shown', async () => {
    await page.goto(t.url('/impressum'));
    const header = page.locator('header.site-header');
    const menu = header.getByText('Menü', { exact: true });
    await menu.waitFor();
    assert.equal(await header.getByRole('link', { name: 'Treffen' }).isVisible(), false, 'the links are folded away');
    await menu.click();
    await header.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Treffen' }).click();
    await page.waitForURL(/\/treffen$/);
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.equal(await menu.isVisible(), false, 'no menu button on a wide screen');
    assert.equal(await header.getByRole('link', { name: 'Treffen' }).isVisible(), true);
    await page.setViewportSize({ width: 320, height: 640 });
  });

  it('the catalogue shows its results before the filters, which open behind "Filter"; "Zu den Ergebnissen" skips them', async () => {
    await page.goto(t.url('/loesungen?maturity=production'));
    const results = page.getByRole('heading', { level: 2, name: /Lösungen?$/ });
    const top = await results.evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(top < 640, `the results begin on the first screen (at ${top} px)`);
    const filter = page.getByText(/^Filter \(1 aktiv\)$/);
    await filter.waitFor();
    assert.equal(await page.getByRole('checkbox').first().isVisible(), false);
    await filter.click();
    const box = await page.getByRole('checkbox').first().boundingBox();
    assert.ok(box && box.width >= 24 && box.height >= 24, `check boxes are at least 24 px (${JSON.stringify(box)})`);
    // The skip link comes before the filters and leads to the results.
    await page.goto(t.url('/loesungen'));
    const skip = page.getByRole('link', { name: 'Zu den Ergebnissen' });
    await skip.click();
    assert.equal(new URL(page.url()).hash, '#results-title');
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.equal(await page.getByRole('checkbox').first().isVisible(), true, 'the filters are open on a wide screen');
    assert.equal(await page.getByText(/^Filter/).first().evaluate((el) => el.tagName === 'SUMMARY' && getComputedStyle(el).display === 'none'), true);
    await page.setViewportSize({ width: 320, height: 640 });
  });

  it('the map page puts the table first; a link skips the map, and a focused area is clearly marked', async () => {
    await page.goto(t.url('/karte'));
    const [table, map] = await Promise.all([
      page.locator('table.region-map-data').evaluate((el) => el.getBoundingClientRect().top),
      page.locator('svg.region-map-svg').evaluate((el) => el.getBoundingClientRect().top),
    ]);
    assert.ok(table < map, 'the table comes before the map on a phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('.region-map .skip-map').focus();
    assert.equal(await page.getByRole('link', { name: 'Karte überspringen' }).isVisible(), true, 'the skip link shows when focused');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => Boolean(document.activeElement?.closest('svg'))), false, 'the next stop is past the map');
    // An area reached by keyboard is filled in the focus colour.
    await page.locator('.region-map .skip-map').focus();
    await page.keyboard.press('Tab');
    const fill = await page.evaluate(() => getComputedStyle(document.activeElement!.querySelector('path')!).fill);
    assert.equal(fill, 'rgb(255, 191, 71)');
    await page.goto(t.url('/'));
    assert.equal(await page.locator('[id="home-map-title"]').count(), 1, 'the id is used once on the home page');
    await page.setViewportSize({ width: 320, height: 640 });
  });
});
