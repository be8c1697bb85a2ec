import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { createUser, organisationId, signedIn } from '../../../test/support/factories.js';
import { countRows, mailsTo, passwordLink, startCommunity } from '../../../test/support/members.js';
import { whereStored } from '../../../test/support/personal-data.js';

// One platform for the whole file; every test makes its own people.
let t: TestApp;
let admin: Awaited<ReturnType<typeof createUser>>;
let adminVisitor: Visitor;
before(async () => {
  ({ t, admin } = await startCommunity(startTestApp));
  adminVisitor = new Visitor(t.app);
  assert.equal((await adminVisitor.submit('/anmelden', { email: admin.email, password: admin.password })).statusCode, 303);
});
after(() => t.close());
const db = () => t.database.db;
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000 - 60_000).toISOString();

/** Submits a form of an account's administration page. */
async function onAccount(id: number, action: string, fields: Record<string, string> = {}) {
  await adminVisitor.get(`/verwaltung/konten/${id}`);
  return adminVisitor.post(`/verwaltung/konten/${id}/${action}`, fields);
}

describe('deactivating and reactivating an account', () => {
  it('ends the person\'s sessions, keeps their content, and a sign-in says the account is deactivated', async () => {
    const { visitor, user } = await signedIn(t.app, db(), 'member', { name: 'Dora Deaktiviert' });
    const res = await onAccount(user.id, 'deaktivieren');
    assert.equal(res.statusCode, 303);
    const page = await adminVisitor.get(res.headers.location as string);
    assert.match(page.body, /Das Konto von Dora Deaktiviert ist deaktiviert/);
    assert.match(page.body, /<dd>deaktiviert<\/dd>/);
    assert.equal((await visitor.get('/profil')).statusCode, 303, 'her open session has ended');

    const again = await new Visitor(t.app).submit('/anmelden', { email: user.email, password: user.password });
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /Ihr Konto ist deaktiviert/);
    const wrong = await new Visitor(t.app).submit('/anmelden', { email: user.email, password: 'nicht-ihr-Passwort-1' });
    assert.doesNotMatch(wrong.body, /deaktiviert/, 'only whoever knows the password learns of the deactivation');
    assert.equal(await countRows(db(), 'users', { id: user.id, name: 'Dora Deaktiviert' }), 1);

    await onAccount(user.id, 'reaktivieren');
    assert.equal((await new Visitor(t.app).submit('/anmelden', { email: user.email, password: user.password })).statusCode, 303);
  });

  it('the last administrator cannot be deactivated: a clear message, nothing changes', async () => {
    const res = await onAccount(admin.id, 'deaktivieren');
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /letzte Administrator kann nicht deaktiviert werden/);
    assert.equal(await countRows(db(), 'users', { id: admin.id, active: 1 }), 1);
    assert.equal((await adminVisitor.get('/verwaltung')).statusCode, 200);
  });
});

