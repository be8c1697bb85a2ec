import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { createUser, organisationId, signedIn } from '../../../test/support/factories.js';
import { joinFields, mailsTo, pendingRequestId, startCommunity } from '../../../test/support/members.js';
import { pageText } from '../../../test/support/page.js';

const db = (t: TestApp) => t.database.db;

const storedLanguage = async (t: TestApp, userId: number) =>
  (await db(t).selectFrom('users').select('language').where('id', '=', userId).executeTakeFirstOrThrow()).language;

const speaks = (t: TestApp, userId: number, language: 'de' | 'en') =>
  db(t).updateTable('users').set({ language }).where('id', '=', userId).execute();

/** Asks for a password link as a visitor with a German interface; returns the newest mail to the address. */
async function resetMail(t: TestApp, email: string) {
  const res = await new Visitor(t.app).submit('/passwort-vergessen', { email });
  assert.equal(res.statusCode, 200);
  const mails = await mailsTo(db(t), email);
  return mails[mails.length - 1];
}

function assertEnglishReset(t: TestApp, mail: { subject: string; body_text: string } | undefined) {
  assert.ok(mail, 'a reset mail was sent');
  assert.equal(mail.subject, `New password for ${t.config.communityName}`);
  assert.match(mail.body_text, /^Hello /);
  // The expiry is written the British way: 31/12/2026, 18:00 CET.
  assert.match(mail.body_text, /valid until \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2} CES?T\)/);
  assert.match(mail.body_text, /If this was not you, you can ignore this e-mail\./);
}

function assertGermanReset(t: TestApp, mail: { subject: string; body_text: string } | undefined) {
  assert.ok(mail, 'a reset mail was sent');
  assert.equal(mail.subject, `Neues Passwort für die ${t.config.communityName}`);
  assert.match(mail.body_text, /^Guten Tag /);
  assert.match(mail.body_text, /Wenn Sie das nicht waren, können Sie diese E-Mail ignorieren\./);
  assert.match(mail.body_text, /\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} MES?Z/);
}

