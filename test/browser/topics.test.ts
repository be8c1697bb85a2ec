import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { expectAt, expectNoAxeViolations, launchBrowser, startListeningApp, type ListeningApp, type TestBrowser, signIn } from '../support/browser.js';
import { completeSetup, createUser } from '../support/factories.js';
import { berlinDate } from '../support/meetings.js';

/**
 * Topics chosen by the members, in the browser: an organiser creates a meeting and opens it for topics,
 * members propose and vote (one of them without JavaScript), the organiser builds the agenda from the
 * ranking and publishes it, and members and the public read it — with an axe scan of every page.
 */

let browser: TestBrowser;
let t: ListeningApp;
const people = {} as Record<'organiser' | 'mia' | 'sven', { email: string; password: string }>;

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
  const db = t.database.db;
  await completeSetup(db);
  for (const [key, role, name, organisation] of [
    ['organiser', 'moderator', 'Mona Moderation', 'Olpe'], ['mia', 'member', 'Mia Meschede', 'Meschede'], ['sven', 'member', 'Sven Siegen', 'Siegen'],
  ] as const) {
    people[key] = await createUser(db, { role, name, organisation, email: `${key}@topics.example` });
  }
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const flash = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();


/** The ranked topic titles with their votes, as the topic page lists them. */
async function ranking(page: Page): Promise<string[]> {
  return page.locator('.topic-list > li').evaluateAll((items) => items.map((li) =>
    `${li.querySelector('h3')?.textContent} (${li.querySelector('.topic-votes')?.textContent})`));
}

async function agendaRows(page: Page): Promise<string[]> {
  return page.locator('table.agenda tbody tr').evaluateAll((rows) => rows.map((tr) =>
    [...tr.querySelectorAll('td, th')].slice(0, 3).map((c) => (c.textContent ?? '').trim()).join(' | ')));
}

