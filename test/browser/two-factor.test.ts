import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as OTPAuth from 'otpauth';
import { expectAt, expectNoAxeViolations, launchBrowser, siteHeader, signIn, startListeningApp, type ListeningApp, type TestBrowser } from '../support/browser.js';
import { completeSetup, createUser } from '../support/factories.js';

/**
 * Two-factor sign-in as a member meets it: set it up on the profile page with the key shown there (as an
 * authenticator app would read it), sign out, and sign in again with password and code — with an axe scan of
 * every page on the way.
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

/** The code an authenticator app shows for the key. */
function codeFor(secret: string, timestamp: number): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp });
}

describe('two-factor sign-in in the browser', () => {
  it('a member sets it up on the profile page, signs out, and signs in with password and code', async () => {
    const member = await createUser(t.database.db, { name: 'Zora Zweifach', email: 'zora@two-factor.example' });
    const page = await browser.newPage({ bypassCSP: true, axe: true });
    await signIn(page, t, member);

    await page.goto(t.url('/profil'));
    await expectNoAxeViolations(page, '/profil');
    await page.getByRole('link', { name: 'Zwei-Faktor-Anmeldung einrichten' }).click();
    await expectAt(page, '/profil/zwei-faktor');
    await page.getByRole('img', { name: 'QR-Code zum Einrichten der Authenticator-App' }).waitFor();
    await expectNoAxeViolations(page, '/profil/zwei-faktor (setup)');
    const secret = (await page.locator('#two-factor-secret').innerText()).replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);

    await page.getByRole('textbox', { name: /^Code/ }).fill(codeFor(secret, Date.now()));
    await page.getByRole('button', { name: 'Einschalten' }).click();
    await page.getByRole('heading', { level: 1, name: 'Zwei-Faktor-Anmeldung eingeschaltet' }).waitFor();
    assert.equal(await page.locator('.recovery-codes li').count(), 10);
    await expectNoAxeViolations(page, 'recovery codes');

    await siteHeader(page).getByRole('button', { name: 'Abmelden' }).click();
    await siteHeader(page).getByRole('link', { name: 'Anmelden' }).waitFor();

    await page.goto(t.url('/anmelden'));
    await page.getByLabel('E-Mail-Adresse').fill(member.email);
    await page.getByLabel(/^Passwort/).fill(member.password);
    await page.getByRole('main').getByRole('button', { name: 'Anmelden', exact: true }).click();
    await expectAt(page, '/anmelden/code');
    assert.equal(await siteHeader(page).getByRole('button', { name: 'Abmelden' }).count(), 0, 'not signed in after the password alone');
    await expectNoAxeViolations(page, '/anmelden/code');

    await page.getByRole('textbox', { name: /^Code/ }).fill('123');
    await page.getByRole('main').getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByRole('alert').getByText(/Der Code stimmt nicht/).waitFor();
    await expectNoAxeViolations(page, '/anmelden/code (422)');

    // The next time step: the one used for the setup is spent.
    await page.getByRole('textbox', { name: /^Code/ }).fill(codeFor(secret, Date.now() + 30_000));
    await page.getByRole('main').getByRole('button', { name: 'Anmelden', exact: true }).click();
    await siteHeader(page).getByRole('button', { name: 'Abmelden' }).waitFor();
    await expectAt(page, '/');
  });
});
