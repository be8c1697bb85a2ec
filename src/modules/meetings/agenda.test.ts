import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { countRows } from '../../../test/support/members.js';
import { addVotes, assertIncludes, agendaRows, errorSummary, flash, makeMeeting, makeTopic, pageText, rankedTitles } from '../../../test/support/topics.js';

const db = (t: TestApp) => t.database.db;

async function items(t: TestApp, meetingId: number) {
  return db(t).selectFrom('agenda_items').select(['starts_at', 'title', 'speaker', 'topic_id']).where('meeting_id', '=', meetingId).orderBy('starts_at').execute();
}

async function meetingRow(t: TestApp, id: number) {
  return db(t).selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('the agenda of a meeting', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('lets organisers take topics from the ranking onto the agenda in one click, half an hour apart from the start', async () => {
    const m = await makeMeeting(db(t), { topics_open: 1 });
    const voters = [(await createUser(db(t))).id, (await createUser(db(t))).id];
    const second = await makeTopic(db(t), m.id, 'Chatbot-Erfahrungen', { at: '2026-11-01T10:00:00.000Z' });
    const first = await makeTopic(db(t), m.id, 'KI-Verordnung in der Praxis', { at: '2026-11-02T10:00:00.000Z' });
    await addVotes(db(t), first, voters);
    await addVotes(db(t), second, voters.slice(0, 1));

    const { visitor: member } = await signedIn(t.app, db(t));
    await member.get(`/treffen/${m.slug}/themen`);
    assert.equal((await member.post(`/treffen/${m.slug}/programm/thema/${first}`)).statusCode, 403);

    const { visitor: organiser } = await signedIn(t.app, db(t), 'moderator');
    const page = await organiser.get(`/treffen/${m.slug}/programm`);
    assert.equal(page.statusCode, 200);
    assertIncludes(pageText(page.body), 'Dieses Programm ist noch nicht veröffentlicht; nur das Organisationsteam sieht es.');
    // The ranking to take from lists the topics in their order, with their votes.
    const ranking = /<h2 id="take-title">[\s\S]*?<\/ol>/.exec(page.body)?.[0] ?? '';
    assert.ok(pageText(ranking).indexOf('KI-Verordnung in der Praxis (2 Stimmen)') < pageText(ranking).indexOf('Chatbot-Erfahrungen (1 Stimme)'), pageText(ranking));

    const res = await organiser.post(`/treffen/${m.slug}/programm/thema/${first}`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/treffen/${m.slug}/programm`);
    assert.equal(flash((await organiser.get(`/treffen/${m.slug}/programm`)).body),
      '„KI-Verordnung in der Praxis“ steht jetzt um 10:00 Uhr auf dem Programm. Passen Sie Uhrzeit und vortragende Person bei Bedarf an.');
    // The topic page offers the same button.
    await organiser.get(`/treffen/${m.slug}/themen`);
    assert.equal((await organiser.post(`/treffen/${m.slug}/programm/thema/${second}`)).statusCode, 303);

    assert.deepEqual(await items(t, m.id), [
      { starts_at: '2027-03-18T09:00:00.000Z', title: 'KI-Verordnung in der Praxis', speaker: '', topic_id: first },
      { starts_at: '2027-03-18T09:30:00.000Z', title: 'Chatbot-Erfahrungen', speaker: '', topic_id: second },
    ]);
    const agenda = await organiser.get(`/treffen/${m.slug}/programm`);
    assert.deepEqual(agendaRows(agenda.body), [['10:00 Uhr', 'KI-Verordnung in der Praxis', '—'], ['10:30 Uhr', 'Chatbot-Erfahrungen', '—']]);
    assert.match(agenda.body, /<caption>Programm am Donnerstag, 18\.03\.2027, alle Uhrzeiten MEZ<\/caption>/);
    await organiser.get('/sprache/en');
    assert.match((await organiser.get(`/treffen/${m.slug}/programm`)).body, /<caption>Agenda on Thursday, 18\/03\/2027, all times CET<\/caption>/);
    await organiser.get('/sprache/de');
    assertIncludes(pageText(agenda.body), 'Alle Themen stehen schon auf dem Programm.');
    assertIncludes(pageText((await organiser.get(`/treffen/${m.slug}/themen`)).body), 'Steht auf dem Programm.');

    // Twice is refused.
    const again = await organiser.post(`/treffen/${m.slug}/programm/thema/${first}`);
    assert.equal(again.statusCode, 422);
    assertIncludes(errorSummary(again.body), '„KI-Verordnung in der Praxis“ steht schon auf dem Programm.');
    assert.equal(await countRows(db(t), 'agenda_items', { meeting_id: m.id }), 2);
  });

  it('takes the example time of the hint and the message from the meeting itself and explains a point typed instead of a colon', async () => {
    // 9 December 2027, 15:00–17:30 winter time (14:00–16:30 UTC).
    const m = await makeMeeting(db(t), { starts_at: '2027-12-09T14:00:00.000Z', ends_at: '2027-12-09T16:30:00.000Z' });
    const { visitor: organiser } = await signedIn(t.app, db(t), 'admin');
    const page = await organiser.get(`/treffen/${m.slug}/programm`);
    assertIncludes(pageText(page.body), 'Stunden und Minuten, zum Beispiel 15:30; das Treffen dauert von 15:00 bis 17:30 Uhr');
    const wrong = await organiser.post(`/treffen/${m.slug}/programm`, { time: 'halb vier', title: 'Kaffee', speaker: '' });
    assert.equal(wrong.statusCode, 422);
    assertIncludes(errorSummary(wrong.body), 'Bitte geben Sie die Uhrzeit als Stunden und Minuten an, zum Beispiel 15:30.');
    const dotted = await organiser.post(`/treffen/${m.slug}/programm`, { time: '16.30', title: 'Kaffee', speaker: '' });
    assert.equal(dotted.statusCode, 422);
    assertIncludes(errorSummary(dotted.body), 'Bitte einen Doppelpunkt statt eines Punktes: 16:30.');
  });

  it('lets organisers add, edit and remove items with a time in German local time, and refuses bad times with 422', async () => {
    // 17 June 2027, 10:00–13:00 summer time (08:00–11:00 UTC).
    const m = await makeMeeting(db(t), { starts_at: '2027-06-17T08:00:00.000Z', ends_at: '2027-06-17T11:00:00.000Z' });
    const topic = await makeTopic(db(t), m.id, 'Bildauswertung Straßenschäden');
    const { visitor: organiser } = await signedIn(t.app, db(t), 'admin');
    const page = await organiser.get(`/treffen/${m.slug}/programm`);
    assert.match(page.body, /das Treffen dauert von 10:00 bis 13:00 Uhr/);

    const res = await organiser.post(`/treffen/${m.slug}/programm`, { time: '11:15', title: 'Straßenschäden erkennen', speaker: 'Sven Siegen', topic: String(topic) });
    assert.equal(res.statusCode, 303);
    assert.equal(flash((await organiser.get(`/treffen/${m.slug}/programm`)).body), '„Straßenschäden erkennen“ steht auf dem Programm.');
    assert.equal((await organiser.post(`/treffen/${m.slug}/programm`, { time: '10:00', title: 'Begrüßung', speaker: '' })).statusCode, 303);
    assert.deepEqual(await items(t, m.id), [
      { starts_at: '2027-06-17T08:00:00.000Z', title: 'Begrüßung', speaker: '', topic_id: null },
      { starts_at: '2027-06-17T09:15:00.000Z', title: 'Straßenschäden erkennen', speaker: 'Sven Siegen', topic_id: topic },
    ]);
    const agenda = await organiser.get(`/treffen/${m.slug}/programm`);
    assert.deepEqual(agendaRows(agenda.body), [
      ['10:00 Uhr', 'Begrüßung', '—'],
      ['11:15 Uhr', 'Straßenschäden erkennen (aus dem Thema „Bildauswertung Straßenschäden“)', 'Sven Siegen'],
    ]);
    assert.match(agenda.body, /alle Uhrzeiten MESZ/);

    const cases: { fields: Record<string, string>; message: string; kept: RegExp }[] = [
      { fields: { time: '9:5', title: 'Kaffee' }, message: 'Bitte geben Sie die Uhrzeit als Stunden und Minuten an, zum Beispiel 10:30.', kept: /value="9:5"/ },
      { fields: { time: '09:59', title: 'Zu früh' }, message: 'Die Uhrzeit muss zwischen Beginn (10:00 Uhr) und Ende (13:00 Uhr) des Treffens liegen.', kept: /value="Zu früh"/ },
      { fields: { time: '13:01', title: 'Zu spät' }, message: 'Die Uhrzeit muss zwischen Beginn (10:00 Uhr) und Ende (13:00 Uhr) des Treffens liegen.', kept: /value="13:01"/ },
      { fields: { time: '12:00', title: '' }, message: 'Bitte füllen Sie „Titel“ aus.', kept: /value="12:00"/ },
      { fields: { time: '12:00', title: 'Noch einmal', topic: String(topic) }, message: '„Bildauswertung Straßenschäden“ steht schon auf dem Programm.', kept: /value="Noch einmal"/ },
    ];
    for (const c of cases) {
      const bad = await organiser.post(`/treffen/${m.slug}/programm`, c.fields);
      assert.equal(bad.statusCode, 422, c.message);
      assert.ok(errorSummary(bad.body).includes(c.message), `${c.message} in ${errorSummary(bad.body)}`);
      assert.match(bad.body, c.kept);
    }
    assert.equal(await countRows(db(t), 'agenda_items', { meeting_id: m.id }), 2);

    // Edit: the form shows the local time; a new time moves the item.
    const id = (await db(t).selectFrom('agenda_items').select('id').where('meeting_id', '=', m.id).where('title', '=', 'Begrüßung').executeTakeFirstOrThrow()).id;
    const edit = await organiser.get(`/treffen/${m.slug}/programm/${id}/bearbeiten`);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /name="time" type="text" value="10:00"/);
    const badEdit = await organiser.post(`/treffen/${m.slug}/programm/${id}/bearbeiten`, { time: '25:00', title: 'Begrüßung und Kaffee', speaker: 'Ada' });
    assert.equal(badEdit.statusCode, 422);
    assert.match(badEdit.body, /value="Begrüßung und Kaffee"/);
    assert.equal((await organiser.post(`/treffen/${m.slug}/programm/${id}/bearbeiten`, { time: '12:30', title: 'Abschluss', speaker: 'Ada Admin' })).statusCode, 303);
    assert.deepEqual(agendaRows((await organiser.get(`/treffen/${m.slug}/programm`)).body).map((r) => r[0] + ' ' + r[1]), ['11:15 Uhr Straßenschäden erkennen (aus dem Thema „Bildauswertung Straßenschäden“)', '12:30 Uhr Abschluss']);

    assert.equal((await organiser.post(`/treffen/${m.slug}/programm/${id}/entfernen`, { confirm: 'yes' })).statusCode, 303);
    assert.equal(flash((await organiser.get(`/treffen/${m.slug}/programm`)).body), '„Abschluss“ steht nicht mehr auf dem Programm.');
    assert.equal(await countRows(db(t), 'agenda_items', { meeting_id: m.id }), 1);

    const { visitor: member } = await signedIn(t.app, db(t));
    assert.equal((await member.get(`/treffen/${m.slug}/programm/${id}/bearbeiten`)).statusCode, 403);
  });

  it('shows an unpublished agenda to organisers only; publishing shows it to members and the public and closes the vote', async () => {
    const m = await makeMeeting(db(t), { topics_open: 1 });
    const topic = await makeTopic(db(t), m.id, 'Offene Daten und KI');
    const later = await makeTopic(db(t), m.id, 'Noch eine Idee');
    const { visitor: organiser } = await signedIn(t.app, db(t), 'moderator');
    await organiser.get(`/treffen/${m.slug}/programm`);
    const empty = await organiser.post(`/treffen/${m.slug}/programm/veroeffentlichen`, { confirm: 'yes' });
    assert.equal(empty.statusCode, 422);
    assertIncludes(errorSummary(empty.body), 'Ein leeres Programm kann nicht veröffentlicht werden.');
    await organiser.post(`/treffen/${m.slug}/programm`, { time: '10:00', title: 'Offene Daten und KI', speaker: 'Olga Olpe', topic: String(topic) });

    const { visitor: member } = await signedIn(t.app, db(t));
    const anon = new Visitor(t.app);
    for (const v of [member, anon]) {
      const res = await v.get(`/treffen/${m.slug}/programm`);
      assert.equal(res.statusCode, 200);
      assertIncludes(pageText(res.body), 'Das Programm wird noch zusammengestellt.');
      assert.deepEqual(agendaRows(res.body), []);
      assert.doesNotMatch(res.body, /Olga Olpe/);
    }

    await member.get(`/treffen/${m.slug}/themen`);
    assert.equal((await member.post(`/treffen/${m.slug}/programm/veroeffentlichen`, { confirm: 'yes' })).statusCode, 403);
    assert.equal((await organiser.post(`/treffen/${m.slug}/programm/veroeffentlichen`, { confirm: 'yes' })).statusCode, 303);
    assert.equal(flash((await organiser.get(`/treffen/${m.slug}/programm`)).body), 'Das Programm ist veröffentlicht. Die Themenwahl ist damit abgeschlossen.');
    const row = await meetingRow(t, m.id);
    assert.equal(row.topics_open, 0);
    assert.equal(await countRows(db(t), 'audit_log', { action: 'agenda.published', target_id: String(m.id) }), 1);
    assert.match(String(row.agenda_published_at), /^\d{4}-\d\d-\d\dT/);

    for (const v of [member, anon]) {
      const res = await v.get(`/treffen/${m.slug}/programm`);
      assert.deepEqual(agendaRows(res.body), [['10:00 Uhr', 'Offene Daten und KI', 'Olga Olpe']]);
      assert.match(pageText(res.body), /Veröffentlicht am \d\d\.\d\d\.\d{4}/);
      assert.doesNotMatch(res.body, /bearbeiten"/);
    }
    // Voting is over: a vote is refused, and the organisers cannot reopen it.
    const vote = await member.post(`/treffen/${m.slug}/themen/${later}/stimme`);
    assert.equal(vote.statusCode, 422);
    assertIncludes(errorSummary(vote.body), 'Die Themenwahl für dieses Treffen ist geschlossen.');
    assert.equal(await countRows(db(t), 'topic_votes', { topic_id: later }), 0);
    assertIncludes(pageText((await member.get(`/treffen/${m.slug}/themen`)).body), 'Das Programm ist veröffentlicht; die Themenwahl ist abgeschlossen.');
    await organiser.get(`/treffen/${m.slug}/themen`);
    const reopen = await organiser.post(`/treffen/${m.slug}/themen/oeffnen`);
    assert.equal(reopen.statusCode, 422);
    assertIncludes(errorSummary(reopen.body), 'Das Programm ist veröffentlicht; damit ist die Themenwahl abgeschlossen.');
    assert.equal((await meetingRow(t, m.id)).topics_open, 0);
  });

  it('keeps the agenda of a members-only meeting from the public', async () => {
    const m = await makeMeeting(db(t), { visibility: 'members', agenda_published_at: '2026-11-27T10:00:00.000Z' });
    await db(t).insertInto('agenda_items').values({ meeting_id: m.id, starts_at: '2027-03-18T09:00:00.000Z', title: 'Interner Austausch', speaker: '', topic_id: null, created_at: '2026-11-27T10:00:00.000Z', updated_at: '2026-11-27T10:00:00.000Z' }).execute();
    const anon = await new Visitor(t.app).get(`/treffen/${m.slug}/programm`);
    assert.equal(anon.statusCode, 303, 'an anonymous visitor is asked to sign in first');
    assert.equal(anon.headers.location, `/anmelden?weiter=${encodeURIComponent(`/treffen/${m.slug}/programm`)}`);
    assert.doesNotMatch(anon.body, /Interner Austausch/);
    const { visitor } = await signedIn(t.app, db(t));
    assert.deepEqual(agendaRows((await visitor.get(`/treffen/${m.slug}/programm`)).body), [['10:00 Uhr', 'Interner Austausch', '—']]);
  });

  it('shows on the meeting page the number of topics and the votes left to members, and the agenda once it is published', async () => {
    const m = await makeMeeting(db(t), { topics_open: 1, vote_budget: 2 });
    const first = await makeTopic(db(t), m.id, 'Sprachmodelle im Ratsinformationssystem');
    await makeTopic(db(t), m.id, 'Fördermittel für KI-Projekte');
    const { visitor: member } = await signedIn(t.app, db(t));
    await member.get(`/treffen/${m.slug}/themen`);
    await member.post(`/treffen/${m.slug}/themen/${first}/stimme`);
    const section = (html: string) => pageText(/<section aria-labelledby="meeting-topics-title"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '');

    const page = await member.get(`/treffen/${m.slug}`);
    assert.equal(page.statusCode, 200);
    assertIncludes(section(page.body), 'Themen und Programm 2 Themen vorgeschlagen. Sie haben noch eine Stimme (von 2). Themen ansehen, vorschlagen und abstimmen');
    assert.match(page.body, new RegExp(`<a href="/treffen/${m.slug}/themen">Themen ansehen, vorschlagen und abstimmen</a>`));
    // The public sees neither the topics nor an unpublished agenda.
    const anon = new Visitor(t.app);
    assert.equal(section((await anon.get(`/treffen/${m.slug}`)).body), '');

    const { visitor: organiser } = await signedIn(t.app, db(t), 'moderator');
    await organiser.get(`/treffen/${m.slug}/programm`);
    await organiser.post(`/treffen/${m.slug}/programm/thema/${first}`);
    assertIncludes(section((await organiser.get(`/treffen/${m.slug}`)).body), '10:00 Uhr Sprachmodelle im Ratsinformationssystem Programm zusammenstellen');
    assert.doesNotMatch(section((await member.get(`/treffen/${m.slug}`)).body), /Ratsinformationssystem/);
    await organiser.get(`/treffen/${m.slug}/programm`);
    await organiser.post(`/treffen/${m.slug}/programm/veroeffentlichen`, { confirm: 'yes' });
    for (const v of [member, anon]) {
      const text = section((await v.get(`/treffen/${m.slug}`)).body);
      assertIncludes(text, '10:00 Uhr Sprachmodelle im Ratsinformationssystem Programm ansehen');
      assert.doesNotMatch(text, /Stimme/);
    }
    assertIncludes(section((await member.get(`/treffen/${m.slug}`)).body), '2 Themen vorgeschlagen. Themen ansehen');
  });

  it('carries the topics not on the agenda over to the next meeting of the series, where voting starts afresh', async () => {
    const series = `Runde ${Date.now()}`;
    const m = await makeMeeting(db(t), { series, topics_open: 1, vote_budget: 3 });
    const { visitor: organiser } = await signedIn(t.app, db(t), 'moderator');
    const { visitor: member, user } = await signedIn(t.app, db(t));
    const onAgenda = await makeTopic(db(t), m.id, 'Kommt aufs Programm', { at: '2026-11-01T10:00:00.000Z' });
    const left1 = await makeTopic(db(t), m.id, 'Bleibt übrig A', { at: '2026-11-02T10:00:00.000Z' });
    const left2 = await makeTopic(db(t), m.id, 'Bleibt übrig B', { at: '2026-11-03T10:00:00.000Z' });
    await member.get(`/treffen/${m.slug}/themen`);
    for (const id of [onAgenda, left1, left2]) await member.post(`/treffen/${m.slug}/themen/${id}/stimme`);

    // Without a next meeting in the series, and before publishing, nothing is carried.
    await organiser.get(`/treffen/${m.slug}/themen`);
    assertIncludes(pageText((await organiser.get(`/treffen/${m.slug}/themen`)).body), 'Das ist möglich, sobald das Programm veröffentlicht ist.');
    await organiser.post(`/treffen/${m.slug}/programm/thema/${onAgenda}`);
    const early = await organiser.post(`/treffen/${m.slug}/themen/uebertragen`);
    assert.equal(early.statusCode, 422);
    assertIncludes(errorSummary(early.body), 'Es gibt noch kein späteres Treffen dieser Reihe. Legen Sie es zuerst an.');
    const next = await makeMeeting(db(t), { series, title: 'KI-Community Runde 3', starts_at: '2027-06-17T08:00:00.000Z', ends_at: '2027-06-17T14:00:00.000Z' });
    await makeMeeting(db(t), { series, title: 'Noch später', starts_at: '2027-09-16T08:00:00.000Z', ends_at: '2027-09-16T14:00:00.000Z' });
    const unpublished = await organiser.post(`/treffen/${m.slug}/themen/uebertragen`);
    assert.equal(unpublished.statusCode, 422);
    assertIncludes(errorSummary(unpublished.body), 'Themen werden erst übertragen, wenn das Programm veröffentlicht ist.');
    assert.equal(await countRows(db(t), 'meeting_topics', { meeting_id: next.id }), 0);

    await organiser.post(`/treffen/${m.slug}/programm/veroeffentlichen`, { confirm: 'yes' });
    const page = await organiser.get(`/treffen/${m.slug}/themen`);
    assert.match(page.body, />2 Themen nach „KI-Community Runde 3“ übertragen<\/button>/);
    const res = await organiser.post(`/treffen/${m.slug}/themen/uebertragen`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/treffen/${next.slug}/themen`);
    const target = await organiser.get(`/treffen/${next.slug}/themen`);
    assert.equal(flash(target.body), '2 Themen sind in das Treffen „KI-Community Runde 3“ übertragen; dort wird neu abgestimmt.');
    // The carried topics start without votes, keep their order of age, and say where they came from.
    assert.deepEqual(rankedTitles(target.body), [{ title: 'Bleibt übrig A', votes: 0 }, { title: 'Bleibt übrig B', votes: 0 }]);
    assert.match(target.body, new RegExp(`Übernommen vom Treffen <a href="/treffen/${m.slug}/themen">`));
    const carried = await db(t).selectFrom('meeting_topics').select(['carried_from_id', 'title']).where('meeting_id', '=', next.id).orderBy('id').execute();
    assert.deepEqual(carried, [{ carried_from_id: left1, title: 'Bleibt übrig A' }, { carried_from_id: left2, title: 'Bleibt übrig B' }]);
    assert.equal(await countRows(db(t), 'audit_log', { action: 'topics.carried_over', target_id: String(m.id) }), 1);
    // The old meeting keeps its topics and votes and points to where they went.
    assert.equal(await countRows(db(t), 'topic_votes', { user_id: user.id }), 3);
    assert.match((await organiser.get(`/treffen/${m.slug}/themen`)).body, new RegExp(`Übertragen in das Treffen <a href="/treffen/${next.slug}/themen">KI-Community Runde 3</a>`));

    // Carrying again adds nothing twice; the member votes afresh in the next meeting.
    const twice = await organiser.post(`/treffen/${m.slug}/themen/uebertragen`);
    assert.equal(twice.statusCode, 422);
    assertIncludes(errorSummary(twice.body), 'Es gibt nichts mehr zu übertragen');
    assert.equal(await countRows(db(t), 'meeting_topics', { meeting_id: next.id }), 2);
    await organiser.post(`/treffen/${next.slug}/themen/oeffnen`);
    const nextPage = await member.get(`/treffen/${next.slug}/themen`);
    assertIncludes(pageText(nextPage.body), 'Sie haben noch 3 Stimmen (von 3).');
    const carriedA = (await db(t).selectFrom('meeting_topics').select('id').where('carried_from_id', '=', left1).executeTakeFirstOrThrow()).id;
    assert.equal((await member.post(`/treffen/${next.slug}/themen/${carriedA}/stimme`)).statusCode, 303);
    assert.equal(await countRows(db(t), 'topic_votes', { topic_id: carriedA }), 1);

    // A carried topic cannot be put on the old meeting's agenda any more.
    const take = await organiser.post(`/treffen/${m.slug}/programm/thema/${left1}`);
    assert.equal(take.statusCode, 422);
    assertIncludes(errorSummary(take.body), '„Bleibt übrig A“ ist schon in das nächste Treffen übertragen.');
  });
});
