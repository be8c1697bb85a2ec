import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { Visitor } from '../../../test/support/client.js';
import { startSmtpServer } from '../../../test/support/smtp.js';
import type { Transporter } from 'nodemailer';
import { deliverDueMail, enqueueMail, retryDelayMs } from './outbox.js';

const MINUTE = 60_000;

type Smtp = Awaited<ReturnType<typeof startSmtpServer>>;

async function outboxRows(t: TestApp) {
  return t.database.db.selectFrom('outbox').selectAll().orderBy('id').execute();
}

/** Makes every pending mail due now, as if its retry time had come. */
async function makeDue(t: TestApp) {
  await t.database.db.updateTable('outbox').set({ next_attempt_at: new Date(Date.now() - 1000).toISOString() })
    .where('status', '=', 'pending').execute();
}

describe('retry back-off', () => {
  it('waits 1, 2, 4, 8 … minutes after each failed attempt', () => {
    assert.equal(retryDelayMs(1), 1 * MINUTE);
    assert.equal(retryDelayMs(2), 2 * MINUTE);
    assert.equal(retryDelayMs(3), 4 * MINUTE);
    assert.equal(retryDelayMs(4), 8 * MINUTE);
    assert.equal(retryDelayMs(5), 16 * MINUTE);
    for (let n = 1; n < 30; n++) assert.ok(retryDelayMs(n + 1) >= retryDelayMs(n), `delay after attempt ${n + 1} is not shorter`);
  });

  it('never waits longer than 6 hours, however often delivery failed', () => {
    const sixHours = 6 * 60 * MINUTE;
    assert.equal(retryDelayMs(9), 256 * MINUTE);
    assert.equal(retryDelayMs(10), sixHours);
    assert.equal(retryDelayMs(50), sixHours);
    assert.equal(retryDelayMs(5000), sixHours);
  });
});

