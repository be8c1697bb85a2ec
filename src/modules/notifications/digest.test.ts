import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backend, startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, createUser } from '../../../test/support/factories.js';
import { digestPeriod, sendDigests } from './digest.js';
import { notify, type MailFrequency, type NotificationKind } from './service.js';

const db = (t: TestApp) => t.database.db;
// Fixed days, so the test does not depend on today's weekday: Monday 2030-01-07 starts ISO week 2 (Europe/Berlin, UTC+1).
/** When the test's notifications arrived: Tuesday of that week. */
const ARRIVED = '2030-01-08T10:00:00.000Z';
/** An instant given as Berlin local time on a day of January 2030. */
const berlinAt = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2030, 0, day, hour - 1, minute));

let serial = 0;
/** A notification for one person, as if it had arrived at the given time. */
async function news(t: TestApp, userId: number, kind: NotificationKind, title: string, arrived = ARRIVED) {
  serial++;
  await notify(db(t), {
    userIds: [userId], kind, messageKey: 'notifications.messages.meetingAnnounced', params: { title, date: '02.12.2026' },
    url: `/treffen/t-${serial}`, dedupeKey: `digest-test:${serial}`,
  });
  await db(t).updateTable('notifications').set({ created_at: arrived }).where('dedupe_key', '=', `digest-test:${serial}`).execute();
}

async function prefer(t: TestApp, userId: number, prefs: Partial<Record<NotificationKind, MailFrequency>>) {
  for (const [kind, frequency] of Object.entries(prefs)) {
    await db(t).insertInto('notification_preferences').values({ user_id: userId, kind: kind as NotificationKind, frequency: frequency!, updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ frequency: frequency! })).execute();
  }
}

const outboxOf = (t: TestApp, email: string) =>
  db(t).selectFrom('outbox').select(['subject', 'body_text', 'headers']).where('recipient', '=', email).orderBy('id').execute();
const digestMails = async (t: TestApp, email: string) => (await outboxOf(t, email)).filter((m) => /Zusammenfassung/.test(m.subject));

describe('digest periods in Europe/Berlin', () => {
  it('cuts days at Berlin midnight, in winter and in summer time', () => {
    assert.deepEqual(digestPeriod('daily', new Date('2026-11-27T22:30:00Z')), {
      key: '2026-11-27', start: '2026-11-26T23:00:00.000Z', sendFrom: new Date('2026-11-27T05:00:00Z'),
    });
    assert.equal(digestPeriod('daily', new Date('2026-11-27T23:30:00Z')).key, '2026-11-28');
    assert.deepEqual(digestPeriod('daily', new Date('2026-07-01T21:59:00Z')), {
      key: '2026-07-01', start: '2026-06-30T22:00:00.000Z', sendFrom: new Date('2026-07-01T04:00:00Z'),
    });
    // The night the clocks go forward: the day starts at 23:00 UTC, its digest hour is 04:00 UTC.
    assert.equal(digestPeriod('daily', new Date('2026-03-29T12:00:00Z')).sendFrom.toISOString(), '2026-03-29T04:00:00.000Z');
  });

  it('cuts weeks on Monday, numbered as ISO weeks across the turn of the year', () => {
    assert.deepEqual(digestPeriod('weekly', new Date('2026-11-27T12:00:00Z')), {
      key: '2026-W48', start: '2026-11-22T23:00:00.000Z', sendFrom: new Date('2026-11-23T05:00:00Z'),
    });
    assert.equal(digestPeriod('weekly', new Date('2027-01-01T12:00:00Z')).key, '2026-W53');
    assert.equal(digestPeriod('weekly', new Date('2027-01-04T12:00:00Z')).key, '2027-W01');
    // Monday 00:30 in Berlin starts the new week while it is still Sunday in UTC.
    assert.equal(digestPeriod('weekly', new Date('2026-11-29T22:30:00Z')).key, '2026-W48');
    assert.equal(digestPeriod('weekly', new Date('2026-11-29T23:30:00Z')).key, '2026-W49');
  });
});

