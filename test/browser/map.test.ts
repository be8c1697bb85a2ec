import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { markDeployment } from '../../src/modules/catalogue/service.js';
import { expectAt, expectNoAxeViolations, launchBrowser, siteHeader, startListeningApp, type ListeningApp, type TestBrowser } from '../support/browser.js';
import { makeSolution, viewerOf } from '../support/catalogue.js';
import { completeSetup, createUser } from '../support/factories.js';

/**
 * The region map and the community's figures as a visitor uses them: the home page's compact map, the
 * map page filtered by one solution, a municipality followed from the map by keyboard, the dashboard.
 */

let browser: TestBrowser;
let t: ListeningApp;

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
  const db = t.database.db;
  await completeSetup(db);
  const person = async (organisation: string) => viewerOf(db, (await createUser(db, { organisation })).id);
  const [olpe, brilon, soest] = [await person('Olpe'), await person('Brilon'), await person('Soest')];
  const phone = await makeSolution(db, olpe, {
    title: 'KI-Telefonservice', summary: 'Ein Sprachassistent nimmt Anrufe im Bürgerbüro an.',
    field_of_action: 'general_public_services', maturity: 'production', visibility: 'public',
  });
  await makeSolution(db, soest, {
    title: 'Schlaglocherkennung', summary: 'Kameras an Müllfahrzeugen erkennen Straßenschäden.',
    field_of_action: 'economic_affairs', maturity: 'pilot', visibility: 'public',
  });
  await markDeployment(db, brilon, phone.slug, { status: 'production', visibility: 'public' }, {});
  await markDeployment(db, soest, phone.slug, { status: 'interested', visibility: 'public' }, {});
});
after(async () => {
  await browser?.close();
  await t?.close();
});

describe('the region map in the browser', () => {
  let context: BrowserContext;
  before(async () => { context = await browser.newContext({ bypassCSP: true, axe: true }); });
  after(() => context?.close());

  it('a visitor sees the map on the home page, filters the map by a solution and follows a municipality by keyboard', async () => {
    const page = await context.newPage();
    await page.goto(t.url('/'));
    const homeMap = page.locator('#home-map-heading + div svg.region-map-svg');
    await homeMap.waitFor();
    assert.equal(await homeMap.locator('a').count(), 59, 'every municipality of the region is on the home map');
    assert.equal(await homeMap.locator('a[aria-label="Olpe: 1 Lösung im Einsatz"]').count(), 1);
    await expectNoAxeViolations(page, '/');

    await siteHeader(page).getByRole('link', { name: 'Karte' }).click();
    await expectAt(page, '/karte');
    await expectNoAxeViolations(page, '/karte');

    await page.getByLabel('Lösung', { exact: true }).selectOption({ label: 'KI-Telefonservice' });
    await page.getByRole('button', { name: 'Karte anzeigen' }).click();
    await page.waitForURL(/loesung=/);
    const map = page.locator('svg.region-map-svg');
    const area = (name: string) => map.locator(`a[aria-label^="${name}:"]`);
    assert.equal(await area('Olpe').getAttribute('aria-label'), 'Olpe: im Einsatz');
    assert.equal(await area('Brilon').getAttribute('aria-label'), 'Brilon: im Einsatz');
    assert.equal(await area('Soest').getAttribute('aria-label'), 'Soest: interessiert');
    assert.equal(await area('Arnsberg').getAttribute('aria-label'), 'Arnsberg: weder im Einsatz noch interessiert');
    // Running and interested look different apart from colour: the interested ones are hatched with a dashed outline.
    const soestShape = area('Soest').locator('path');
    assert.match(await soestShape.getAttribute('fill') ?? '', /^url\(#.*hatch\)$/);
    assert.ok(await soestShape.getAttribute('stroke-dasharray'));
    assert.equal(await area('Olpe').locator('path').getAttribute('stroke-dasharray'), null);
    // The table beside the map says the same in words.
    const row = (name: string) => page.locator('table.region-map-data tr').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    assert.equal(await row('Soest').locator('td').last().textContent(), 'interessiert');
    assert.equal(await row('Olpe').locator('td').last().textContent(), 'im Einsatz');
    await expectNoAxeViolations(page, '/karte?loesung=…');

    // Keyboard: the municipalities are links in the tab order; Enter follows one.
    await area('Brilon').focus();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Brilon: im Einsatz');
    await page.keyboard.press('Enter');
    await expectAt(page, '/organisationen/brilon');
    await page.getByRole('heading', { level: 1, name: 'Brilon' }).waitFor();
  });

  it('a visitor reads the community figures: every chart is a described image with a table and a CSV file', async () => {
    const page = await context.newPage();
    await page.goto(t.url('/'));
    await siteHeader(page).getByRole('link', { name: 'Zahlen' }).click();
    await expectAt(page, '/zahlen');
    await page.getByRole('heading', { level: 1, name: 'Zahlen der Community' }).waitFor();
    assert.equal(await page.locator('section.dash-section').count(), 7, 'seven charts');
    // Charts without data yet say so instead of drawing an empty frame; this community has no meetings held, for one.
    const images = page.locator('svg[role="img"]');
    assert.ok(await images.count() >= 3);
    for (const svg of await images.all()) {
      const [title, desc] = await Promise.all([svg.locator(':scope > title').textContent(), svg.locator(':scope > desc').textContent()]);
      assert.ok(title && desc, 'each chart has a title and a description');
    }
    const byMaturity = page.getByRole('img', { name: /Lösungen nach Reifegrad/ });
    assert.match(await byMaturity.locator(':scope > desc').textContent() ?? '', /2 Lösungen/);
    await expectNoAxeViolations(page, '/zahlen');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV-Datei: Lösungen nach Reifegrad' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'loesungen-reife.csv');
  });
});
