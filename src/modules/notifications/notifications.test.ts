import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { mailsTo } from '../../../test/support/members.js';
import { errorSummary, pageText } from '../../../test/support/page.js';
import { startSmtpServer } from '../../../test/support/smtp.js';
import { DEFAULT_FREQUENCY, NOTIFICATION_KINDS, notify, type NotificationKind } from './service.js';
import { unsubscribeToken } from './unsubscribe.js';

const db = (t: TestApp) => t.database.db;

let serial = 0;
/** A notification about a meeting (or another kind) for the given people. */
async function meetingNews(t: TestApp, userIds: number[], fields: { kind?: NotificationKind; title?: string; dedupeKey?: string } = {}) {
  serial++;
  await notify(db(t), {
    userIds, kind: fields.kind ?? 'meeting', messageKey: 'notifications.messages.meetingAnnounced',
    params: { title: fields.title ?? `KI-Stammtisch ${serial}`, date: '02.12.2026' }, url: `/treffen/ki-stammtisch-${serial}`,
    dedupeKey: fields.dedupeKey ?? `test:${serial}`,
  });
}

const rowsOf = (t: TestApp, userId: number) =>
  db(t).selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('id').execute();

const frequency = async (t: TestApp, userId: number, kind: NotificationKind) =>
  (await db(t).selectFrom('notification_preferences').select('frequency').where('user_id', '=', userId).where('kind', '=', kind).executeTakeFirst())?.frequency;

/** The unread badge in the page header, or null when there is none. */
function headerCount(html: string): string | null {
  const m = /<a href="\/benachrichtigungen"[^>]*>[\s\S]*?<span class="count-badge">(\d+)<span class="visually-hidden"> ungelesen<\/span><\/span>/.exec(html);
  return m ? m[1] : null;
}

/** The path of the one-click unsubscribe link in a mail body. */
function unsubscribePath(body: string): string {
  const m = /Mit einem Klick abbestellen, ohne Anmeldung: http:\/\/localhost:3000(\/abmelden\/[^\s]+)/.exec(body);
  if (!m) throw new Error(`no unsubscribe link in:\n${body}`);
  return m[1];
}

