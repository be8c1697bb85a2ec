import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeSolution, solutionForm, viewerOf } from '../../../test/support/catalogue.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { makeMeeting, organiser, pageText } from '../../../test/support/meetings.js';
import { markDeployment } from '../catalogue/service.js';

const db = (t: TestApp) => t.database.db;

const notificationsOf = (t: TestApp, userId: number) =>
  db(t).selectFrom('notifications').select(['kind', 'message_key', 'params', 'url']).where('user_id', '=', userId).orderBy('id').execute();

describe('the catalogue tells organisations about changes to solutions they run', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('notifies the members of every organisation that runs the edited solution, except the editor', async () => {
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe' })).id);
    const solution = await makeSolution(db(t), author, { title: 'Telefonassistent', summary: 'Nimmt Anrufe an.' });
    const arnsberg = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Arnsberg', name: 'Arne Arnsberg' })).id);
    const colleague = await createUser(db(t), { organisation: 'Arnsberg' });
    const interested = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Attendorn' })).id);
    const olpeColleague = await createUser(db(t), { organisation: 'Olpe' });
    await markDeployment(db(t), arnsberg, solution.slug, { status: 'production' }, {});
    await markDeployment(db(t), interested, solution.slug, { status: 'interested' }, {});

    const { visitor, user: editor } = await signedIn(t.app, db(t), 'moderator', { organisation: 'Arnsberg', name: 'Mira Moderation' });
    await visitor.get(`/loesungen/${solution.slug}/bearbeiten`);
    const res = await visitor.post(`/loesungen/${solution.slug}/bearbeiten`, solutionForm({ title: 'Telefonassistent', summary: 'Nimmt Anrufe an, jetzt auch nachts.' }));
    assert.equal(res.statusCode, 303);

    const expected = [{
      kind: 'catalogue', message_key: 'notifications.messages.solutionChanged',
      params: JSON.stringify({ title: 'Telefonassistent', editor: 'Mira Moderation' }), url: `/loesungen/${solution.slug}/versionen`,
    }];
    assert.deepEqual(await notificationsOf(t, arnsberg.id), expected);
    assert.deepEqual(await notificationsOf(t, colleague.id), expected);
    // (The describing organisation heard of the two deployments; of the edit nobody else hears.)
    for (const nobody of [editor.id, interested.id, olpeColleague.id, author.id]) {
      assert.deepEqual((await notificationsOf(t, nobody)).filter((n) => n.kind === 'catalogue'), []);
    }

    const { visitor: reader } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const page = await reader.get('/benachrichtigungen');
    assert.doesNotMatch(pageText(page.body), /Telefonassistent/, 'a person who joined later has nothing to read');
    const list = await (await signInAs(t, colleague)).get('/benachrichtigungen');
    assert.match(pageText(list.body), /„Telefonassistent“ wurde geändert \(Mira Moderation\)\. Ihre Organisation setzt diese Lösung ein\./);
  });

  it('notifies nobody when a save changes nothing or the solution is a draft', async () => {
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe' })).id);
    const solution = await makeSolution(db(t), author, { title: 'Bürger-Chatbot', summary: 'Ein Chatbot beantwortet Fragen zu Terminen und Unterlagen rund um die Uhr.' });
    const runner = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Brilon' })).id);
    await markDeployment(db(t), runner, solution.slug, { status: 'pilot' }, {});
    const { visitor } = await signedIn(t.app, db(t), 'moderator');
    await visitor.get(`/loesungen/${solution.slug}/bearbeiten`);
    await visitor.post(`/loesungen/${solution.slug}/bearbeiten`, solutionForm({ visibility: 'public' }));
    const afterFirst = (await notificationsOf(t, runner.id)).length;
    assert.equal(afterFirst, 1);
    await visitor.get(`/loesungen/${solution.slug}/bearbeiten`);
    await visitor.post(`/loesungen/${solution.slug}/bearbeiten`, solutionForm({ visibility: 'public' }));
    assert.equal((await notificationsOf(t, runner.id)).length, 1, 'an unchanged save is no news');
    await visitor.get(`/loesungen/${solution.slug}/bearbeiten`);
    await visitor.post(`/loesungen/${solution.slug}/bearbeiten`, solutionForm({ visibility: 'draft' }));
    assert.equal((await notificationsOf(t, runner.id)).length, 1, 'a draft is nobody\'s news');
  });
});

describe('meetings tell the members about a new meeting', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('notifies every active member but the organiser of a meeting open for registration', async () => {
    const member = await createUser(db(t), { organisation: 'Siegen' });
    const gone = await createUser(db(t));
    await db(t).updateTable('users').set({ active: 0 }).where('id', '=', gone.id).execute();
    const org = await organiser(db(t));
    const m = await makeMeeting(db(t), org, { title: 'KI-Stammtisch Siegen', start_date: '2030-03-05', start_time: '18:00', visibility: 'members' });
    const [n] = await notificationsOf(t, member.id);
    assert.equal(n.kind, 'meeting');
    assert.equal(n.url, `/treffen/${m.slug}`);
    const list = await (await signInAs(t, member)).get('/benachrichtigungen');
    assert.match(pageText(list.body), /Neues Treffen: „KI-Stammtisch Siegen“ am 05\.03\.2030, 18:00 MEZ\. Die Anmeldung ist geöffnet\./);
    assert.deepEqual(await notificationsOf(t, org.id), []);
    assert.deepEqual(await notificationsOf(t, gone.id), []);
    // Weekly by default: no mail now, the digest takes it.
    assert.equal((await db(t).selectFrom('outbox').select('id').where('recipient', '=', member.email).execute()).length, 0);
  });

  it('says when the registration opens if it opens later', async () => {
    const member = await createUser(db(t));
    const org = await organiser(db(t));
    await makeMeeting(db(t), org, { title: 'Später offen', start_date: '2030-03-05', opens_date: '2030-02-01', opens_time: '09:00' });
    const [n] = await notificationsOf(t, member.id);
    assert.equal(n.message_key, 'notifications.messages.meetingAnnouncedLater');
    // Stored as the instant, written in each reader's language.
    assert.equal(JSON.parse(n.params).opens, '2030-02-01T08:00:00.000Z');
    const list = await (await signInAs(t, member)).get('/benachrichtigungen');
    assert.match(pageText(list.body), /Die Anmeldung beginnt am 01\.02\.2030, 09:00 MEZ\./);
  });
});

async function signInAs(t: TestApp, user: { email: string; password: string }) {
  const visitor = new Visitor(t.app);
  const res = await visitor.submit('/anmelden', { email: user.email, password: user.password });
  assert.equal(res.statusCode, 303);
  return visitor;
}
