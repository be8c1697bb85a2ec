import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { EXAMPLES } from '../../src/modules/catalogue/examples.js';
import { markDeployment } from '../../src/modules/catalogue/service.js';
import { importRegisterCases } from '../../src/modules/questions/fixtures/support.js';
import { expectNoAxeViolations, launchBrowser, startListeningApp, type ListeningApp, type TestBrowser, signIn } from '../support/browser.js';
import { makeSolution, viewerOf } from '../support/catalogue.js';
import { completeSetup, createUser } from '../support/factories.js';

/**
 * Digital neighbourly help in the browser: a member of Arnsberg asks, the platform matches the question to the
 * catalogue, a member of Olpe (which runs a similar chatbot) finds the notification and answers, the asker
 * accepts the answer — with an axe scan of every page on the way.
 */

let browser: TestBrowser;
let t: ListeningApp;
type Person = { id: number; email: string; password: string };
let asker: Person;
let olpe: Person;
let moderator: Person;

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
  const db = t.database.db;
  await completeSetup(db);
  await importRegisterCases(db);
  const siegen = await viewerOf(db, (await createUser(db, { organisation: 'Siegen' })).id);
  const phone = EXAMPLES.find((e) => e.title.includes('Telefonservice'))!;
  await makeSolution(db, siegen, Object.fromEntries(Object.entries(phone).map(([k, v]) => [k, v === null ? '' : String(v)])));
  asker = await createUser(db, { organisation: 'Arnsberg', name: 'Anna Arnsberg' });
  olpe = await createUser(db, { organisation: 'Olpe', name: 'Otto Olpe' });
  moderator = await createUser(db, { organisation: 'Soest', name: 'Mona Moderation', role: 'moderator' });
  await markDeployment(db, await viewerOf(db, olpe.id), 'kora-virtual-assistant', { status: 'production', since: '2024-05', contact: 'digital@olpe.example' }, {});
});
after(async () => {
  await browser?.close();
  await t?.close();
});


