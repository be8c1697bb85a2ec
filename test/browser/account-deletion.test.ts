import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectAt, expectNoAxeViolations, launchBrowser, startListeningApp, type ListeningApp, type TestBrowser, signIn, siteHeader } from '../support/browser.js';
import { completeSetup, createUser, organisationId } from '../support/factories.js';

/**
 * Deleting one's account as a person does it: from the profile to the page that says what happens, a refusal
 * without the confirmation, a wrong password, and the deletion — and an administrator's account page and
 * join-request count — with an axe scan of every page involved.
 */

let browser: TestBrowser;
let t: ListeningApp;

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
  await completeSetup(t.database.db);
});
after(async () => {
  await browser?.close();
  await t?.close();
});

describe('deleting an account in the browser', () => {
  const newPage = () => browser.newPage({ bypassCSP: true, axe: true });

  it('a member finds the deletion on the profile, is refused without confirmation and with a wrong password, then deletes', async () => {
    const member = await createUser(t.database.db, { name: 'Frieda Fortgang', organisation: 'Meschede', email: 'frieda@fortgang.example' });
    const page = await newPage();
    await signIn(page, t, member);
    await page.goto(t.url('/profil'));
    await expectNoAxeViolations(page, '/profil');
    await page.getByRole('link', { name: 'Mein Konto löschen' }).click();
    await expectAt(page, '/profil/konto-loeschen');
    await page.getByRole('heading', { level: 2, name: 'Was gelöscht wird' }).waitFor();
    await expectNoAxeViolations(page, '/profil/konto-loeschen');

    await page.getByLabel(/^Ihr aktuelles Passwort/).fill(member.password);
    await page.getByRole('button', { name: 'Konto endgültig löschen' }).click();
    await page.getByRole('alert').getByText(/Bitte bestätigen Sie mit dem Häkchen/).waitFor();
    await expectNoAxeViolations(page, '/profil/konto-loeschen (not confirmed)');

    await page.getByLabel(/^Ihr aktuelles Passwort/).fill('ein-falsches-Passwort-9');
    await page.getByLabel(/^Ich möchte mein Konto endgültig löschen/).check();
    await page.getByRole('button', { name: 'Konto endgültig löschen' }).click();
    await page.getByRole('alert').getByText(/Das Passwort stimmt nicht/).waitFor();
    await expectNoAxeViolations(page, '/profil/konto-loeschen (wrong password)');

    await page.getByLabel(/^Ihr aktuelles Passwort/).fill(member.password);
    await page.getByLabel(/^Ich möchte mein Konto endgültig löschen/).check();
    await page.getByRole('button', { name: 'Konto endgültig löschen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Konto gelöscht' }).waitFor();
    await siteHeader(page).getByRole('link', { name: 'Anmelden' }).waitFor();
    await expectNoAxeViolations(page, 'after the deletion');
    const row = await t.database.db.selectFrom('users').select(['name', 'email']).where('id', '=', member.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { name: '', email: `geloescht-${member.id}@invalid` });
  });

  it('an administrator sees the open join requests in the header and manages an account', async () => {
    const admin = await createUser(t.database.db, { role: 'admin', name: 'Anke Admin' });
    const member = await createUser(t.database.db, { name: 'Bodo Betreut' });
    await t.database.db.insertInto('join_requests').values({
      name: 'Nora Neu', email: 'nora@neu.example', organisation_id: await organisationId(t.database.db), organisation_other: null, job_function: 'x', message: '',
      consent_at: new Date().toISOString(), status: 'pending', created_at: new Date().toISOString(),
    }).execute();
    const page = await newPage();
    await signIn(page, t, admin);
    await siteHeader(page).getByRole('link', { name: 'Beitrittsanfragen (1)' }).click();
    await expectAt(page, '/verwaltung/anfragen');
    await page.getByText('seit heute').first().waitFor();
    await expectNoAxeViolations(page, '/verwaltung/anfragen');

    await page.goto(t.url(`/verwaltung/konten/${member.id}`));
    await page.getByRole('heading', { level: 1, name: 'Konto von Bodo Betreut' }).waitFor();
    await expectNoAxeViolations(page, '/verwaltung/konten/:id');
    await page.getByRole('button', { name: 'Konto deaktivieren' }).click();
    await page.getByText('Das Konto von Bodo Betreut ist deaktiviert; alle Sitzungen sind beendet.').waitFor();
    await expectNoAxeViolations(page, '/verwaltung/konten/:id (deactivated)');
  });
});