describe('digests', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('contain exactly what the person has neither read nor been mailed, grouped by kind, and go out once per period', async () => {
    const user = await createUser(db(t), { name: 'Dana Digest' });
    await news(t, user.id, 'answer', 'Schon gemailt'); // answers are mailed immediately by default
    await prefer(t, user.id, { answer: 'daily', match: 'daily', meeting: 'daily', followed: 'weekly', catalogue: 'off' });
    await news(t, user.id, 'answer', 'Antwort offen');
    await news(t, user.id, 'answer', 'Antwort gelesen');
    await news(t, user.id, 'match', 'Passende Frage');
    await news(t, user.id, 'meeting', 'Neues Treffen offen');
    await news(t, user.id, 'followed', 'Wöchentliches Thema');
    await news(t, user.id, 'catalogue', 'Abbestellte Änderung');
    await db(t).updateTable('notifications').set({ read_at: new Date().toISOString() })
      .where('user_id', '=', user.id).where('params', 'like', '%Antwort gelesen%').execute();

    assert.deepEqual(await sendDigests(db(t), berlinAt(9, 5, 59)), { sent: 0 }, 'nothing before the digest hour');
    await sendDigests(db(t), berlinAt(9, 7));
    const mails = await digestMails(t, user.email);
    assert.equal(mails.length, 1);
    const [mail] = mails;
    assert.equal(mail.subject, 'Ihre tägliche Zusammenfassung aus der KI-Community Südwestfalen');
    const body = mail.body_text;
    assert.match(body, /^Guten Tag Dana Digest,\n\nhier sind 3 Neuigkeiten, die Sie noch nicht gesehen haben:\n/);
    for (const seen of ['Schon gemailt', 'Antwort gelesen', 'Wöchentliches Thema', 'Abbestellte Änderung']) assert.doesNotMatch(body, new RegExp(seen));
    const sections = ['Antworten auf meine Fragen (1)', 'Fragen, zu denen meine Organisation passt (1)', 'Neue Treffen (1)'].map((h) => body.indexOf(`${h}\n===`));
    assert.ok(sections.every((i) => i > 0) && sections[0] < sections[1] && sections[1] < sections[2], body);
    assert.ok(body.indexOf('Antwort offen') > sections[0] && body.indexOf('Antwort offen') < sections[1]);
    assert.ok(body.indexOf('Passende Frage') > sections[1] && body.indexOf('Passende Frage') < sections[2]);
    assert.ok(body.indexOf('Neues Treffen offen') > sections[2]);
    assert.match(body, /\n {2}http:\/\/localhost:3000\/treffen\/t-\d+\n/);
    const headers = JSON.parse(mail.headers) as Record<string, string>;
    assert.match(headers['List-Unsubscribe'], new RegExp(`^<http://localhost:3000/abmelden/${user.id}\\.answer-match-meeting\\.[\\w-]{43}>$`));
    assert.equal(headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.ok(body.includes(`Mit einem Klick abbestellen, ohne Anmeldung: ${headers['List-Unsubscribe'].slice(1, -1)}`));

    // Running again in the same period sends nothing, neither later that day.
    assert.deepEqual(await sendDigests(db(t), berlinAt(9, 7, 5)), { sent: 0 });
    await sendDigests(db(t), berlinAt(9, 22));
    assert.equal((await digestMails(t, user.email)).length, 1);

    // The next day's digest has only what came since.
    await news(t, user.id, 'meeting', 'Noch ein Treffen', berlinAt(9, 9).toISOString());
    await sendDigests(db(t), berlinAt(10, 6));
    const next = await digestMails(t, user.email);
    assert.equal(next.length, 2);
    assert.match(next[1].body_text, /hier ist 1 Neuigkeit, die Sie noch nicht gesehen haben:/);
    assert.match(next[1].body_text, /Noch ein Treffen/);
    assert.doesNotMatch(next[1].body_text, /Antwort offen|Passende Frage/);
  });

  it('sends the weekly digest on Monday morning with what is left for the weekly kinds', async () => {
    const user = await createUser(db(t));
    await news(t, user.id, 'followed', 'Neue Frage zu Chatbots');
    await news(t, user.id, 'catalogue', 'Lösung geändert');
    await sendDigests(db(t), berlinAt(9, 7));
    assert.equal((await digestMails(t, user.email)).length, 0, 'the defaults for these kinds are weekly');
    await sendDigests(db(t), berlinAt(14, 5, 30));
    assert.equal((await digestMails(t, user.email)).length, 0);
    await sendDigests(db(t), berlinAt(14, 6, 30));
    const mails = await digestMails(t, user.email);
    assert.equal(mails.length, 1);
    assert.equal(mails[0].subject, 'Ihre wöchentliche Zusammenfassung aus der KI-Community Südwestfalen');
    assert.match(mails[0].body_text, /Neue Fragen zu Themen, denen ich folge \(1\)\n=+\n- .*Neue Frage zu Chatbots/);
    assert.match(mails[0].body_text, /Änderungen an Lösungen, die meine Organisation einsetzt \(1\)\n=+\n- .*Lösung geändert/);
    // Each kind can be turned off on its own from a digest with several.
    assert.match(mails[0].body_text, new RegExp(`Nur diese Art abbestellen: http://localhost:3000/abmelden/${user.id}\\.followed\\.`));
  });

  it('sends nothing to a person who read everything, switched mail off in the profile, or left', async () => {
    const reader = await createUser(db(t));
    const quiet = await createUser(db(t));
    const gone = await createUser(db(t));
    for (const u of [reader, quiet, gone]) await news(t, u.id, 'meeting', 'Treffen');
    await db(t).updateTable('notifications').set({ read_at: new Date().toISOString() }).where('user_id', '=', reader.id).execute();
    await db(t).updateTable('users').set({ notify_email: 0 }).where('id', '=', quiet.id).execute();
    await db(t).updateTable('users').set({ active: 0 }).where('id', '=', gone.id).execute();
    await sendDigests(db(t), berlinAt(14, 7));
    for (const u of [reader, quiet, gone]) assert.equal((await digestMails(t, u.email)).length, 0);
  });

  it("unsubscribes from exactly the digest's kinds with its one-click link", async () => {
    const user = await createUser(db(t));
    await prefer(t, user.id, { meeting: 'daily', match: 'daily' });
    await news(t, user.id, 'meeting', 'Treffen');
    await sendDigests(db(t), berlinAt(9, 8));
    const [mail] = await digestMails(t, user.email);
    const url = (JSON.parse(mail.headers) as Record<string, string>)['List-Unsubscribe'].slice('<http://localhost:3000'.length, -1);
    const res = await new Visitor(t.app).post(url, { 'List-Unsubscribe': 'One-Click' }, null);
    assert.equal(res.statusCode, 200);
    const prefs = await db(t).selectFrom('notification_preferences').select(['kind', 'frequency']).where('user_id', '=', user.id).orderBy('kind').execute();
    assert.deepEqual(prefs, [{ kind: 'match', frequency: 'daily' }, { kind: 'meeting', frequency: 'off' }]);
  });
});

