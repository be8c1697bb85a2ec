import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { Visitor } from '../support/client.js';
import { expectAt, expectNoAxeViolations, launchBrowser, screenshot, startListeningApp, type ListeningApp, type TestBrowser, signIn } from '../support/browser.js';
import { completeSetup, createUser, publishLegalPages } from '../support/factories.js';

/**
 * axe-core (WCAG 2.0/2.1 A and AA plus best practices) on every page template, as an anonymous
 * visitor, a member and an administrator, in German and in English, including forms returned
 * with validation errors. Every scan must find nothing.
 */

let browser: TestBrowser;
let t: ListeningApp;

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
});
after(async () => {
  await browser?.close();
  await t?.close();
});

/** axe is loaded into every page of these contexts; bypassCSP lets it in however it is added. */
const newContext = () => browser.newContext({ bypassCSP: true, axe: true });

/** Opens a page, checks the status it answered with, and scans it. */
async function scan(page: Page, path: string, status = 200): Promise<void> {
  const res = await page.goto(t.url(path));
  assert.equal(res?.status(), status, `GET ${path}`);
  assert.equal(new URL(page.url()).pathname, path.split('?')[0], `GET ${path} was redirected`);
  await expectNoAxeViolations(page, path);
}


/** Waits for a form sent back with errors: status 422 and an error summary naming the problems. */
async function submitExpectingErrors(page: Page, button: string | RegExp): Promise<void> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: button }).click(),
  ]);
  assert.equal(response.status(), 422);
  await page.getByRole('alert').first().waitFor();
}

describe('accessibility: before setup', () => {
  let anon: BrowserContext;
  before(async () => { anon = await newContext(); });
  after(() => anon?.close());

  it('/einrichtung', async () => {
    const page = await anon.newPage();
    await scan(page, '/einrichtung');
  });

  it('/einrichtung with validation errors', async () => {
    const page = await anon.newPage();
    await page.goto(t.url('/einrichtung'));
    await page.getByLabel(/^Organisation/).selectOption('andere');
    await submitExpectingErrors(page, 'Einrichtung abschließen');
    assert.ok(await page.locator('[aria-invalid="true"]').count() >= 3);
    await expectNoAxeViolations(page, '/einrichtung (422)');
  });
});

describe('accessibility after setup, before the legal pages are published', () => {
  let context: BrowserContext;
  before(async () => {
    await completeSetup(t.database.db);
    context = await newContext();
  });
  after(() => context?.close());

  it('/mitmachen closed, for a visitor and with the links to fill in the texts for an administrator', async () => {
    const page = await context.newPage();
    await scan(page, '/mitmachen');
    assert.equal(await page.locator('form[action="/mitmachen"]').count(), 0, 'no join form yet');
    const admin = await createUser(t.database.db, { role: 'admin', name: 'Ina Impressum' });
    await signIn(page, t, admin);
    await scan(page, '/mitmachen');
    await page.getByRole('link', { name: 'Datenschutzerklärung ausfüllen' }).waitFor();
    await scan(page, '/verwaltung');
    await page.getByRole('heading', { name: 'Impressum oder Datenschutzerklärung fehlen noch' }).waitFor();
    // The tests below expect their administrator to be the only one.
    await t.database.db.updateTable('users').set({ role: 'member' }).where('id', '=', admin.id).execute();
  });
});