describe('the language of a member\'s mails', () => {
  let t: TestApp;
  let admin: { id: number; email: string; password: string };
  before(async () => {
    ({ t, admin } = await startCommunity(startTestApp));
  });
  after(() => t.close());

  it('writes a password reset in the member\'s language, whatever language the form was sent in', async () => {
    const english = await createUser(db(t));
    await speaks(t, english.id, 'en');
    const german = await createUser(db(t));
    assertEnglishReset(t, await resetMail(t, english.email));
    assertGermanReset(t, await resetMail(t, german.email));
  });

  it('stores the language a signed-in member switches to, and the next mail follows it', async () => {
    const { visitor, user } = await signedIn(t.app, db(t));
    assert.equal(await storedLanguage(t, user.id), 'de');
    const res = await visitor.get('/sprache/en?zurueck=/profil');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/profil');
    assert.equal(await storedLanguage(t, user.id), 'en');
    assertEnglishReset(t, await resetMail(t, user.email));

    // A language the platform does not have changes nothing that is stored.
    await visitor.get('/sprache/fr');
    assert.equal(await storedLanguage(t, user.id), 'en');

    await visitor.get('/sprache/de');
    assert.equal(await storedLanguage(t, user.id), 'de');
    assertGermanReset(t, await resetMail(t, user.email));
  });

  it('shows the pages in the member\'s stored language after signing in', async () => {
    const user = await createUser(db(t));
    await speaks(t, user.id, 'en');
    const visitor = new Visitor(t.app);
    assert.match((await visitor.get('/anmelden')).body, /<html lang="de">/);
    assert.equal((await visitor.post('/anmelden', { email: user.email, password: user.password })).statusCode, 303);
    assert.match((await visitor.get('/profil')).body, /<html lang="en">/);
  });

  it('saves the language for e-mails chosen on the profile', async () => {
    const { visitor, user } = await signedIn(t.app, db(t));
    const page = await visitor.get('/profil');
    assert.match(pageText(page.body), /Sprache für E-Mails/);
    assert.match(page.body, /<option value="de" selected>Deutsch<\/option>/);
    const res = await visitor.post('/profil', { name: 'Erika Englisch', jobFunction: '', expertise: '', notifyEmail: '1', language: 'en' });
    assert.equal(res.statusCode, 303);
    assert.equal(await storedLanguage(t, user.id), 'en');
    assert.match((await visitor.get('/profil')).body, /<option value="en" selected>Englisch<\/option>/);
    assertEnglishReset(t, await resetMail(t, user.email));
  });

  it('refuses a language it does not offer, with a message in the member\'s language, keeping what was typed', async () => {
    const { visitor, user } = await signedIn(t.app, db(t));
    await visitor.get('/profil');
    const german = await visitor.post('/profil', { name: 'Franz Französisch', jobFunction: 'Bürgerdienste', expertise: 'Chatbots', language: 'fr' });
    assert.equal(german.statusCode, 422);
    assert.match(pageText(german.body), /Bitte wählen Sie bei „Sprache für E-Mails“ einen Eintrag aus der Liste\./);
    assert.match(german.body, /value="Franz Französisch"/);
    assert.match(german.body, /value="Bürgerdienste"/);

    await visitor.get('/sprache/en?zurueck=/profil');
    await visitor.get('/profil');
    const english = await visitor.post('/profil', { name: 'Frank French', jobFunction: 'Citizen services', expertise: '', language: 'fr' });
    assert.equal(english.statusCode, 422);
    assert.match(pageText(english.body), /Please choose an entry from the list for “Language for e-mails”\./);
    assert.match(english.body, /value="Frank French"/);

    const row = await db(t).selectFrom('users').select(['name', 'language']).where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.notEqual(row.name, 'Frank French');
    assert.equal(row.language, 'en', 'the switch was stored, the refused form was not');
  });

  it('invites a person who joined in English in English, and their account keeps the language', async () => {
    const joiner = new Visitor(t.app);
    await joiner.get('/sprache/en');
    const fields = await joinFields(db(t), { name: 'Jane Example' });
    assert.equal((await joiner.submit('/mitmachen', fields)).statusCode, 303);
    const requestId = await pendingRequestId(db(t), fields.email);
    const request = await db(t).selectFrom('join_requests').select('language').where('id', '=', requestId).executeTakeFirstOrThrow();
    assert.equal(request.language, 'en');
    // The administrator reads German.
    const notice = (await mailsTo(db(t), admin.email)).find((m) => m.subject.includes('Jane Example'));
    assert.equal(notice?.subject, 'Neue Beitrittsanfrage: Jane Example');

    const adminVisitor = new Visitor(t.app);
    await adminVisitor.submit('/anmelden', { email: admin.email, password: admin.password });
    await adminVisitor.get('/verwaltung/anfragen');
    assert.equal((await adminVisitor.post(`/verwaltung/anfragen/${requestId}/annehmen`)).statusCode, 303);
    const [invitation] = await mailsTo(db(t), fields.email);
    assert.equal(invitation.subject, `Invitation to ${t.config.communityName}`);
    assert.match(invitation.body_text, /^Hello Jane Example,/);
    const account = await db(t).selectFrom('users').select('language').where('email', '=', fields.email.toLowerCase()).executeTakeFirstOrThrow();
    assert.equal(account.language, 'en');
  });

  it('invites in the language the inviting administrator uses', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'admin');
    await visitor.get('/sprache/en');
    const email = `invited-${Date.now()}@olpe.example`;
    const res = await visitor.submit('/verwaltung/einladen', {
      name: 'Ian Invited', email, organisation: String(await organisationId(db(t), 'Olpe')), organisationOther: '', jobFunction: '', role: 'member',
    });
    assert.equal(res.statusCode, 303);
    const [invitation] = await mailsTo(db(t), email);
    assert.ok(invitation.subject.startsWith(`Invitation to ${t.config.communityName} from `), invitation.subject);
    assert.equal((await db(t).selectFrom('users').select('language').where('email', '=', email).executeTakeFirstOrThrow()).language, 'en');
  });
});
