import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import ICAL from 'ical.js';
import { expectAt, expectNoAxeViolations, launchBrowser, startListeningApp, type ListeningApp, type TestBrowser, signIn, siteHeader } from '../support/browser.js';
import { completeSetup, createUser } from '../support/factories.js';
import { berlinDate } from '../support/meetings.js';
import { startSmtpServer } from '../support/smtp.js';

/**
 * Meetings as people use them in the browser: an organiser creates a meeting with one place,
 * a member registers, a second lands on the waiting list and moves up when the first withdraws,
 * and the mail telling them so arrives at a real SMTP server — with an axe scan of every page.
 */

type Smtp = Awaited<ReturnType<typeof startSmtpServer>>;

let browser: TestBrowser;
let smtp: Smtp;
let t: ListeningApp;
const people = {} as Record<'organiser' | 'first' | 'second', { email: string; password: string; name: string }>;

before(async () => {
  smtp = await startSmtpServer();
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp({ SMTP_URL: smtp.url })]);
  const db = t.database.db;
  await completeSetup(db);
  for (const [key, role, name, organisation] of [
    ['organiser', 'moderator', 'Mona Moderation', 'Olpe'], ['first', 'member', 'Erika Erste', 'Arnsberg'], ['second', 'member', 'Zoran Zweiter', 'Siegen'],
  ] as const) {
    const user = await createUser(db, { role, name, organisation, email: `${key}@meetings.example` });
    people[key] = { ...user, name };
  }
});
after(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});



