import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Visitor } from '../../../test/support/client.js';
import { makeSolution, viewerOf } from '../../../test/support/catalogue.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { backend, startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { countRows } from '../../../test/support/members.js';
import { addVotes, assertIncludes, errorSummary, flash, makeMeeting, makeTopic, pageText, rankedTitles } from '../../../test/support/topics.js';

const db = (t: TestApp) => t.database.db;

async function topicId(t: TestApp, meetingId: number, title: string): Promise<number> {
  return (await db(t).selectFrom('meeting_topics').select('id').where('meeting_id', '=', meetingId).where('title', '=', title).executeTakeFirstOrThrow()).id;
}

async function votesOf(t: TestApp, userId: number): Promise<string[]> {
  const rows = await db(t).selectFrom('topic_votes as v').innerJoin('meeting_topics as t', 't.id', 'v.topic_id')
    .select('t.title').where('v.user_id', '=', userId).orderBy('t.title').execute();
  return rows.map((r) => r.title);
}

describe('topics chosen by the members', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('lets a member propose a topic while topics are open, linked to a catalogue solution, and lists it with its proposer', async () => {
    const m = await makeMeeting(db(t), { topics_open: 1 });
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe' })).id);
    const solution = await makeSolution(db(t), author, { title: 'Bürger-Chatbot für das Bürgerbüro', summary: 'Beantwortet Fragen der Bürgerinnen und Bürger rund um die Uhr.' });
    const { visitor } = await signedIn(t.app, db(t), 'member', { name: 'Mia Meschede', organisation: 'Meschede' });

    const page = await visitor.get(`/treffen/${m.slug}/themen`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Themen: KI-Community Runde \d+<\/h1>/);
    assertIncludes(pageText(page.body), 'Die Themenwahl ist offen. Sie haben noch 3 Stimmen (von 3).');
    assertIncludes(pageText(page.body), 'Noch kein Thema vorgeschlagen.');

    const res = await visitor.post(`/treffen/${m.slug}/themen`, {
      title: 'Chatbots im Bürgerbüro: Erfahrungen nach einem Jahr',
      description: 'Wie gehen andere Kommunen mit Fragen um,\r\ndie der Chatbot nicht beantworten kann?',
      solution: `http://localhost:3000/loesungen/${solution.slug}`,
    });
    assert.equal(res.statusCode, 303);
    const id = await topicId(t, m.id, 'Chatbots im Bürgerbüro: Erfahrungen nach einem Jahr');
    assert.equal(res.headers.location, `/treffen/${m.slug}/themen#thema-${id}`);
    const row = await db(t).selectFrom('meeting_topics').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.solution_slug, solution.slug);
    assert.equal(row.description, 'Wie gehen andere Kommunen mit Fragen um,\ndie der Chatbot nicht beantworten kann?');

    const list = await visitor.get(`/treffen/${m.slug}/themen`);
    assert.equal(flash(list.body), 'Ihr Thema „Chatbots im Bürgerbüro: Erfahrungen nach einem Jahr“ steht jetzt auf der Liste.');
    assert.deepEqual(rankedTitles(list.body), [{ title: 'Chatbots im Bürgerbüro: Erfahrungen nach einem Jahr', votes: 0 }]);
    const text = pageText(list.body);
    assert.match(text, /vorgeschlagen von Mia Meschede \(Meschede\) am \d\d\.\d\d\.\d{4}, \d\d:\d\d (MEZ|MESZ)/);
    assert.match(list.body, new RegExp(`Passende Lösung aus dem Katalog: <a href="/loesungen/${solution.slug}">Bürger-Chatbot für das Bürgerbüro</a>`));
  });

  it('rejects a proposal without a title or with an unknown solution with 422 and a German message, keeps what was typed and stores nothing', async () => {
    const m = await makeMeeting(db(t), { topics_open: 1 });
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe' })).id);
    const draft = await makeSolution(db(t), author, { title: 'Interner Entwurf', summary: 'Noch nicht fertig.', visibility: 'draft' });
    const { visitor } = await signedIn(t.app, db(t));
    await visitor.get(`/treffen/${m.slug}/themen`);
    const cases: { fields: Record<string, string>; message: string; kept: RegExp }[] = [
      { fields: { title: '', description: 'Eine Frage ohne Titel' }, message: 'Bitte füllen Sie „Thema“ aus.', kept: />Eine Frage ohne Titel<\/textarea>/ },
      { fields: { title: 'x'.repeat(151) }, message: '„Thema“ darf höchstens 150 Zeichen lang sein.', kept: /value="x{151}"/ },
      { fields: { title: 'Unbekannte Lösung', solution: '/loesungen/gibt-es-nicht' }, message: 'Diese Lösung gibt es im Katalog nicht, oder sie ist für Sie nicht sichtbar.', kept: /value="\/loesungen\/gibt-es-nicht"/ },
      // Another organisation's draft is not visible to this member, so it cannot be linked either.
      { fields: { title: 'Fremder Entwurf', solution: draft.slug }, message: 'Diese Lösung gibt es im Katalog nicht, oder sie ist für Sie nicht sichtbar.', kept: /value="Fremder Entwurf"/ },
      { fields: { title: 'Kein Katalog', solution: 'https://example.org/etwas/anderes' }, message: 'Diese Lösung gibt es im Katalog nicht', kept: /value="https:\/\/example\.org\/etwas\/anderes"/ },
    ];
    for (const c of cases) {
      const res = await visitor.post(`/treffen/${m.slug}/themen`, c.fields);
      assert.equal(res.statusCode, 422, c.message);
      assert.ok(errorSummary(res.body).includes(c.message), `${c.message} in ${errorSummary(res.body)}`);
      assert.match(res.body, c.kept);
      assert.match(res.body, /aria-invalid="true" aria-describedby="[^"]*f-\w+-error"/);
    }
    assert.equal(await countRows(db(t), 'meeting_topics', { meeting_id: m.id }), 0);
  });

  it('shows members the topic list with vote counts and keeps it from the public', async () => {
    const m = await makeMeeting(db(t), { topics_open: 1 });
    await makeTopic(db(t), m.id, 'Datenschutz bei Sprachmodellen');
    const anon = new Visitor(t.app);
    const res = await anon.get(`/treffen/${m.slug}/themen`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/anmelden?weiter=${encodeURIComponent(`/treffen/${m.slug}/themen`)}`);
    const post = await anon.post(`/treffen/${m.slug}/themen`, { title: 'Anonym' }, null);
    assert.ok([401, 403].includes(post.statusCode), String(post.statusCode));
    assert.equal(await countRows(db(t), 'meeting_topics', { meeting_id: m.id }), 1);

    const { visitor } = await signedIn(t.app, db(t));
    assert.deepEqual(rankedTitles((await visitor.get(`/treffen/${m.slug}/themen`)).body), [{ title: 'Datenschutz bei Sprachmodellen', votes: 0 }]);
  });

  it('lets a member vote within the budget, shows the votes left, refuses a second vote on the same topic and lets the vote be taken back', async () => {
    const m = await makeMeeting(db(t), { topics_open: 1, vote_budget: 3 });
    const a = await makeTopic(db(t), m.id, 'KI im Bauamt');
    const b = await makeTopic(db(t), m.id, 'Vergabe von KI-Diensten');
    const { visitor, user } = await signedIn(t.app, db(t));
    const page = await visitor.get(`/treffen/${m.slug}/themen`);
    assert.match(page.body, new RegExp(`action="/treffen/${m.slug}/themen/${a}/stimme"`));

    const res = await visitor.post(`/treffen/${m.slug}/themen/${a}/stimme`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/treffen/${m.slug}/themen#thema-${a}`);
    const after1 = await visitor.get(`/treffen/${m.slug}/themen`);
    assert.equal(flash(after1.body), 'Ihre Stimme für „KI im Bauamt“ ist gezählt. Sie haben noch 2 Stimmen (von 3).');
    assertIncludes(pageText(after1.body), 'Die Themenwahl ist offen. Sie haben noch 2 Stimmen (von 3).');
    assert.deepEqual(rankedTitles(after1.body), [{ title: 'KI im Bauamt', votes: 1 }, { title: 'Vergabe von KI-Diensten', votes: 0 }]);
    assert.match(after1.body, /Sie haben für dieses Thema gestimmt\./);
    assert.match(after1.body, new RegExp(`action="/treffen/${m.slug}/themen/${a}/stimme-zuruecknehmen"`));

    // A second vote on the same topic (a double click, a retried request) changes nothing.
    const again = await visitor.post(`/treffen/${m.slug}/themen/${a}/stimme`);
    assert.equal(again.statusCode, 422);
    assert.equal(errorSummary(again.body), 'Bitte korrigieren Sie die folgenden Angaben: Sie haben für „KI im Bauamt“ schon gestimmt; jedes Mitglied hat eine Stimme je Thema. Es wurde nichts geändert.');
    assert.deepEqual(await votesOf(t, user.id), ['KI im Bauamt']);

    // Taking it back frees the vote for another topic.
    const back = await visitor.post(`/treffen/${m.slug}/themen/${a}/stimme-zuruecknehmen`);
    assert.equal(back.statusCode, 303);
    assert.equal(flash((await visitor.get(`/treffen/${m.slug}/themen`)).body), 'Ihre Stimme für „KI im Bauamt“ ist zurückgenommen. Sie haben noch 3 Stimmen (von 3).');
    assert.deepEqual(await votesOf(t, user.id), []);
    const none = await visitor.post(`/treffen/${m.slug}/themen/${a}/stimme-zuruecknehmen`);
    assert.equal(none.statusCode, 422);
    assertIncludes(errorSummary(none.body), 'Sie hatten für „KI im Bauamt“ keine Stimme abgegeben.');
    assert.equal((await visitor.post(`/treffen/${m.slug}/themen/${b}/stimme`)).statusCode, 303);
    assert.deepEqual(await votesOf(t, user.id), ['Vergabe von KI-Diensten']);

    // A topic of another meeting cannot be voted on through this one.
    const other = await makeMeeting(db(t), { topics_open: 1 });
    const foreign = await makeTopic(db(t), other.id, 'Fremdes Thema');
    assert.equal((await visitor.post(`/treffen/${m.slug}/themen/${foreign}/stimme`)).statusCode, 404);
    assert.equal((await visitor.post(`/treffen/${m.slug}/themen/abc/stimme`)).statusCode, 404);
  });

  it('refuses a vote beyond the budget with a German message and changes nothing', async () => {
    const m = await makeMeeting(db(t), { topics_open: 1, vote_budget: 2 });
    const ids = [await makeTopic(db(t), m.id, 'Eins'), await makeTopic(db(t), m.id, 'Zwei'), await makeTopic(db(t), m.id, 'Drei')];
    const { visitor, user } = await signedIn(t.app, db(t));
    await visitor.get(`/treffen/${m.slug}/themen`);
    assert.equal((await visitor.post(`/treffen/${m.slug}/themen/${ids[0]}/stimme`)).statusCode, 303);
    assert.equal((await visitor.post(`/treffen/${m.slug}/themen/${ids[1]}/stimme`)).statusCode, 303);
    const page = await visitor.get(`/treffen/${m.slug}/themen`);
    assert.equal(flash(page.body), 'Ihre Stimme für „Zwei“ ist gezählt. Sie haben alle Ihre Stimmen vergeben (2). Nehmen Sie eine zurück, wenn Sie anders abstimmen möchten.');

    const third = await visitor.post(`/treffen/${m.slug}/themen/${ids[2]}/stimme`);
    assert.equal(third.statusCode, 422);
    assert.equal(errorSummary(third.body), 'Bitte korrigieren Sie die folgenden Angaben: Sie haben alle 2 Stimmen schon vergeben. Nehmen Sie eine zurück, wenn Sie für ein anderes Thema stimmen möchten. Es wurde nichts geändert.');
    assert.deepEqual(rankedTitles(third.body).map((r) => r.votes), [1, 1, 0]);
    assert.deepEqual(await votesOf(t, user.id), ['Eins', 'Zwei']);
  });

  it('keeps the budget when one member fires ten votes at once, also across two instances on PostgreSQL', async () => {
    const m = await makeMeeting(db(t), { topics_open: 1, vote_budget: 3 });
    const ids: number[] = [];
    for (let i = 1; i <= 10; i++) ids.push(await makeTopic(db(t), m.id, `Gleichzeitig ${i}`));
    const { visitor, user } = await signedIn(t.app, db(t));
    await visitor.get(`/treffen/${m.slug}/themen`);
    // SQLite serves one instance; on PostgreSQL the votes go alternately to two instances on the same database.
    const second = backend === 'postgres' ? await startAppOnDatabase(t) : null;
    try {
      const apps = second ? [t.app, second.app] : [t.app];
      const body = new URLSearchParams({ _csrf: visitor.csrf! }).toString();
      const responses = await Promise.all(ids.map((id, i) => apps[i % apps.length].inject({
        method: 'POST', url: `/treffen/${m.slug}/themen/${id}/stimme`, payload: body,
        headers: { cookie: visitor.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      })));
      const codes = responses.map((r) => r.statusCode).sort();
      assert.deepEqual(codes, [303, 303, 303, 422, 422, 422, 422, 422, 422, 422]);
      for (const r of responses.filter((r) => r.statusCode === 422)) assertIncludes(errorSummary(r.body), 'Sie haben alle 3 Stimmen schon vergeben.');
    } finally {
      await second?.close();
    }
    assert.equal((await votesOf(t, user.id)).length, 3);
    assertIncludes(pageText((await visitor.get(`/treffen/${m.slug}/themen`)).body), 'Sie haben alle Ihre Stimmen vergeben (3).');
  });

  it('ranks the topics by votes, ties by age with the older topic first', async () => {
    const m = await makeMeeting(db(t), { topics_open: 1, vote_budget: 5 });
    const voters: number[] = [];
    for (let i = 0; i < 3; i++) voters.push((await createUser(db(t))).id);
    const newest = await makeTopic(db(t), m.id, 'Neuestes Thema', { at: '2026-11-20T10:00:00.000Z' });
    const oldest = await makeTopic(db(t), m.id, 'Ältestes Thema', { at: '2026-11-01T10:00:00.000Z' });
    const top = await makeTopic(db(t), m.id, 'Meiste Stimmen', { at: '2026-11-25T10:00:00.000Z' });
    await makeTopic(db(t), m.id, 'Ohne Stimmen', { at: '2026-10-01T10:00:00.000Z' });
    const middle = await makeTopic(db(t), m.id, 'Mittleres Thema', { at: '2026-11-10T10:00:00.000Z' });
    await addVotes(db(t), top, voters);
    await addVotes(db(t), newest, voters.slice(0, 2));
    await addVotes(db(t), oldest, voters.slice(1, 3));
    await addVotes(db(t), middle, [voters[0], voters[2]]);
    const { visitor } = await signedIn(t.app, db(t));
    assert.deepEqual(rankedTitles((await visitor.get(`/treffen/${m.slug}/themen`)).body), [
      { title: 'Meiste Stimmen', votes: 3 },
      { title: 'Ältestes Thema', votes: 2 },
      { title: 'Mittleres Thema', votes: 2 },
      { title: 'Neuestes Thema', votes: 2 },
      { title: 'Ohne Stimmen', votes: 0 },
    ]);
    // One more vote draws level with the leader, and the topic proposed earlier goes ahead.
    const { visitor: voter } = await signedIn(t.app, db(t));
    await voter.get(`/treffen/${m.slug}/themen`);
    await voter.post(`/treffen/${m.slug}/themen/${newest}/stimme`);
    assert.deepEqual(rankedTitles((await visitor.get(`/treffen/${m.slug}/themen`)).body).slice(0, 2), [
      { title: 'Neuestes Thema', votes: 3 }, { title: 'Meiste Stimmen', votes: 3 },
    ]);
  });

  it('refuses proposals, votes and taking back while the topics are closed, and changes nothing', async () => {
    const m = await makeMeeting(db(t), { topics_open: 1 });
    const id = await makeTopic(db(t), m.id, 'Schon abgestimmt');
    const { visitor, user } = await signedIn(t.app, db(t));
    await visitor.get(`/treffen/${m.slug}/themen`);
    assert.equal((await visitor.post(`/treffen/${m.slug}/themen/${id}/stimme`)).statusCode, 303);
    await db(t).updateTable('meetings').set({ topics_open: 0 }).where('id', '=', m.id).execute();

    const page = await visitor.get(`/treffen/${m.slug}/themen`);
    assertIncludes(pageText(page.body), 'Die Themenwahl ist im Moment geschlossen.');
    assert.doesNotMatch(page.body, /\/stimme"/, 'no vote buttons while closed');
    assert.doesNotMatch(page.body, /Thema vorschlagen<\/h2>/, 'no proposal form while closed');
    const message = 'Die Themenwahl für dieses Treffen ist geschlossen. Es wurde nichts geändert.';
    for (const [url, fields] of [[`/treffen/${m.slug}/themen`, { title: 'Zu spät' }], [`/treffen/${m.slug}/themen/${id}/stimme-zuruecknehmen`, {}]] as const) {
      const res = await visitor.post(url, fields);
      assert.equal(res.statusCode, 422, url);
      assert.ok(errorSummary(res.body).includes(message), url);
    }
    const other = await makeTopic(db(t), m.id, 'Noch ohne Stimme');
    const vote = await visitor.post(`/treffen/${m.slug}/themen/${other}/stimme`);
    assert.equal(vote.statusCode, 422);
    assertIncludes(errorSummary(vote.body), message);
    assert.equal(await countRows(db(t), 'meeting_topics', { meeting_id: m.id }), 2);
    assert.deepEqual(await votesOf(t, user.id), ['Schon abgestimmt']);
  });

  it('lets organisers open and close the topics and set the votes per member, never below what a member has cast', async () => {
    const m = await makeMeeting(db(t));
    const { visitor: member } = await signedIn(t.app, db(t));
    await member.get(`/treffen/${m.slug}/themen`);
    assert.equal((await member.post(`/treffen/${m.slug}/themen/oeffnen`)).statusCode, 403);
    assert.equal((await member.post(`/treffen/${m.slug}/themen/stimmen`, { vote_budget: '9' })).statusCode, 403);

    const { visitor: organiser } = await signedIn(t.app, db(t), 'moderator');
    const page = await organiser.get(`/treffen/${m.slug}/themen`);
    assert.match(page.body, /<h2 id="manage-title">Themenwahl steuern<\/h2>/);
    assert.match(page.body, /<input id="f-vote_budget" name="vote_budget" type="text" value="3"/);
    assert.equal((await organiser.post(`/treffen/${m.slug}/themen/oeffnen`)).statusCode, 303);
    assert.equal(flash((await organiser.get(`/treffen/${m.slug}/themen`)).body), 'Die Themenwahl ist geöffnet. Mitglieder können jetzt Themen vorschlagen und abstimmen.');

    for (const bad of ['0', '21', 'drei', '']) {
      const res = await organiser.post(`/treffen/${m.slug}/themen/stimmen`, { vote_budget: bad });
      assert.equal(res.statusCode, 422, bad);
      assert.ok(errorSummary(res.body).includes('Bitte geben Sie bei „Stimmen je Mitglied“ eine ganze Zahl von 1 bis 20 an.'), bad);
      assert.match(res.body, new RegExp(bad ? `name="vote_budget" type="text" value="${bad}"` : 'name="vote_budget" type="text" value '));
    }
    assert.equal((await organiser.post(`/treffen/${m.slug}/themen/stimmen`, { vote_budget: '5' })).statusCode, 303);
    assert.equal(flash((await organiser.get(`/treffen/${m.slug}/themen`)).body), 'Jedes Mitglied hat jetzt 5 Stimmen.');

    // A member casts four votes; the budget cannot drop below that any more.
    const ids = [];
    for (const title of ['A', 'B', 'C', 'D']) ids.push(await makeTopic(db(t), m.id, title));
    await member.get(`/treffen/${m.slug}/themen`);
    for (const id of ids) assert.equal((await member.post(`/treffen/${m.slug}/themen/${id}/stimme`)).statusCode, 303);
    assertIncludes(pageText((await member.get(`/treffen/${m.slug}/themen`)).body), 'Sie haben noch eine Stimme (von 5).');
    const lower = await organiser.post(`/treffen/${m.slug}/themen/stimmen`, { vote_budget: '3' });
    assert.equal(lower.statusCode, 422);
    assertIncludes(errorSummary(lower.body), 'Ein Mitglied hat schon 4 Stimmen vergeben; weniger Stimmen je Mitglied sind jetzt nicht mehr möglich.');
    assert.equal((await db(t).selectFrom('meetings').select('vote_budget').where('id', '=', m.id).executeTakeFirstOrThrow()).vote_budget, 5);

    assert.equal((await organiser.post(`/treffen/${m.slug}/themen/schliessen`)).statusCode, 303);
    assert.equal((await db(t).selectFrom('meetings').select('topics_open').where('id', '=', m.id).executeTakeFirstOrThrow()).topics_open, 0);
    assertIncludes(pageText((await member.get(`/treffen/${m.slug}/themen`)).body), 'Die Themenwahl ist im Moment geschlossen.');
  });

  it('does not open the topics of a cancelled meeting', async () => {
    const m = await makeMeeting(db(t), { status: 'cancelled' });
    const { visitor: organiser } = await signedIn(t.app, db(t), 'admin');
    await organiser.get(`/treffen/${m.slug}/themen`);
    const res = await organiser.post(`/treffen/${m.slug}/themen/oeffnen`);
    assert.equal(res.statusCode, 422);
    assertIncludes(errorSummary(res.body), 'Das Treffen ist abgesagt; die Themenwahl kann nicht geöffnet werden.');
    assert.equal((await db(t).selectFrom('meetings').select('topics_open').where('id', '=', m.id).executeTakeFirstOrThrow()).topics_open, 0);
  });

  it('lets organisers remove a topic together with its votes, which go back to the members', async () => {
    const m = await makeMeeting(db(t), { topics_open: 1, vote_budget: 1 });
    const dup = await makeTopic(db(t), m.id, 'Doppelt eingereicht');
    const { visitor: member, user } = await signedIn(t.app, db(t));
    await member.get(`/treffen/${m.slug}/themen`);
    assert.equal((await member.post(`/treffen/${m.slug}/themen/${dup}/stimme`)).statusCode, 303);
    assert.equal((await member.post(`/treffen/${m.slug}/themen/${dup}/entfernen`)).statusCode, 403);

    const { visitor: organiser, user: organiserUser } = await signedIn(t.app, db(t), 'moderator');
    await organiser.get(`/treffen/${m.slug}/themen`);
    assert.equal((await organiser.post(`/treffen/${m.slug}/themen/${dup}/entfernen`, { confirm: 'yes' })).statusCode, 303);
    assert.equal(flash((await organiser.get(`/treffen/${m.slug}/themen`)).body), 'Das Thema „Doppelt eingereicht“ ist entfernt.');
    assert.equal(await countRows(db(t), 'meeting_topics', { meeting_id: m.id }), 0);
    assert.deepEqual(await votesOf(t, user.id), []);
    assertIncludes(pageText((await member.get(`/treffen/${m.slug}/themen`)).body), 'Sie haben noch eine Stimme (von 1).');
    const audit = await db(t).selectFrom('audit_log').selectAll().where('action', '=', 'topic.removed').where('actor_id', '=', organiserUser.id).execute();
    assert.equal(audit.length, 1);
  });

  it('shows members-only meetings to members only', async () => {
    const m = await makeMeeting(db(t), { visibility: 'members', topics_open: 1 });
    await makeTopic(db(t), m.id, 'Internes Thema');
    const { visitor } = await signedIn(t.app, db(t));
    assert.deepEqual(rankedTitles((await visitor.get(`/treffen/${m.slug}/themen`)).body), [{ title: 'Internes Thema', votes: 0 }]);
    const anonymous = await new Visitor(t.app).get(`/treffen/${m.slug}/programm`);
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/anmelden\?weiter=/);
    assert.equal((await visitor.get('/treffen/gibt-es-nicht/themen')).statusCode, 404);
  });
});
