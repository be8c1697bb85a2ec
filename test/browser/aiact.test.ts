import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { expectAt, expectNoAxeViolations, launchBrowser, startListeningApp, type ListeningApp, type TestBrowser, signIn } from '../support/browser.js';
import { makeSolution, viewerOf } from '../support/catalogue.js';
import { completeSetup, createUser } from '../support/factories.js';
import { markDeployment } from '../../src/modules/catalogue/service.js';

/**
 * The EU AI Act self-check as a member runs it in the browser: from the solution page through every question
 * to the printable report, back to an earlier answer, and a redo that changes the class — with an axe scan of
 * every page, the error summary and the organisation's public register included.
 */

let browser: TestBrowser;
let t: ListeningApp;
let member: { email: string; password: string };
const TITLE = 'Wohngeld-Vorprüfung mit KI';

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
  const db = t.database.db;
  await completeSetup(db);
  member = await createUser(db, { organisation: 'Arnsberg', name: 'Anna Arnsberg' });
  const viewer = await viewerOf(db, (await createUser(db, { organisation: 'Arnsberg' })).id);
  const { slug } = await makeSolution(db, viewer, { title: TITLE, summary: 'Prüft Anträge auf Wohngeld vor.', human_oversight: 'Die Sachbearbeitung entscheidet.' });
  await markDeployment(db, viewer, slug, { status: 'pilot', visibility: 'public' }, {});
});
after(async () => {
  await browser?.close();
  await t?.close();
});


const currentQuestion = (page: Page) => page.locator('input[name="question"]').getAttribute('value');

/**
 * Answers the questions shown, "Nein" unless the map says otherwise, until the report appears: confirming an
 * answer that ends the check ("Sind Sie sicher?") and storing the result on the review page.
 */
async function answerUntilReport(page: Page, answers: Record<string, 'Ja' | 'Nein'>, scanFirst = false) {
  for (let i = 0; i < 70; i++) {
    if (await page.locator('article.report').count()) return;
    for (const name of ['Ergebnis speichern', 'Ja, Antwort speichern']) {
      if (await page.getByRole('button', { name }).count()) {
        await page.getByRole('button', { name }).click();
        await page.waitForLoadState();
      }
    }
    if (await page.locator('article.report').count()) return;
    if (!(await page.locator('input[name="question"]').count())) continue;
    const id = (await currentQuestion(page))!;
    if (scanFirst && i === 0) await expectNoAxeViolations(page, `question ${id}`);
    await page.getByRole('radio', { name: answers[id] ?? 'Nein', exact: true }).check();
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.waitForLoadState();
  }
  assert.fail('the questionnaire did not end');
}

