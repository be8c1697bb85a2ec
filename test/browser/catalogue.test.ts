import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { loadExamples } from '../../src/modules/catalogue/examples.js';
import { loadCurrentUser } from '../../src/platform/http/current-user.js';
import { expectNoAxeViolations, launchBrowser, startListeningApp, type ListeningApp, type TestBrowser, signIn } from '../support/browser.js';
import { makeSolution, viewerOf } from '../support/catalogue.js';
import { completeSetup, createUser } from '../support/factories.js';

/**
 * The catalogue as a member uses it in the browser: search, filter, open a solution, mark
 * that the organisation runs it, edit it and read the version history — with an axe scan of every page.
 */

let browser: TestBrowser;
let t: ListeningApp;
let member: { email: string; password: string };

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
  const db = t.database.db;
  await completeSetup(db);
  const admin = await createUser(db, { role: 'admin', organisation: 'Arnsberg' });
  await loadExamples(db, await loadCurrentUser(db, admin.id));
  const olpe = await viewerOf(db, (await createUser(db, { organisation: 'Olpe' })).id);
  await makeSolution(db, olpe, {
    title: 'Sprachassistent für das Bürgerbüro', summary: 'Ein Sprachassistent beantwortet Anrufe und vereinbart Termine.',
    field_of_action: 'general_public_services', maturity: 'production', technique: 'generative',
  });
  member = await createUser(db, { organisation: 'Olpe', name: 'Olga Olpe' });
});
after(async () => {
  await browser?.close();
  await t?.close();
});


const resultTitles = (page: Page) => page.locator('.result h3 a').allTextContents();