describe('in-app notifications', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('shows the unread count in the header, lists the notifications and marks one and then all as read', async () => {
    const { visitor, user } = await signedIn(t.app, db(t), 'member', { name: 'Nora Neugier' });
    assert.equal(headerCount((await visitor.get('/')).body), null);

    await meetingNews(t, [user.id], { title: 'Chatbots im Bürgerbüro' });
    await meetingNews(t, [user.id], { title: 'KI im Bauamt' });
    await meetingNews(t, [user.id], { title: 'Schlaglöcher erkennen' });
    assert.equal(headerCount((await visitor.get('/loesungen')).body), '3');

    const page = await visitor.get('/benachrichtigungen');
    assert.equal(page.statusCode, 200);
    const text = pageText(page.body);
    assert.match(text, /3 ungelesene Benachrichtigungen/);
    assert.match(text, /Neues Treffen: „Chatbots im Bürgerbüro“ am 02\.12\.2026\. Die Anmeldung ist geöffnet\./);
    // Newest first.
    assert.ok(text.indexOf('Schlaglöcher erkennen') < text.indexOf('Chatbots im Bürgerbüro'));

    const [first] = await rowsOf(t, user.id);
    const one = await visitor.post(`/benachrichtigungen/${first.id}/gelesen`);
    assert.equal(one.statusCode, 303);
    assert.equal(one.headers.location, '/benachrichtigungen');
    const afterOne = await visitor.get('/benachrichtigungen');
    assert.match(pageText(afterOne.body), /Die Benachrichtigung ist als gelesen markiert\. .*2 ungelesene Benachrichtigungen/);
    assert.equal(headerCount(afterOne.body), '2');
    assert.notEqual((await rowsOf(t, user.id))[0].read_at, null);

    const all = await visitor.post('/benachrichtigungen/alle-gelesen');
    assert.equal(all.statusCode, 303);
    const afterAll = await visitor.get('/benachrichtigungen');
    assert.match(pageText(afterAll.body), /2 Benachrichtigungen als gelesen markiert\..*0 ungelesene Benachrichtigungen/);
    assert.equal(headerCount(afterAll.body), null);
    assert.ok((await rowsOf(t, user.id)).every((r) => r.read_at !== null));
  });

  it('opens a notification at what it is about and marks it read on the way', async () => {
    const { visitor, user } = await signedIn(t.app, db(t));
    await meetingNews(t, [user.id]);
    const [row] = await rowsOf(t, user.id);
    const res = await visitor.get(`/benachrichtigungen/${row.id}`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, row.url);
    assert.notEqual((await rowsOf(t, user.id))[0].read_at, null);
  });

  it("keeps one person's notifications from another", async () => {
    const owner = await createUser(db(t));
    await meetingNews(t, [owner.id], { title: 'Nur für Otto' });
    const [row] = await rowsOf(t, owner.id);
    const { visitor } = await signedIn(t.app, db(t));
    assert.doesNotMatch((await visitor.get('/benachrichtigungen')).body, /Nur für Otto/);
    assert.equal((await visitor.get(`/benachrichtigungen/${row.id}`)).statusCode, 404);
    await visitor.get('/benachrichtigungen');
    const mark = await visitor.post(`/benachrichtigungen/${row.id}/gelesen`);
    assert.equal(mark.statusCode, 404, 'marking someone else\'s notification read does not pretend to succeed');
    assert.match(pageText(mark.body), /Seite nicht gefunden/);
    assert.equal((await visitor.post('/benachrichtigungen/999999/gelesen')).statusCode, 404);
    assert.equal((await rowsOf(t, owner.id))[0].read_at, null);
  });

  it('asks a visitor who is not signed in to sign in', async () => {
    const res = await new Visitor(t.app).get('/benachrichtigungen');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/anmelden?weiter=%2Fbenachrichtigungen');
  });

  it('notifies once per person and dedupe key, however often the action is retried', async () => {
    const a = await createUser(db(t));
    const b = await createUser(db(t));
    await meetingNews(t, [a.id, b.id, a.id], { dedupeKey: 'retry:1' });
    await meetingNews(t, [a.id, b.id], { dedupeKey: 'retry:1', kind: 'answer' });
    assert.equal((await rowsOf(t, a.id)).length, 1);
    assert.equal((await rowsOf(t, b.id)).length, 1);
    // Answers are mailed immediately by default; the retry mailed nobody.
    assert.equal((await mailsTo(db(t), a.email)).length, 0);
  });

  it('shows the notification in the reader\'s language', async () => {
    const { visitor, user } = await signedIn(t.app, db(t));
    await meetingNews(t, [user.id], { title: 'Bots' });
    await visitor.get('/sprache/en?zurueck=%2Fbenachrichtigungen');
    const page = await visitor.get('/benachrichtigungen');
    assert.match(pageText(page.body), /New meeting: “Bots” on 02\.12\.2026\. Registration is open\./);
  });
});

