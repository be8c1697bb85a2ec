import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { expectAt, launchBrowser, startListeningApp, type ListeningApp, type TestBrowser } from '../support/browser.js';
import { completeSetup, createUser, organisationId, publishLegalPages, signedIn } from '../support/factories.js';
import { startSmtpServer } from '../support/smtp.js';

type Smtp = Awaited<ReturnType<typeof startSmtpServer>>;

const ADMIN = { name: 'Anna Admin', email: 'anna@sit.example', organisation: 'Südwestfalen-IT', password: 'Anna-ihr-langes-Passwort' };
const MEMBER = { name: 'Bernd Beispiel', email: 'bernd.beispiel@arnsberg.example', password: 'Bernds-sicheres-Passwort-7' };

/**
 * A button's accessible name such as "Annehmen: Bernd Beispiel": the person's name is visually hidden,
 * and as that span is laid out as a block, the computed name has a space before the colon.
 */
const forPerson = (action: string, name: string) => new RegExp(`^${action}\\s*:\\s*${name}$`);

/** The header's account area: what a person sees to sign in or out. */
const header = (page: Page) => page.locator('header.site-header');

async function signIn(page: Page, email: string, password: string) {
  await header(page).getByRole('link', { name: 'Anmelden', exact: true }).click();
  await expectAt(page, '/anmelden');
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel(/^Passwort/).fill(password);
  await page.getByRole('main').getByRole('button', { name: 'Anmelden', exact: true }).click();
  await header(page).getByRole('button', { name: 'Abmelden' }).waitFor();
}

async function signOut(page: Page) {
  await header(page).getByRole('button', { name: 'Abmelden' }).click();
  await header(page).getByRole('link', { name: 'Anmelden', exact: true }).waitFor();
}

// One browser serves the whole file; each test opens its own contexts (own cookies) in it.
let browser: TestBrowser;
before(async () => { browser = await launchBrowser(); });
after(() => browser?.close());