describe('digests run concurrently', () => {
  let t: TestApp;
  // A second instance on PostgreSQL, as behind a load balancer. SQLite is for one instance: better-sqlite3 waits for
  // a lock synchronously, so two instances in one process would block each other's event loop.
  let second: TestApp | undefined;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    if (backend === 'postgres') second = await startAppOnDatabase(t);
  });
  after(async () => {
    await second?.close();
    await t.close();
  });

  async function people(n: number) {
    const list = [];
    for (let i = 0; i < n; i++) {
      const user = await createUser(db(t));
      await prefer(t, user.id, { meeting: 'daily' });
      await news(t, user.id, 'meeting', `Treffen ${i}`);
      await news(t, user.id, 'meeting', `Zweites Treffen ${i}`);
      list.push(user);
    }
    return list;
  }

  async function assertOneDigestEach(users: { id: number; email: string }[], period: string) {
    for (const u of users) {
      const mails = await digestMails(t, u.email);
      assert.equal(mails.length, 1, u.email);
      assert.match(mails[0].body_text, /hier sind 2 Neuigkeiten/);
      const rows = await db(t).selectFrom('notification_digests').selectAll().where('user_id', '=', u.id).execute();
      assert.deepEqual(rows.map((r) => [r.cadence, r.period, r.item_count]), [['daily', period, 2]]);
    }
  }

  it('sends one digest per person when the job runs twice at once', async () => {
    const users = await people(6);
    const at = berlinAt(9, 7);
    const results = await Promise.all([sendDigests(db(t), at), sendDigests(db(t), at), sendDigests(db(t), at)]);
    assert.equal(results.reduce((n, r) => n + r.sent, 0), users.length);
    await assertOneDigestEach(users, digestPeriod('daily', at).key);
  });

  it(`sends one digest per person when ${backend === 'postgres' ? 'two instances on one database run' : 'the one instance runs'} it at once, for the next period too`, async () => {
    const users = await people(6);
    const at = berlinAt(10, 7);
    const other = second ?? t;
    const results = await Promise.all([sendDigests(db(t), at), sendDigests(db(other), at), sendDigests(db(other), at)]);
    assert.equal(results.reduce((n, r) => n + r.sent, 0), users.length);
    await assertOneDigestEach(users, digestPeriod('daily', at).key);
  });
});