describe('mail preferences', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('shows the defaults: answers, matches and moderation decisions immediately, everything else weekly', async () => {
    const { visitor } = await signedIn(t.app, db(t));
    const page = await visitor.get('/benachrichtigungen/einstellungen');
    assert.equal(page.statusCode, 200);
    const checked = [...page.body.matchAll(/name="(\w+)" value="(\w+)" checked/g)].map((m) => `${m[1]}=${m[2]}`);
    assert.deepEqual(checked, ['answer=immediately', 'match=immediately', 'followed=weekly', 'meeting=weekly', 'catalogue=weekly', 'moderation=immediately',
      'procurement_started=daily', 'procurement_deadline=immediately', 'procurement_bound=immediately', 'procurement_handed_over=weekly',
      'procurement_withdrawn=immediately', 'topic_vote=weekly', 'agenda_published=weekly', 'meeting_reminder=immediately',
      'meeting_registrations=daily', 'meeting_message=immediately', 'waiting_list=off', 'join_request=off', 'deployment=weekly']);
  });

  /** The settings form also holds the kinds added later; the tests here choose them as the form shows them first. */
  const laterKinds = Object.fromEntries(NOTIFICATION_KINDS.slice(6).map((k) => [k, DEFAULT_FREQUENCY[k]]));

  it('saves a choice per kind', async () => {
    const { visitor, user } = await signedIn(t.app, db(t));
    await visitor.get('/benachrichtigungen/einstellungen');
    const res = await visitor.post('/benachrichtigungen/einstellungen', { ...laterKinds, answer: 'daily', match: 'off', followed: 'weekly', meeting: 'immediately', catalogue: 'off', moderation: 'weekly', deployment: 'daily' });
    assert.equal(res.statusCode, 303);
    const page = await visitor.get('/benachrichtigungen/einstellungen');
    assert.match(pageText(page.body), /Ihre E-Mail-Einstellungen sind gespeichert\./);
    const checked = [...page.body.matchAll(/name="(\w+)" value="(\w+)" checked/g)].map((m) => `${m[1]}=${m[2]}`);
    assert.deepEqual(checked.slice(0, 6), ['answer=daily', 'match=off', 'followed=weekly', 'meeting=immediately', 'catalogue=off', 'moderation=weekly']);
    assert.equal(await frequency(t, user.id, 'meeting'), 'immediately');
  });

  it('refuses a missing or unknown choice with 422, names the kind in German and keeps the other choices', async () => {
    const { visitor, user } = await signedIn(t.app, db(t));
    await visitor.get('/benachrichtigungen/einstellungen');
    const res = await visitor.post('/benachrichtigungen/einstellungen', { answer: 'off', match: 'hourly', followed: 'daily', meeting: 'daily' });
    assert.equal(res.statusCode, 422);
    const summary = errorSummary(res.body);
    assert.match(summary, /Bitte wählen Sie bei „Fragen, zu denen meine Organisation passt“ einen Eintrag aus der Liste\./);
    assert.match(summary, /Bitte wählen Sie bei „Änderungen an Lösungen, die meine Organisation einsetzt“ einen Eintrag aus der Liste\./);
    assert.match(res.body, /<a href="#f-match">/);
    assert.match(res.body, /<fieldset class="field field-error" aria-describedby="f-match-error">/);
    const checked = [...res.body.matchAll(/name="(\w+)" value="(\w+)" checked/g)].map((m) => `${m[1]}=${m[2]}`);
    assert.deepEqual(checked, ['answer=off', 'followed=daily', 'meeting=daily']);
    assert.equal(await frequency(t, user.id, 'answer'), undefined);
  });

  it('mails nothing for a kind that is off, and nothing at all while e-mail notifications are off in the profile', async () => {
    const off = await createUser(db(t));
    const quiet = await createUser(db(t));
    await db(t).insertInto('notification_preferences').values({ user_id: off.id, kind: 'answer', frequency: 'off', updated_at: new Date().toISOString() }).execute();
    await db(t).updateTable('users').set({ notify_email: 0 }).where('id', '=', quiet.id).execute();
    await meetingNews(t, [off.id, quiet.id], { kind: 'answer' });
    assert.equal((await mailsTo(db(t), off.email)).length, 0);
    assert.equal((await mailsTo(db(t), quiet.email)).length, 0);
    // In the app they see it all the same.
    assert.equal((await rowsOf(t, off.id)).length, 1);
    assert.equal((await rowsOf(t, quiet.id)).length, 1);
  });

  it('mails "immediately" at once with the one-click unsubscribe headers and link, and keeps it out of digests', async () => {
    const user = await createUser(db(t), { name: 'Ida Sofort' });
    await meetingNews(t, [user.id], { kind: 'answer', title: 'Sprachmodelle' });
    const mails = await db(t).selectFrom('outbox').selectAll().where('recipient', '=', user.email).execute();
    assert.equal(mails.length, 1);
    assert.equal(mails[0].subject, 'Neues Treffen: „Sprachmodelle“ am 02.12.2026. Die Anmeldung ist geöffnet.');
    assert.match(mails[0].body_text, /^Guten Tag Ida Sofort,/);
    assert.match(mails[0].body_text, /http:\/\/localhost:3000\/treffen\/ki-stammtisch-\d+/);
    const headers = JSON.parse(mails[0].headers) as Record<string, string>;
    const path = unsubscribePath(mails[0].body_text);
    assert.equal(headers['List-Unsubscribe'], `<http://localhost:3000${path}>`);
    assert.equal(headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.notEqual((await rowsOf(t, user.id))[0].mailed_at, null);
  });

  it('delivers the List-Unsubscribe headers over SMTP unchanged', async () => {
    const smtp = await startSmtpServer();
    const t2 = await startTestApp({ SMTP_URL: smtp.url });
    try {
      const user = await createUser(t2.database.db);
      await notify(t2.database.db, {
        userIds: [user.id], kind: 'answer', messageKey: 'notifications.messages.meetingAnnounced',
        params: { title: 'Über SMTP', date: '01.01.2027' }, url: '/treffen/ueber-smtp', dedupeKey: 'smtp:1',
      });
      assert.deepEqual(await t2.deliverMail(), { sent: 1, failed: 0 });
      const mail = await smtp.waitFor(user.email, /Über SMTP/);
      const path = unsubscribePath(mail.text);
      // mailparser reads the List-* headers into one structure: the address in angle brackets and the one-click marker.
      assert.deepEqual(mail.headers.get('list'), {
        unsubscribe: { url: `http://localhost:3000${path}` },
        'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
      });
    } finally {
      await t2.close();
      await smtp.close();
    }
  });
});

