import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectAt, expectNoAxeViolations, launchBrowser, siteHeader, startListeningApp, type ListeningApp, type TestBrowser } from '../support/browser.js';
import { completeSetup } from '../support/factories.js';
import { createOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { sessionsOf } from '../../src/platform/http/session-store.js';

/**
 * Single sign-on as a person does it: the platform's button, the provider's own login and consent pages
 * (oidc-provider on this machine), back to the platform; axe on every platform page on the way.
 */

let browser: TestBrowser;
let t: ListeningApp;
let idp: TestOidcProvider;

before(async () => {
  idp = await createOidcProvider({ name: 'Testdienst' });
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp(idp.env({ OIDC_ORGANISATIONS: '@olpe.de Olpe' }))]);
  await completeSetup(t.database.db);
  await idp.start(t.baseUrl);
  idp.addPerson({ sub: 'anna', email: 'anna.schmidt@olpe.de', email_verified: true, name: 'Anna Schmidt' });
});
after(async () => {
  await browser?.close();
  await t?.close();
  await idp?.stop();
});

describe('single sign-on in the browser', () => {
  it('signs in through the provider\'s login and consent pages, creates the account in Olpe, and signs out at both', async () => {
    const context = await browser.newContext({ bypassCSP: true, axe: true });
    const page = await context.newPage();
    await page.goto(t.url('/anmelden?weiter=/profil'));
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'Anmelden mit Testdienst' }).click();
    // The provider's own pages (not the platform's: no axe there).
    await page.locator('input[name="login"]').fill('anna');
    await page.locator('input[name="password"]').fill('beliebig');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await expectAt(page, '/profil');
    await siteHeader(page).getByRole('button', { name: 'Abmelden' }).waitFor();
    await page.getByText('Willkommen! Ihr Konto ist angelegt').waitFor();
    await page.getByText('Verbunden mit Testdienst (anna.schmidt@olpe.de)').waitFor();
    await expectNoAxeViolations(page);
    const user = await t.database.db.selectFrom('users').innerJoin('organisations', 'organisations.id', 'users.organisation_id')
      .select(['users.name', 'organisations.name as organisation']).where('users.email', '=', 'anna.schmidt@olpe.de').executeTakeFirstOrThrow();
    assert.deepEqual(user, { name: 'Anna Schmidt', organisation: 'Olpe' });

    await siteHeader(page).getByRole('button', { name: 'Abmelden' }).click();
    await page.getByText('Sie sind von der Plattform abgemeldet.').waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Auch bei Testdienst abmelden' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await expectAt(page, '/');
    await siteHeader(page).getByRole('link', { name: 'Anmelden' }).waitFor();
    await context.close();
  });

  it('an account without a password is deleted only after logging in again at the provider, which leads back to the deletion', async () => {
    idp.addPerson({ sub: 'berta', email: 'berta.ohnepasswort@olpe.de', email_verified: true, name: 'Berta Ohnepasswort' });
    const context = await browser.newContext({ bypassCSP: true, axe: true });
    const page = await context.newPage();
    await page.goto(t.url('/anmelden/sso/test?weiter=/profil/konto-loeschen'));
    await page.locator('input[name="login"]').fill('berta');
    await page.locator('input[name="password"]').fill('beliebig');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectAt(page, '/profil/konto-loeschen');
    await page.getByLabel(/^Ich möchte mein Konto endgültig löschen/).waitFor();

    // Eleven minutes later (the stored session says so), the form gives way to signing in again.
    const user = await t.database.db.selectFrom('users').select('id').where('email', '=', 'berta.ohnepasswort@olpe.de').executeTakeFirstOrThrow();
    for (const session of await sessionsOf(t.database.db, user.id)) {
      await t.database.db.updateTable('sessions').set({ data: JSON.stringify({ ...session.data, signedInAt: Date.now() - 11 * 60_000 }) }).where('sid', '=', session.sid).execute();
    }
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Bitte melden Sie sich zur Bestätigung erneut an' }).waitFor();
    assert.equal(await page.getByLabel(/^Ich möchte mein Konto endgültig löschen/).count(), 0);
    await expectNoAxeViolations(page, '/profil/konto-loeschen (sign in again)');

    // The provider still has her session, but is asked to authenticate her again: its login page comes back.
    await page.getByRole('link', { name: 'Erneut anmelden mit Testdienst' }).click();
    await page.locator('input[name="login"]').fill('berta');
    await page.locator('input[name="password"]').fill('beliebig');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await expectAt(page, '/profil/konto-loeschen');
    await page.getByLabel(/^Ich möchte mein Konto endgültig löschen/).check();
    await page.getByRole('button', { name: 'Konto endgültig löschen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Konto gelöscht' }).waitFor();
    const row = await t.database.db.selectFrom('users').select('email').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(row.email, `geloescht-${user.id}@invalid`);
    await context.close();
  });

  it('a return that does not belong to this browser shows the German message, and the page passes axe', async () => {
    const context = await browser.newContext({ bypassCSP: true, axe: true });
    const page = await context.newPage();
    const res = await page.goto(t.url('/anmelden/sso/test/rueckkehr?code=abc&state=fremd'));
    assert.equal(res?.status(), 400);
    await page.getByRole('alert').getByText(/gehört nicht zu einer Anmeldung, die in diesem Browser begonnen wurde/).waitFor();
    await expectNoAxeViolations(page);
    await context.close();
  });
});