/** Opens the meeting from the main navigation and the list, as a person would. */
async function openMeeting(page: Page, title: string) {
  await siteHeader(page).getByRole('link', { name: 'Treffen' }).click();
  await expectAt(page, '/treffen');
  await page.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

describe('meetings in the browser', () => {
  const newPage = () => browser.newPage({ bypassCSP: true, axe: true });

  it('an organiser creates a meeting with one place; one member registers, the next waits and moves up when the first withdraws', async () => {
    const title = 'KI-Community Runde 3';
    const date = berlinDate(21);

    // The organiser creates the meeting; a first try with the end before the start comes back with the error summary.
    const organiser = await newPage();
    await signIn(organiser, t, people.organiser);
    await organiser.goto(t.url('/treffen'));
    await expectNoAxeViolations(organiser, '/treffen (empty)');
    await organiser.getByRole('link', { name: 'Neues Treffen' }).click();
    await expectAt(organiser, '/treffen/neu');
    await expectNoAxeViolations(organiser, '/treffen/neu');
    await organiser.getByLabel(/^Titel/).fill(title);
    await organiser.getByLabel(/^Beschreibung/).fill('Wir sprechen über **Chatbots** und bringen eigene Fragen mit.');
    await organiser.getByLabel(/^Reihe/).fill('KI-Community');
    await organiser.getByLabel(/^Datum/).fill(date);
    await organiser.getByLabel(/^Beginn/).fill('18:00');
    await organiser.getByLabel(/^Ende \(/).fill('17:00');
    await organiser.getByLabel(/^Form/).selectOption('in_person');
    await organiser.getByLabel(/^Adresse/).fill('Kreishaus Olpe, Westfälische Straße 75, 57462 Olpe');
    await organiser.getByLabel(/^Plätze vor Ort/).fill('1');
    const [refused] = await Promise.all([organiser.waitForResponse((r) => r.request().method() === 'POST'), organiser.getByRole('button', { name: 'Speichern' }).click()]);
    assert.equal(refused.status(), 422);
    await organiser.getByRole('alert').getByText('Das Ende muss nach dem Beginn liegen.').waitFor();
    assert.equal(await organiser.getByLabel(/^Titel/).inputValue(), title, 'what was typed is still there');
    await expectNoAxeViolations(organiser, '/treffen/neu (422)');
    await organiser.getByLabel(/^Ende \(/).fill('20:00');
    await organiser.getByRole('button', { name: 'Speichern' }).click();
    await organiser.getByRole('status').filter({ hasText: 'Das Treffen ist angelegt.' }).waitFor();
    await organiser.getByRole('heading', { level: 1, name: title }).waitFor();
    const meetingPath = new URL(organiser.url()).pathname;
    assert.match(await organiser.locator('.facts').textContent() ?? '', /18:00–20:00 Uhr ME(S)?Z/);
    await expectNoAxeViolations(organiser, '/treffen/<slug> (organiser)');

    // The first member registers and gets the place.
    const first = await newPage();
    await signIn(first, t, people.first);
    await openMeeting(first, title);
    await expectNoAxeViolations(first, '/treffen/<slug> (member)');
    assert.match(await first.locator('.facts').textContent() ?? '', /1 von 1 Plätzen frei/);
    await first.getByRole('main').getByRole('button', { name: 'Platz reservieren' }).click();
    await first.getByRole('status').filter({ hasText: 'Ihr Platz ist reserviert (vor Ort).' }).waitFor();
    await expectNoAxeViolations(first, '/treffen/<slug> (registered)');

    // The second finds the meeting full and joins the waiting list.
    const second = await newPage();
    await signIn(second, t, people.second);
    await openMeeting(second, title);
    assert.match(await second.locator('.facts').textContent() ?? '', /0 von 1 Plätzen frei/);
    await expectNoAxeViolations(second, '/treffen/<slug> (full)');
    await second.getByRole('button', { name: 'Auf die Warteliste' }).click();
    await second.getByRole('status').filter({ hasText: 'Sie stehen auf Platz 1 der Warteliste.' }).waitFor();
    await expectNoAxeViolations(second, '/treffen/<slug> (waiting)');

    // The organiser sees both, with their organisations.
    await organiser.goto(t.url(meetingPath));
    await organiser.getByRole('link', { name: 'Anmeldungen' }).click();
    await expectAt(organiser, `${meetingPath}/anmeldungen`);
    const registered = organiser.getByRole('table', { name: 'Eine angemeldete Person' });
    assert.match(await registered.textContent() ?? '', /Erika Erste\s*Arnsberg/);
    assert.match(await organiser.getByRole('table', { name: 'Eine Person auf der Warteliste' }).textContent() ?? '', /1\s*Zoran Zweiter\s*Siegen/);
    await expectNoAxeViolations(organiser, '/treffen/<slug>/anmeldungen');

    // The first withdraws; the second moves up at once and is told by mail.
    await t.deliverMail();
    await first.getByRole('button', { name: 'Teilnahme absagen' }).click();
    await first.getByRole('status').filter({ hasText: 'Ihre Teilnahme ist abgesagt; der Platz ist wieder frei.' }).waitFor();
    await second.reload();
    await second.getByText('Ihr Platz ist reserviert (vor Ort).').waitFor();
    assert.equal(await second.getByText(/Warteliste \(vor Ort\)/).count(), 0);
    await expectNoAxeViolations(second, '/treffen/<slug> (promoted)');

    await t.deliverMail();
    const mail = await smtp.waitFor(people.second.email, new RegExp(`^Ein Platz ist frei geworden: ${title}$`));
    assert.match(mail.text, /Sie sind von der Warteliste nachgerückt und jetzt angemeldet \(vor Ort\)\./);
    assert.match(mail.text, new RegExp(`${t.baseUrl}${meetingPath}`));
    const ics = mail.attachments.find((a) => a.contentType === 'text/calendar');
    assert.ok(ics, 'the promotion mail carries the calendar entry');
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.content)).getFirstSubcomponent('vevent')!);
    assert.equal(event.summary, title);
    assert.equal(event.startDate.toString(), `${date}T18:00:00`);
    await smtp.waitFor(people.first.email, new RegExp(`^Anmeldung bestätigt: ${title}$`));

    // The remaining organiser pages pass axe as well.
    for (const path of [`${meetingPath}/bearbeiten`, `${meetingPath}/material`, `${meetingPath}/absagen`, '/treffen']) {
      const res = await organiser.goto(t.url(path));
      assert.equal(res?.status(), 200, path);
      await expectNoAxeViolations(organiser, path);
    }
  });
});