describe('questions in the browser', () => {
  let askerContext: BrowserContext;
  let olpeContext: BrowserContext;
  before(async () => {
    askerContext = await browser.newContext({ bypassCSP: true, axe: true });
    olpeContext = await browser.newContext({ bypassCSP: true, axe: true });
  });
  after(async () => {
    await askerContext?.close();
    await olpeContext?.close();
  });

  it('a member asks, gets matched, the matched organisation\'s member is notified and answers, the asker accepts', async () => {
    const page = await askerContext.newPage();
    await signIn(page, t, asker);
    await page.locator('header').getByRole('link', { name: 'Fragen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Fragen und Antworten' }).waitFor();
    await expectNoAxeViolations(page, '/fragen');

    await page.getByRole('link', { name: 'Frage stellen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Neue Frage' }).waitFor();
    await expectNoAxeViolations(page, '/fragen/neu');

    // Without a title the form comes back with the summary and what was typed.
    await page.getByLabel(/^Ihre Frage/).fill('Wir möchten Anfragen der Bürgerinnen und Bürger rund um die Uhr beantworten, per Chatbot auf der Website oder am Telefon. Wer betreibt so etwas schon?');
    const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Frage veröffentlichen' }).click()]);
    assert.equal(refused.status(), 422);
    await page.getByRole('alert').getByText('Bitte füllen Sie „Titel“ aus.').waitFor();
    assert.match(await page.getByLabel(/^Ihre Frage/).inputValue(), /rund um die Uhr/);
    await expectNoAxeViolations(page, '/fragen/neu (422)');

    await page.getByLabel(/^Titel/).fill('Chatbot oder KI-Telefonservice für Bürgeranfragen?');
    await page.getByLabel(/^Schlagwörter/).fill('chatbot, telefon');
    await page.getByLabel(/^Handlungsfeld/).selectOption({ label: 'Allgemeine Verwaltung' });
    await page.getByLabel(/^Sichtbarkeit/).selectOption({ label: 'öffentlich' });
    await page.getByRole('button', { name: 'Frage veröffentlichen' }).click();
    await page.getByRole('status').filter({ hasText: 'Ihre Frage ist veröffentlicht.' }).waitFor();
    const questionUrl = page.url();

    // The matched solutions stand beside the question, with who runs them.
    const matched = page.getByRole('complementary', { name: 'Das gibt es schon' });
    await matched.getByRole('link', { name: 'KI-Telefonservice für die Bürgerhotline' }).waitFor();
    await matched.getByRole('link', { name: 'Kora - virtual assistant' }).waitFor();
    assert.match(await matched.textContent() ?? '', /Olpe: produktiv seit 05\/2024 – Kontakt: digital@olpe\.example/);
    assert.match(await matched.textContent() ?? '', /Siegen \(hat die Lösung beschrieben\)/);
    assert.doesNotMatch(await matched.textContent() ?? '', /Road Condition|wastewater/);
    await expectNoAxeViolations(page, '/fragen/<id>');

    // Olpe runs a similar chatbot: its member finds the notification and answers.
    const other = await olpeContext.newPage();
    await signIn(other, t, olpe);
    await other.locator('header').getByRole('link', { name: /Benachrichtigungen/ }).click();
    await other.getByRole('heading', { level: 1, name: 'Benachrichtigungen' }).waitFor();
    await expectNoAxeViolations(other, '/benachrichtigungen');
    await other.getByRole('link', { name: /^Arnsberg fragt: „Chatbot oder KI-Telefonservice für Bürgeranfragen\?“ – Ihre Organisation betreibt etwas Ähnliches \(Kora - virtual assistant\)\.$/ }).click();
    await other.getByRole('heading', { level: 1, name: 'Chatbot oder KI-Telefonservice für Bürgeranfragen?' }).waitFor();
    assert.equal(other.url(), questionUrl);
    await expectNoAxeViolations(other, '/fragen/<id> (other member)');
    await other.getByRole('textbox', { name: /^Ihre Antwort/ }).fill('Wir setzen **Kora** seit Mai 2024 ein. Melden Sie sich gern bei uns!');
    await other.getByRole('button', { name: 'Antwort veröffentlichen' }).click();
    await other.getByRole('status').filter({ hasText: 'Ihre Antwort ist veröffentlicht.' }).waitFor();
    await other.getByRole('heading', { level: 3, name: 'Antwort von Otto Olpe (Olpe)' }).waitFor();
    assert.equal(await other.getByRole('button', { name: 'Diese Antwort annehmen' }).count(), 0, 'only the asker accepts');
    await expectNoAxeViolations(other, '/fragen/<id> (answered)');

    // The asker is told, accepts the answer, and the question counts as answered.
    await page.goto(t.url('/benachrichtigungen'));
    await page.getByRole('link', { name: 'Otto Olpe (Olpe) hat Ihre Frage „Chatbot oder KI-Telefonservice für Bürgeranfragen?“ beantwortet.' }).click();
    await page.getByRole('heading', { level: 1, name: 'Chatbot oder KI-Telefonservice für Bürgeranfragen?' }).waitFor();
    await page.getByRole('button', { name: 'Diese Antwort annehmen' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Antwort ist angenommen' }).waitFor();
    assert.match(await page.locator('.answer.accepted h3').textContent() ?? '', /Angenommene Antwort\s*Antwort von Otto Olpe/);
    assert.match(await page.locator('.question .meta').textContent() ?? '', /^Beantwortet/);
    await expectNoAxeViolations(page, '/fragen/<id> (accepted)');

    // Answered questions are found with the filter.
    await page.goto(t.url('/fragen'));
    await page.getByLabel('Stand').selectOption({ label: 'beantwortete Fragen' });
    await page.getByRole('button', { name: 'Anwenden' }).click();
    await page.waitForURL(/status=answered/);
    assert.deepEqual(await page.locator('.question-item h3 a').allTextContents(), ['Chatbot oder KI-Telefonservice für Bürgeranfragen?']);
    await expectNoAxeViolations(page, '/fragen?status=answered');
  });

  it('the topics, report and moderation pages pass axe, and the list works without JavaScript', async () => {
    const page = await olpeContext.newPage();
    await page.goto(t.url('/fragen/themen'));
    await expectNoAxeViolations(page, '/fragen/themen');
    await page.getByLabel(/^Schlagwort/).fill('chatbot');
    await page.getByRole('region', { name: 'Einem Schlagwort folgen' }).getByRole('button', { name: 'Folgen' }).click();
    await page.getByRole('status').filter({ hasText: 'Sie folgen jetzt „chatbot“' }).waitFor();
    await expectNoAxeViolations(page, '/fragen/themen (following)');

    await page.goto(t.url('/fragen?q=Chatbot'));
    await page.getByRole('link', { name: 'Chatbot oder KI-Telefonservice für Bürgeranfragen?' }).click();
    await page.getByRole('link', { name: 'Melden' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Beitrag melden' }).waitFor();
    await expectNoAxeViolations(page, '/fragen/<id>/melden');
    await page.getByLabel(/^Begründung/).fill('Testmeldung');
    await page.getByRole('button', { name: 'Meldung senden' }).click();
    await page.getByRole('status').filter({ hasText: 'Danke, Ihre Meldung ist bei der Moderation.' }).waitFor();

    const modContext = await browser.newContext({ bypassCSP: true, axe: true });
    try {
      const mod = await modContext.newPage();
      await signIn(mod, t, moderator);
      await mod.goto(t.url('/fragen'));
      await mod.getByRole('link', { name: 'Moderation: 1 gemeldeter Beitrag' }).click();
      await mod.getByRole('heading', { level: 1, name: 'Moderation: gemeldete Beiträge' }).waitFor();
      assert.match(await mod.getByRole('main').textContent() ?? '', /Testmeldung/);
      await expectNoAxeViolations(mod, '/fragen/moderation');
      await mod.getByRole('button', { name: 'Freigeben' }).click();
      await mod.getByText('Zurzeit ist nichts gemeldet.').waitFor();
    } finally {
      await modContext.close();
    }

    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      const anon = await noScript.newPage();
      await anon.goto(t.url('/fragen'));
      await anon.getByLabel('Fragen durchsuchen').fill('Telefonservice');
      await anon.locator('main').getByRole('button', { name: 'Suchen' }).click();
      await anon.waitForURL(/q=Telefonservice/);
      await anon.getByRole('link', { name: 'Chatbot oder KI-Telefonservice für Bürgeranfragen?' }).click();
      await anon.getByRole('heading', { level: 1, name: 'Chatbot oder KI-Telefonservice für Bürgeranfragen?' }).waitFor();
      await anon.getByRole('link', { name: 'Melden Sie sich an, um zu antworten.' }).waitFor();
    } finally {
      await noScript.close();
    }
  });
});