describe('outbox with a mail server', () => {
  let smtp: Smtp;
  let t: TestApp;
  before(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'KI-Community <noreply@ki-community.example>' });
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  it('stores a mail as pending, then delivers it over SMTP with recipient, subject and text', async () => {
    await enqueueMail(t.database.db, { to: 'lena@arnsberg.example', subject: 'Willkommen in der Gemeinschaft', text: 'Hallo Lena,\nhier ist Ihr Link: http://localhost:3000/passwort-setzen/abc' });
    const [stored] = await outboxRows(t);
    assert.equal(stored.status, 'pending');
    assert.equal(stored.recipient, 'lena@arnsberg.example');
    assert.equal(stored.attempts, 0);

    assert.deepEqual(await t.deliverMail(), { sent: 1, failed: 0 });
    const mail = await smtp.waitFor('lena@arnsberg.example', /^Willkommen in der Gemeinschaft$/);
    assert.match(mail.text, /hier ist Ihr Link: http:\/\/localhost:3000\/passwort-setzen\/abc/);
    assert.match(String((mail.headers.get('from') as { text: string }).text), /noreply@ki-community\.example/);

    const [sent] = await outboxRows(t);
    assert.equal(sent.status, 'sent');
    assert.equal(sent.attempts, 1);
    assert.ok(sent.sent_at, 'sent_at is set');
    assert.equal(sent.locked_until, null);

    // Nothing is due any more: a second run sends nothing again.
    assert.deepEqual(await t.deliverMail(), { sent: 0, failed: 0 });
    assert.equal(smtp.received.length, 1);
  });

  it('delivers a text attachment (a calendar entry) with its file name and type', async () => {
    const db = t.database.db;
    await db.deleteFrom('outbox').execute();
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//DE\r\nEND:VCALENDAR\r\n';
    await enqueueMail(db, {
      to: 'mit-anhang@soest.example', subject: 'Mit Kalendereintrag', text: 'Der Eintrag hängt an.',
      attachments: [{ filename: 'treffen.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }],
    });
    assert.deepEqual(await t.deliverMail(), { sent: 1, failed: 0 });
    const mail = await smtp.waitFor('mit-anhang@soest.example', /^Mit Kalendereintrag$/);
    assert.equal(mail.text.trim(), 'Der Eintrag hängt an.');
    assert.equal(mail.attachments.length, 1);
    assert.equal(mail.attachments[0].filename, 'treffen.ics');
    assert.equal(mail.attachments[0].contentType, 'text/calendar');
    assert.equal(mail.attachments[0].content, ics);
    await db.deleteFrom('outbox').execute();
  });

  it('keeps one row when the same mail is enqueued twice with the same dedupe key', async () => {
    const db = t.database.db;
    await db.deleteFrom('outbox').execute();
    const mail = { to: 'admin@olpe.example', subject: 'Neue Beitrittsanfrage: Max', text: 'Zur Prüfung', dedupeKey: 'join-received:7:1' };
    await enqueueMail(db, mail);
    await enqueueMail(db, { ...mail, text: 'ein zweites Mal' });
    // Mails without a key are never merged.
    await enqueueMail(db, { to: 'a@b.example', subject: 'ohne Schlüssel', text: 'eins' });
    await enqueueMail(db, { to: 'a@b.example', subject: 'ohne Schlüssel', text: 'zwei' });
    const rows = await outboxRows(t);
    assert.equal(rows.filter((r) => r.dedupe_key === 'join-received:7:1').length, 1);
    assert.equal(rows.find((r) => r.dedupe_key === 'join-received:7:1')?.body_text, 'Zur Prüfung');
    assert.equal(rows.filter((r) => r.subject === 'ohne Schlüssel').length, 2);
    await db.deleteFrom('outbox').execute();
  });

  it('stores a mail with the change it reports: a rolled-back transaction leaves no mail behind', async () => {
    const db = t.database.db;
    await db.deleteFrom('outbox').execute();
    await assert.rejects(db.transaction().execute(async (trx) => {
      await enqueueMail(trx, { to: 'x@y.example', subject: 'nie', text: 'nie' });
      throw new Error('the change failed');
    }), /the change failed/);
    assert.equal((await outboxRows(t)).length, 0);
  });

  it('sends each mail exactly once when two delivery runs race', async () => {
    const db = t.database.db;
    await db.deleteFrom('outbox').execute();
    const before = smtp.received.length;
    for (let i = 1; i <= 8; i++) await enqueueMail(db, { to: `race${i}@siegen.example`, subject: `Rennen ${i}`, text: `Mail ${i}` });
    const results = await Promise.all([t.deliverMail(), t.deliverMail()]);
    assert.equal(results[0].sent + results[1].sent, 8);
    assert.equal(results[0].failed + results[1].failed, 0);
    const got = smtp.received.slice(before);
    assert.equal(got.length, 8);
    for (let i = 1; i <= 8; i++) assert.equal(got.filter((m) => m.subject === `Rennen ${i}`).length, 1, `Rennen ${i} arrived once`);
    assert.ok((await outboxRows(t)).every((r) => r.status === 'sent' && r.attempts === 1));
  });

  it('sends each mail exactly once when two instances on the same database deliver at the same time', async () => {
    const db = t.database.db;
    await db.deleteFrom('outbox').execute();
    const second = await startAppOnDatabase(t, { SMTP_URL: smtp.url });
    try {
      const before = smtp.received.length;
      for (let i = 1; i <= 10; i++) await enqueueMail(db, { to: `zwei${i}@olpe.example`, subject: `Zwei Instanzen ${i}`, text: `Mail ${i}` });
      const results = await Promise.all([t.deliverMail(), second.deliverMail(), t.deliverMail(), second.deliverMail()]);
      assert.equal(results.reduce((n, r) => n + r.sent, 0), 10);
      const got = smtp.received.slice(before);
      assert.equal(got.length, 10);
      for (let i = 1; i <= 10; i++) assert.equal(got.filter((m) => m.subject === `Zwei Instanzen ${i}`).length, 1, `mail ${i} arrived once`);
    } finally {
      await second.close();
    }
  });
});

describe('outbox when the mail server refuses', () => {
  let smtp: Smtp;
  let t: TestApp;
  before(async () => {
    smtp = await startSmtpServer({ failFirst: 2 });
    t = await startTestApp({ SMTP_URL: smtp.url });
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  it('keeps a refused mail pending with the error, and retries later with a growing delay until it is delivered', async () => {
    await enqueueMail(t.database.db, { to: 'eva@brilon.example', subject: 'Einladung zur KI-Community', text: 'Bitte legen Sie Ihr Passwort fest.' });

    // First attempt: refused. The mail stays, with the reason and a retry in one minute.
    let started = Date.now();
    assert.deepEqual(await t.deliverMail(), { sent: 0, failed: 1 });
    let [row] = await outboxRows(t);
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? '', /Mailbox temporarily unavailable|451/);
    assert.equal(row.locked_until, null);
    let wait = Date.parse(row.next_attempt_at) - started;
    assert.ok(wait >= retryDelayMs(1) - 1000 && wait <= retryDelayMs(1) + 5000, `first retry in about 1 minute, got ${wait} ms`);

    // Not due yet: an immediate run leaves it alone.
    assert.deepEqual(await t.deliverMail(), { sent: 0, failed: 0 });
    assert.equal((await outboxRows(t))[0].attempts, 1);

    // Once due: refused again, now it waits two minutes.
    await makeDue(t);
    started = Date.now();
    assert.deepEqual(await t.deliverMail(), { sent: 0, failed: 1 });
    [row] = await outboxRows(t);
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 2);
    wait = Date.parse(row.next_attempt_at) - started;
    assert.ok(wait >= retryDelayMs(2) - 1000 && wait <= retryDelayMs(2) + 5000, `second retry in about 2 minutes, got ${wait} ms`);
    assert.equal(smtp.received.length, 0);

    // Third run once due: the server accepts; the mail arrives once and is marked sent.
    await makeDue(t);
    assert.deepEqual(await t.deliverMail(), { sent: 1, failed: 0 });
    const mail = await smtp.waitFor('eva@brilon.example', /^Einladung zur KI-Community$/);
    assert.match(mail.text, /Bitte legen Sie Ihr Passwort fest\./);
    [row] = await outboxRows(t);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 3);
    assert.ok(row.sent_at);

    await makeDue(t);
    assert.deepEqual(await t.deliverMail(), { sent: 0, failed: 0 });
    assert.equal(smtp.received.length, 1);
  });
});

