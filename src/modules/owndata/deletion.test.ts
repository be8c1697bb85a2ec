import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, createUser } from '../../../test/support/factories.js';
import { commonGround } from '../../../test/support/community-data.js';
import { personaWithData, whereStored, type Persona } from '../../../test/support/personal-data.js';
import { Visitor } from '../../../test/support/client.js';
import { countRows, mailsTo } from '../../../test/support/members.js';
import { sessionsOf } from '../../platform/http/session-store.js';

describe('deleting my account', () => {
  let t: TestApp;
  let anna: Persona;
  let bert: Persona;
  let common: Awaited<ReturnType<typeof commonGround>>;
  const db = () => t.database.db;

  before(async () => {
    t = await startTestApp();
    await completeSetup(db());
    await createUser(db(), { role: 'admin', name: 'Ada Admin' });
    common = await commonGround(t);
    // Anna registers first and takes the meeting's one place; Bert waits.
    anna = await personaWithData(t, 'Anna', common);
    bert = await personaWithData(t, 'Bert', common);
  });
  after(() => t.close());

  it('the page says what is removed and what stays, and asks for the password and a confirmation', async () => {
    const page = await anna.visitor.get('/profil/konto-loeschen');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Was gelöscht wird/);
    assert.match(page.body, /ehemaliges Mitglied/);
    assert.match(page.body, /rückt nach/);
    assert.match(page.body, /name="password" type="password"/);
    assert.match(page.body, /name="confirm" type="checkbox"/);
    assert.match((await anna.visitor.get('/profil')).body, /href="\/profil\/konto-loeschen"/);
  });

  it('without the confirmation, or with a wrong password, nothing is deleted and the reason is said', async () => {
    const unconfirmed = await anna.visitor.post('/profil/konto-loeschen', { password: anna.password });
    assert.equal(unconfirmed.statusCode, 422);
    assert.match(unconfirmed.body, /Bitte bestätigen Sie mit dem Häkchen/);
    const wrong = await anna.visitor.post('/profil/konto-loeschen', { password: 'falsches-Passwort-123', confirm: '1' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /Das Passwort stimmt nicht/);
    assert.match(wrong.body, /name="confirm" type="checkbox" value="1" checked/, 'the ticked box stays ticked');
    assert.equal((await anna.visitor.get('/profil')).statusCode, 200, 'still signed in');
    assert.equal(await countRows(db(), 'users', { email: anna.personal[1], active: 1 }), 1);
    assert.ok((await whereStored(db(), [anna.personal[0]])).length > 5);
  });

  it('afterwards no table holds her name, address, function, expertise or join message', async () => {
    // The page of the solution she is the contact of, as visitors have seen it (and the platform keeps it).
    const { slug } = await db().selectFrom('solutions').select('slug').where('title', '=', anna.contents['Lösung']).executeTakeFirstOrThrow();
    assert.ok((await new Visitor(t.app).get(`/loesungen/${slug}`)).body.includes(anna.personal[1]), 'her address is the contact');
    const res = await anna.visitor.post('/profil/konto-loeschen', { password: anna.password, confirm: '1' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Ihr Konto ist gelöscht/);
    assert.deepEqual(await whereStored(db(), anna.personal), []);
    for (const table of ['tokens', 'api_tokens', 'notifications', 'notification_preferences', 'notification_digests', 'follows', 'sso_links', 'two_factor', 'recovery_codes', 'email_changes'] as const) {
      assert.equal(await countRows(db(), table, { user_id: anna.user.id }), 0, `${table} of hers are gone`);
    }
    assert.deepEqual(await sessionsOf(db(), anna.user.id), [], 'her sessions are gone');
    // Bert's data is untouched.
    assert.ok((await whereStored(db(), bert.personal)).length >= bert.personal.length);
    const page = (await new Visitor(t.app).get(`/loesungen/${slug}`)).body;
    for (const data of anna.personal) assert.ok(!page.includes(data), `the solution's page no longer shows ${data}`);
  });

  it('she is signed out everywhere and cannot sign in again', async () => {
    const profile = await anna.visitor.get('/profil');
    assert.equal(profile.statusCode, 303);
    assert.equal((await new Visitor(t.app).submit('/anmelden', { email: anna.personal[1], password: anna.password })).statusCode, 422);
  });

  it('her contributions that others build on stay, under "ehemaliges Mitglied"', async () => {
    const question = await new Visitor(t.app).get(`/fragen/${common.questionId}`);
    assert.match(question.body, /Antwort Anna/);
    assert.match(question.body, /ehemaliges Mitglied/);
    assert.equal(await countRows(db(), 'solutions', { title: 'Lösung Anna' }), 1);
    assert.equal(await countRows(db(), 'procurement_declarations', { quantity: 7 }), 2);
    assert.equal(await countRows(db(), 'meeting_materials', { title: 'Material Anna' }), 1);
  });

  it('her place at the meeting goes to Bert, who was waiting, with a mail', async () => {
    const bertRow = await db().selectFrom('meeting_registrations').select('status').where('user_id', '=', bert.user.id).executeTakeFirstOrThrow();
    assert.equal(bertRow.status, 'registered');
    const mails = await mailsTo(db(), bert.personal[1]);
    assert.ok(mails.some((m) => /Platz|place/.test(m.subject)), mails.map((m) => m.subject).join(' | '));
  });

  it('the notification the organiser got about her answer names a former member', async () => {
    const rows = await db().selectFrom('notifications').select('params').where('user_id', '=', common.carla.id).execute();
    assert.ok(rows.some((r) => r.params.includes('ehemaliges Mitglied')), rows.map((r) => r.params).join('\n'));
  });

  it('the deletion is in the audit log, without her data', async () => {
    const entry = await db().selectFrom('audit_log').selectAll().where('action', '=', 'account.deleted').executeTakeFirstOrThrow();
    assert.equal(entry.target_id, String(anna.user.id));
    assert.equal(entry.details, '{"by":"self"}');
  });
});

describe('the last administrator', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('cannot delete their account: a clear message, and nothing changes', async () => {
    const admin = await createUser(t.database.db, { role: 'admin', name: 'Einzige Admina' });
    const visitor = new Visitor(t.app);
    await visitor.submit('/anmelden', { email: admin.email, password: admin.password });
    const res = await visitor.submit('/profil/konto-loeschen', { password: admin.password, confirm: '1' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /letzten Administrators kann nicht gelöscht werden/);
    assert.equal(await countRows(t.database.db, 'users', { name: 'Einzige Admina', active: 1 }), 1);
    assert.equal((await visitor.get('/profil')).statusCode, 200);
  });
});
