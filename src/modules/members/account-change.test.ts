import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { createUser } from '../../../test/support/factories.js';
import { mailsTo, startCommunity } from '../../../test/support/members.js';
import { errorSummary, flash } from '../../../test/support/page.js';

const NEW_PASSWORD = 'Sommerregen über dem Sauerland 7';

let t: TestApp;
before(async () => {
  ({ t } = await startCommunity(startTestApp));
});
after(() => t.close());
const db = () => t.database.db;

async function signedInVisitor(user: { email: string; password: string }): Promise<Visitor> {
  const v = new Visitor(t.app);
  const res = await v.submit('/anmelden', { email: user.email, password: user.password });
  assert.equal(res.statusCode, 303);
  return v;
}

async function canSignIn(email: string, password: string): Promise<boolean> {
  const res = await new Visitor(t.app).submit('/anmelden', { email, password });
  return res.statusCode === 303;
}

async function isSignedIn(v: Visitor): Promise<boolean> {
  return (await v.get('/profil')).statusCode === 200;
}

/** The path of the confirmation link in a mail: /e-mail-bestaetigen/<token>. */
function confirmationLink(bodyText: string): string {
  const m = /http:\/\/localhost:3000(\/e-mail-bestaetigen\/[A-Za-z0-9_-]+)/.exec(bodyText);
  assert.ok(m, `a confirmation link in:\n${bodyText}`);
  return m[1];
}

describe('changing the password on the profile page', () => {
  it('a wrong current password changes nothing, with a clear message and no password left in the form', async () => {
    const user = await createUser(db());
    const v = await signedInVisitor(user);
    await v.get('/profil');
    const res = await v.post('/profil/passwort', { currentPassword: 'falsches-passwort-123', password: NEW_PASSWORD, passwordRepeat: NEW_PASSWORD });
    assert.equal(res.statusCode, 422);
    assert.ok(errorSummary(res.body).includes('Das aktuelle Passwort stimmt nicht.'), errorSummary(res.body));
    assert.match(res.body, /href="#pw-f-currentPassword"/, 'the message leads to its field');
    assert.doesNotMatch(res.body, /falsches-passwort-123|Sommerregen/);
    assert.equal(await canSignIn(user.email, user.password), true);
    assert.equal(await canSignIn(user.email, NEW_PASSWORD), false);
  });

  it('the new password must follow the password rule', async () => {
    const user = await createUser(db());
    const v = await signedInVisitor(user);
    await v.get('/profil');
    const res = await v.post('/profil/passwort', { currentPassword: user.password, password: 'passwort1234', passwordRepeat: 'passwort1234' });
    assert.equal(res.statusCode, 422);
    assert.ok(errorSummary(res.body).includes('zu leicht zu erraten'), errorSummary(res.body));
    assert.equal(await canSignIn(user.email, user.password), true);
  });

  it('a changed password ends the other sessions, keeps this one signed in, and tells the person by mail', async () => {
    const user = await createUser(db());
    const here = await signedInVisitor(user);
    const elsewhere = await signedInVisitor(user);
    await here.get('/profil');
    const res = await here.post('/profil/passwort', { currentPassword: user.password, password: NEW_PASSWORD, passwordRepeat: NEW_PASSWORD });
    assert.equal(res.statusCode, 303);
    const profile = await here.get('/profil');
    assert.equal(profile.statusCode, 200, 'this session stays signed in');
    assert.equal(flash(profile.body), 'Ihr Passwort ist geändert. Auf allen anderen Geräten sind Sie abgemeldet.');
    assert.equal(await isSignedIn(elsewhere), false, 'the other session has ended');
    assert.equal(await canSignIn(user.email, NEW_PASSWORD), true);
    assert.equal(await canSignIn(user.email, user.password), false);
    const mails = await mailsTo(db(), user.email);
    assert.ok(mails.some((m) => m.subject.includes('Passwort') && m.subject.includes('geändert')));
  });
});