describe('accessibility after setup', () => {
  const admin = { name: 'Anna Admin', email: '', password: '' };
  const member = { name: 'Bernd Beispiel', email: '', password: '' };
  let resetLink = '';

  before(async () => {
    const { db } = t.database;
    await completeSetup(db);
    await publishLegalPages(db);
    Object.assign(admin, await createUser(db, { role: 'admin', name: admin.name, organisation: 'Hochsauerlandkreis' }));
    Object.assign(member, await createUser(db, { role: 'member', name: member.name, organisation: 'Arnsberg' }));
    await createUser(db, { role: 'moderator', name: 'Mona Moderation', organisation: 'Meschede' });

    // A pending join request (a second one comes from the anonymous visitor below) and a reset link.
    const visitor = new Visitor(t.app);
    const joined = await visitor.submit('/mitmachen', {
      name: 'Clara Chatbot', email: 'clara@olpe.example', organisation: 'andere', organisationOther: 'Zweckverband KDO',
      jobFunction: 'IT-Leitung', message: 'Wir möchten unsere Erfahrungen mit Sprachmodellen teilen.\nUnd lernen.', consent: '1',
    });
    assert.equal(joined.statusCode, 303);
    assert.equal((await visitor.submit('/passwort-vergessen', { email: member.email })).statusCode, 200);
    const mail = await db.selectFrom('outbox').select('body_text').where('recipient', '=', member.email).orderBy('id', 'desc').executeTakeFirstOrThrow();
    resetLink = /\/passwort-setzen\/[A-Za-z0-9_-]+/.exec(mail.body_text)?.[0] ?? '';
    assert.ok(resetLink, mail.body_text);
  });

  describe('as an anonymous visitor', () => {
    let anon: BrowserContext;
    let page: Page;
    before(async () => {
      anon = await newContext();
      page = await anon.newPage();
    });
    after(() => anon?.close());

    for (const path of ['/', '/mitmachen', '/anmelden', '/passwort-vergessen', '/organisationen', '/organisationen/arnsberg',
      '/organisationen/hochsauerlandkreis', '/impressum', '/datenschutz']) {
      it(path, () => scan(page, path));
    }

    it('/mitmachen sent empty: 422 with the error summary', async () => {
      await page.goto(t.url('/mitmachen'));
      await submitExpectingErrors(page, 'Anfrage senden');
      const summary = page.getByRole('alert');
      await summary.getByRole('heading', { name: 'Bitte korrigieren Sie die folgenden Angaben:' }).waitFor();
      assert.ok(await summary.getByRole('link').count() >= 4, 'each error links to its field');
      // The summary's links lead to the fields.
      await summary.getByRole('link', { name: /E-Mail/ }).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-email');
      await expectNoAxeViolations(page, '/mitmachen (422)');
      // Every kind of field in error is framed in the colour of its error message; the content keeps its distance from the header.
      // (No helper functions inside evaluate: the test's transpiler would wrap them in a helper the page lacks.)
      const look = await page.evaluate(() => ({
        errorColour: getComputedStyle(document.querySelector('#f-name-error')!).color,
        name: getComputedStyle(document.querySelector('#f-name')!).borderTopColor,
        organisation: getComputedStyle(document.querySelector('#f-organisation')!).borderTopColor,
        message: getComputedStyle(document.querySelector('#f-message')!).borderTopColor,
        mainPadding: parseFloat(getComputedStyle(document.querySelector('main')!).paddingTop),
      }));
      assert.equal(look.name, look.errorColour, JSON.stringify(look));
      assert.equal(look.organisation, look.errorColour, JSON.stringify(look));
      assert.notEqual(look.message, look.errorColour, 'a field without error keeps its usual frame');
      assert.ok(look.mainPadding >= 16, JSON.stringify(look));
      await screenshot(page, 'mitmachen-fehler');
    });

    it('/mitmachen/danke after a real submission', async () => {
      await page.goto(t.url('/mitmachen'));
      await page.getByLabel('Vor- und Nachname').fill('Dora Datenschutz');
      await page.getByLabel('E-Mail-Adresse').fill('dora@arnsberg.example');
      await page.getByLabel(/^Organisation/).selectOption({ label: 'Arnsberg' });
      await page.getByLabel('Funktion').fill('Datenschutzbeauftragte');
      await page.getByLabel(/Datenschutzerklärung gelesen/).check();
      await page.getByRole('button', { name: 'Anfrage senden' }).click();
      await expectAt(page, '/mitmachen/danke');
      await expectNoAxeViolations(page, '/mitmachen/danke');
    });

    it('/anmelden after a failed attempt', async () => {
      await page.goto(t.url('/anmelden'));
      await page.getByLabel('E-Mail-Adresse').fill(member.email);
      await page.getByLabel(/^Passwort/).fill('nicht-das-richtige');
      await submitExpectingErrors(page, 'Anmelden');
      await expectNoAxeViolations(page, '/anmelden (422)');
    });

    it('/passwort-vergessen after sending', async () => {
      await page.goto(t.url('/passwort-vergessen'));
      await page.getByLabel('E-Mail-Adresse').fill('niemand@example.org');
      await page.getByRole('button', { name: 'Link anfordern' }).click();
      await page.getByRole('status').waitFor();
      await expectNoAxeViolations(page, '/passwort-vergessen (sent)');
    });

    it('/passwort-setzen/<valid token>', async () => {
      await scan(page, resetLink);
      await page.getByRole('heading', { level: 1, name: 'Passwort festlegen' }).waitFor();
    });

    it('/passwort-setzen/<valid token> with mismatching passwords', async () => {
      await page.goto(t.url(resetLink));
      await page.getByLabel(/^Passwort \(/).fill('ein-langes-passwort');
      await page.getByLabel('Passwort wiederholen').fill('ein-anderes-passwort');
      await submitExpectingErrors(page, 'Passwort speichern');
      await expectNoAxeViolations(page, '/passwort-setzen (422)');
    });

    it('the invalid-link page', async () => {
      await scan(page, '/passwort-setzen/dieser-link-ist-nicht-gueltig-1234', 410);
      await page.getByRole('heading', { level: 1, name: 'Link ungültig' }).waitFor();
    });

    it('a 404 page', async () => {
      await scan(page, '/gibt-es-nicht', 404);
      await page.getByRole('heading', { level: 1, name: 'Seite nicht gefunden' }).waitFor();
    });
  });

  describe('as a member', () => {
    let context: BrowserContext;
    let page: Page;
    before(async () => {
      context = await newContext();
      page = await context.newPage();
      await signIn(page, t, member);
    });
    after(() => context?.close());

    for (const path of ['/profil', '/mitglieder', '/organisationen/arnsberg']) {
      it(path, () => scan(page, path));
    }

    it('/organisationen/arnsberg lists the people to members', async () => {
      await page.goto(t.url('/organisationen/arnsberg'));
      await page.getByRole('main').getByText(member.name).waitFor();
    });

    it('/profil saved (with the flash message) and with a validation error', async () => {
      await page.goto(t.url('/profil'));
      await page.getByLabel('Schwerpunkte').fill('Chatbots, Bildauswertung');
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByRole('status').waitFor();
      await expectNoAxeViolations(page, '/profil (saved)');

      await page.getByLabel('Vor- und Nachname').fill('');
      await submitExpectingErrors(page, 'Speichern');
      await expectNoAxeViolations(page, '/profil (422)');
    });

    it('a page members may not open (403)', async () => {
      await scan(page, '/verwaltung', 403);
      await page.getByRole('heading', { level: 1, name: 'Kein Zugriff' }).waitFor();
    });
  });

  describe('as an administrator', () => {
    let context: BrowserContext;
    let page: Page;
    before(async () => {
      context = await newContext();
      page = await context.newPage();
      await signIn(page, t, admin);
    });
    after(() => context?.close());

    it('/verwaltung/anfragen with two pending requests', async () => {
      await scan(page, '/verwaltung/anfragen');
      assert.ok(await page.getByRole('main').getByRole('region').count() >= 2, 'at least two requests are waiting');
      await screenshot(page, 'verwaltung-anfragen');
    });

    it('/verwaltung/anfragen: rejecting without a reason', async () => {
      await page.goto(t.url('/verwaltung/anfragen'));
      await submitExpectingErrors(page, /^Ablehnen\s*:\s*Clara Chatbot$/);
      const field = page.getByLabel('Begründung (Clara Chatbot)');
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      // The summary at the top leads to the reason field of the right request.
      await page.getByRole('alert').getByRole('link', { name: /Begründung/ }).click();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'reason');
      assert.equal(await field.evaluate((el) => el === document.activeElement), true);
      await expectNoAxeViolations(page, '/verwaltung/anfragen (422)');
      await screenshot(page, 'verwaltung-anfragen-fehler');
    });

    for (const path of ['/verwaltung', '/verwaltung/einladen', '/verwaltung/konten', '/verwaltung/postausgang', '/verwaltung/protokoll',
      '/verwaltung/sicherheit', '/impressum/bearbeiten']) {
      it(path, () => scan(page, path));
    }

    it('/verwaltung/einladen with validation errors', async () => {
      await page.goto(t.url('/verwaltung/einladen'));
      await submitExpectingErrors(page, 'Einladung senden');
      await expectNoAxeViolations(page, '/verwaltung/einladen (422)');
    });

    it('/verwaltung/konten refusing to demote the last administrator', async () => {
      await page.goto(t.url('/verwaltung/konten'));
      const row = page.getByRole('row', { name: new RegExp(admin.name) });
      await row.getByRole('combobox').selectOption('member');
      await submitExpectingErrors(page, /^Speichern\s*:\s*Anna Admin$/);
      await expectNoAxeViolations(page, '/verwaltung/konten (422)');
    });

    it('/impressum with content written in Markdown, as saved by the administrator', async () => {
      await page.goto(t.url('/impressum/bearbeiten'));
      await page.getByLabel(/^Text \(Markdown\)/).fill([
        'Angaben gemäß § 5 DDG', '', '## Anbieter', '', 'Südwestfalen-IT  ', 'Sonnenblumenallee 3  ', '58675 Hemer', '',
        '## Kontakt', '', '- E-Mail: [info@example.org](mailto:info@example.org)', '- Web: <https://www.example.org>', '',
        '### Verantwortlich', '', 'Anna Admin, **Community-Management**',
      ].join('\n'));
      await page.getByRole('button', { name: 'Speichern' }).click();
      await expectAt(page, '/impressum');
      await page.getByRole('heading', { level: 2, name: 'Anbieter' }).waitFor();
      await expectNoAxeViolations(page, '/impressum (with content)');
      await page.getByRole('link', { name: 'Bearbeiten' }).waitFor();
    });
  });

  describe('in English', () => {
    let anon: BrowserContext;
    let adminContext: BrowserContext;
    let page: Page;
    before(async () => {
      [anon, adminContext] = await Promise.all([newContext(), newContext()]);
      page = await anon.newPage();
    });
    after(async () => {
      await anon?.close();
      await adminContext?.close();
    });

    it('switching language from the header', async () => {
      await page.goto(t.url('/mitmachen'));
      await page.locator('header').getByRole('link', { name: 'Switch to English' }).click();
      await expectAt(page, '/mitmachen');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await page.getByRole('heading', { level: 1, name: 'Join' }).waitFor();
      await expectNoAxeViolations(page, '/mitmachen (en)');
    });

    for (const [label, path, status] of [['/', '/', 200], ['/organisationen/arnsberg', '/organisationen/arnsberg', 200], ['a 404 page', '/gibt-es-nicht', 404]] as const) {
      it(`${label} (en)`, async () => {
        await scan(page, path, status);
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      });
    }

    it('/mitmachen sent empty (en)', async () => {
      await page.goto(t.url('/mitmachen'));
      await submitExpectingErrors(page, 'Send request');
      await page.getByRole('alert').getByRole('heading', { name: 'Please correct the following:' }).waitFor();
      await expectNoAxeViolations(page, '/mitmachen (en, 422)');
    });

    it('/verwaltung/anfragen and /profil for an administrator (en)', async () => {
      const adminPage = await adminContext.newPage();
      await signIn(adminPage, t, admin);
      await adminPage.goto(t.url('/verwaltung/anfragen'));
      await adminPage.locator('header').getByRole('link', { name: 'Switch to English' }).click();
      await expectAt(adminPage, '/verwaltung/anfragen');
      await adminPage.getByRole('heading', { level: 1, name: 'Join requests' }).waitFor();
      await expectNoAxeViolations(adminPage, '/verwaltung/anfragen (en)');
      await scan(adminPage, '/profil');
    });
  });
});