describe('the AI Act self-check in the browser', () => {
  let context: BrowserContext;
  before(async () => { context = await browser.newContext({ bypassCSP: true, axe: true }); });
  after(() => context?.close());

  it('a member runs the check for a solution to the report, goes back, changes an answer in a redo and sees the class change', async () => {
    const page = await context.newPage();
    await signIn(page, t, member);
    await page.goto(t.url('/'));
    await expectNoAxeViolations(page, '/ (with the risk-class line)');
    await page.goto(t.url('/loesungen'));
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page.getByRole('link', { name: 'KI-Selbstcheck durchführen' }).click();
    await expectNoAxeViolations(page, 'checks of the solution');
    await page.getByRole('button', { name: 'Selbstcheck starten' }).click();

    // The first question, and "Weiter" without an answer: the error summary, nothing saved.
    assert.equal(await currentQuestion(page), 'ai_system');
    await expectNoAxeViolations(page, 'first question');
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.locator('.error-summary').getByText('Bitte wählen Sie eine Antwort aus.').waitFor();
    await expectNoAxeViolations(page, 'question with the error summary');

    await page.getByRole('radio', { name: 'Ja', exact: true }).check();
    await page.getByRole('button', { name: 'Weiter' }).click();
    assert.equal(await currentQuestion(page), 'provider');
    await page.getByRole('radio', { name: 'Nein', exact: true }).check();
    await page.getByRole('button', { name: 'Weiter' }).click();
    assert.equal(await currentQuestion(page), 'p_social_scoring');
    // Back: the earlier answer is still ticked.
    await page.getByRole('link', { name: 'Zurück' }).click();
    assert.equal(await currentQuestion(page), 'provider');
    assert.ok(await page.getByRole('radio', { name: 'Nein', exact: true }).isChecked());
    await page.getByRole('button', { name: 'Weiter' }).click();

    await answerUntilReport(page, { h_public_benefits: 'Ja', f_profiling: 'Ja', d_personal_data: 'Ja' }, true);
    await page.getByRole('heading', { level: 1, name: `Bericht zum KI-Selbstcheck: ${TITLE}` }).waitFor();
    await page.locator('.risk-class', { hasText: 'Hochrisiko' }).waitFor();
    await page.getByText('Orientierungshilfe, keine Rechtsberatung', { exact: false }).first().waitFor();
    await expectNoAxeViolations(page, 'report (high-risk)');

    await page.getByRole('link', { name: 'Zur Lösung' }).click();
    await page.getByText(/Hochrisiko \(laut Selbstcheck vom/).waitFor();

    // A redo starts from the earlier answers, on the review page; this time no benefit decision, but a chatbot.
    await page.getByRole('link', { name: 'KI-Selbstcheck durchführen' }).click();
    await page.getByRole('button', { name: 'Selbstcheck wiederholen' }).click();
    await page.getByRole('heading', { level: 1, name: `Ihre Antworten prüfen: ${TITLE}` }).waitFor();
    await page.getByRole('link', { name: /^ändern\s*:\s*Anspruch auf öffentliche Leistungen$/ }).click();
    assert.ok(await page.getByRole('radio', { name: 'Ja', exact: true }).isChecked(), 'the earlier answer is ticked');
    await page.getByRole('radio', { name: 'Nein', exact: true }).check();
    await page.getByRole('button', { name: 'Weiter' }).click();
    // No longer high-risk: the DPIA question is newly on the path and asked, then the review again.
    assert.equal(await currentQuestion(page), 'd_high_risk_processing');
    await page.getByRole('radio', { name: 'Nein', exact: true }).check();
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.getByRole('heading', { level: 1, name: `Ihre Antworten prüfen: ${TITLE}` }).waitFor();
    await page.getByRole('link', { name: /^ändern\s*:\s*Chatbot oder Telefonassistent$/ }).click();
    await answerUntilReport(page, { t_chatbot: 'Ja' });
    await page.locator('.risk-class', { hasText: 'Transparenzpflicht' }).waitFor();
    await expectNoAxeViolations(page, 'report (transparency)');

    await page.getByRole('link', { name: 'Bisherige Selbstchecks' }).click();
    await expectNoAxeViolations(page, 'history with two checks');
    assert.equal(await page.locator('table tbody tr').count(), 2);
    await page.goto(t.url('/loesungen'));
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByText(/Transparenzpflicht \(Art\. 50\) \(laut Selbstcheck vom/).waitFor();
  });

  it('the organisation\'s transparency register and a self-check without a solution pass the accessibility scan', async () => {
    const page = await context.newPage();
    await page.goto(t.url('/organisationen/arnsberg'));
    await page.getByRole('link', { name: 'KI-Register (Transparenz) dieser Organisation' }).click();
    await expectAt(page, '/organisationen/arnsberg/ki-register');
    await page.getByRole('rowheader', { name: TITLE }).waitFor();
    await expectNoAxeViolations(page, 'register');

    await page.goto(t.url('/selbstcheck'));
    await expectNoAxeViolations(page, '/selbstcheck');
    await page.getByRole('link', { name: 'Selbstcheck ohne Katalogeintrag starten' }).click();
    await page.getByRole('button', { name: 'Selbstcheck starten' }).click();
    await expectNoAxeViolations(page, '/selbstcheck/neu with the error summary');
    await page.getByLabel(/^Bezeichnung des Systems/).fill('Übersetzungsdienst');
    await page.getByRole('button', { name: 'Selbstcheck starten' }).click();
    await answerUntilReport(page, {});
    await page.locator('.risk-class', { hasText: 'Kein KI-System' }).waitFor();
  });
});