describe('topics and agenda in the browser', () => {
  /** Scanned by axe unless JavaScript is switched off (axe needs it). */
  const newPage = ({ javaScriptEnabled = true } = {}) =>
    browser.newPage(javaScriptEnabled ? { bypassCSP: true, axe: true } : { javaScriptEnabled: false });

  it('members propose and vote on topics; the organiser builds the agenda from the ranking and publishes it', async () => {
    const title = 'KI-Community Runde 4';

    // The organiser creates the meeting through the form and opens it for topics with two votes per member.
    const organiser = await newPage();
    await signIn(organiser, t, people.organiser);
    await organiser.goto(t.url('/treffen/neu'));
    await organiser.getByLabel(/^Titel/).fill(title);
    await organiser.getByLabel(/^Reihe/).fill('KI-Community');
    await organiser.getByLabel(/^Datum/).fill(berlinDate(21));
    await organiser.getByLabel(/^Beginn/).fill('10:00');
    await organiser.getByLabel(/^Ende \(/).fill('16:00');
    await organiser.getByLabel(/^Form/).selectOption('in_person');
    await organiser.getByLabel(/^Adresse/).fill('Rathaus Arnsberg, Ratssaal');
    await organiser.getByLabel(/^Plätze vor Ort/).fill('80');
    await organiser.getByRole('button', { name: 'Speichern' }).click();
    await organiser.getByRole('heading', { level: 1, name: title }).waitFor();
    const meetingPath = new URL(organiser.url()).pathname;
    await organiser.getByRole('link', { name: 'Themen ansehen' }).click();
    await expectAt(organiser, `${meetingPath}/themen`);
    await expectNoAxeViolations(organiser, '/treffen/<slug>/themen (organiser, closed)');
    await organiser.getByLabel(/^Stimmen je Mitglied/).fill('0');
    await organiser.getByRole('button', { name: 'Stimmenzahl speichern' }).click();
    await organiser.getByRole('alert').getByText('Bitte geben Sie bei „Stimmen je Mitglied“ eine ganze Zahl von 1 bis 20 an.').waitFor();
    await expectNoAxeViolations(organiser, '/treffen/<slug>/themen/stimmen (422)');
    await organiser.getByLabel(/^Stimmen je Mitglied/).fill('2');
    await organiser.getByRole('button', { name: 'Stimmenzahl speichern' }).click();
    await flash(organiser, 'Jedes Mitglied hat jetzt 2 Stimmen.');
    await organiser.getByRole('button', { name: 'Themenwahl öffnen' }).click();
    await flash(organiser, 'Die Themenwahl ist geöffnet.');

    // Mia finds the topics from the meeting page, proposes two (the first try without a title is refused) and votes.
    const mia = await newPage();
    await signIn(mia, t, people.mia);
    await mia.goto(t.url(meetingPath));
    await expectNoAxeViolations(mia, '/treffen/<slug> (member, topics open)');
    await mia.getByRole('link', { name: 'Themen ansehen, vorschlagen und abstimmen' }).click();
    await expectAt(mia, `${meetingPath}/themen`);
    await mia.getByText('Sie haben noch 2 Stimmen (von 2).').first().waitFor();
    await expectNoAxeViolations(mia, '/treffen/<slug>/themen (member, empty)');
    await mia.getByLabel(/^Worum geht es/).fill('Wie antworten andere auf Fragen, die der Chatbot nicht kennt?');
    await mia.getByRole('button', { name: 'Thema vorschlagen' }).click();
    await mia.getByRole('alert').getByText('Bitte füllen Sie „Thema“ aus.').waitFor();
    assert.equal(await mia.getByLabel(/^Worum geht es/).inputValue(), 'Wie antworten andere auf Fragen, die der Chatbot nicht kennt?');
    await expectNoAxeViolations(mia, '/treffen/<slug>/themen (422)');
    await mia.getByRole('textbox', { name: /^Thema/ }).fill('Chatbots im Bürgerbüro');
    await mia.getByRole('button', { name: 'Thema vorschlagen' }).click();
    await flash(mia, 'Ihr Thema „Chatbots im Bürgerbüro“ steht jetzt auf der Liste.');
    await mia.getByRole('textbox', { name: /^Thema/ }).fill('Fördermittel für KI-Projekte');
    await mia.getByRole('button', { name: 'Thema vorschlagen' }).click();
    await flash(mia, 'Ihr Thema „Fördermittel für KI-Projekte“ steht jetzt auf der Liste.');

    // Sven takes part without JavaScript: he proposes a topic and votes for two.
    const sven = await newPage({ javaScriptEnabled: false });
    await signIn(sven, t, people.sven);
    await sven.goto(t.url(`${meetingPath}/themen`));
    await sven.getByRole('textbox', { name: /^Thema/ }).fill('KI-Verordnung in der Praxis');
    await sven.getByRole('button', { name: 'Thema vorschlagen' }).click();
    await flash(sven, 'steht jetzt auf der Liste');
    await sven.getByRole('button', { name: 'Stimme geben – KI-Verordnung in der Praxis' }).click();
    await flash(sven, 'Ihre Stimme für „KI-Verordnung in der Praxis“ ist gezählt. Sie haben noch eine Stimme (von 2).');
    await sven.getByRole('button', { name: 'Stimme geben – Chatbots im Bürgerbüro' }).click();
    await flash(sven, 'Sie haben alle Ihre Stimmen vergeben (2).');

    // Mia votes twice, is refused a third vote, takes one back and votes again.
    await mia.reload();
    await mia.getByRole('button', { name: 'Stimme geben – Chatbots im Bürgerbüro' }).click();
    await flash(mia, 'Sie haben noch eine Stimme (von 2).');
    await mia.getByRole('button', { name: 'Stimme geben – Fördermittel für KI-Projekte' }).click();
    await flash(mia, 'Sie haben alle Ihre Stimmen vergeben (2).');
    await mia.getByRole('button', { name: 'Stimme geben – KI-Verordnung in der Praxis' }).click();
    await mia.getByRole('alert').getByText('Sie haben alle 2 Stimmen schon vergeben.', { exact: false }).waitFor();
    await expectNoAxeViolations(mia, '/treffen/<slug>/themen (budget used, 422)');
    await mia.getByRole('button', { name: 'Stimme zurücknehmen – Fördermittel für KI-Projekte' }).click();
    await flash(mia, 'Ihre Stimme für „Fördermittel für KI-Projekte“ ist zurückgenommen. Sie haben noch eine Stimme (von 2).');
    await mia.getByRole('button', { name: 'Stimme geben – KI-Verordnung in der Praxis' }).click();
    await flash(mia, 'Sie haben alle Ihre Stimmen vergeben (2).');
    assert.deepEqual(await ranking(mia), [
      'Chatbots im Bürgerbüro (2 Stimmen)', 'KI-Verordnung in der Praxis (2 Stimmen)', 'Fördermittel für KI-Projekte (0 Stimmen)',
    ]);
    await expectNoAxeViolations(mia, '/treffen/<slug>/themen (voted)');

    // The organiser builds the agenda: a welcome at 10:00, then the two leading topics from the ranking.
    await organiser.goto(t.url(meetingPath));
    await organiser.getByRole('link', { name: 'Programm zusammenstellen' }).click();
    await expectAt(organiser, `${meetingPath}/programm`);
    await expectNoAxeViolations(organiser, '/treffen/<slug>/programm (empty)');
    await organiser.getByLabel(/^Beginn/).fill('9:00');
    await organiser.getByLabel(/^Titel/).fill('Begrüßung');
    await organiser.getByRole('button', { name: 'Hinzufügen' }).click();
    await organiser.getByRole('alert').getByText('Bitte geben Sie die Uhrzeit als Stunden und Minuten an, zum Beispiel 10:30.').waitFor();
    await expectNoAxeViolations(organiser, '/treffen/<slug>/programm (422)');
    await organiser.getByLabel(/^Beginn/).fill('10:00');
    await organiser.getByLabel(/^Vortragende Person/).fill('Mona Moderation');
    await organiser.getByRole('button', { name: 'Hinzufügen' }).click();
    await flash(organiser, '„Begrüßung“ steht auf dem Programm.');
    await organiser.getByRole('button', { name: 'Auf das Programm nehmen – Chatbots im Bürgerbüro' }).click();
    await flash(organiser, '„Chatbots im Bürgerbüro“ steht jetzt um 10:30 Uhr auf dem Programm.');
    await organiser.getByRole('button', { name: 'Auf das Programm nehmen – KI-Verordnung in der Praxis' }).click();
    await flash(organiser, '„KI-Verordnung in der Praxis“ steht jetzt um 11:00 Uhr auf dem Programm.');
    await organiser.getByRole('link', { name: 'Bearbeiten – KI-Verordnung in der Praxis' }).click();
    await expectNoAxeViolations(organiser, '/treffen/<slug>/programm/<id>/bearbeiten');
    await organiser.getByLabel(/^Beginn/).fill('11:15');
    await organiser.getByLabel(/^Vortragende Person/).fill('Sven Siegen');
    await organiser.getByRole('button', { name: 'Speichern' }).click();
    await flash(organiser, 'Der Programmpunkt ist gespeichert.');
    assert.deepEqual(await agendaRows(organiser), [
      '10:00 Uhr | Begrüßung | Mona Moderation', '10:30 Uhr | Chatbots im Bürgerbüro | —', '11:15 Uhr | KI-Verordnung in der Praxis | Sven Siegen',
    ]);
    await expectNoAxeViolations(organiser, '/treffen/<slug>/programm (draft)');

    // Before publishing, members do not see it.
    await mia.goto(t.url(`${meetingPath}/programm`));
    await mia.getByText('Das Programm wird noch zusammengestellt.').waitFor();
    assert.equal(await mia.locator('table.agenda').count(), 0);
    await expectNoAxeViolations(mia, '/treffen/<slug>/programm (not yet published)');

    await organiser.getByRole('button', { name: 'Programm veröffentlichen' }).click();
    await organiser.getByRole('button', { name: 'Ja, Programm veröffentlichen' }).click();
    await flash(organiser, 'Das Programm ist veröffentlicht. Die Themenwahl ist damit abgeschlossen.');

    // Members and the public read the agenda; voting is over.
    await mia.goto(t.url(meetingPath));
    await mia.getByRole('link', { name: 'Programm ansehen' }).click();
    await expectAt(mia, `${meetingPath}/programm`);
    assert.deepEqual(await agendaRows(mia), [
      '10:00 Uhr | Begrüßung | Mona Moderation', '10:30 Uhr | Chatbots im Bürgerbüro | —', '11:15 Uhr | KI-Verordnung in der Praxis | Sven Siegen',
    ]);
    await expectNoAxeViolations(mia, '/treffen/<slug>/programm (published)');
    await mia.goto(t.url(`${meetingPath}/themen`));
    await mia.getByText('Das Programm ist veröffentlicht; die Themenwahl ist abgeschlossen.').waitFor();
    assert.equal(await mia.getByRole('button', { name: /^Stimme/ }).count(), 0);
    await expectNoAxeViolations(mia, '/treffen/<slug>/themen (published)');

    const visitor = await newPage();
    await visitor.goto(t.url(meetingPath));
    const section = visitor.locator('section.meeting-topics');
    assert.match(await section.textContent() ?? '', /10:00 Uhr\s*Begrüßung – Mona Moderation.*10:30 Uhr\s*Chatbots im Bürgerbüro.*11:15 Uhr\s*KI-Verordnung in der Praxis – Sven Siegen/);
    await expectNoAxeViolations(visitor, '/treffen/<slug> (public, agenda published)');
    await section.getByRole('link', { name: 'Programm ansehen' }).click();
    await expectAt(visitor, `${meetingPath}/programm`);
    assert.equal((await agendaRows(visitor)).length, 3);
    await expectNoAxeViolations(visitor, '/treffen/<slug>/programm (public)');
    await organiser.goto(t.url(`${meetingPath}/themen`));
    await expectNoAxeViolations(organiser, '/treffen/<slug>/themen (organiser, published)');

    // The same pages in English.
    await mia.goto(t.url(`/sprache/en?zurueck=${encodeURIComponent(`${meetingPath}/themen`)}`));
    await mia.getByRole('heading', { level: 1, name: `Topics: ${title}` }).waitFor();
    await mia.getByText('The agenda is published; the topic vote is over.').waitFor();
    await expectNoAxeViolations(mia, '/treffen/<slug>/themen (English)');
    await mia.getByRole('link', { name: 'To the agenda' }).click();
    await mia.getByRole('heading', { level: 1, name: `Agenda: ${title}` }).waitFor();
    assert.equal((await agendaRows(mia))[0], '10:00 | Begrüßung | Mona Moderation');
    await expectNoAxeViolations(mia, '/treffen/<slug>/programm (English)');
  });
});
