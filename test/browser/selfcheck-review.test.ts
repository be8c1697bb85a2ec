import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, signIn, startListeningApp, type ListeningApp, type TestBrowser } from '../support/browser.js';
import { completeSetup, createUser } from '../support/factories.js';

/**
 * The self-check's review and change flow in the browser: "Sind Sie sicher?" for an answer that ends the check,
 * the review page with "ändern" that comes back to the review, storing the result, and "Antwort ändern" in the
 * report that goes to the review of a new check — every page scanned with axe.
 */

let browser: TestBrowser;
let t: ListeningApp;
let member: { email: string; password: string };

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
  await completeSetup(t.database.db);
  member = await createUser(t.database.db, { organisation: 'Arnsberg', name: 'Anna Arnsberg' });
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const currentQuestion = (page: Page) => page.locator('input[name="question"]').getAttribute('value');

async function answer(page: Page, value: 'Ja' | 'Nein') {
  await page.getByRole('radio', { name: value, exact: true }).check();
  await page.getByRole('button', { name: 'Weiter' }).click();
  await page.waitForLoadState();
}

describe('self-check review and change in the browser', () => {
  let context: BrowserContext;
  before(async () => { context = await browser.newContext({ bypassCSP: true, axe: true }); });
  after(() => context?.close());

  it('asks "Sind Sie sicher?", reviews all answers, changes one from the review and one from the report', async () => {
    const page = await context.newPage();
    await signIn(page, t, member);
    await page.goto(t.url('/'));
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'KI-Selbstcheck' }).click();
    await page.getByRole('link', { name: 'Selbstcheck ohne Katalogeintrag starten' }).click();
    await page.getByLabel(/^Bezeichnung des Systems/).fill('Telefonassistent Bürgeramt');
    await page.getByRole('button', { name: 'Selbstcheck starten' }).click();
    await page.getByText('Frage 1 von 27 · Abschnitt 1 von 7: Anwendungsbereich').waitFor();

    // "Nein" to the scope question would end the AI-Act part: the confirmation page, with the reason; "Nein" goes back.
    await answer(page, 'Nein');
    await page.getByRole('heading', { level: 1, name: 'Sind Sie sicher?' }).waitFor();
    await page.getByText(/Kein KI-System im Sinne der KI-Verordnung, weil Sie „Leitet das Werkzeug/).waitFor();
    await expectNoAxeViolations(page, 'confirmation of an answer that ends the check');
    await page.getByRole('link', { name: 'Nein, zurück zur Frage' }).click();
    assert.equal(await currentQuestion(page), 'ai_system');

    await answer(page, 'Ja');
    await page.getByText('Frage 2 von 27 · Abschnitt 1 von 7: Anwendungsbereich').waitFor();
    // "Zurück" comes before "Weiter" in the reading order.
    const labels = await page.locator('.step-actions').first().locator('a, button').allTextContents();
    assert.deepEqual(labels, ['Zurück', 'Weiter']);
    await expectNoAxeViolations(page, 'question 2 with progress');
    for (let i = 0; i < 40 && !page.url().endsWith('/pruefen'); i++) {
      await answer(page, (await currentQuestion(page)) === 't_chatbot' ? 'Ja' : 'Nein');
    }
    assert.match(page.url(), /\/selbstcheck\/\d+\/pruefen$/);
    await page.getByRole('heading', { level: 1, name: 'Ihre Antworten prüfen: Telefonassistent Bürgeramt' }).waitFor();
    await page.getByText(/Transparenzpflicht \(Art\. 50\) – Transparenzpflichten, weil Sie „Spricht oder schreibt das System direkt mit Menschen, etwa als Chatbot oder Telefonassistent\?“/).waitFor();
    await expectNoAxeViolations(page, 'review page');

    // "ändern" opens the question and comes straight back to the review.
    await page.getByRole('link', { name: /^ändern\s*:\s*Chatbot oder Telefonassistent$/ }).click();
    assert.equal(await currentQuestion(page), 't_chatbot');
    await expectNoAxeViolations(page, 'question opened from the review');
    await answer(page, 'Nein');
    assert.match(page.url(), /\/pruefen$/);
    await page.getByText(/^Minimales Risiko/).waitFor();
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.locator('.risk-class', { hasText: 'Minimales Risiko' }).waitFor();
    await expectNoAxeViolations(page, 'report with "Antwort ändern"');

    // "Antwort ändern" in the report: that question, then the review of a new check; the first report stays.
    const firstReport = page.url();
    await page.getByRole('link', { name: /^Antwort ändern\s*:\s*Chatbot oder Telefonassistent$/ }).last().click();
    await page.getByRole('heading', { level: 1, name: 'Antwort ändern: Telefonassistent Bürgeramt' }).waitFor();
    await expectNoAxeViolations(page, 'changing an answer of a completed check');
    await page.getByRole('radio', { name: 'Ja', exact: true }).check();
    await page.getByRole('button', { name: 'Antwort übernehmen' }).click();
    assert.match(page.url(), /\/pruefen$/);
    assert.notEqual(page.url().replace('/pruefen', ''), firstReport);
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.locator('.risk-class', { hasText: 'Transparenzpflicht' }).waitFor();
    await page.getByRole('link', { name: /^Markdown\s*–\s*Hinweistext für den KI-Dialog/ }).waitFor();

    // Withdrawing: a page that says what happens, then the report marked as withdrawn.
    await page.getByRole('link', { name: 'Selbstcheck zurückziehen' }).click();
    await expectNoAxeViolations(page, 'withdraw page');
    await page.getByRole('button', { name: 'Endgültig zurückziehen' }).click();
    await page.getByText(/Zurückgezogen am .*Dieses Ergebnis gilt nicht mehr\./).waitFor();
    await expectNoAxeViolations(page, 'withdrawn report');
  });
});