describe('unsubscribing from a mail', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  async function mailedPerson() {
    const user = await createUser(db(t));
    await meetingNews(t, [user.id], { kind: 'answer' });
    const [mail] = await mailsTo(db(t), user.email);
    return { user, path: unsubscribePath(mail.body_text) };
  }

  it('works without signing in: the link shows a confirmation, the button turns the kind off', async () => {
    const { user, path } = await mailedPerson();
    const visitor = new Visitor(t.app);
    const page = await visitor.get(path);
    assert.equal(page.statusCode, 200);
    assert.match(pageText(page.body), /Möchten Sie zu diesen Themen keine E-Mails mehr bekommen\? Antworten auf meine Fragen/);
    assert.equal(await frequency(t, user.id, 'answer'), undefined);

    const res = await visitor.post(path, {}, null);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, path);
    assert.equal(await frequency(t, user.id, 'answer'), 'off');
    assert.equal(await frequency(t, user.id, 'meeting'), undefined);
    assert.match(pageText((await visitor.get(path)).body), /Erledigt: Zu diesen Themen bekommen Sie keine E-Mails mehr\./);

    // Off means off: the next answer is not mailed.
    await meetingNews(t, [user.id], { kind: 'answer' });
    assert.equal((await mailsTo(db(t), user.email)).length, 1);
  });

  it('accepts the one-click POST of a mail program (RFC 8058) without cookies or CSRF token, answering 200', async () => {
    const { user, path } = await mailedPerson();
    const res = await t.app.inject({
      method: 'POST', url: path, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 200);
    assert.match(pageText(res.body), /Erledigt/);
    assert.equal(await frequency(t, user.id, 'answer'), 'off');
  });

  it('still refuses a POST without CSRF token everywhere else', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/mitmachen', payload: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 403);
  });

  it("cannot be forged for another person or another kind, and changes nothing then", async () => {
    const { path } = await mailedPerson();
    const victim = await createUser(db(t));
    const [, , userId, kinds, signature] = /^\/abmelden\/((\d+)\.([a-z-]+)\.(.+))$/.exec(path)!.slice(0);
    const forged = [
      `/abmelden/${victim.id}.${kinds}.${signature}`,
      `/abmelden/${userId}.answer-match.${signature}`,
      `/abmelden/${victim.id}.answer.${unsubscribeToken('some-other-secret'.padEnd(64, 'y'), victim.id, ['answer']).split('.')[2]}`,
      `/abmelden/${userId}.${kinds}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`,
      '/abmelden/nonsense',
    ];
    for (const url of forged) {
      const visitor = new Visitor(t.app);
      const page = await visitor.get(url);
      assert.equal(page.statusCode, 404, url);
      assert.match(pageText(page.body), /Dieser Abbestell-Link ist ungültig\./);
      assert.equal((await visitor.post(url, { 'List-Unsubscribe': 'One-Click' }, null)).statusCode, 404, url);
    }
    assert.equal(await frequency(t, victim.id, 'answer'), undefined);
    assert.equal((await db(t).selectFrom('notification_preferences').select('user_id').where('user_id', '=', victim.id).execute()).length, 0);
  });

  it('turns off every kind a digest link names', async () => {
    const user = await createUser(db(t));
    const path = `/abmelden/${unsubscribeToken(t.config.sessionSecret, user.id, ['meeting', 'followed'])}`;
    assert.equal((await new Visitor(t.app).post(path, { 'List-Unsubscribe': 'One-Click' }, null)).statusCode, 200);
    assert.equal(await frequency(t, user.id, 'followed'), 'off');
    assert.equal(await frequency(t, user.id, 'meeting'), 'off');
    assert.equal(await frequency(t, user.id, 'answer'), undefined);
  });
});
