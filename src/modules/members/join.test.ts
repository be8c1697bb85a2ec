import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { createUser, organisationId, PASSWORD } from '../../../test/support/factories.js';
import { countRows, joinFields, mailsTo, startCommunity, withoutCsrf } from '../../../test/support/members.js';

const SUMMARY = 'Bitte korrigieren Sie die folgenden Angaben:';

describe('joining the community ("Mitmachen")', () => {
  let t: TestApp;
  let admin: { id: number; email: string };
  let secondAdmin: { id: number; email: string };
  before(async () => {
    ({ t, admin } = await startCommunity(startTestApp));
    secondAdmin = await createUser(t.database.db, { role: 'admin', name: 'Bert Admin' });
  });
  after(() => t.close());

  const db = () => t.database.db;

  it('a valid request lands in the administrators\' queue and every administrator gets a mail', async () => {
    const fields = await joinFields(db(), { name: 'Jana Neumann', email: 'Jana.Neumann@Arnsberg.example' });
    const v = new Visitor(t.app);
    const res = await v.submit('/mitmachen', fields);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/mitmachen/danke');
    const thanks = await v.get('/mitmachen/danke');
    assert.equal(thanks.statusCode, 200);
    assert.match(thanks.body, /Vielen Dank für Ihre Anfrage/);

    const row = await db().selectFrom('join_requests').selectAll().where('email', '=', 'jana.neumann@arnsberg.example').executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    assert.equal(row.name, 'Jana Neumann');
    assert.equal(row.organisation_id, await organisationId(db(), 'Arnsberg'));
    assert.equal(row.job_function, 'Digitalisierungsbeauftragte');

    const { visitor: adminVisitor } = await signedInAs(admin);
    const queue = await adminVisitor.get('/verwaltung/anfragen');
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /Jana Neumann/);
    assert.match(queue.body, /jana\.neumann@arnsberg\.example/);
    assert.match(queue.body, /Arnsberg/);
    assert.match(queue.body, /Ich möchte unsere Chatbot-Erfahrungen teilen\./);

    for (const a of [admin, secondAdmin]) {
      const mails = (await mailsTo(db(), a.email)).filter((m) => m.subject === 'Neue Beitrittsanfrage: Jana Neumann');
      assert.equal(mails.length, 1, `mail to ${a.email}`);
      assert.match(mails[0].body_text, /Jana Neumann \(Arnsberg\) möchte mitmachen/);
      assert.match(mails[0].body_text, /http:\/\/localhost:3000\/verwaltung\/anfragen/);
    }
  });

  it('a request for an organisation outside the list shows that name in the queue', async () => {
    const fields = await joinFields(db(), { name: 'Olaf Zweckverband', organisation: 'andere', organisationOther: 'Zweckverband Digitale Kommune' });
    const { res } = await post(fields);
    assert.equal(res.statusCode, 303);
    const row = await db().selectFrom('join_requests').selectAll().where('email', '=', fields.email).executeTakeFirstOrThrow();
    assert.equal(row.organisation_id, null);
    assert.equal(row.organisation_other, 'Zweckverband Digitale Kommune');
    const { visitor } = await signedInAs(admin);
    assert.match((await visitor.get('/verwaltung/anfragen')).body, /Zweckverband Digitale Kommune \(Andere Organisation\)/);
  });

  const invalid: [string, Record<string, string>, string][] = [
    ['a missing name', { name: '' }, 'Bitte füllen Sie „Vor- und Nachname“ aus.'],
    ['a name of 121 characters', { name: 'N'.repeat(121) }, '„Vor- und Nachname“ darf höchstens 120 Zeichen lang sein.'],
    ['a message of 2001 characters', { message: 'm'.repeat(2001) }, '„Nachricht“ darf höchstens 2000 Zeichen lang sein.'],
    ['a missing e-mail address', { email: '' }, 'Bitte füllen Sie „E-Mail-Adresse“ aus.'],
    ['an address without @', { email: 'jana.arnsberg.example' }, 'Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@stadt.de.'],
    ['an address without domain', { email: 'jana@' }, 'Bitte geben Sie eine gültige E-Mail-Adresse an'],
    ['an address without local part', { email: '@arnsberg.example' }, 'Bitte geben Sie eine gültige E-Mail-Adresse an'],
    ['an address with a space', { email: 'jana neumann@arnsberg.example' }, 'Bitte geben Sie eine gültige E-Mail-Adresse an'],
    ['an address with two @', { email: 'jana@@arnsberg.example' }, 'Bitte geben Sie eine gültige E-Mail-Adresse an'],
    ['an address without top-level domain', { email: 'jana@arnsberg' }, 'Bitte geben Sie eine gültige E-Mail-Adresse an'],
    ['no consent', { consent: '' }, 'Bitte bestätigen Sie, dass Sie die Datenschutzerklärung gelesen haben.'],
    ['"andere" without the organisation\'s name', { organisation: 'andere', organisationOther: '' }, 'Bitte nennen Sie den Namen Ihrer Organisation.'],
    ['an organisation that does not exist', { organisation: '999999' }, 'Bitte wählen Sie bei „Organisation“ einen Eintrag aus der Liste.'],
    ['no organisation chosen', { organisation: '' }, 'Bitte füllen Sie „Organisation“ aus.'],
  ];
  for (const [what, change, message] of invalid) {
    it(`refuses ${what} with 422 and a German message, saving nothing`, async () => {
      const before = { requests: await countRows(db(), 'join_requests'), mails: await countRows(db(), 'outbox') };
      const fields = await joinFields(db(), change);
      if (change.consent === '') delete fields.consent;
      const { res } = await post(fields);
      assert.equal(res.statusCode, 422);
      assert.ok(res.body.includes(SUMMARY), 'error summary shown');
      assert.ok(res.body.includes(message), `message "${message}" shown`);
      assert.equal(await countRows(db(), 'join_requests'), before.requests);
      assert.equal(await countRows(db(), 'outbox'), before.mails);
    });
  }

  it('a refused form keeps everything that was typed', async () => {
    const arnsberg = await organisationId(db(), 'Arnsberg');
    const fields = await joinFields(db(), {
      name: 'Greta Größe', email: 'greta@', jobFunction: 'IT-Leitung & Organisation', message: 'Wir testen "KI" <im> Bürgerbüro.',
    });
    const { res } = await post(fields);
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /value="Greta Größe"/);
    assert.match(res.body, /value="greta@"/);
    assert.match(res.body, /value="IT-Leitung &amp; Organisation"/);
    assert.ok(res.body.includes('>Wir testen &quot;KI&quot; &lt;im> Bürgerbüro.</textarea>'), 'message kept, escaped');
    assert.match(res.body, new RegExp(`<option value="${arnsberg}" selected`));
    assert.match(res.body, /name="consent" type="checkbox" value="1" checked/);

    const other = await post(await joinFields(db(), { name: '', organisation: 'andere', organisationOther: 'Stadtwerke Sundern' }));
    assert.equal(other.res.statusCode, 422);
    assert.match(other.res.body, /<option value="andere" selected/);
    assert.match(other.res.body, /value="Stadtwerke Sundern"/);
  });

  it('a second request for the same address, in any spelling, gets the same answer as a new one; that address gets a mail instead', async () => {
    const fields = await joinFields(db(), { email: 'doppelt@sundern.example' });
    const first = await post(fields);
    assert.equal(first.res.statusCode, 303);
    const before = { requests: await countRows(db(), 'join_requests'), adminMails: (await mailsTo(db(), admin.email)).length };
    for (const email of ['doppelt@sundern.example', 'Doppelt@Sundern.EXAMPLE', '  doppelt@sundern.example ']) {
      const { res } = await post({ ...fields, email, name: 'Noch Einmal' });
      assert.equal(res.statusCode, first.res.statusCode, email);
      assert.equal(res.headers.location, first.res.headers.location, email);
      assert.equal(res.body, first.res.body, email);
    }
    assert.equal(await countRows(db(), 'join_requests'), before.requests);
    assert.equal((await mailsTo(db(), admin.email)).length, before.adminMails, 'the administrators hear of the first request only');
    const row = await db().selectFrom('join_requests').select('name').where('email', '=', 'doppelt@sundern.example').executeTakeFirstOrThrow();
    assert.equal(row.name, fields.name);
    // The person learns by mail, once a day, that the request is open and what to do.
    const mails = await mailsTo(db(), 'doppelt@sundern.example');
    assert.equal(mails.length, 1);
    assert.equal(mails[0].subject, 'Ihre Anfrage bei der KI-Community Südwestfalen');
    assert.match(mails[0].body_text, /Guten Tag Noch Einmal,/);
    assert.match(mails[0].body_text, /bereits eine offene Anfrage vor\. Sie wird bald bearbeitet/);
    assert.match(mails[0].body_text, /http:\/\/localhost:3000\/passwort-vergessen/);
  });

  it('the mail about an open request is in the language the request was made in', async () => {
    const fields = await joinFields(db(), { name: 'Emma English', email: 'emma@olsberg.example' });
    const v = new Visitor(t.app);
    await v.get('/sprache/en');
    assert.equal((await v.submit('/mitmachen', fields)).statusCode, 303);
    assert.equal((await post({ ...fields })).res.statusCode, 303);
    const mails = await mailsTo(db(), 'emma@olsberg.example');
    assert.equal(mails.length, 1);
    assert.equal(mails[0].subject, 'Your request to KI-Community Südwestfalen');
    assert.match(mails[0].body_text, /there is already an open request for your e-mail address/);
  });

  it('five simultaneous submissions for one address leave exactly one pending request and all get the same answer', async () => {
    const fields = await joinFields(db(), { name: 'Paula Parallel', email: 'parallel@meschede.example' });
    const v = new Visitor(t.app);
    await v.get('/mitmachen');
    const results = await Promise.all(Array.from({ length: 5 }, () => v.post('/mitmachen', fields)));
    assert.deepEqual(results.map((r) => [r.statusCode, r.headers.location]), Array.from({ length: 5 }, () => [303, '/mitmachen/danke']));
    assert.equal(await countRows(db(), 'join_requests', { email: 'parallel@meschede.example' }), 1);
    assert.equal((await mailsTo(db(), admin.email)).filter((m) => m.subject === 'Neue Beitrittsanfrage: Paula Parallel').length, 1);
    assert.equal((await mailsTo(db(), 'parallel@meschede.example')).length, 1);
  });

  it('an address that already has an account gets the same answer as a new one; a mail goes to that address instead of a request', async () => {
    const existing = await createUser(db(), { name: 'Konrad Konto', email: 'konrad@brilon.example' });
    const adminMailsBefore = (await mailsTo(db(), admin.email)).length;

    const fresh = new Visitor(t.app);
    const known = new Visitor(t.app);
    const a = await fresh.submit('/mitmachen', await joinFields(db(), { name: 'Konrad Konto', email: 'konrad.neu@brilon.example' }));
    const b = await known.submit('/mitmachen', await joinFields(db(), { name: 'Konrad Konto', email: 'Konrad@Brilon.example' }));
    assert.equal(b.statusCode, a.statusCode);
    assert.equal(b.statusCode, 303);
    assert.equal(b.headers.location, a.headers.location);
    assert.equal(b.body, a.body);
    const visible = (r: typeof a) => Object.keys(r.headers).filter((h) => h !== 'date').sort();
    assert.deepEqual(visible(b), visible(a));
    assert.deepEqual(cookieNames(b), cookieNames(a));
    const thanksA = await fresh.get(a.headers.location as string);
    const thanksB = await known.get(b.headers.location as string);
    assert.equal(thanksB.statusCode, thanksA.statusCode);
    assert.equal(withoutCsrf(thanksB.body), withoutCsrf(thanksA.body));

    assert.equal(await countRows(db(), 'join_requests', { email: existing.email }), 0);
    const mails = await mailsTo(db(), existing.email);
    assert.equal(mails.length, 1);
    assert.equal(mails[0].subject, 'Ihre Anfrage bei der KI-Community Südwestfalen');
    assert.match(mails[0].body_text, /bereits ein Konto/);
    assert.match(mails[0].body_text, /http:\/\/localhost:3000\/passwort-vergessen/);
    // Only the new address reached the administrators.
    assert.equal((await mailsTo(db(), admin.email)).length, adminMailsBefore + 1);

    // Asking again the same day answers alike and does not flood that inbox.
    const again = await new Visitor(t.app).submit('/mitmachen', await joinFields(db(), { name: 'Konrad Konto', email: existing.email }));
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, a.headers.location);
    assert.equal((await mailsTo(db(), existing.email)).length, 1);
  });

  it('a form with a wrong organisation is refused the same way whether or not the address has an account', async () => {
    const existing = await createUser(db(), { email: 'olga@winterberg.example' });
    for (const change of [{ organisation: '999999' }, { organisation: 'andere', organisationOther: '' }] as Record<string, string>[]) {
      const forNew = await post(await joinFields(db(), { ...change, name: 'Olga Org', email: 'olga.neu@winterberg.example' }));
      const forKnown = await post(await joinFields(db(), { ...change, name: 'Olga Org', email: existing.email }));
      assert.equal(forNew.res.statusCode, 422);
      assert.equal(forKnown.res.statusCode, forNew.res.statusCode, JSON.stringify(change));
      assert.equal(withoutCsrf(forKnown.res.body).replace(existing.email, 'X'), withoutCsrf(forNew.res.body).replace('olga.neu@winterberg.example', 'X'));
    }
    assert.equal((await mailsTo(db(), existing.email)).length, 0);
  });

  async function post(fields: Record<string, string>) {
    const res = await new Visitor(t.app).submit('/mitmachen', fields);
    return { res };
  }

  async function signedInAs(user: { email: string }) {
    const visitor = new Visitor(t.app);
    const res = await visitor.submit('/anmelden', { email: user.email, password: PASSWORD });
    assert.equal(res.statusCode, 303);
    return { visitor };
  }
});

/** The names of the cookies a response sets. */
function cookieNames(res: { cookies: unknown }): string[] {
  return (res.cookies as { name: string }[]).map((c) => c.name).sort();
}
