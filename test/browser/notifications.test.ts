import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { notify } from '../../src/modules/notifications/service.js';
import { expectAt, expectNoAxeViolations, launchBrowser, startListeningApp, type ListeningApp, type TestBrowser, signIn, siteHeader } from '../support/browser.js';
import { completeSetup, createUser } from '../support/factories.js';
import { startSmtpServer } from '../support/smtp.js';

/**
 * Notifications as a member meets them: the unread count in the header, the list, marking read,
 * the mail settings, and unsubscribing with the link of a mail that arrived at a real SMTP server,
 * without being signed in — with an axe scan of every page.
 */

type Smtp = Awaited<ReturnType<typeof startSmtpServer>>;

let browser: TestBrowser;
let smtp: Smtp;
let t: ListeningApp;
let member: { id: number; email: string; password: string };

before(async () => {
  smtp = await startSmtpServer();
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp({ SMTP_URL: smtp.url })]);
  await completeSetup(t.database.db);
  member = await createUser(t.database.db, { name: 'Nina Nachricht', organisation: 'Meschede', email: 'nina@notifications.example' });
});
after(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});



let serial = 0;
async function news(kind: 'answer' | 'meeting', title: string) {
  serial++;
  await notify(t.database.db, {
    userIds: [member.id], kind, messageKey: 'notifications.messages.meetingAnnounced', params: { title, date: '03.02.2027' },
    url: '/treffen', dedupeKey: `browser:${serial}`,
  });
}

describe('notifications in the browser', () => {
  const newPage = () => browser.newPage({ bypassCSP: true, axe: true });

  it('a member sees the unread count, opens the notifications, marks one and then all as read', async () => {
    await news('meeting', 'KI-Stammtisch Meschede');
    await news('meeting', 'Chatbots im Bürgerbüro');
    await news('meeting', 'Schlaglöcher erkennen');
    const page = await newPage();
    await signIn(page, t, member);
    const link = siteHeader(page).getByRole('link', { name: 'Benachrichtigungen 3 ungelesen' });
    await link.waitFor();
    await expectNoAxeViolations(page, '/ (with unread notifications)');

    await link.click();
    await expectAt(page, '/benachrichtigungen');
    await page.getByRole('heading', { level: 1, name: 'Benachrichtigungen' }).waitFor();
    assert.equal(await page.getByText('3 ungelesene Benachrichtigungen').count(), 1);
    await expectNoAxeViolations(page, '/benachrichtigungen');

    await page.getByRole('button', { name: /^Als gelesen markieren: Neues Treffen: „Chatbots im Bürgerbüro“/ }).click();
    await expectAt(page, '/benachrichtigungen');
    await page.getByText('Die Benachrichtigung ist als gelesen markiert.').waitFor();
    await siteHeader(page).getByRole('link', { name: 'Benachrichtigungen 2 ungelesen' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Als gelesen markieren/ }).count(), 2);

    await page.getByRole('button', { name: 'Alle als gelesen markieren' }).click();
    await page.getByText('2 Benachrichtigungen als gelesen markiert.').waitFor();
    await siteHeader(page).getByRole('link', { name: 'Benachrichtigungen', exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Als gelesen markieren/ }).count(), 0);
    await expectNoAxeViolations(page, '/benachrichtigungen (all read)');

    // Following a notification leads to what it is about.
    await news('meeting', 'Neu nach dem Lesen');
    await page.goto(t.url('/benachrichtigungen'));
    await page.getByRole('link', { name: /Neu nach dem Lesen/ }).click();
    await expectAt(page, '/treffen');
    await siteHeader(page).getByRole('link', { name: 'Benachrichtigungen', exact: true }).waitFor();
  });

  it('a member chooses per kind when to be mailed', async () => {
    const page = await newPage();
    await signIn(page, t, member);
    await page.goto(t.url('/benachrichtigungen'));
    await page.getByRole('link', { name: 'E-Mail-Einstellungen' }).click();
    await expectAt(page, '/benachrichtigungen/einstellungen');
    await expectNoAxeViolations(page, '/benachrichtigungen/einstellungen');
    const meetings = page.getByRole('group', { name: 'Neue Treffen' });
    assert.equal(await meetings.getByLabel('einmal wöchentlich als Zusammenfassung').isChecked(), true);
    await meetings.getByLabel('einmal täglich als Zusammenfassung').check();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Ihre E-Mail-Einstellungen sind gespeichert.').waitFor();
    assert.equal(await page.getByRole('group', { name: 'Neue Treffen' }).getByLabel('einmal täglich als Zusammenfassung').isChecked(), true);
    await expectNoAxeViolations(page, '/benachrichtigungen/einstellungen (saved)');
  });

  it('the unsubscribe link of a mail works without signing in', async () => {
    await news('answer', 'Antwort per E-Mail');
    await t.deliverMail();
    const mail = await smtp.waitFor(member.email, /Antwort per E-Mail/);
    const link = /Mit einem Klick abbestellen, ohne Anmeldung: (\S+)/.exec(mail.text)?.[1];
    assert.ok(link?.startsWith(`${t.baseUrl}/abmelden/`), mail.text);

    const page = await newPage();
    await page.goto(link!);
    await page.getByRole('heading', { level: 1, name: 'E-Mails abbestellen' }).waitFor();
    assert.equal(await siteHeader(page).getByRole('link', { name: 'Anmelden' }).count(), 1, 'not signed in');
    await page.getByRole('listitem').filter({ hasText: 'Antworten auf meine Fragen' }).waitFor();
    await expectNoAxeViolations(page, '/abmelden/… (confirmation)');
    await page.getByRole('button', { name: 'E-Mails abbestellen' }).click();
    await page.getByText('Erledigt: Zu diesen Themen bekommen Sie keine E-Mails mehr.').waitFor();
    await expectNoAxeViolations(page, '/abmelden/… (done)');

    const pref = await t.database.db.selectFrom('notification_preferences').select('frequency')
      .where('user_id', '=', member.id).where('kind', '=', 'answer').executeTakeFirst();
    assert.equal(pref?.frequency, 'off');
  });
});