describe('outbox claims under contention (scripted transports)', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  /** A transport that records what it sends and does what the script says for each subject. */
  function scriptedTransport(script: Record<string, () => Promise<void>>) {
    const sent: string[] = [];
    const transport = {
      async sendMail(mail: { subject: string }) {
        await (script[mail.subject] ?? (async () => {}))();
        sent.push(mail.subject);
        return { messageId: `<${sent.length}@test>` };
      },
    } as unknown as Transporter;
    return { transport, sent };
  }

  it('does not retry a mail at once that another run has just failed to send', async () => {
    const db = t.database.db;
    await enqueueMail(db, { to: 'a@olpe.example', subject: 'langsam', text: 'eins' });
    await enqueueMail(db, { to: 'b@olpe.example', subject: 'abgelehnt', text: 'zwei' });

    // Run B picks up both mails and is slow with the first one …
    let releaseB!: () => void;
    const bBlocked = new Promise<void>((resolve) => { releaseB = resolve; });
    let bStarted!: () => void;
    const bIsSending = new Promise<void>((resolve) => { bStarted = resolve; });
    const b = scriptedTransport({ langsam: async () => { bStarted(); await bBlocked; } });
    const runB = deliverDueMail(db, b.transport, 'noreply@test.example');
    await bIsSending;

    // … meanwhile run A tries the second mail and the server refuses it.
    const a = scriptedTransport({ abgelehnt: async () => { throw new Error('451 Mailbox temporarily unavailable'); } });
    assert.deepEqual(await deliverDueMail(db, a.transport, 'noreply@test.example'), { sent: 0, failed: 1 });

    releaseB();
    const resultB = await runB;
    // B sends its own mail, but must leave the refused one until its retry time has come.
    assert.deepEqual(b.sent, ['langsam']);
    assert.deepEqual(resultB, { sent: 1, failed: 0 });
    const refused = await db.selectFrom('outbox').selectAll().where('subject', '=', 'abgelehnt').executeTakeFirstOrThrow();
    assert.equal(refused.status, 'pending');
    assert.equal(refused.attempts, 1);
    assert.ok(Date.parse(refused.next_attempt_at) > Date.now() + 30_000, 'the retry is still a minute away');
  });
});

describe('outbox without a mail server', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('keeps mails pending; an administrator reads subject, body and link on /verwaltung/postausgang', async () => {
    const user = await createUser(t.database.db, { name: 'Jonas Winter', email: 'jonas@meschede.example' });
    const visitor = new Visitor(t.app);
    const res = await visitor.submit('/passwort-vergessen', { email: user.email });
    assert.equal(res.statusCode, 200);

    assert.deepEqual(await t.deliverMail(), { sent: 0, failed: 0 });
    const [row] = await outboxRows(t);
    assert.equal(row.status, 'pending');
    assert.equal(row.recipient, 'jonas@meschede.example');
    assert.equal(row.attempts, 0);
    const link = /http:\/\/localhost:3000\/passwort-setzen\/[A-Za-z0-9_-]+/.exec(row.body_text)?.[0];
    assert.ok(link, 'the mail carries the link');

    const { visitor: admin } = await signedIn(t.app, t.database.db, 'admin');
    const page = await admin.get('/verwaltung/postausgang');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2[^>]*>Neues Passwort für die KI-Community Südwestfalen<\/h2>/);
    assert.match(page.body, /jonas@meschede\.example/);
    assert.match(page.body, /Guten Tag Jonas Winter,/);
    assert.ok(page.body.includes(link), 'the link can be read and copied from the page');
    assert.match(page.body, /nicht versendet – kein Mailserver eingerichtet/);

    // The link works for the person it was meant for.
    const setPage = await new Visitor(t.app).get(new URL(link).pathname);
    assert.equal(setPage.statusCode, 200);
    assert.match(setPage.body, /jonas@meschede\.example/);
  });

  it('refuses the outbox to members (403) and sends strangers to sign in', async () => {
    const { visitor: member } = await signedIn(t.app, t.database.db, 'member');
    const res = await member.get('/verwaltung/postausgang');
    assert.equal(res.statusCode, 403);
    assert.doesNotMatch(res.body, /passwort-setzen/);
    const { visitor: moderator } = await signedIn(t.app, t.database.db, 'moderator');
    assert.equal((await moderator.get('/verwaltung/postausgang')).statusCode, 403);
    const stranger = await new Visitor(t.app).get('/verwaltung/postausgang');
    assert.equal(stranger.statusCode, 303);
    assert.match(String(stranger.headers.location), /^\/anmelden\?weiter=/);
  });
});
