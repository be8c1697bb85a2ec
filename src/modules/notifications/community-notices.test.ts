import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runScheduledNotices } from '../../app.js';
import { backend, startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { createUser, publishLegalPages, completeSetup, signedIn } from '../../../test/support/factories.js';
import { countRows, requestToJoin } from '../../../test/support/members.js';
import { makeMeeting as makeMeetingAs, organiser, shiftMeeting, viewerOf } from '../../../test/support/meetings.js';
import { errorSummary, flash, pageText } from '../../../test/support/page.js';
import { initiativeForm, memberOf, passDeadline } from '../../../test/support/procurement.js';
import { makeSolution } from '../../../test/support/catalogue.js';
import { makeMeeting, makeTopic } from '../../../test/support/topics.js';
import type { CurrentUser } from '../../platform/policy.js';
import { cancelRegistration, registerForMeeting, type MeetingDeps } from '../meetings/service.js';
import { changeState, createInitiative, parseInitiative, saveDeclaration } from '../procurement/service.js';
import { notificationTexts } from '../questions/fixtures/support.js';

const db = (t: TestApp) => t.database.db;

/** The notifications of one kind a person has, newest first, as text. */
async function texts(t: TestApp, userId: number, kind: string): Promise<string[]> {
  return (await notificationTexts(db(t), userId)).filter((n) => n.kind === kind).map((n) => n.text);
}

describe('notifications about procurement, meetings and join requests', () => {
  let t: TestApp;
  /**
   * A second instance on the same database, as a second server behind a load balancer (PostgreSQL). SQLite serves one
   * instance: there the job runs concurrently within it.
   */
  let second: TestApp | undefined;
  const other = () => second ?? t;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    await publishLegalPages(db(t));
    if (backend === 'postgres') second = await startAppOnDatabase(t);
  });
  after(async () => {
    await second?.close();
    await t.close();
  });

  it('tells who follows procurement or the field, and the solution\'s contact, that a collection starts; binding, after a confirmation, the participants', async () => {
    const contact = await createUser(db(t), { organisation: 'Olpe', name: 'Olga Olpe', email: 'lernen@olpe.example' });
    const solution = await makeSolution(db(t), await viewerOf(db(t), contact.id),
      { title: 'Lernplattform mit KI-Tutor', summary: 'Übungen für die Fortbildung.', field_of_action: 'education', contact_email: 'lernen@olpe.example' });
    const fieldFollower = await createUser(db(t), { organisation: 'Brilon', name: 'Bruno Brilon' });
    await db(t).insertInto('follows').values({ user_id: fieldFollower.id, kind: 'field', value: 'education', created_at: new Date().toISOString() }).execute();
    const bystander = await createUser(db(t), { organisation: 'Winterberg' });

    // Following procurement is one button on the procurement page.
    const { visitor: follower, user: followerUser } = await signedIn(t.app, db(t), 'member', { organisation: 'Soest' });
    assert.match((await follower.get('/beschaffung')).body, /<button type="submit" class="button-small button-secondary" aria-describedby="follow-procurement-hint">Beschaffung folgen<\/button>/);
    const followed = await follower.post('/fragen/themen', { kind: 'tag', value: 'beschaffung', zurueck: '/beschaffung' });
    assert.equal(followed.headers.location, '/beschaffung');
    assert.match((await follower.get('/beschaffung')).body, />Beschaffung nicht mehr folgen<\/button>/);

    const { visitor: leadVisitor, user: leadUser } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const lead = await viewerOf(db(t), leadUser.id);
    const { id } = await createInitiative(db(t), lead, parseInitiative(initiativeForm({
      title: 'Lernplattform gemeinsam', solution: solution.slug, deadline_date: '2027-02-10', deadline_time: '12:00',
    }), {}));
    await changeState(db(t), lead, id, 'collecting');
    const started = 'Sammelbeschaffung „Lernplattform gemeinsam“ (KI-Assistent, Cloud-Lizenz): Bedarf kann bis 10.02.2027, 12:00 MEZ gemeldet werden.';
    assert.deepEqual(await texts(t, followerUser.id, 'procurement_started'), [started]);
    assert.deepEqual(await texts(t, fieldFollower.id, 'procurement_started'), [started]);
    assert.deepEqual(await texts(t, contact.id, 'procurement_started'), [started]);
    assert.deepEqual(await texts(t, bystander.id, 'procurement_started'), []);
    assert.deepEqual(await texts(t, leadUser.id, 'procurement_started'), [], 'not who started it');

    const olpe = await memberOf(db(t), 'Olpe');
    await saveDeclaration(db(t), olpe, id, 'declare', { quantity: 10, max_quantity: null });
    await passDeadline(db(t), id);

    // Binding asks first and says what will happen; without the confirmation nothing changes.
    await leadVisitor.get(`/beschaffung/${id}`);
    const asked = await leadVisitor.post(`/beschaffung/${id}/status`, { to: 'binding' });
    assert.equal(asked.statusCode, 200);
    const page = pageText(asked.body);
    assert.match(page, /„Lernplattform gemeinsam“ verbindlich machen\?/);
    assert.match(page, /Was geschieht Die Mengen der 1 meldenden Organisation werden verbindlich; niemand kann mehr beitreten, ändern oder zurückziehen\. Die Mitglieder der beteiligten Organisationen werden benachrichtigt\. Das lässt sich nicht rückgängig machen\./);
    assert.match(asked.body, /<input type="hidden" name="to" value="binding"\/><input type="hidden" name="confirm" value="yes"\/>/);
    assert.match(asked.body, /<a href="\/beschaffung\/\d+">Abbrechen, nichts ändern<\/a>/);
    assert.equal((await db(t).selectFrom('procurement_initiatives').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state, 'collecting');
    assert.deepEqual(await texts(t, olpe.id, 'procurement_bound'), []);

    const bound = await leadVisitor.post(`/beschaffung/${id}/status`, { to: 'binding', confirm: 'yes' });
    assert.equal(bound.statusCode, 303);
    assert.equal((await db(t).selectFrom('procurement_initiatives').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state, 'binding');
    const boundText = 'Sammelbeschaffung „Lernplattform gemeinsam“ ist verbindlich: Die gemeldeten Mengen gelten, niemand kann mehr beitreten oder ändern.';
    assert.deepEqual(await texts(t, olpe.id, 'procurement_bound'), [boundText]);
    assert.deepEqual(await texts(t, contact.id, 'procurement_bound'), [boundText], 'every member of a participating organisation');
    assert.deepEqual(await texts(t, fieldFollower.id, 'procurement_bound'), [], 'following is not taking part');

    await leadVisitor.get(`/beschaffung/${id}`);
    await leadVisitor.post(`/beschaffung/${id}/status`, { to: 'handed_over', confirm: 'yes' });
    assert.deepEqual(await texts(t, olpe.id, 'procurement_handed_over'), ['Sammelbeschaffung „Lernplattform gemeinsam“ wurde an die Vergabestelle übergeben.']);
  });

  it(`announces a deadline three days ahead once, also when the job runs twice and ${backend === 'postgres' ? 'on two instances' : 'twice'} at once`, async () => {
    const lead = await memberOf(db(t), 'Meschede');
    const colleague = await createUser(db(t), { organisation: 'Meschede' });
    const { id } = await createInitiative(db(t), lead, parseInitiative(initiativeForm({ title: 'Übersetzungsdienst' }), {}));
    await changeState(db(t), lead, id, 'collecting');
    await db(t).updateTable('procurement_initiatives').set({ deadline_at: '2027-03-17T11:00:00.000Z' }).where('id', '=', id).execute();

    const early = await runScheduledNotices(db(t), new Date('2027-03-13T11:00:00.000Z'));
    assert.equal(early.deadlines, 0, 'four days ahead is too early');
    const now = new Date('2027-03-15T09:00:00.000Z');
    const runs = [
      ...await Promise.all([runScheduledNotices(db(t), now), runScheduledNotices(db(other()), now)]),
      await runScheduledNotices(db(t), now),
    ];
    assert.equal(runs.reduce((sum, r) => sum + r.deadlines, 0), 1, 'one run of the three announced it');
    const expected = ['Sammelbeschaffung „Übersetzungsdienst“: Die Frist für Bedarfsmeldungen endet am 17.03.2027, 12:00 MEZ.'];
    assert.deepEqual(await texts(t, colleague.id, 'procurement_deadline'), expected);
    assert.deepEqual(await texts(t, lead.id, 'procurement_deadline'), expected);
    assert.equal(await countRows(db(t), 'notification_occasions', { occasion: `procurement-deadline:${id}:2027-03-17T11:00:00.000Z` }), 1);
  });

  it('opens the topic vote with a deadline after which it closes by itself; a deadline after the meeting\'s start is refused', async () => {
    const m = await makeMeeting(db(t), { title: 'Frühjahrsrunde' });
    const member = await createUser(db(t), { organisation: 'Attendorn' });
    const { visitor: org } = await signedIn(t.app, db(t), 'moderator');
    await org.get(`/treffen/${m.slug}/themen`);

    const late = await org.post(`/treffen/${m.slug}/themen/oeffnen`, { close_date: '2027-03-19', close_time: '10:00' });
    assert.equal(late.statusCode, 422);
    assert.equal(errorSummary(late.body), 'Bitte korrigieren Sie die folgenden Angaben: Die Abstimmung muss vor dem Beginn des Treffens (18.03.2027, 10:00 MEZ) enden. Bitte wählen Sie einen früheren Zeitpunkt.');
    assert.match(late.body, /value="2027-03-19"/, 'the form keeps what was typed');
    const closed = await db(t).selectFrom('meetings').select(['topics_open', 'topics_close_at']).where('id', '=', m.id).executeTakeFirstOrThrow();
    assert.deepEqual(closed, { topics_open: 0, topics_close_at: null });
    assert.deepEqual(await texts(t, member.id, 'topic_vote'), []);

    const opened = await org.post(`/treffen/${m.slug}/themen/oeffnen`, { close_date: '2027-03-10', close_time: '' });
    assert.equal(opened.statusCode, 303);
    assert.equal(flash((await org.get(`/treffen/${m.slug}/themen`)).body),
      'Die Themen sind geöffnet; die Abstimmung schließt von selbst am 10.03.2027, 23:59 MEZ. Die Mitglieder wurden benachrichtigt.');
    assert.deepEqual(await texts(t, member.id, 'topic_vote'),
      ['Treffen „Frühjahrsrunde“: Die Themenabstimmung ist bis 10.03.2027, 23:59 MEZ geöffnet. Schlagen Sie Themen vor und stimmen Sie ab.']);

    await runScheduledNotices(db(t), new Date('2027-03-10T22:00:00.000Z'));
    assert.deepEqual(await db(t).selectFrom('meetings').select(['topics_open', 'topics_close_at']).where('id', '=', m.id).executeTakeFirstOrThrow(),
      { topics_open: 1, topics_close_at: '2027-03-10T22:59:00.000Z' }, 'open until its deadline');
    const [a, b] = await Promise.all([
      runScheduledNotices(db(t), new Date('2027-03-11T08:00:00.000Z')), runScheduledNotices(db(other()), new Date('2027-03-11T08:00:00.000Z')),
    ]);
    assert.equal(a.votesClosed + b.votesClosed >= 1, true);
    assert.equal((await db(t).selectFrom('meetings').select('topics_open').where('id', '=', m.id).executeTakeFirstOrThrow()).topics_open, 0);
  });

  it('tells the organisers of registrations and withdrawals, the person moved up in the app, and everyone registered the day before, once', async () => {
    const creator = await organiser(db(t));
    const m = await makeMeetingAs(db(t), creator, { title: 'Chatbot-Werkstatt', capacity_onsite: '1' });
    const deps: MeetingDeps = { db: db(t), config: t.config };
    const anna = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe', name: 'Anna Aust' })).id);
    const bernd = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Soest', name: 'Bernd Beck' })).id);
    const clara = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Brilon', name: 'Clara Cramer' })).id);
    await registerForMeeting(deps, anna, m.slug);
    await registerForMeeting(deps, bernd, m.slug);
    await shiftMeeting(db(t), m.slug, { starts_at: '2027-04-20T16:00:00.000Z', ends_at: '2027-04-20T18:00:00.000Z' });
    await cancelRegistration(deps, anna, m.slug);
    await registerForMeeting(deps, clara, m.slug);

    assert.deepEqual(await texts(t, creator.id, 'meeting_registrations'), [
      'Clara Cramer (Brilon) steht für „Chatbot-Werkstatt“ auf der Warteliste.',
      'Anna Aust (Olpe) hat sich von „Chatbot-Werkstatt“ abgemeldet.',
      'Bernd Beck (Soest) steht für „Chatbot-Werkstatt“ auf der Warteliste.',
      'Anna Aust (Olpe) hat sich für „Chatbot-Werkstatt“ angemeldet.',
    ]);
    assert.deepEqual(await texts(t, bernd.id, 'waiting_list'),
      ['Sie sind für „Chatbot-Werkstatt“ am 20.04.2027, 18:00 MESZ von der Warteliste nachgerückt und jetzt angemeldet.']);

    const now = new Date('2027-04-20T04:00:00.000Z');
    const runs = [...await Promise.all([runScheduledNotices(db(t), now), runScheduledNotices(db(other()), now)]), await runScheduledNotices(db(other()), now)];
    assert.equal(runs.reduce((sum, r) => sum + r.reminders, 0), 1);
    assert.deepEqual(await texts(t, bernd.id, 'meeting_reminder'), ['Erinnerung: Sie sind für „Chatbot-Werkstatt“ am 20.04.2027, 18:00 MESZ angemeldet.']);
    assert.deepEqual(await texts(t, clara.id, 'meeting_reminder'), [], 'not who is waiting');
    assert.deepEqual(await texts(t, anna.id, 'meeting_reminder'), [], 'not who withdrew');
  });

  it('lets the organisers write to everyone registered or waiting; a message over the limit is refused and nothing is sent', async () => {
    const creator = await organiser(db(t));
    const m = await makeMeetingAs(db(t), creator, { title: 'Datenschutz-Sprechstunde', capacity_onsite: '1' });
    const deps: MeetingDeps = { db: db(t), config: t.config };
    const people: CurrentUser[] = [];
    for (const organisation of ['Lennestadt', 'Finnentrop']) {
      const p = await viewerOf(db(t), (await createUser(db(t), { organisation })).id);
      await registerForMeeting(deps, p, m.slug);
      people.push(p);
    }
    const { visitor: org } = await signedIn(t.app, db(t), 'moderator', { name: 'Mona Moderation' });
    const page = await org.get(`/treffen/${m.slug}/anmeldungen`);
    assert.match(pageText(page.body), /Nachricht an alle Angemeldeten Die Nachricht erreicht 2 Personen \(angemeldet oder auf der Warteliste\)/);

    const tooLong = `Bitte bringen Sie Ihren Laptop mit. ${'x'.repeat(1965)}`;
    assert.equal(tooLong.length, 2001);
    const refused = await org.post(`/treffen/${m.slug}/nachricht`, { message: tooLong });
    assert.equal(refused.statusCode, 422);
    assert.equal(errorSummary(refused.body), 'Bitte korrigieren Sie die folgenden Angaben: Die Nachricht ist zu lang: höchstens 2000 Zeichen, Ihre hat 2001. Es wurde nichts gesendet.');
    assert.match(refused.body, /Bitte bringen Sie Ihren Laptop mit\. xxxx/, 'the form keeps what was typed');
    assert.equal(await countRows(db(t), 'notifications', { kind: 'meeting_message' }), 0);

    const sent = await org.post(`/treffen/${m.slug}/nachricht`, { message: 'Bitte bringen Sie Ihren Laptop mit.' });
    assert.equal(sent.statusCode, 303);
    assert.equal(flash((await org.get(`/treffen/${m.slug}/anmeldungen`)).body), 'Die Nachricht wurde an 2 Personen gesendet.');
    for (const p of people) {
      assert.deepEqual(await texts(t, p.id, 'meeting_message'), ['Nachricht von Mona Moderation zu „Datenschutz-Sprechstunde“: Bitte bringen Sie Ihren Laptop mit.']);
    }
  });

  it('asks before publishing an agenda, says what will happen, and tells the members once it is published', async () => {
    const m = await makeMeeting(db(t), { title: 'Herbstrunde', topics_open: 1 });
    await makeTopic(db(t), m.id, 'Sprachmodelle im Rat');
    await makeTopic(db(t), m.id, 'Offene Daten');
    const member = await createUser(db(t), { organisation: 'Siegen' });
    const { visitor: org } = await signedIn(t.app, db(t), 'moderator');
    await org.get(`/treffen/${m.slug}/programm`);
    await org.post(`/treffen/${m.slug}/programm`, { time: '10:00', title: 'Begrüßung', speaker: '' });

    const asked = await org.post(`/treffen/${m.slug}/programm/veroeffentlichen`);
    assert.equal(asked.statusCode, 200);
    assert.match(pageText(asked.body), /Programm von „Herbstrunde“ veröffentlichen\? Was geschieht Das Programm mit 1 Punkt wird für alle sichtbar, die das Treffen sehen können\. Die Themenabstimmung endet endgültig \(2 Themen\): niemand kann mehr Themen vorschlagen oder abstimmen\. Die Mitglieder werden benachrichtigt\. Das lässt sich nicht rückgängig machen\. Ja, Programm veröffentlichen Abbrechen, nichts ändern/);
    const unchanged = await db(t).selectFrom('meetings').select(['agenda_published_at', 'topics_open']).where('id', '=', m.id).executeTakeFirstOrThrow();
    assert.deepEqual(unchanged, { agenda_published_at: null, topics_open: 1 });
    assert.deepEqual(await texts(t, member.id, 'agenda_published'), []);

    const published = await org.post(`/treffen/${m.slug}/programm/veroeffentlichen`, { confirm: 'yes' });
    assert.equal(published.statusCode, 303);
    assert.equal((await db(t).selectFrom('meetings').select('topics_open').where('id', '=', m.id).executeTakeFirstOrThrow()).topics_open, 0);
    assert.deepEqual(await texts(t, member.id, 'agenda_published'), ['Treffen „Herbstrunde“ am 18.03.2027, 10:00 MEZ: Das Programm ist veröffentlicht.']);
  });

  it('cancels a meeting only with the box ticked that says what will happen; removing material asks first', async () => {
    const creator = await organiser(db(t));
    const m = await makeMeetingAs(db(t), creator, { title: 'Abzusagende Runde' });
    await registerForMeeting({ db: db(t), config: t.config }, await viewerOf(db(t), (await createUser(db(t))).id), m.slug);
    const { visitor: org } = await signedIn(t.app, db(t), 'moderator');
    const form = await org.get(`/treffen/${m.slug}/absagen`);
    assert.match(pageText(form.body), /Ich habe verstanden: Das Treffen wird endgültig abgesagt und 1 angemeldete oder wartende Person erhält eine E-Mail\. \(Pflichtfeld\)/);
    const refused = await org.post(`/treffen/${m.slug}/absagen`, { reason: 'Raum belegt' });
    assert.equal(refused.statusCode, 422);
    assert.equal(errorSummary(refused.body), 'Bitte korrigieren Sie die folgenden Angaben: Bitte bestätigen Sie, dass das Treffen endgültig abgesagt werden soll. Es wurde nichts geändert.');
    assert.match(refused.body, />Raum belegt<\/textarea>/);
    assert.equal((await db(t).selectFrom('meetings').select('status').where('id', '=', m.id).executeTakeFirstOrThrow()).status, 'planned');
    assert.equal((await org.post(`/treffen/${m.slug}/absagen`, { reason: 'Raum belegt', confirm: '1' })).statusCode, 303);
    assert.equal((await db(t).selectFrom('meetings').select('status').where('id', '=', m.id).executeTakeFirstOrThrow()).status, 'cancelled');

    const other = await makeMeetingAs(db(t), creator, { title: 'Runde mit Material' });
    await org.get(`/treffen/${other.slug}/material`);
    await org.post(`/treffen/${other.slug}/material/link`, { link_title: 'Folien', url: 'https://example.org/folien' });
    const material = await db(t).selectFrom('meeting_materials').select('id').where('meeting_id', '=', other.id).executeTakeFirstOrThrow();
    const asked = await org.post(`/treffen/${other.slug}/material/${material.id}/entfernen`);
    assert.equal(asked.statusCode, 200);
    assert.match(pageText(asked.body), /Material „Folien“ entfernen\? Was geschieht Der Eintrag „Folien“ wird aus dem Material von „Runde mit Material“ gelöscht\./);
    assert.equal(await countRows(db(t), 'meeting_materials', { meeting_id: other.id }), 1);
  });

  it('tells the administrators of a join request in the app', async () => {
    const admin = await createUser(db(t), { role: 'admin', name: 'Ada Admin' });
    const { sent } = await requestToJoin(t, { name: 'Jana Neu' });
    assert.equal(sent.name, 'Jana Neu');
    assert.deepEqual(await texts(t, admin.id, 'join_request'), ['Neue Beitrittsanfrage von Jana Neu (Arnsberg).']);
    const member = await createUser(db(t));
    assert.deepEqual(await texts(t, member.id, 'join_request'), []);
  });
});
