import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAt, expectNoAxeViolations, launchBrowser, startListeningApp, type ListeningApp, type TestBrowser, signIn, siteHeader } from '../support/browser.js';
import { completeSetup, createUser } from '../support/factories.js';
import { berlinDate } from '../support/meetings.js';
import { passDeadline } from '../support/procurement.js';

/**
 * Joint procurement as people use it in the browser: the lead opens an initiative (a first try with rising
 * prices comes back with the error summary), three organisations declare their demand, the deadline passes,
 * the lead makes it binding, and the CSV and the print view are downloaded — with an axe scan of every page.
 */

let browser: TestBrowser;
let t: ListeningApp;
const people = {} as Record<'lead' | 'olpe' | 'siegen', { email: string; password: string }>;

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
  const db = t.database.db;
  await completeSetup(db);
  for (const [key, name, organisation] of [['lead', 'Lea Lead', 'Arnsberg'], ['olpe', 'Otto Olpe', 'Olpe'], ['siegen', 'Sina Siegen', 'Siegen']] as const) {
    people[key] = await createUser(db, { role: 'member', name, organisation, email: `${key}@procurement.example` });
  }
});
after(async () => {
  await browser?.close();
  await t?.close();
});



/** Opens the initiative from the main navigation and the list, as a person would. */
async function openInitiative(page: Page, title: string) {
  await siteHeader(page).getByRole('link', { name: 'Gemeinsam beschaffen' }).click();
  await expectAt(page, '/beschaffung');
  await page.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

describe('joint procurement in the browser', () => {
  const newPage = () => browser.newPage({ bypassCSP: true, axe: true, acceptDownloads: true });

  it('the lead opens an initiative, three organisations declare, the lead binds it after the deadline and downloads the exports', async () => {
    const title = 'KI-Telefonassistent gemeinsam';
    const lead = await newPage();
    await signIn(lead, t, people.lead);
    await siteHeader(lead).getByRole('link', { name: 'Gemeinsam beschaffen' }).click();
    await expectAt(lead, '/beschaffung');
    await expectNoAxeViolations(lead, '/beschaffung (empty)');
    await lead.getByRole('link', { name: 'Neue Initiative' }).click();
    await expectAt(lead, '/beschaffung/neu');
    await expectNoAxeViolations(lead, '/beschaffung/neu');

    await lead.getByLabel(/^Titel/).fill(title);
    await lead.getByLabel(/^Produkt oder Leistung/).fill('Telefonassistent, Lizenz je Arbeitsplatz');
    await lead.getByLabel(/^Anbieter/).fill('Beispiel GmbH');
    await lead.getByLabel(/^Gezählte Einheit/).selectOption('licence');
    await lead.getByLabel(/^Vertragslaufzeit in Monaten/).fill('36');
    await lead.getByLabel(/^Verlängerungsoptionen in Monaten/).fill('12');
    await lead.getByLabel(/^Geplanter Beginn/).fill('2027-03-01');
    await lead.getByLabel(/^Frist für Bedarfserklärungen \(Datum\)/).fill(berlinDate(14));
    await lead.getByLabel(/^Frist für Bedarfserklärungen \(Uhrzeit\)/).fill('12:00');
    await lead.getByLabel('Preisstufe 1: ab Menge').fill('1');
    await lead.getByLabel(/^Preisstufe 1: Preis/).fill('10,00');
    await lead.getByLabel('Preisstufe 2: ab Menge').fill('50');
    await lead.getByLabel(/^Preisstufe 2: Preis/).fill('12,00');
    const [refused] = await Promise.all([lead.waitForResponse((r) => r.request().method() === 'POST'), lead.getByRole('button', { name: 'Speichern' }).click()]);
    assert.equal(refused.status(), 422);
    await lead.getByRole('alert').getByText('Der Preis je Einheit darf von Preisstufe zu Preisstufe nicht steigen.').waitFor();
    assert.equal(await lead.getByLabel(/^Titel/).inputValue(), title, 'what was typed is still there');
    await expectNoAxeViolations(lead, '/beschaffung/neu (422)');
    await lead.getByLabel(/^Preisstufe 2: Preis/).fill('8,00');
    await lead.getByRole('button', { name: 'Speichern' }).click();
    await lead.getByRole('heading', { level: 1, name: title }).waitFor();
    const path = new URL(lead.url()).pathname;
    const id = Number(path.split('/').pop());
    await expectNoAxeViolations(lead, '/beschaffung/<id> (draft)');
    await lead.getByRole('button', { name: 'Bedarfsabfrage starten' }).click();
    await lead.getByRole('status').filter({ hasText: 'Die Bedarfsabfrage läuft' }).waitFor();

    // Three organisations declare their demand, the lead's own included.
    const declare = async (page: Page, quantity: string, max = '') => {
      await page.getByLabel(/^Menge/).fill(quantity);
      if (max) await page.getByLabel(/^Höchstmenge/).fill(max);
      await page.getByRole('button', { name: 'Bedarf erklären' }).click();
      await page.getByRole('status').filter({ hasText: /Bedarf von .* ist erklärt/ }).waitFor();
    };
    await declare(lead, '30', '40');
    const olpe = await newPage();
    await signIn(olpe, t, people.olpe);
    await openInitiative(olpe, title);
    await expectNoAxeViolations(olpe, '/beschaffung/<id> (collecting, other organisation)');
    await olpe.getByLabel(/^Menge/).fill('0');
    await olpe.getByRole('button', { name: 'Bedarf erklären' }).click();
    await olpe.getByRole('alert').getByText('Bitte geben Sie die Menge als ganze Zahl größer als 0 an.').waitFor();
    await expectNoAxeViolations(olpe, '/beschaffung/<id>/erklaerung (422)');
    await declare(olpe, '15');
    const siegen = await newPage();
    await signIn(siegen, t, people.siegen);
    await openInitiative(siegen, title);
    await declare(siegen, '10');

    await lead.goto(t.url(path));
    const main = lead.getByRole('main');
    await main.getByText('Zusammen 55 Lizenzen von 3 Organisationen; gebündelter Preis: 8,00 € je Lizenz und Monat.').waitFor();
    await main.getByText('Die höchste Preisstufe ist erreicht.').waitFor();
    await main.getByRole('img', { name: 'Balkendiagramm: Ersparnis je Organisation über die Laufzeit' }).waitFor();
    assert.equal(await main.locator('svg rect').count(), 3);
    await expectNoAxeViolations(lead, '/beschaffung/<id> (three participants)');

    // Binding waits for the deadline; when it has passed, the lead makes the initiative binding.
    await lead.getByRole('button', { name: 'Verbindlich machen' }).click();
    await lead.getByRole('alert').getByText(/Verbindlich machen geht erst nach Ablauf der Frist/).waitFor();
    await passDeadline(t.database.db, id);
    await lead.goto(t.url(path));
    await lead.getByRole('button', { name: 'Verbindlich machen' }).click();
    await lead.getByRole('button', { name: 'Ja, verbindlich machen' }).click();
    await lead.getByRole('status').filter({ hasText: 'Die Initiative ist verbindlich.' }).waitFor();
    await main.getByText('Die Initiative ist verbindlich: Die Beteiligten und ihre Mengen stehen fest.').waitFor();
    await expectNoAxeViolations(lead, '/beschaffung/<id> (binding)');

    // The exports: the CSV downloads, the print view opens.
    const [download] = await Promise.all([lead.waitForEvent('download'), lead.getByRole('link', { name: 'Beteiligte und Kosten als CSV herunterladen' }).click()]);
    assert.equal(download.suggestedFilename(), `beschaffung-${id}.csv`);
    const csv = readFileSync(await download.path()).toString('utf8');
    assert.ok(csv.startsWith('\uFEFFOrganisation;Menge;Höchstmenge;'), csv.slice(0, 80));
    assert.match(csv, /\r\nArnsberg;30;40;8,00;240,00;8640,00;10,00;2160,00;0,00;8640,00\r\n/);
    assert.match(csv, /\r\nSumme;55;65;8,00;440,00;15840,00;;3960,00;0,00;15840,00\r\n/);

    await lead.getByRole('link', { name: /^Druckansicht/ }).click();
    await lead.getByRole('heading', { level: 1, name: `Gemeinsame Auftragsvergabe: ${title}` }).waitFor();
    await lead.getByText('Arnsberg führt das Vergabeverfahren im eigenen Namen und im Namen und Auftrag der übrigen Beteiligten durch (§ 4 Abs. 1 VgV).').waitFor();
    await expectNoAxeViolations(lead, '/beschaffung/<id>/druck');
    await lead.emulateMedia({ media: 'print' });
    assert.equal(await siteHeader(lead).isVisible(), false, 'the print view leaves out the page header');

    // Limits page and the community's savings on the home page.
    await lead.emulateMedia({ media: 'screen' });
    await lead.goto(t.url('/beschaffung/wertgrenze'));
    await expectNoAxeViolations(lead, '/beschaffung/wertgrenze');
    await lead.goto(t.url('/beschaffung'));
    await expectNoAxeViolations(lead, '/beschaffung (one initiative)');
    await lead.goto(t.url('/'));
    await lead.getByText('Gemeinsam gespart: 3.960,00 € in 1 verbindlichen Initiative mit 3 beteiligten Organisationen.').waitFor();
    await expectNoAxeViolations(lead, '/ (with savings)');
  });
});
