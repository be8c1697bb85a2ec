import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadExamples } from '../../src/modules/catalogue/examples.js';
import { loadCurrentUser } from '../../src/platform/http/current-user.js';
import { expectNoAxeViolations, launchBrowser, startListeningApp, type ListeningApp, type TestBrowser } from '../support/browser.js';
import { makeSolution, viewerOf } from '../support/catalogue.js';
import { completeSetup, createUser } from '../support/factories.js';

/** The search field of the home page and of every page's header, as a visitor on a phone uses it. */

let browser: TestBrowser;
let t: ListeningApp;

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
  const db = t.database.db;
  await completeSetup(db);
  const admin = await createUser(db, { role: 'admin', organisation: 'Arnsberg' });
  await loadExamples(db, await loadCurrentUser(db, admin.id));
  await makeSolution(db, await viewerOf(db, admin.id), { title: 'Translation of council letters', summary: 'Letters to residents are translated into plain language.', language: 'en' }, {
    organisation_id: null, source: 'atrs', source_id: 'ATRS-9', source_url: 'https://www.gov.uk/algorithmic-transparency-records/translation', source_org: 'Example Council', source_country: 'GB', licence: 'Open Government Licence v3.0',
  });
});
after(async () => {
  await browser?.close();
  await t?.close();
});

describe('searching from the home page and the header', () => {
  it('the home page\'s search field finds an English entry for a German word, on a 390 px phone, without JavaScript, and passes axe', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    try {
      const page = await phone.newPage();
      await page.goto(t.url('/'));
      const home = page.locator('main').getByRole('search');
      await home.getByLabel('Lösungen durchsuchen').fill('Übersetzung');
      await home.getByRole('button', { name: 'Suchen' }).click();
      await page.waitForURL(/\/loesungen\?q=%C3%9Cbersetzung/);
      assert.deepEqual(await page.locator('.result h3 a').allTextContents(), ['Translation of council letters']);
      await page.getByText('Auch englische und niederländische Einträge durchsucht').waitFor();
      // Nothing sticks out sideways on a phone: the header's search field fits.
      for (const path of ['/', '/fragen', '/treffen']) {
        await page.goto(t.url(path));
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${path}: ${width} px wide`);
      }
      // The header's field on another page.
      await page.goto(t.url('/treffen'));
      await page.getByRole('search', { name: 'Lösungen durchsuchen' }).getByLabel('Lösungen durchsuchen').fill('Schlaglöcher');
      await page.getByRole('search', { name: 'Lösungen durchsuchen' }).getByRole('button', { name: 'Suchen' }).click();
      await page.waitForURL(/\/loesungen\?q=Schlagl/);
      assert.equal((await page.locator('.result h3 a').allTextContents())[0], 'Schlaglocherkennung per Smartphone');
    } finally {
      await phone.close();
    }
    const scanned = await browser.newContext({ bypassCSP: true, axe: true, viewport: { width: 390, height: 844 } });
    try {
      const page = await scanned.newPage();
      for (const path of ['/', '/fragen', '/loesungen?q=%C3%9Cbersetzung', '/loesungen?q=Schlagl%C3%B6scher+Raumfahrt', '/loesungen?q=der+die']) {
        assert.equal((await page.goto(t.url(path)))?.status(), 200, path);
        await expectNoAxeViolations(page, path);
      }
    } finally {
      await scanned.close();
    }
  });
});