describe('the catalogue in the browser', () => {
  let context: BrowserContext;
  before(async () => { context = await browser.newContext({ bypassCSP: true, axe: true }); });
  after(() => context?.close());

  it('a member searches, filters, opens a solution, marks that the organisation runs it, edits it and reads the history', async () => {
    const page = await context.newPage();
    await signIn(page, t, member);

    // Search: the compound in the title is found by its parts.
    await page.goto(t.url('/loesungen'));
    await expectNoAxeViolations(page, '/loesungen');
    await page.getByLabel('Lösungen durchsuchen').fill('Schlaglöcher erkennen');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.waitForURL(/q=Schlagl/);
    assert.deepEqual(await resultTitles(page), ['Schlaglocherkennung per Smartphone']);
    assert.equal(await page.locator('.result mark').first().textContent(), 'Schlaglöcher');
    await expectNoAxeViolations(page, '/loesungen?q=…');

    // Filter: field of action "Allgemeine Verwaltung" with maturity "Produktiv".
    await page.goto(t.url('/loesungen'));
    await page.getByRole('group', { name: 'Handlungsfeld' }).getByLabel(/Allgemeine Verwaltung/).check();
    await page.getByRole('group', { name: 'Reifegrad' }).getByLabel(/Produktiv/).check();
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.waitForURL(/field_of_action=general_public_services/);
    assert.deepEqual((await resultTitles(page)).sort(), ['KI-Telefonservice für die Bürgerhotline', 'Sprachassistent für das Bürgerbüro']);
    await expectNoAxeViolations(page, '/loesungen?filters');

    // Open one and mark that our organisation runs it too.
    await page.getByRole('link', { name: 'KI-Telefonservice für die Bürgerhotline' }).click();
    await page.getByRole('heading', { level: 1, name: 'KI-Telefonservice für die Bürgerhotline' }).waitFor();
    await expectNoAxeViolations(page, '/loesungen/<slug>');
    assert.match(await page.locator('#runs-at + p').textContent() ?? '', /Noch keine Kommune/);
    await page.getByRole('group', { name: 'Wie setzt Olpe diese Lösung ein?' }).getByLabel('Produktiv').check();
    await page.getByRole('button', { name: 'Einsatz eintragen' }).click();
    await page.getByRole('status').filter({ hasText: 'Eingetragen: Olpe' }).waitFor();
    assert.match(await page.locator('.deployments').textContent() ?? '', /Olpe, produktiv/);

    // The deployment form adds the month; the solution page then says since when.
    await page.getByRole('link', { name: 'Einsatz ändern' }).click();
    await expectNoAxeViolations(page, '/loesungen/<slug>/einsatz');
    await page.getByLabel(/^Seit \(Monat\)/).fill('2025-03');
    await page.getByRole('button', { name: 'Einsatz speichern' }).click();
    await page.getByRole('status').waitFor();
    assert.match(await page.locator('.deployments').textContent() ?? '', /Olpe, produktiv seit 03\/2025/);
    await page.goto(t.url('/organisationen/olpe'));
    assert.match(await page.locator('.deployments').textContent() ?? '', /KI-Telefonservice für die Bürgerhotline – produktiv seit 03\/2025/);

    // Edit our own solution; a wrong value first comes back with the error summary and what was typed.
    await page.goto(t.url('/loesungen?q=Sprachassistent'));
    await page.getByRole('link', { name: 'Sprachassistent für das Bürgerbüro' }).click();
    await page.getByRole('link', { name: 'Bearbeiten' }).click();
    await expectNoAxeViolations(page, '/loesungen/<slug>/bearbeiten');
    await page.getByLabel(/^Kosten von/).fill('20000');
    await page.getByLabel(/^Kosten bis/).fill('5000');
    await page.getByLabel(/^Titel/).fill('Sprachassistent fürs Bürgerbüro');
    const [rejected] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Speichern' }).click()]);
    assert.equal(rejected.status(), 422);
    await page.getByRole('alert').getByText('Der Höchstbetrag darf nicht kleiner als der Mindestbetrag sein.').waitFor();
    assert.equal(await page.getByLabel(/^Titel/).inputValue(), 'Sprachassistent fürs Bürgerbüro');
    await expectNoAxeViolations(page, '/loesungen/<slug>/bearbeiten (422)');
    await page.getByLabel(/^Kosten bis/).fill('30000');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'gespeichert' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Sprachassistent fürs Bürgerbüro' }).waitFor();

    // The history names the changed fields, the old and new values, and who changed them.
    await page.getByRole('link', { name: 'Versionen' }).click();
    await expectNoAxeViolations(page, '/loesungen/<slug>/versionen');
    const latest = page.locator('.version').first();
    assert.match(await latest.getByRole('heading').textContent() ?? '', /Version 2 · .* · Olga Olpe/);
    const row = latest.getByRole('row', { name: /Titel/ });
    assert.match(await row.textContent() ?? '', /Sprachassistent für das Bürgerbüro.*Sprachassistent fürs Bürgerbüro/);
    assert.match(await latest.textContent() ?? '', /Kosten von \(Euro\)/);
  });

  it('the search, filters and a solution page work without JavaScript and pass axe for an anonymous visitor', async () => {
    const anon = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await anon.newPage();
      await page.goto(t.url('/loesungen'));
      await page.getByLabel('Lösungen durchsuchen').fill('Starkregen Vorhersage');
      await page.getByRole('button', { name: 'Suchen' }).click();
      await page.waitForURL(/q=Starkregen/);
      assert.deepEqual(await resultTitles(page), ['Starkregenvorhersage für Ortsteile']);
      await page.getByRole('link', { name: 'Starkregenvorhersage für Ortsteile' }).click();
      await page.getByRole('heading', { level: 1, name: 'Starkregenvorhersage für Ortsteile' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Einsatz eintragen' }).count(), 0);
    } finally {
      await anon.close();
    }
    const scanned = await browser.newContext({ bypassCSP: true, axe: true });
    try {
      const page = await scanned.newPage();
      for (const path of ['/loesungen', '/loesungen?q=Telefon', '/ueber-die-daten', '/loesungen/digitaler-avatar-im-rathaus', '/loesungen/digitaler-avatar-im-rathaus/versionen']) {
        const res = await page.goto(t.url(path));
        assert.equal(res?.status(), 200, path);
        await expectNoAxeViolations(page, path);
      }
    } finally {
      await scanned.close();
    }
  });
});
