import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { createUser, organisationId, signedIn } from '../../../test/support/factories.js';
import { countRows, startCommunity } from '../../../test/support/members.js';

let t: TestApp;
before(async () => { ({ t } = await startCommunity(startTestApp)); });
after(() => t.close());
const db = () => t.database.db;

const userRow = (id: number) => db().selectFrom('users').select(['name', 'job_function', 'expertise', 'notify_email']).where('id', '=', id).executeTakeFirstOrThrow();

describe('editing one\'s profile', () => {
  it('saves name, function, expertise tags (trimmed, without duplicates) and the notification choice', async () => {
    const { visitor, user } = await signedIn(t.app, db(), 'member', { name: 'Anna Alt' });
    const page = await visitor.get('/profil');
    assert.match(page.body, /value="Anna Alt"/);
    assert.match(page.body, /name="notifyEmail" type="checkbox" value="1" checked/);

    const res = await visitor.post('/profil', { name: '  Anna Neu ', jobFunction: 'IT-Leitung', expertise: 'Chatbots,  KI-Recht , Chatbots,, Bildauswertung , KI-Recht' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/profil');
    const after = await visitor.get('/profil');
    assert.match(after.body, /Ihr Profil ist gespeichert\./);
    assert.match(after.body, /value="Anna Neu"/);
    assert.match(after.body, /value="IT-Leitung"/);
    assert.match(after.body, /value="Chatbots, KI-Recht, Bildauswertung"/);
    assert.doesNotMatch(after.body, /name="notifyEmail" type="checkbox" value="1" checked/);
    assert.deepEqual(await userRow(user.id), { name: 'Anna Neu', job_function: 'IT-Leitung', expertise: '["Chatbots","KI-Recht","Bildauswertung"]', notify_email: 0 });

    assert.equal((await visitor.post('/profil', { name: 'Anna Neu', jobFunction: '', expertise: '', notifyEmail: '1' })).statusCode, 303);
    assert.deepEqual(await userRow(user.id), { name: 'Anna Neu', job_function: '', expertise: '[]', notify_email: 1 });
    assert.match((await visitor.get('/profil')).body, /name="notifyEmail" type="checkbox" value="1" checked/);
  });

  it('accepts ten tags of up to 40 characters', async () => {
    const { visitor, user } = await signedIn(t.app, db(), 'member');
    await visitor.get('/profil');
    const tags = Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(40, 'x'));
    // An eleventh that repeats one of them is not a new tag.
    const res = await visitor.post('/profil', { name: 'Zehn Tags', expertise: [...tags, tags[0]].join(', ') });
    assert.equal(res.statusCode, 303);
    assert.deepEqual(JSON.parse((await userRow(user.id)).expertise), tags);
  });

  const invalid: [string, Record<string, string>, string][] = [
    ['an empty name', { name: '   ' }, 'Bitte füllen Sie „Vor- und Nachname“ aus.'],
    ['a name of 121 characters', { name: 'N'.repeat(121) }, '„Vor- und Nachname“ darf höchstens 120 Zeichen lang sein.'],
    ['a function of 121 characters', { jobFunction: 'F'.repeat(121) }, '„Funktion“ darf höchstens 120 Zeichen lang sein.'],
    ['eleven different tags', { expertise: Array.from({ length: 11 }, (_, i) => `Thema ${i}`).join(', ') }, 'Bitte nennen Sie höchstens 10 Schwerpunkte.'],
    ['a tag of 41 characters', { expertise: `Chatbots, ${'T'.repeat(41)}` }, '„Schwerpunkte“ darf höchstens 40 Zeichen lang sein.'],
  ];
  for (const [what, change, message] of invalid) {
    it(`refuses ${what} with 422, a German message and the typed values kept`, async () => {
      const { visitor, user } = await signedIn(t.app, db(), 'member', { name: 'Bleibt Gleich' });
      await visitor.get('/profil');
      const before = await userRow(user.id);
      const fields = { name: 'Getippter Name', jobFunction: 'Getippte Funktion', expertise: 'Getippt, Schwerpunkt', notifyEmail: '1', ...change };
      const res = await visitor.post('/profil', fields);
      assert.equal(res.statusCode, 422);
      assert.ok(res.body.includes('Bitte korrigieren Sie die folgenden Angaben:'));
      assert.ok(res.body.includes(message), message);
      for (const name of ['name', 'jobFunction', 'expertise']) {
        assert.ok(res.body.includes(`name="${name}" type="text" value="${fields[name as keyof typeof fields]}"`), `${name} kept`);
      }
      assert.match(res.body, /name="notifyEmail" type="checkbox" value="1" checked/);
      assert.deepEqual(await userRow(user.id), before);
    });
  }

  it('is only for signed-in people', async () => {
    const res = await new Visitor(t.app).get('/profil');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/anmelden?weiter=%2Fprofil');
  });
});

describe('member directory', () => {
  it('sends visitors who are not signed in to the sign-in page', async () => {
    const res = await new Visitor(t.app).get('/mitglieder');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/anmelden?weiter=%2Fmitglieder');
  });

  it('shows members their colleagues with function, organisation and expertise, but not deactivated accounts', async () => {
    const shown = await createUser(db(), { name: 'Rita Richtig', organisation: 'Meschede' });
    await db().updateTable('users').set({ job_function: 'Smart-City-Koordination', expertise: JSON.stringify(['Sensorik', 'Open Data']) }).where('id', '=', shown.id).execute();
    const gone = await createUser(db(), { name: 'Gustav Gegangen' });
    await db().updateTable('users').set({ active: 0 }).where('id', '=', gone.id).execute();
    const { visitor } = await signedIn(t.app, db(), 'member');
    const res = await visitor.get('/mitglieder');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<th scope="row">Rita Richtig<\/th><td>Smart-City-Koordination<\/td><td><a href="\/organisationen\/meschede">Meschede<\/a><\/td><td>Sensorik, Open Data<\/td>/);
    assert.doesNotMatch(res.body, /Gustav Gegangen/);
    assert.doesNotMatch(res.body, new RegExp(shown.email.replace(/\./g, '\\.')), 'addresses are not listed');
    const active = await countRows(db(), 'users', { active: 1 });
    assert.match(res.body, new RegExp(`${active} Mitglieder aus \\d+ Organisationen`));
  });
});

describe('organisation page', () => {
  it('is public and shows how many members the organisation has, but names them only to members', async () => {
    await createUser(db(), { name: 'Otto Offenbar', organisation: 'Arnsberg' });
    const count = await countRows(db(), 'users', { organisation_id: await organisationId(db(), 'Arnsberg'), active: 1 });
    assert.ok(count >= 1);

    const anonymous = await new Visitor(t.app).get('/organisationen/arnsberg');
    assert.equal(anonymous.statusCode, 200);
    assert.match(anonymous.body, /<h1>Arnsberg<\/h1>/);
    assert.ok(anonymous.body.includes(`${count} Mitglieder auf der Plattform`));
    assert.ok(anonymous.body.includes('Die Namen der Mitglieder sehen nur angemeldete Mitglieder.'));
    assert.doesNotMatch(anonymous.body, /Otto Offenbar/);

    const { visitor } = await signedIn(t.app, db(), 'member', { organisation: 'Meschede' });
    const member = await visitor.get('/organisationen/arnsberg');
    assert.equal(member.statusCode, 200);
    assert.ok(member.body.includes(`${count} Mitglieder auf der Plattform`));
    assert.match(member.body, /<strong>Otto Offenbar<\/strong>/);
    assert.doesNotMatch(member.body, /Die Namen der Mitglieder sehen nur angemeldete Mitglieder\./);
  });
});