describe('changing the e-mail address', () => {
  it('the address changes only when the link mailed to the new address is opened; the old address gets a notice', async () => {
    const user = await createUser(db());
    const v = await signedInVisitor(user);
    const newEmail = `neu-${user.id}@hochsauerland.example`;
    await v.get('/profil');
    const res = await v.post('/profil/e-mail', { email: newEmail.toUpperCase(), currentPassword: user.password });
    assert.equal(res.statusCode, 303);
    assert.ok(flash((await v.get('/profil')).body).includes(`Wir haben einen Link an ${newEmail} geschickt`));
    assert.equal(await canSignIn(user.email, user.password), true, 'the old address still signs in');
    assert.equal(await canSignIn(newEmail, user.password), false, 'the new one not yet');

    const mails = await mailsTo(db(), newEmail);
    assert.equal(mails.length, 1);
    const link = confirmationLink(mails[0].body_text);
    const stranger = new Visitor(t.app);
    const page = await stranger.get(link);
    assert.equal(page.statusCode, 200, 'opening the link shows a button, without signing in');
    assert.equal(await canSignIn(user.email, user.password), true, 'opening the page alone changes nothing');
    const confirmed = await stranger.post(link);
    assert.equal(confirmed.statusCode, 200);
    assert.ok(confirmed.body.includes(`Ihre E-Mail-Adresse ist jetzt ${newEmail}.`));
    assert.equal(await canSignIn(newEmail, user.password), true);
    assert.equal(await canSignIn(user.email, user.password), false);

    const notice = await mailsTo(db(), user.email);
    assert.ok(notice.some((m) => m.subject.includes('E-Mail-Adresse') && m.body_text.includes(newEmail)), 'the old address is told');
    assert.equal((await stranger.get(link)).statusCode, 410, 'the link works once');
  });

  it('an address another account has is refused: clear message, the typed address kept, nothing sent', async () => {
    const user = await createUser(db());
    const other = await createUser(db());
    const v = await signedInVisitor(user);
    await v.get('/profil');
    const res = await v.post('/profil/e-mail', { email: other.email, currentPassword: user.password });
    assert.equal(res.statusCode, 422);
    assert.ok(errorSummary(res.body).includes('Diese E-Mail-Adresse gehört schon zu einem anderen Konto.'), errorSummary(res.body));
    assert.ok(res.body.includes(`value="${other.email}"`), 'the typed address is kept');
    assert.equal((await mailsTo(db(), other.email)).length, 0);
  });

  it('a wrong current password refuses the change and sends nothing', async () => {
    const user = await createUser(db());
    const v = await signedInVisitor(user);
    const newEmail = `anders-${user.id}@hochsauerland.example`;
    await v.get('/profil');
    const res = await v.post('/profil/e-mail', { email: newEmail, currentPassword: 'falsches-passwort-123' });
    assert.equal(res.statusCode, 422);
    assert.ok(errorSummary(res.body).includes('Das aktuelle Passwort stimmt nicht.'));
    assert.ok(res.body.includes(`value="${newEmail}"`));
    assert.equal((await mailsTo(db(), newEmail)).length, 0);
  });

  it('a link whose address another account took meanwhile changes nothing and says so', async () => {
    const user = await createUser(db());
    const v = await signedInVisitor(user);
    const newEmail = `spaeter-${user.id}@hochsauerland.example`;
    await v.get('/profil');
    assert.equal((await v.post('/profil/e-mail', { email: newEmail, currentPassword: user.password })).statusCode, 303);
    await createUser(db(), { email: newEmail });
    const link = confirmationLink((await mailsTo(db(), newEmail))[0].body_text);
    await v.get(link);
    const res = await v.post(link);
    assert.equal(res.statusCode, 409);
    assert.ok(res.body.includes('gehört inzwischen zu einem anderen Konto'));
    assert.equal(await canSignIn(user.email, user.password), true);
  });
});
