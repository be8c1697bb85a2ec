import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, createUser } from '../../../test/support/factories.js';
import { mailsTo } from '../../../test/support/members.js';
import { sendDigests } from './digest.js';
import { notify, type MailFrequency } from './service.js';

const db = (t: TestApp) => t.database.db;

/** 5 March 2030, 18:00 in Berlin (CET). */
const MEETING_AT = '2030-03-05T17:00:00.000Z';
/** When the digest's notification arrived (Tuesday 8 January 2030), and when the daily digest runs (the next morning, 07:00 in Berlin). */
const ARRIVED = '2030-01-08T10:00:00.000Z';
const DIGEST_RUN = new Date('2030-01-09T06:00:00.000Z');

/** A member with the given stored language who wants meeting news mailed at the given frequency. */
async function reader(t: TestApp, name: string, language: 'de' | 'en', frequency: MailFrequency) {
  const user = await createUser(db(t), { name });
  await db(t).updateTable('users').set({ language }).where('id', '=', user.id).execute();
  await db(t).insertInto('notification_preferences').values({ user_id: user.id, kind: 'meeting', frequency, updated_at: new Date().toISOString() }).execute();
  return user;
}

let serial = 0;
async function announce(t: TestApp, userIds: number[], title: string) {
  serial++;
  await notify(db(t), {
    userIds, kind: 'meeting', messageKey: 'notifications.messages.meetingAnnounced', params: { title, date: MEETING_AT },
    url: `/treffen/sprache-${serial}`, dedupeKey: `language-test:${serial}`,
  });
  return `language-test:${serial}`;
}

describe('notification mails in each member\'s language', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('mails a notification in the reader\'s language, with its date and the footer written in it', async () => {
    const emma = await reader(t, 'Emma English', 'en', 'immediately');
    const gerd = await reader(t, 'Gerd Deutsch', 'de', 'immediately');
    await announce(t, [emma.id, gerd.id], 'KI-Stammtisch');

    const [english] = await mailsTo(db(t), emma.email);
    assert.equal(english.subject, 'New meeting: “KI-Stammtisch” on 05/03/2030, 18:00 CET. Registration is open.');
    assert.match(english.body_text, /^Hello Emma English,\n\nNew meeting: “KI-Stammtisch” on 05\/03\/2030, 18:00 CET\. Registration is open\.\n/);
    assert.match(english.body_text, /All your notifications: http:\/\/localhost:3000\/benachrichtigungen/);
    assert.match(english.body_text, /You get this e-mail because e-mails are switched on for: New meetings\./);
    assert.match(english.body_text, /Unsubscribe with one click, no sign-in needed: http:\/\/localhost:3000\/abmelden\//);

    const [german] = await mailsTo(db(t), gerd.email);
    assert.equal(german.subject, 'Neues Treffen: „KI-Stammtisch“ am 05.03.2030, 18:00 MEZ. Die Anmeldung ist geöffnet.');
    assert.match(german.body_text, /^Guten Tag Gerd Deutsch,/);
    assert.match(german.body_text, /Mit einem Klick abbestellen, ohne Anmeldung: /);
  });

  it('writes the digest in the reader\'s language', async () => {
    const emily = await reader(t, 'Emily English', 'en', 'daily');
    const grete = await reader(t, 'Grete Deutsch', 'de', 'daily');
    const key = await announce(t, [emily.id, grete.id], 'Digest-Runde');
    await db(t).updateTable('notifications').set({ created_at: ARRIVED }).where('dedupe_key', '=', key).execute();
    assert.equal((await mailsTo(db(t), emily.email)).length, 0, 'daily readers are not mailed at once');

    await sendDigests(db(t), DIGEST_RUN);
    const [english] = await mailsTo(db(t), emily.email);
    assert.equal(english.subject, `Your daily digest from the ${t.config.communityName}`);
    assert.match(english.body_text, /^Hello Emily English,\n\nhere is 1 item you have not seen yet:\n\nNew meetings \(1\)\n=+\n/);
    assert.match(english.body_text, /- New meeting: “Digest-Runde” on 05\/03\/2030, 18:00 CET\. Registration is open\.\n/);
    assert.match(english.body_text, /You get this e-mail because e-mails are switched on for: New meetings\./);

    const [german] = await mailsTo(db(t), grete.email);
    assert.equal(german.subject, `Ihre tägliche Zusammenfassung aus der ${t.config.communityName}`);
    assert.match(german.body_text, /- Neues Treffen: „Digest-Runde“ am 05\.03\.2030, 18:00 MEZ\. Die Anmeldung ist geöffnet\.\n/);
  });
});
