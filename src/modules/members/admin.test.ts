import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { createUser, organisationId, signedIn } from '../../../test/support/factories.js';
import { countRows, mailsTo, passwordLink, pendingRequestId, requestToJoin, startCommunity } from '../../../test/support/members.js';

const ALREADY_DECIDED = 'Diese Anfrage wurde bereits bearbeitet.';

// One platform for the whole file; every test makes its own people and requests.
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

describe('deciding join requests', () => {

  async function approve(id: number, visitor = adminVisitor) {
    await visitor.get('/verwaltung/anfragen');
    return visitor.post(`/verwaltung/anfragen/${id}/annehmen`);
  }

  it('approving creates a member account in the chosen organisation, mails an invitation and records who did it', async () => {
    const { sent } = await requestToJoin(t, { name: 'Anton Annahme', email: 'Anton@Arnsberg.example' });
    const id = await pendingRequestId(db(), sent.email);
    const res = await approve(id);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/verwaltung/anfragen');
    const queue = await adminVisitor.get('/verwaltung/anfragen');
    assert.match(queue.body, /Die Anfrage von Anton Annahme ist angenommen/);
    assert.doesNotMatch(queue.body, /<h2 id="req-\d+">Anton Annahme<\/h2>/);

    const user = await db().selectFrom('users').selectAll().where('email', '=', 'anton@arnsberg.example').executeTakeFirstOrThrow();
    assert.equal(user.role, 'member');
    assert.equal(user.name, 'Anton Annahme');
    assert.equal(user.organisation_id, await organisationId(db(), 'Arnsberg'));
    assert.equal(user.password_hash, null);
    const request = await db().selectFrom('join_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(request.status, 'approved');
    assert.equal(request.decided_by, admin.id);
    assert.equal(request.user_id, user.id);

    const mails = await mailsTo(db(), 'anton@arnsberg.example');
    assert.equal(mails.length, 1);
    assert.equal(mails[0].subject, 'Einladung zur KI-Community Südwestfalen');
    const link = passwordLink(mails[0].body_text);
    const page = await new Visitor(t.app).get(link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Passwort festlegen/);
    assert.match(page.body, /anton@arnsberg\.example/);

    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'join.approved').where('target_id', '=', String(id)).execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor_id, admin.id);
    assert.equal(audit[0].target_type, 'join_request');
    const log = await adminVisitor.get('/verwaltung/protokoll');
    assert.match(log.body, /hat die Beitrittsanfrage von Anton Annahme angenommen\./);
  });

  it('the invited person sets a password through the mailed link and can then sign in', async () => {
    const { sent } = await requestToJoin(t, { name: 'Berta Neu', email: 'berta@marsberg.example', organisation: String(await organisationId(db(), 'Marsberg')) });
    await approve(await pendingRequestId(db(), sent.email));
    const [mail] = await mailsTo(db(), 'berta@marsberg.example');
    const v = new Visitor(t.app);
    const res = await v.submit(passwordLink(mail.body_text), { password: 'berta-ihr-passwort', passwordRepeat: 'berta-ihr-passwort' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/willkommen');
    const profile = await v.get('/profil');
    assert.equal(profile.statusCode, 200);
    assert.match(profile.body, /Ihre Organisation: Marsberg/);

    const later = new Visitor(t.app);
    assert.equal((await later.submit('/anmelden', { email: 'berta@marsberg.example', password: 'berta-ihr-passwort' })).statusCode, 303);
  });

  it('approving a request for "andere" creates that organisation as kind "andere"', async () => {
    const { sent } = await requestToJoin(t, { name: 'Carl Verband', organisation: 'andere', organisationOther: 'Zweckverband Test-IT' });
    assert.equal(await countRows(db(), 'organisations', { name: 'Zweckverband Test-IT' }), 0);
    assert.equal((await approve(await pendingRequestId(db(), sent.email))).statusCode, 303);
    const org = await db().selectFrom('organisations').selectAll().where('name', '=', 'Zweckverband Test-IT').executeTakeFirstOrThrow();
    assert.equal(org.kind, 'andere');
    const user = await db().selectFrom('users').selectAll().where('email', '=', sent.email).executeTakeFirstOrThrow();
    assert.equal(user.organisation_id, org.id);
    assert.equal(user.role, 'member');
    const page = await adminVisitor.get(`/organisationen/${org.slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Carl Verband/);
  });

  it('approving an already approved request answers 409 "bereits bearbeitet" and creates no second account', async () => {
    const { sent } = await requestToJoin(t, { name: 'Dora Doppelt' });
    const id = await pendingRequestId(db(), sent.email);
    assert.equal((await approve(id)).statusCode, 303);
    const again = await approve(id);
    assert.equal(again.statusCode, 409);
    assert.ok(again.body.includes(ALREADY_DECIDED));
    assert.equal(await countRows(db(), 'users', { email: sent.email }), 1);
    assert.equal((await mailsTo(db(), sent.email)).length, 1);
    assert.equal(await countRows(db(), 'audit_log', { action: 'join.approved', target_id: String(id) }), 1);
  });

  it('two administrators approving the same request at the same moment create one account; the other sees "bereits bearbeitet"', async () => {
    const { visitor: otherAdmin } = await signedIn(t.app, db(), 'admin');
    await adminVisitor.get('/verwaltung/anfragen');
    await otherAdmin.get('/verwaltung/anfragen');
    // The two decisions interleave differently each time; many rounds give each ordering its chance.
    for (let round = 0; round < 25; round++) {
      const { sent } = await requestToJoin(t, { name: 'Emil Eilig', email: `emil.eilig.${round}@olpe.example` });
      const id = await pendingRequestId(db(), sent.email);
      const results = await Promise.all([
        adminVisitor.post(`/verwaltung/anfragen/${id}/annehmen`),
        otherAdmin.post(`/verwaltung/anfragen/${id}/annehmen`),
      ]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [303, 409], `round ${round}`);
      const refused = results.find((r) => r.statusCode === 409)!;
      assert.ok(refused.body.includes(ALREADY_DECIDED), `round ${round}: the second administrator is not told the request was already decided`);
      assert.equal(await countRows(db(), 'users', { email: sent.email }), 1);
      assert.equal((await mailsTo(db(), sent.email)).length, 1);
    }
  });

  it('approving a request whose address got an account meanwhile answers 409 and creates nothing', async () => {
    const { sent } = await requestToJoin(t, { name: 'Ines Inzwischen' });
    const id = await pendingRequestId(db(), sent.email);
    await createUser(db(), { email: sent.email, name: 'Ines Inzwischen' });
    const res = await approve(id);
    assert.equal(res.statusCode, 409);
    assert.ok(res.body.includes('Zu dieser E-Mail-Adresse gibt es bereits ein Konto.'));
    assert.equal(await countRows(db(), 'users', { email: sent.email }), 1);
    assert.equal((await mailsTo(db(), sent.email)).length, 0);
    const row = await db().selectFrom('join_requests').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending', 'still open, so it can be rejected');
  });

  it('rejecting needs a reason: without one the form answers 422 and the request stays open', async () => {
    const { sent } = await requestToJoin(t, { name: 'Fritz Frage' });
    const id = await pendingRequestId(db(), sent.email);
    await adminVisitor.get('/verwaltung/anfragen');
    const res = await adminVisitor.post(`/verwaltung/anfragen/${id}/ablehnen`, { reason: '   ' });
    assert.equal(res.statusCode, 422);
    assert.ok(res.body.includes('Bitte füllen Sie „Begründung“ aus.'));
    assert.match(res.body, /Fritz Frage/);
    const row = await db().selectFrom('join_requests').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    assert.equal((await mailsTo(db(), sent.email)).length, 0);
    assert.equal(await countRows(db(), 'audit_log', { action: 'join.rejected', target_id: String(id) }), 0);
  });

  it('rejecting with a reason mails the reason, records who did it and creates no account; the person may ask again later', async () => {
    const { sent } = await requestToJoin(t, { name: 'Gerda Gast', email: 'gerda@privat.example' });
    const id = await pendingRequestId(db(), sent.email);
    await adminVisitor.get('/verwaltung/anfragen');
    const reason = 'Die Gemeinschaft steht nur Beschäftigten der Kommunen offen.';
    const res = await adminVisitor.post(`/verwaltung/anfragen/${id}/ablehnen`, { reason });
    assert.equal(res.statusCode, 303);
    assert.match((await adminVisitor.get('/verwaltung/anfragen')).body, /Die Anfrage von Gerda Gast ist abgelehnt/);
    const row = await db().selectFrom('join_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'rejected');
    assert.equal(row.reason, reason);
    assert.equal(row.decided_by, admin.id);
    assert.equal(await countRows(db(), 'users', { email: 'gerda@privat.example' }), 0);
    const mails = await mailsTo(db(), 'gerda@privat.example');
    assert.equal(mails.length, 1);
    assert.equal(mails[0].subject, 'Ihre Anfrage bei der KI-Community Südwestfalen');
    assert.ok(mails[0].body_text.includes(reason));
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'join.rejected').where('target_id', '=', String(id)).execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor_id, admin.id);

    assert.equal((await approve(id)).statusCode, 409);
    assert.equal(await countRows(db(), 'users', { email: 'gerda@privat.example' }), 0);
    const again = await requestToJoin(t, { name: 'Gerda Gast', email: 'gerda@privat.example' });
    assert.equal(again.res.statusCode, 303);
  });

  for (const role of ['member', 'moderator'] as const) {
    it(`a ${role} gets 403 on every administrative form and nothing changes`, async () => {
      const { sent } = await requestToJoin(t, { name: `Hanna ${role}` });
      const id = await pendingRequestId(db(), sent.email);
      const { visitor, user } = await signedIn(t.app, db(), role);
      const target = await createUser(db(), { role: 'member' });
      const usersBefore = await countRows(db(), 'users');
      const mailsBefore = await countRows(db(), 'outbox');
      await visitor.get('/profil');
      for (const [url, fields] of [
        [`/verwaltung/anfragen/${id}/annehmen`, {}],
        [`/verwaltung/anfragen/${id}/ablehnen`, { reason: 'Nein' }],
        ['/verwaltung/einladen', { name: 'Ida Eingeladen', email: `ida-${role}@x.example`, organisation: 'andere', organisationOther: 'X', role: 'admin' }],
        [`/verwaltung/konten/${target.id}/rolle`, { role: 'admin' }],
        [`/verwaltung/konten/${user.id}/rolle`, { role: 'admin' }],
      ] as [string, Record<string, string>][]) {
        const res = await visitor.post(url, fields);
        assert.equal(res.statusCode, 403, url);
        assert.match(res.body, /Kein Zugriff/);
      }
      assert.equal((await visitor.get('/verwaltung/anfragen')).statusCode, 403);
      const row = await db().selectFrom('join_requests').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending');
      assert.equal(await countRows(db(), 'users'), usersBefore);
      assert.equal(await countRows(db(), 'outbox'), mailsBefore);
      const roles = await db().selectFrom('users').select(['id', 'role']).where('id', 'in', [user.id, target.id]).execute();
      assert.deepEqual(Object.fromEntries(roles.map((r) => [r.id, r.role])), { [user.id]: role, [target.id]: 'member' });
    });
  }

  it('a visitor who is not signed in cannot approve (401) and nothing changes', async () => {
    const { sent } = await requestToJoin(t, { name: 'Jakob Anonym' });
    const id = await pendingRequestId(db(), sent.email);
    const v = new Visitor(t.app);
    await v.get('/mitmachen');
    const res = await v.post(`/verwaltung/anfragen/${id}/annehmen`);
    assert.equal(res.statusCode, 401);
    assert.equal(await countRows(db(), 'users', { email: sent.email }), 0);
  });
});

describe('inviting people directly', () => {
  const v = () => adminVisitor;

  it('creates the account with the chosen role and mails an invitation link that works', async () => {
    const olsberg = await organisationId(db(), 'Olsberg');
    const res = await v().submit('/verwaltung/einladen', { name: 'Karla Kreis', email: 'Karla@Olsberg.example', organisation: String(olsberg), organisationOther: '', jobFunction: 'IT-Leitung', role: 'moderator' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/verwaltung/einladen');
    assert.match((await v().get('/verwaltung/einladen')).body, /Karla Kreis ist eingeladen/);
    const user = await db().selectFrom('users').selectAll().where('email', '=', 'karla@olsberg.example').executeTakeFirstOrThrow();
    assert.equal(user.role, 'moderator');
    assert.equal(user.organisation_id, olsberg);
    assert.equal(user.job_function, 'IT-Leitung');
    const mails = await mailsTo(db(), 'karla@olsberg.example');
    assert.equal(mails.length, 1);
    assert.equal(mails[0].subject, 'Einladung zur KI-Community Südwestfalen von Ada Admin');
    const invited = new Visitor(t.app);
    const set = await invited.submit(passwordLink(mails[0].body_text), { password: 'karlas-passwort-1', passwordRepeat: 'karlas-passwort-1' });
    assert.equal(set.statusCode, 303);
    assert.equal((await invited.get('/profil')).statusCode, 200);
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'user.invited').where('target_id', '=', String(user.id)).executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, admin.id);
  });

  it('refuses an address that already has an account, in any spelling, with a 422 message and keeps the form', async () => {
    await createUser(db(), { email: 'lena@schmallenberg.example' });
    const usersBefore = await countRows(db(), 'users');
    const mailsBefore = await countRows(db(), 'outbox');
    const res = await v().submit('/verwaltung/einladen', { name: 'Lena Zweitkonto', email: 'LENA@Schmallenberg.example', organisation: 'andere', organisationOther: 'Musterverband', jobFunction: '', role: 'member' });
    assert.equal(res.statusCode, 422);
    assert.ok(res.body.includes('Zu dieser E-Mail-Adresse gibt es bereits ein Konto.'));
    assert.match(res.body, /value="Lena Zweitkonto"/);
    assert.match(res.body, /value="Musterverband"/);
    assert.equal(await countRows(db(), 'users'), usersBefore);
    assert.equal(await countRows(db(), 'outbox'), mailsBefore);
    assert.equal(await countRows(db(), 'organisations', { name: 'Musterverband' }), 0);
  });
});

describe('changing roles', () => {
  const v = () => adminVisitor;
  const roleOf = async (id: number) => (await db().selectFrom('users').select('role').where('id', '=', id).executeTakeFirstOrThrow()).role;

  it('an administrator makes a member moderator; it is recorded and takes effect at once', async () => {
    const { visitor: memberVisitor, user: member } = await signedIn(t.app, db(), 'member', { name: 'Mia Moderation' });
    assert.equal((await memberVisitor.get('/verwaltung/anfragen')).statusCode, 403);
    const res = await v().submit('/verwaltung/konten', { role: 'moderator' }, `/verwaltung/konten/${member.id}/rolle`);
    assert.equal(res.statusCode, 303);
    assert.match((await v().get('/verwaltung/konten')).body, /Die Rolle von Mia Moderation ist gespeichert/);
    assert.equal(await roleOf(member.id), 'moderator');
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'user.role_changed').where('target_id', '=', String(member.id)).executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, admin.id);
    assert.deepEqual(JSON.parse(audit.details), { from: 'member', to: 'moderator' });
  });

  it('an unknown role is refused with a German message and changes nothing', async () => {
    const member = await createUser(db(), { role: 'member' });
    const res = await v().submit('/verwaltung/konten', { role: 'superadmin' }, `/verwaltung/konten/${member.id}/rolle`);
    assert.equal(res.statusCode, 422);
    assert.ok(res.body.includes('Bitte wählen Sie bei „Rolle“ einen Eintrag aus der Liste.'));
    assert.equal(await roleOf(member.id), 'member');
  });

  it('the last administrator cannot give up the role (422, German message)', async () => {
    await db().updateTable('users').set({ role: 'member' }).where('role', '=', 'admin').where('id', '!=', admin.id).execute();
    const res = await v().submit('/verwaltung/konten', { role: 'member' }, `/verwaltung/konten/${admin.id}/rolle`);
    assert.equal(res.statusCode, 422);
    assert.ok(res.body.includes('Die letzte Administratorin oder der letzte Administrator kann die Rolle nicht abgeben.'));
    assert.equal(await roleOf(admin.id), 'admin');
    assert.equal((await v().get('/verwaltung/anfragen')).statusCode, 200);
  });

  it('two administrators demoting each other at the same moment still leave one administrator', async () => {
    // Repeated, because the two requests overlap only sometimes; each round starts with exactly two administrators.
    for (let round = 0; round < 4; round++) {
      await db().updateTable('users').set({ role: 'member' }).where('role', '=', 'admin').execute();
      const a = await signedIn(t.app, db(), 'admin');
      const b = await signedIn(t.app, db(), 'admin');
      await a.visitor.get('/verwaltung/konten');
      await b.visitor.get('/verwaltung/konten');
      const results = await Promise.all([
        a.visitor.post(`/verwaltung/konten/${b.user.id}/rolle`, { role: 'member' }),
        b.visitor.post(`/verwaltung/konten/${a.user.id}/rolle`, { role: 'member' }),
      ]);
      // One succeeds; the other is refused, as the last administrator (422) or as no longer an administrator (403).
      const [first, second] = results.map((r) => r.statusCode).sort();
      assert.equal(first, 303, `round ${round}`);
      assert.ok(second === 403 || second === 422, `round ${round}: second answer ${second}`);
      assert.equal(await countRows(db(), 'users', { role: 'admin', active: 1 }), 1, `round ${round}`);
    }
  });
});
