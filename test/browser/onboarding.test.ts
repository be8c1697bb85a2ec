import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expectAt, expectNoAxeViolations, launchBrowser, signIn, startListeningApp, type ListeningApp, type TestBrowser } from '../support/browser.js';
import { completeSetup, createUser } from '../support/factories.js';

/**
 * The administrator's first steps in the browser: the checklist on /verwaltung ticks itself as the legal pages are
 * written and the registers imported, and the import started from the administration shows its progress while it
 * runs (the page reloads itself, no JavaScript) and keeps its result — with an axe scan of each page.
 */

const FIXTURES = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../src/modules/catalogue/fixtures');
/** Rows of the register written for this test: enough that the import runs for a few seconds. */
const ROWS = 300;

let browser: TestBrowser;
let t: ListeningApp;
let registers: string;
let admin: { email: string; password: string };

/**
 * A Dutch register file of ROWS entries, made from the fixture's first entry with its id and title numbered, so the
 * import has something to show progress on.
 */
function writeLargeRegister(dir: string) {
  const [header, first] = readFileSync(join(FIXTURES, 'nl_algoritmeregister.csv'), 'utf8').split('\r\n');
  const [id, title] = first.split(',', 2);
  const rest = first.slice(id.length + title.length + 2);
  const lines = [header];
  for (let i = 1; i <= ROWS; i++) lines.push(`${Number(id) + i},${title} ${i},${rest}`);
  writeFileSync(join(dir, 'nl_algoritmeregister.csv'), lines.join('\r\n') + '\r\n');
}

const itemState = (page: Page, label: string) => page.getByRole('listitem').filter({ hasText: label }).locator('.check-state').textContent();

before(async () => {
  registers = mkdtempSync(join(tmpdir(), 'kic-registers-'));
  writeLargeRegister(registers);
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp({ REGISTERS_DIR: registers })]);
  await completeSetup(t.database.db);
  admin = await createUser(t.database.db, { role: 'admin', name: 'Petra Schulte', organisation: 'Olpe' });
});
after(async () => {
  await browser?.close();
  await t?.close();
  rmSync(registers, { recursive: true, force: true });
});

describe('first steps of the administration in the browser', () => {
  it('ticks the checklist as the legal pages are written and the registers imported from the administration, showing the progress', async () => {
    const page = await browser.newPage({ axe: true });
    await signIn(page, t, admin);
    await page.goto(t.url('/verwaltung'));
    const checklist = page.getByRole('region', { name: 'Erste Schritte nach der Einrichtung' });
    await checklist.getByText('0 von 6 erledigt').waitFor();
    assert.equal(await itemState(page, 'Impressum veröffentlichen'), 'Offen:');
    await expectNoAxeViolations(page, '/verwaltung (checklist)');

    // The Impressum, written through the link of the checklist.
    await checklist.getByRole('link', { name: 'Impressum veröffentlichen' }).click();
    await expectAt(page, '/impressum/bearbeiten');
    await page.getByLabel(/^Text \(Markdown\)/).fill('Verantwortlich: Südwestfalen-IT, Musterstraße 1, 58675 Hemer');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.goto(t.url('/verwaltung'));
    await checklist.getByText('1 von 6 erledigt').waitFor();
    assert.equal(await itemState(page, 'Impressum veröffentlichen'), 'Erledigt:');
    assert.equal(await itemState(page, 'Öffentliche KI-Register importieren'), 'Offen:');

    // The import, started from the checklist: the run's page shows how far it is and reloads itself until it ends.
    await checklist.getByRole('link', { name: 'Öffentliche KI-Register importieren' }).click();
    await expectAt(page, '/verwaltung/registerimport');
    await page.getByRole('heading', { level: 1, name: 'Öffentliche KI-Register importieren' }).waitFor();
    await expectNoAxeViolations(page, '/verwaltung/registerimport');
    assert.equal(await page.getByLabel('Algoritmeregister (NL)').isChecked(), true);
    await page.getByRole('button', { name: 'Import starten' }).click();
    await page.waitForURL(/\/verwaltung\/registerimport\/\d+$/);
    const runUrl = page.url();
    // While it runs the page shows its progress and reloads itself; a run on a fast machine may already be done.
    const progress = page.getByText(new RegExp(`\\d+ von ${ROWS} Zeilen verarbeitet \\(\\d+ %\\)`)).first();
    await progress.or(page.getByText('abgeschlossen', { exact: true })).first().waitFor({ timeout: 30_000 })
      .catch(async (err) => { throw new Error(`${(err as Error).message}\n${await page.locator('main').innerText().catch(() => '')}`); });
    if (await progress.isVisible()) assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 1);
    await page.getByText('abgeschlossen', { exact: true }).waitFor({ timeout: 120_000 });
    assert.equal(page.url(), runUrl);
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0);
    const result = page.getByRole('table', { name: 'Ergebnis je Register' });
    assert.deepEqual(await result.getByRole('row').nth(1).getByRole('cell').allTextContents(), [
      ROWS.toLocaleString('de-DE'), ROWS.toLocaleString('de-DE'), '0', '0', '0',
    ]);
    await expectNoAxeViolations(page, '/verwaltung/registerimport/<id> (finished)');

    // The run is kept, and the checklist has ticked itself.
    await page.getByRole('link', { name: 'Zurück zum Registerimport' }).click();
    await page.getByRole('table', { name: 'Bisherige Importe' }).getByRole('cell', { name: 'abgeschlossen' }).waitFor();
    await page.goto(t.url('/verwaltung'));
    await checklist.getByText('2 von 6 erledigt').waitFor();
    assert.equal(await itemState(page, 'Öffentliche KI-Register importieren'), 'Erledigt:');
    await page.goto(t.url('/verwaltung/protokoll'));
    await page.getByText(`Petra Schulte hat die öffentlichen Register importiert: ${ROWS} neu, 0 aktualisiert, 0 unverändert, 0 übersprungen.`).waitFor();
    await expectNoAxeViolations(page, '/verwaltung/protokoll');
  });
});