describe('a person’s journey through the platform, in a real browser', () => {
  let smtp: Smtp;
  let t: ListeningApp;

  before(async () => {
    smtp = await startSmtpServer();
    t = await startListeningApp({ SMTP_URL: smtp.url, RUN_JOBS: '1' });
  });
  after(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('from setup through joining, approval, invitation and profile to signing out', async () => {
    // The administrator's browser (with the site's real CSP in force).
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();

    // 1. First start: every page leads to the setup wizard.
    await admin.goto(t.url('/'));
    await expectAt(admin, '/einrichtung');
    await admin.getByRole('heading', { level: 1, name: 'Einrichtung' }).waitFor();
    await admin.getByLabel('Vor- und Nachname').fill(ADMIN.name);
    await admin.getByLabel('E-Mail-Adresse').fill(ADMIN.email);
    await admin.getByLabel(/^Organisation/).selectOption('andere');
    await admin.getByLabel('Name der Organisation').fill(ADMIN.organisation);
    await admin.getByLabel('Funktion').fill('Community-Management');
    await admin.getByLabel(/^Passwort \(/).fill(ADMIN.password);
    await admin.getByLabel('Passwort wiederholen').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Einrichtung abschließen' }).click();
    await expectAt(admin, '/verwaltung');
    await admin.getByRole('status').filter({ hasText: 'Die Einrichtung ist abgeschlossen' }).waitFor();
    // The administration names the missing legal pages; the join form opens once both are published.
    await admin.getByRole('heading', { name: 'Impressum oder Datenschutzerklärung fehlen noch' }).waitFor();
    for (const [page, path, text] of [['Impressum', '/impressum', 'Verantwortlich: Südwestfalen-IT'], ['Datenschutzerklärung', '/datenschutz', 'Wir verarbeiten Ihre Angaben nur für Ihre Anfrage.']]) {
      await admin.getByRole('link', { name: `${page} ausfüllen` }).click();
      await expectAt(admin, `${path}/bearbeiten`);
      await admin.getByLabel(/^Text \(Markdown\)/).fill(text);
      await admin.getByRole('button', { name: 'Speichern' }).click();
      await expectAt(admin, path);
      await admin.goto(t.url('/verwaltung'));
    }
    assert.equal(await admin.getByRole('heading', { name: 'Impressum oder Datenschutzerklärung fehlen noch' }).count(), 0);
    await signOut(admin);
    await expectAt(admin, '/');

    // 2. A visitor asks to join.
    const visitorContext = await browser.newContext();
    const visitor = await visitorContext.newPage();
    await visitor.goto(t.url('/'));
    await header(visitor).getByRole('link', { name: 'Mitmachen' }).click();
    await expectAt(visitor, '/mitmachen');
    await visitor.getByLabel('Vor- und Nachname').fill(MEMBER.name);
    await visitor.getByLabel('E-Mail-Adresse').fill(MEMBER.email);
    await visitor.getByLabel(/^Organisation/).selectOption({ label: 'Arnsberg' });
    await visitor.getByLabel('Funktion').fill('Digitalisierungsbeauftragter');
    await visitor.getByLabel('Nachricht').fill('Wir testen einen Chatbot für das Bürgerbüro.');
    await visitor.getByLabel(/Datenschutzerklärung gelesen/).check();
    await visitor.getByRole('button', { name: 'Anfrage senden' }).click();
    await expectAt(visitor, '/mitmachen/danke');
    await visitor.getByRole('heading', { level: 1, name: 'Vielen Dank für Ihre Anfrage' }).waitFor();
    await visitorContext.close();

    // The administrators hear of it by mail.
    await t.deliverMail();
    const notice = await smtp.waitFor(ADMIN.email, /Beitrittsanfrage/);
    assert.match(notice.subject, new RegExp(MEMBER.name));
    assert.ok(notice.text.includes(t.url('/verwaltung/anfragen')), notice.text);

    // 3. The administrator signs in and approves the request.
    await signIn(admin, ADMIN.email, ADMIN.password);
    await header(admin).getByRole('link', { name: 'Verwaltung' }).click();
    await expectAt(admin, '/verwaltung');
    await admin.getByRole('main').getByRole('link', { name: 'Beitrittsanfragen' }).click();
    await expectAt(admin, '/verwaltung/anfragen');
    const card = admin.getByRole('region', { name: MEMBER.name });
    await card.getByText('Arnsberg', { exact: true }).waitFor();
    await card.getByText('Wir testen einen Chatbot für das Bürgerbüro.').waitFor();
    await card.getByRole('button', { name: forPerson('Annehmen', MEMBER.name) }).click();
    await expectAt(admin, '/verwaltung/anfragen');
    await admin.getByRole('status').filter({ hasText: `Die Anfrage von ${MEMBER.name} ist angenommen` }).waitFor();
    await admin.getByText('Keine offenen Anfragen.').waitFor();

    // 4. The invitation arrives over SMTP, with a link back to this very server.
    await t.deliverMail();
    const invitation = await smtp.waitFor(MEMBER.email, /Einladung/);
    const link = /https?:\/\/\S+\/passwort-setzen\/[A-Za-z0-9_-]+/.exec(invitation.text)?.[0];
    assert.ok(link, `no link in the invitation:\n${invitation.text}`);
    assert.ok(link.startsWith(`${t.baseUrl}/passwort-setzen/`), link);

    // 5. The new member opens the link in their own browser and sets a password.
    const memberContext = await browser.newContext();
    const member = await memberContext.newPage();
    const opened = await member.goto(link);
    assert.equal(opened?.status(), 200);
    await member.getByRole('heading', { level: 1, name: 'Passwort festlegen' }).waitFor();
    await member.getByText(MEMBER.email).waitFor();
    await member.getByLabel(/^Passwort \(/).fill(MEMBER.password);
    await member.getByLabel('Passwort wiederholen').fill(MEMBER.password);
    await member.getByRole('button', { name: 'Passwort speichern' }).click();
    await expectAt(member, '/willkommen');
    await member.getByRole('status').filter({ hasText: 'Ihr Passwort ist gespeichert' }).waitFor();
    await member.getByRole('heading', { level: 1, name: /^Willkommen bei der / }).waitFor();
    await member.getByRole('link', { name: 'Profil vervollständigen' }).click();
    await expectAt(member, '/profil');
    await header(member).getByRole('link', { name: 'Mein Profil' }).waitFor();
    await header(member).getByRole('button', { name: 'Abmelden' }).waitFor();
    assert.equal(await header(member).getByRole('link', { name: 'Anmelden', exact: true }).count(), 0);
    await member.getByText('Ihre Organisation: Arnsberg').waitFor();

    // 6. The profile as approved, then edited.
    assert.equal(await member.getByLabel('Vor- und Nachname').inputValue(), MEMBER.name);
    assert.equal(await member.getByLabel('Funktion').inputValue(), 'Digitalisierungsbeauftragter');
    assert.equal(await member.getByLabel('Benachrichtigungen per E-Mail erhalten').isChecked(), true);
    await member.getByLabel('Funktion').fill('Leitung Digitalisierung');
    await member.getByLabel('Schwerpunkte').fill('Chatbots, Bildauswertung ,Chatbots');
    await member.getByLabel('Benachrichtigungen per E-Mail erhalten').uncheck();
    await member.getByRole('button', { name: 'Speichern' }).click();
    await expectAt(member, '/profil');
    await member.getByRole('status').filter({ hasText: 'Ihr Profil ist gespeichert.' }).waitFor();
    await member.reload();
    assert.equal(await member.getByLabel('Funktion').inputValue(), 'Leitung Digitalisierung');
    assert.equal(await member.getByLabel('Schwerpunkte').inputValue(), 'Chatbots, Bildauswertung');
    assert.equal(await member.getByLabel('Benachrichtigungen per E-Mail erhalten').isChecked(), false);
    assert.equal(await member.getByRole('status').count(), 0, 'the flash message is shown once only');

    // The directory shows the new member with the saved values.
    await header(member).getByRole('link', { name: 'Mitglieder' }).click();
    const row = member.getByRole('row', { name: new RegExp(MEMBER.name) });
    await row.getByRole('cell', { name: 'Leitung Digitalisierung' }).waitFor();
    await row.getByRole('cell', { name: 'Chatbots, Bildauswertung' }).waitFor();

    // 7. Signing out: the header offers "Anmelden" again and the profile needs a sign-in.
    await header(member).getByRole('link', { name: 'Mein Profil' }).click();
    await signOut(member);
    await expectAt(member, '/');
    assert.equal(await header(member).getByRole('link', { name: 'Mein Profil' }).count(), 0);
    await member.goto(t.url('/profil'));
    await expectAt(member, '/anmelden?weiter=%2Fprofil');
    await member.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();

    // The invitation link works once only.
    const again = await member.goto(link);
    assert.equal(again?.status(), 410);
    await member.getByRole('heading', { level: 1, name: 'Link ungültig' }).waitFor();
    assert.equal(await member.getByLabel(/^Passwort/).count(), 0);

    // Signing in with the new password leads back to the page asked for.
    await member.goto(t.url('/profil'));
    await member.getByLabel('E-Mail-Adresse').fill(MEMBER.email);
    await member.getByLabel(/^Passwort/).fill(MEMBER.password);
    await member.getByRole('main').getByRole('button', { name: 'Anmelden', exact: true }).click();
    await expectAt(member, '/profil');
    assert.equal(await member.getByLabel('Funktion').inputValue(), 'Leitung Digitalisierung');

    await Promise.all([adminContext.close(), memberContext.close()]);
  });

  it('an invitation link open in two browsers at once: the second to send it gets "Link ungültig"', async () => {
    // An administrator's direct invitation (made in process: the browser part is the link).
    const { visitor } = await signedIn(t.app, t.database.db, 'admin');
    const invited = await visitor.submit('/verwaltung/einladen', {
      name: 'Clara Chatbot', email: 'clara@meschede.example', organisation: String(await organisationId(t.database.db, 'Meschede')), jobFunction: '', role: 'member',
    });
    assert.equal(invited.statusCode, 303);

    await t.deliverMail();
    const mail = await smtp.waitFor('clara@meschede.example', /Einladung/);
    const link = /https?:\/\/\S+\/passwort-setzen\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
    assert.ok(link);

    const [first, second] = await Promise.all([browser.newContext(), browser.newContext()]);
    const a = await first.newPage();
    const b = await second.newPage();
    // Both open the form while the link is still valid …
    await Promise.all([a.goto(link), b.goto(link)]);
    for (const p of [a, b]) {
      await p.getByLabel(/^Passwort \(/).fill('Claras-eigenes-Passwort');
      await p.getByLabel('Passwort wiederholen').fill('Claras-eigenes-Passwort');
    }
    // … the first to send it wins; the second gets the invalid-link page, not a second password.
    await a.getByRole('button', { name: 'Passwort speichern' }).click();
    await expectAt(a, '/willkommen');
    await b.getByRole('button', { name: 'Passwort speichern' }).click();
    await b.getByRole('heading', { level: 1, name: 'Link ungültig' }).waitFor();
    assert.equal(await header(b).getByRole('button', { name: 'Abmelden' }).count(), 0);
    await Promise.all([first.close(), second.close()]);
  });
});

describe('every page works without JavaScript', () => {
  let t: ListeningApp;
  let context: BrowserContext;

  before(async () => {
    t = await startListeningApp();
    await completeSetup(t.database.db);
    await publishLegalPages(t.database.db);
    context = await browser.newContext({ javaScriptEnabled: false });
  });
  after(async () => {
    await context?.close();
    await t?.close();
  });

  it('joining, signing in, approving and signing out with scripting switched off', async () => {
    const admin = await createUser(t.database.db, { role: 'admin', name: 'Olga Ohnescript' });
    const page = await context.newPage();
    await page.goto(t.url('/mitmachen'));
    assert.equal(await page.locator('script').count(), 0, 'the pages ship no scripts at all');

    // A failed submission comes back from the server with the error summary and what was typed.
    await page.getByLabel('Vor- und Nachname').fill('Nora Noscript');
    await page.getByRole('button', { name: 'Anfrage senden' }).click();
    await expectAt(page, '/mitmachen');
    await page.getByRole('alert').getByRole('heading', { name: 'Bitte korrigieren Sie die folgenden Angaben:' }).waitFor();
    assert.equal(await page.getByLabel('Vor- und Nachname').inputValue(), 'Nora Noscript');

    await page.getByLabel('E-Mail-Adresse').fill('nora@olpe.example');
    await page.getByLabel(/^Organisation/).selectOption({ label: 'Olpe' });
    await page.getByLabel('Funktion').fill('IT-Leitung');
    await page.getByLabel(/Datenschutzerklärung gelesen/).check();
    await page.getByRole('button', { name: 'Anfrage senden' }).click();
    await expectAt(page, '/mitmachen/danke');
    await page.getByRole('heading', { level: 1, name: 'Vielen Dank für Ihre Anfrage' }).waitFor();

    // A wrong password, then the right one.
    await header(page).getByRole('link', { name: 'Anmelden', exact: true }).click();
    await page.getByLabel('E-Mail-Adresse').fill(admin.email);
    await page.getByLabel(/^Passwort/).fill('falsch-falsch-falsch');
    await page.getByRole('main').getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'E-Mail-Adresse oder Passwort ist falsch.' }).waitFor();
    assert.equal(await page.getByLabel('E-Mail-Adresse').inputValue(), admin.email);
    await page.getByLabel(/^Passwort/).fill(admin.password);
    await page.getByRole('main').getByRole('button', { name: 'Anmelden', exact: true }).click();
    await expectAt(page, '/');
    await header(page).getByRole('button', { name: 'Abmelden' }).waitFor();

    await header(page).getByRole('link', { name: 'Verwaltung' }).click();
    await page.getByRole('main').getByRole('link', { name: 'Beitrittsanfragen' }).click();
    await page.getByRole('button', { name: forPerson('Annehmen', 'Nora Noscript') }).click();
    await page.getByRole('status').filter({ hasText: 'Die Anfrage von Nora Noscript ist angenommen' }).waitFor();
    const user = await t.database.db.selectFrom('users').select(['role', 'password_hash']).where('email', '=', 'nora@olpe.example').executeTakeFirst();
    assert.deepEqual(user, { role: 'member', password_hash: null });

    await signOut(page);
    await expectAt(page, '/');
  });
});
