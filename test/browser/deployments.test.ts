import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, startListeningApp, type ListeningApp, type TestBrowser, signIn } from '../support/browser.js';
import { makeSolution, viewerOf } from '../support/catalogue.js';
import { completeSetup, createUser } from '../support/factories.js';

/**
 * Marking a deployment in the browser: the solution page asks for the status, a stored status is shown with
 * the ways to change or remove it (never a second marking that would replace it), and every page passes axe.
 */

let browser: TestBrowser;
let t: ListeningApp;
let member: { email: string; password: string };
let slug: string;

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
  const db = t.database.db;
  await completeSetup(db);
  const arnsberg = await viewerOf(db, (await createUser(db, { organisation: 'Arnsberg' })).id);
  slug = (await makeSolution(db, arnsberg, {
    title: 'Bürgerchat für Terminfragen', summary: 'Beantwortet Fragen zu Terminen im Bürgerbüro.', maturity: 'production',
  })).slug;
  member = await createUser(db, { organisation: 'Olpe', name: 'Olga Olpe' });
});
after(async () => {
  await browser?.close();
  await t?.close();
});

describe('marking a deployment in the browser', () => {
  let context: BrowserContext;
  before(async () => { context = await browser.newContext({ bypassCSP: true, axe: true }); });
  after(() => context?.close());

  it('asks for the status, shows the stored one chosen when changing it, says what was replaced, and removes it', async () => {
    const page = await context.newPage();
    await signIn(page, t, member);
    await page.goto(t.url(`/loesungen/${slug}`));
    await expectNoAxeViolations(page, '/loesungen/<slug>');
    assert.equal((await page.locator('.deployments').textContent())?.trim(), 'Arnsberg, produktiv (beschreibt die Lösung)');

    // The marking asks; nothing is chosen for Olpe.
    const marking = page.getByRole('group', { name: 'Wie setzt Olpe diese Lösung ein?' });
    for (const label of ['Als Pilot', 'Produktiv', 'Geplant', 'Wir sind interessiert']) assert.equal(await marking.getByLabel(label).isChecked(), false, label);
    await marking.getByLabel('Als Pilot').check();
    await page.getByRole('button', { name: 'Einsatz eintragen' }).click();
    await page.getByRole('status').filter({ hasText: 'Eingetragen: Olpe – Pilot.' }).waitFor();
    assert.match(await page.locator('.deployments').textContent() ?? '', /Olpe, Pilot/);
    // With a stored status there is no marking that could replace it, only change and remove.
    assert.equal(await page.getByRole('group', { name: /Wie setzt Olpe/ }).count(), 0);
    assert.match(await page.locator('.my-deployment').textContent() ?? '', /Eintrag Ihrer Organisation: Olpe, Pilot/);
    await expectNoAxeViolations(page, '/loesungen/<slug> (marked)');

    // Change: the form has the stored status chosen and takes the month as people write it.
    await page.getByRole('link', { name: 'Einsatz ändern' }).click();
    await expectNoAxeViolations(page, '/loesungen/<slug>/einsatz');
    assert.equal(await page.getByLabel(/^Status/).inputValue(), 'pilot');
    await page.getByLabel(/^Seit \(Monat\)/).fill('09/2025');
    await page.getByLabel(/^Tatsächlich gezahlt/).fill('4500');
    await page.getByLabel(/^Zeitraum der Kosten/).selectOption('year');
    await page.getByRole('button', { name: 'Einsatz speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'Gespeichert: Olpe – Pilot.' }).waitFor();
    assert.match(await page.locator('.deployments').textContent() ?? '', /Olpe, Pilot seit 09\/2025/);
    assert.match(await page.locator('.deployments').textContent() ?? '', /Tatsächliche Kosten: 4\.500 € pro Jahr/);

    await page.getByRole('link', { name: 'Einsatz ändern' }).click();
    await page.getByLabel(/^Status/).selectOption('production');
    await page.getByRole('button', { name: 'Einsatz speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'Geändert: Olpe – bisher „Pilot“, jetzt „produktiv“.' }).waitFor();
    await expectNoAxeViolations(page, '/loesungen/<slug> (changed)');

    // Remove: the marking asks again.
    await page.getByRole('button', { name: 'Eintrag meiner Organisation entfernen' }).click();
    await page.getByRole('heading', { name: /^Einsatz bei „.+“ entfernen\?$/ }).waitFor();
    await expectNoAxeViolations(page, '/loesungen/<slug>/einsatz/entfernen (confirmation)');
    await page.getByRole('button', { name: 'Ja, Eintrag entfernen' }).click();
    await page.getByRole('status').filter({ hasText: 'Der Eintrag Ihrer Organisation ist entfernt.' }).waitFor();
    assert.doesNotMatch(await page.locator('.deployments').textContent() ?? '', /Olpe/);
    await page.getByRole('group', { name: 'Wie setzt Olpe diese Lösung ein?' }).waitFor();
    await expectNoAxeViolations(page, '/loesungen/<slug> (removed)');
  });
});
