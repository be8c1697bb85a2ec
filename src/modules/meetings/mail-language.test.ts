import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, createUser } from '../../../test/support/factories.js';
import { mailsTo } from '../../../test/support/members.js';
import { makeMeeting, organiser, viewerOf } from '../../../test/support/meetings.js';
import type { CurrentUser } from '../../platform/policy.js';
import { cancelMeeting, registerForMeeting, type MeetingDeps } from './service.js';

const db = (t: TestApp) => t.database.db;
const deps = (t: TestApp): MeetingDeps => ({ db: db(t), config: t.config });

/** A member whose stored language is the given one. */
async function member(t: TestApp, name: string, language: 'de' | 'en'): Promise<CurrentUser> {
  const { id } = await createUser(db(t), { name });
  await db(t).updateTable('users').set({ language }).where('id', '=', id).execute();
  return viewerOf(db(t), id);
}

/** The meeting's start date in Europe/Berlin, written with the given pattern. */
const startDate = (startsAt: string, pattern: string) => DateTime.fromISO(startsAt, { zone: 'Europe/Berlin', locale: 'en-GB' }).toFormat(pattern);

describe('meeting mails in each member\'s language', () => {
  let t: TestApp;
  let org: CurrentUser;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    org = await organiser(db(t));
  });
  after(() => t.close());

  it('confirms a registration in the member\'s language, with the time written in it and the same calendar entry', async () => {
    const m = await makeMeeting(db(t), org, { title: 'Chatbots im Bürgerbüro' });
    const emma = await member(t, 'Emma English', 'en');
    const gerd = await member(t, 'Gerd Deutsch', 'de');
    await registerForMeeting(deps(t), emma, m.slug);
    await registerForMeeting(deps(t), gerd, m.slug);

    const [english] = await mailsTo(db(t), emma.email);
    assert.equal(english.subject, 'Registration confirmed: Chatbots im Bürgerbüro');
    assert.match(english.body_text, /^Hello Emma English,/);
    assert.match(english.body_text, /You are registered for “Chatbots im Bürgerbüro” \(in person\)\./);
    assert.ok(english.body_text.includes(`\nWhen: ${startDate(m.starts_at, 'ccc, dd/LL/yyyy')}, 18:00–20:00 CE`), english.body_text);
    assert.match(english.body_text, /The calendar entry is attached to this e-mail\./);

    const [german] = await mailsTo(db(t), gerd.email);
    assert.equal(german.subject, 'Anmeldung bestätigt: Chatbots im Bürgerbüro');
    assert.match(german.body_text, /^Guten Tag Gerd Deutsch,/);
    assert.ok(german.body_text.includes(`${startDate(m.starts_at, 'dd.LL.yyyy')}, 18:00`), german.body_text);
    assert.match(german.body_text, /\nWann: .*MES?Z\n/);

    const attachments = await db(t).selectFrom('outbox').select(['recipient', 'attachments'])
      .where('recipient', 'in', [emma.email, gerd.email]).orderBy('id').execute();
    const calendar = (json: string) => (JSON.parse(json) as { content: string }[])[0].content.replace(/^DTSTAMP:.*$/m, '');
    assert.equal(calendar(attachments[0].attachments), calendar(attachments[1].attachments));
  });

  it('tells each person of a cancellation in their own language', async () => {
    const m = await makeMeeting(db(t), org, { title: 'Fällt aus' });
    const emma = await member(t, 'Emily English', 'en');
    const gerd = await member(t, 'Grete Deutsch', 'de');
    await registerForMeeting(deps(t), emma, m.slug);
    await registerForMeeting(deps(t), gerd, m.slug);
    await cancelMeeting(deps(t), org, m.slug, 'Raum nicht verfügbar', true);

    const english = (await mailsTo(db(t), emma.email)).at(-1)!;
    assert.equal(english.subject, 'Cancelled: Fällt aus');
    assert.ok(english.body_text.includes(`the meeting “Fällt aus” on ${startDate(m.starts_at, 'ccc, dd/LL/yyyy')}`), english.body_text);
    assert.match(english.body_text, /Reason:\nRaum nicht verfügbar/);
    const german = (await mailsTo(db(t), gerd.email)).at(-1)!;
    assert.equal(german.subject, 'Abgesagt: Fällt aus');
    assert.ok(german.body_text.includes(startDate(m.starts_at, 'dd.LL.yyyy')), german.body_text);
  });
});