describe('changing the organisation of an account', () => {
  it('moves the person to the chosen organisation', async () => {
    const user = await createUser(db(), { name: 'Otto Umzug', organisation: 'Arnsberg' });
    const olpe = await organisationId(db(), 'Olpe');
    const res = await onAccount(user.id, 'organisation', { organisation: String(olpe), organisationOther: '' });
    assert.equal(res.statusCode, 303);
    assert.match((await adminVisitor.get(`/verwaltung/konten/${user.id}`)).body, /Otto Umzug gehört jetzt zu Olpe/);
    assert.equal(await countRows(db(), 'users', { id: user.id, organisation_id: olpe }), 1);
  });

  it('"andere" without a name is refused with the field named, and nothing changes', async () => {
    const user = await createUser(db(), { name: 'Olga Ohneort', organisation: 'Arnsberg' });
    const res = await onAccount(user.id, 'organisation', { organisation: 'andere', organisationOther: '' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /error-summary/);
    assert.equal(await countRows(db(), 'users', { id: user.id, organisation_id: await organisationId(db(), 'Arnsberg') }), 1);
  });
});

describe('open invitations and join requests', () => {
  it('sending an invitation again mails a new link, and the old one no longer works', async () => {
    await adminVisitor.submit('/verwaltung/einladen', { name: 'Ina Einladung', email: 'ina@olpe.example', organisation: String(await organisationId(db(), 'Olpe')), organisationOther: '', jobFunction: '', role: 'member' });
    const first = passwordLink((await mailsTo(db(), 'ina@olpe.example'))[0].body_text);
    const ina = await db().selectFrom('users').select('id').where('email', '=', 'ina@olpe.example').executeTakeFirstOrThrow();
    const res = await onAccount(ina.id, 'einladung');
    assert.equal(res.statusCode, 303);
    assert.match((await adminVisitor.get(res.headers.location as string)).body, /Eine neue Einladung an Ina Einladung ist im Postausgang/);
    const mails = await mailsTo(db(), 'ina@olpe.example');
    assert.equal(mails.length, 2);
    const second = passwordLink(mails[1].body_text);
    assert.notEqual(first, second);
    assert.equal((await new Visitor(t.app).get(first)).statusCode, 410);
    assert.equal((await new Visitor(t.app).get(second)).statusCode, 200);
  });

  it('someone with a password needs no invitation: a clear message, no mail', async () => {
    const user = await createUser(db(), { name: 'Paula Passwort' });
    const res = await onAccount(user.id, 'einladung');
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /bereits ein Passwort/);
    assert.equal((await mailsTo(db(), user.email)).length, 0);
  });

  it('the list shows how long each request and invitation has been open, and the header counts the requests', async () => {
    const arnsberg = await organisationId(db(), 'Arnsberg');
    await db().deleteFrom('join_requests').execute();
    assert.doesNotMatch((await adminVisitor.get('/verwaltung')).body, /Beitrittsanfragen \(/, 'no count without open requests');
    for (const [name, days] of [['Rita Request', 3], ['Rolf Request', 1]] as const) {
      await db().insertInto('join_requests').values({
        name, email: `${name.split(' ')[0].toLowerCase()}@arnsberg.example`, organisation_id: arnsberg, organisation_other: null, job_function: 'x', message: '',
        consent_at: daysAgo(days), status: 'pending', created_at: daysAgo(days),
      }).execute();
    }
    const invited = await createUser(db(), { name: 'Ivo Invited' });
    await db().updateTable('users').set({ password_hash: null, created_at: daysAgo(5) }).where('id', '=', invited.id).execute();

    const page = (await adminVisitor.get('/verwaltung/anfragen')).body;
    assert.match(page, /Rita Request[\s\S]*seit 3 Tagen/);
    assert.match(page, /Rolf Request[\s\S]*seit 1 Tag</);
    assert.match(page, /Offene Einladungen[\s\S]*Ivo Invited[\s\S]*seit 5 Tagen/);

    assert.match((await adminVisitor.get('/loesungen')).body, /<a href="\/verwaltung\/anfragen"[^>]*>Beitrittsanfragen \(2\)<\/a>/);
    const { visitor } = await signedIn(t.app, db(), 'moderator');
    assert.doesNotMatch((await visitor.get('/loesungen')).body, /Beitrittsanfragen \(/, 'only administrators see the count');
  });
});

describe('an administrator deletes an account', () => {
  it('without the confirmation nothing happens; with it, the person\'s data is gone and the log says who deleted', async () => {
    const user = await createUser(db(), { name: 'Lena Löschung', email: 'lena.loeschung@arnsberg.example' });
    const refused = await onAccount(user.id, 'loeschen');
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Bitte bestätigen Sie/);
    assert.equal(await countRows(db(), 'users', { email: 'lena.loeschung@arnsberg.example' }), 1);

    const res = await onAccount(user.id, 'loeschen', { confirm: '1' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/verwaltung/konten');
    const list = (await adminVisitor.get('/verwaltung/konten')).body;
    assert.match(list, /Das Konto ist gelöscht/);
    assert.deepEqual(await whereStored(db(), ['Lena Löschung', 'lena.loeschung@arnsberg.example']), []);
    assert.equal((await adminVisitor.get(`/verwaltung/konten/${user.id}`)).statusCode, 404);
    const entry = await db().selectFrom('audit_log').selectAll().where('action', '=', 'account.deleted').where('target_id', '=', String(user.id)).executeTakeFirstOrThrow();
    assert.equal(entry.actor_id, admin.id);
  });

  it('the last administrator cannot be deleted', async () => {
    const res = await onAccount(admin.id, 'loeschen', { confirm: '1' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /letzten Administrators kann nicht gelöscht werden/);
    assert.equal(await countRows(db(), 'users', { id: admin.id, active: 1 }), 1);
  });
});
