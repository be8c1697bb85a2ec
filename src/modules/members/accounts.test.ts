import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { createUser, PASSWORD, signedIn } from '../../../test/support/factories.js';
import { countRows, mailsTo, passwordLink, startCommunity, withoutCsrf } from '../../../test/support/members.js';
import { errorSummary, pageText } from '../../../test/support/page.js';

const WRONG = 'E-Mail-Adresse oder Passwort ist falsch.';
const LINK_INVALID = 'Link ungültig';
const CSRF_TITLE = 'Formular abgelaufen';
const CSRF_TEXT = 'Das Formular war abgelaufen oder ungültig. Es wurde nichts gespeichert.';

/** The value of the session cookie a visitor holds. */
function sid(v: Visitor): string | undefined {
  return /(?:^|; )sid=([^;]+)/.exec(v.cookieHeader)?.[1];
}

let t: TestApp;
let adminVisitor: Visitor;
before(async () => {
  let admin: { email: string; password: string };
  ({ t, admin } = await startCommunity(startTestApp));
  adminVisitor = new Visitor(t.app);
  assert.equal((await adminVisitor.submit('/anmelden', { email: admin.email, password: admin.password })).statusCode, 303);
});
after(() => t.close());
const db = () => t.database.db;

/** Invites a person as the administrator; returns the link from the invitation mail. */
async function invitationLink(name: string, email: string): Promise<string> {
  const res = await adminVisitor.submit('/verwaltung/einladen', { name, email, organisation: 'andere', organisationOther: 'Testverband', jobFunction: '', role: 'member' });
  assert.equal(res.statusCode, 303);
  const mails = (await mailsTo(db(), email)).filter((m) => m.subject.startsWith('Einladung'));
  assert.equal(mails.length, 1);
  return passwordLink(mails[0].body_text);
}

async function signIn(v: Visitor, email: string, password: string, weiter?: string) {
  await v.get(weiter === undefined ? '/anmelden' : `/anmelden?weiter=${encodeURIComponent(weiter)}`);
  return v.post('/anmelden', { email, password, ...(weiter === undefined ? {} : { weiter }) });
}

/** A reset link for the address, taken from the newest mail in the outbox. */
async function resetLink(email: string): Promise<string> {
  const v = new Visitor(t.app);
  assert.equal((await v.submit('/passwort-vergessen', { email })).statusCode, 200);
  const mails = await mailsTo(db(), email.toLowerCase());
  assert.ok(mails.length > 0, `a mail to ${email}`);
  return passwordLink(mails[mails.length - 1].body_text);
}

async function canSignIn(email: string, password: string): Promise<boolean> {
  const res = await signIn(new Visitor(t.app), email, password);
  return res.statusCode === 303;
}

describe('signing in and out', () => {
  it('a wrong password and an unknown address get the same German message with 422', async () => {
    const user = await createUser(db(), { email: 'sina@sundern.example' });
    const wrong = await signIn(new Visitor(t.app), user.email, 'falsches-passwort-123');
    const unknown = await signIn(new Visitor(t.app), 'niemand@sundern.example', 'falsches-passwort-123');
    for (const res of [wrong, unknown]) {
      assert.equal(res.statusCode, 422);
      assert.ok(res.body.includes(WRONG));
    }
    assert.equal(withoutCsrf(wrong.body).replace(user.email, 'X'), withoutCsrf(unknown.body).replace('niemand@sundern.example', 'X'));
    assert.match(wrong.body, /value="sina@sundern\.example"/);
    assert.doesNotMatch(wrong.body, /falsches-passwort-123/);
  });

  it('the right password signs in, in any spelling of the address', async () => {
    const user = await createUser(db(), { email: 'tom@brilon.example' });
    const v = new Visitor(t.app);
    const res = await signIn(v, 'Tom@Brilon.EXAMPLE', user.password);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
    const profile = await v.get('/profil');
    assert.equal(profile.statusCode, 200);
    assert.match(profile.body, /tom@brilon\.example/);
  });

  it('a person whose invitation is still open (no password yet) cannot sign in', async () => {
    const v = new Visitor(t.app);
    await invitationLink('Uwe Offen', 'uwe@eslohe.example');
    assert.equal(await countRows(db(), 'users', { email: 'uwe@eslohe.example' }), 1);
    for (const password of ['', 'irgendein-passwort']) {
      const res = await signIn(v, 'uwe@eslohe.example', password);
      assert.equal(res.statusCode, 422);
      assert.ok(res.body.includes(WRONG));
    }
  });

  it('signing in gives a new session id; the previous session cookie does not carry the new identity', async () => {
    const first = await createUser(db(), { name: 'Vera Vorher' });
    const second = await createUser(db(), { name: 'Willi Danach' });
    const v = new Visitor(t.app);
    assert.equal((await signIn(v, first.email, first.password)).statusCode, 303);
    const before = sid(v);
    const oldCookie = v.cookieHeader;
    assert.ok(before, 'a session cookie after the first sign-in');
    assert.equal((await signIn(v, second.email, second.password)).statusCode, 303);
    const afterwards = sid(v);
    assert.ok(afterwards);
    assert.notEqual(afterwards, before);
    assert.match((await v.get('/profil')).body, /value="Willi Danach"/);

    const old = await t.app.inject({ method: 'GET', url: '/profil', headers: { cookie: oldCookie } });
    assert.equal(old.statusCode, 303, 'the old session is gone');
    assert.match(String(old.headers.location), /^\/anmelden/);
  });

  it('signing out destroys the session: the old cookie no longer opens the profile', async () => {
    const { visitor } = await signedIn(t.app, db(), 'member');
    const cookie = visitor.cookieHeader;
    const sessionsBefore = await countRows(db(), 'sessions');
    await visitor.get('/profil');
    const out = await visitor.post('/abmelden');
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/');
    assert.equal(await countRows(db(), 'sessions'), sessionsBefore - 1);
    const replay = await t.app.inject({ method: 'GET', url: '/profil', headers: { cookie } });
    assert.equal(replay.statusCode, 303);
    assert.equal(replay.headers.location, '/anmelden?weiter=%2Fprofil');
    const home = await visitor.get('/');
    assert.match(home.body, /href="\/anmelden"/);
    assert.doesNotMatch(home.body, /Abmelden/);
  });

  it('a deactivated person is signed out on the next request and stays signed out', async () => {
    const { visitor, user } = await signedIn(t.app, db(), 'member');
    assert.equal((await visitor.get('/profil')).statusCode, 200);
    await db().updateTable('users').set({ active: 0 }).where('id', '=', user.id).execute();
    const res = await visitor.get('/profil');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/anmelden?weiter=%2Fprofil');
    assert.equal((await visitor.get('/mitglieder')).statusCode, 303);
    // Reactivating does not revive the old session; the person signs in again.
    await db().updateTable('users').set({ active: 1 }).where('id', '=', user.id).execute();
    assert.equal((await visitor.get('/profil')).statusCode, 303);
    // While deactivated, the password no longer works.
    await db().updateTable('users').set({ active: 0 }).where('id', '=', user.id).execute();
    assert.equal(await canSignIn(user.email, user.password), false);
  });

  it('"weiter" leads back to the page asked for, but only to paths of this site', async () => {
    const user = await createUser(db());
    const anonymous = new Visitor(t.app);
    const asked = await anonymous.get('/mitglieder');
    assert.equal(asked.statusCode, 303);
    assert.equal(asked.headers.location, '/anmelden?weiter=%2Fmitglieder');
    const form = await anonymous.get(asked.headers.location as string);
    assert.match(form.body, /name="weiter" value="\/mitglieder"/);
    const res = await anonymous.post('/anmelden', { email: user.email, password: user.password, weiter: '/mitglieder' });
    assert.equal(res.headers.location, '/mitglieder');

    for (const evil of ['//evil.example', '//evil.example/anmelden', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '/\t/evil.example']) {
      const page = await new Visitor(t.app).get(`/anmelden?weiter=${encodeURIComponent(evil)}`);
      assert.match(page.body, /name="weiter" value="\/"/, `form for ${JSON.stringify(evil)}`);
      const r = await signIn(new Visitor(t.app), user.email, user.password, evil);
      assert.equal(r.statusCode, 303);
      assert.equal(r.headers.location, '/', JSON.stringify(evil));
    }
  });
});

describe('links to set a password', () => {
  it('an invitation link sets the password, signs the person in, and works only once', async () => {
    const user = { email: 'xaver@bestwig.example' };
    const link = await invitationLink('Xaver Einmal', user.email);
    const v = new Visitor(t.app);
    const form = await v.get(link);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Legen Sie ein Passwort für Ihr Konto \(xaver@bestwig\.example\) fest\./);
    const res = await v.post(link, { password: 'xavers-neues-passwort', passwordRepeat: 'xavers-neues-passwort' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/willkommen');
    const welcome = await v.get('/willkommen');
    assert.equal(welcome.statusCode, 200);
    assert.match(welcome.body, /Ihr Passwort ist gespeichert\. Sie sind angemeldet\./);

    const again = new Visitor(t.app);
    const page = await again.get(link);
    assert.equal(page.statusCode, 410);
    assert.ok(page.body.includes(LINK_INVALID));
    await again.get('/anmelden');
    const reuse = await again.post(link, { password: 'ein-anderes-passwort', passwordRepeat: 'ein-anderes-passwort' });
    assert.equal(reuse.statusCode, 410);
    assert.ok(reuse.body.includes(LINK_INVALID));
    assert.equal((await again.get('/profil')).statusCode, 303, 'reusing the link does not sign in');
    assert.equal(await canSignIn(user.email, 'ein-anderes-passwort'), false);
    assert.equal(await canSignIn(user.email, 'xavers-neues-passwort'), true);
  });

  it('an expired link answers 410 and changes nothing', async () => {
    const user = await createUser(db(), { email: 'yvonne@medebach.example' });
    const link = await resetLink(user.email);
    await db().updateTable('tokens').set({ expires_at: new Date(Date.now() - 60_000).toISOString() }).where('user_id', '=', user.id).execute();
    const v = new Visitor(t.app);
    const page = await v.get(link);
    assert.equal(page.statusCode, 410);
    assert.ok(page.body.includes(LINK_INVALID));
    await v.get('/anmelden');
    const res = await v.post(link, { password: 'yvonnes-passwort-neu', passwordRepeat: 'yvonnes-passwort-neu' });
    assert.equal(res.statusCode, 410);
    assert.equal(await canSignIn(user.email, 'yvonnes-passwort-neu'), false);
    assert.equal(await canSignIn(user.email, PASSWORD), true);
  });

  it('a malformed or unknown token answers 410', async () => {
    const v = new Visitor(t.app);
    for (const token of ['kurz', 'A'.repeat(19), 'x'.repeat(43), 'A'.repeat(100), '%3Cscript%3E', "abc'--", '..%2F..%2Fprofil']) {
      const res = await v.get(`/passwort-setzen/${token}`);
      assert.equal(res.statusCode, 410, token);
      assert.ok(res.body.includes(LINK_INVALID), token);
    }
    await v.get('/anmelden');
    const res = await v.post(`/passwort-setzen/${'x'.repeat(43)}`, { password: 'irgendein-passwort', passwordRepeat: 'irgendein-passwort' });
    assert.equal(res.statusCode, 410);
  });

  it('a too short or mismatching password is refused with a German message; the link stays usable', async () => {
    const user = await createUser(db(), { email: 'zeno@hallenberg.example' });
    const link = await resetLink(user.email);
    const v = new Visitor(t.app);
    const short = await v.submit(link, { password: 'kurz-12', passwordRepeat: 'kurz-12' });
    assert.equal(short.statusCode, 422);
    assert.ok(short.body.includes('„Passwort“ muss mindestens 10 Zeichen lang sein.'));
    assert.doesNotMatch(short.body, /kurz-12/);
    const nine = await v.post(link, { password: '123456789', passwordRepeat: '123456789' });
    assert.equal(nine.statusCode, 422);
    const mismatch = await v.post(link, { password: 'zenos-passwort-1', passwordRepeat: 'zenos-passwort-2' });
    assert.equal(mismatch.statusCode, 422);
    assert.ok(mismatch.body.includes('Die beiden Passwörter stimmen nicht überein.'));
    assert.equal(await canSignIn(user.email, 'zenos-passwort-1'), false);

    const ok = await v.post(link, { password: 'zenos-passwort-1', passwordRepeat: 'zenos-passwort-1' });
    assert.equal(ok.statusCode, 303);
    assert.equal(await canSignIn(user.email, 'zenos-passwort-1'), true);
  });

  it('a password that is easy to guess is refused with 422 and says why and what works; the link stays usable', async () => {
    const user = await createUser(db(), { email: 'emil.weak@hallenberg.example', name: 'Emil Weak' });
    const link = await resetLink(user.email);
    const v = new Visitor(t.app);
    await v.get(link);
    const refusals: [string, RegExp][] = [
      ['1234567890', /Dieses Passwort ist zu leicht zu erraten \(es steht in Listen häufiger Passwörter\)\. Ein guter Weg: mehrere Wörter zu einem Satz verbinden\./],
      ['password12', /es steht in Listen häufiger Passwörter/],
      [' '.repeat(10), /Dieses Passwort besteht nur aus Leerzeichen oder wiederholten Zeichen\./],
      ['emil.weak@hallenberg.example', /es enthält Ihren Namen, Ihre E-Mail-Adresse oder den Namen der Plattform/],
    ];
    for (const [password, message] of refusals) {
      const res = await v.post(link, { password, passwordRepeat: password });
      assert.equal(res.statusCode, 422, JSON.stringify(password));
      assert.match(errorSummary(res.body), message, JSON.stringify(password));
      assert.match(res.body, /aria-describedby="[^"]*f-password-error/);
    }
    assert.equal(await canSignIn(user.email, '1234567890'), false);
    const passphrase = 'Emil mag  grüne Äpfel & Tee';
    assert.equal((await v.post(link, { password: passphrase, passwordRepeat: passphrase })).statusCode, 303);
    assert.equal(await canSignIn(user.email, passphrase), true);
  });
});

describe('forgotten password', () => {
  it('answers an existing and an unknown address with the same page; only the existing one gets a mail', async () => {
    const user = await createUser(db(), { email: 'anke@attendorn.example' });
    const known = await new Visitor(t.app).submit('/passwort-vergessen', { email: 'Anke@Attendorn.example' });
    const unknown = await new Visitor(t.app).submit('/passwort-vergessen', { email: 'keiner@attendorn.example' });
    assert.equal(known.statusCode, 200);
    assert.equal(unknown.statusCode, known.statusCode);
    assert.equal(withoutCsrf(unknown.body), withoutCsrf(known.body));
    assert.match(known.body, /Wenn es zu dieser Adresse ein Konto gibt, ist eine E-Mail mit einem Link unterwegs/);
    const mails = await mailsTo(db(), user.email);
    assert.equal(mails.length, 1);
    assert.equal(mails[0].subject, 'Neues Passwort für die KI-Community Südwestfalen');
    assert.equal((await mailsTo(db(), 'keiner@attendorn.example')).length, 0);
  });

  it('an invalid address is refused with 422 and a German message', async () => {
    const res = await new Visitor(t.app).submit('/passwort-vergessen', { email: 'anke@' });
    assert.equal(res.statusCode, 422);
    assert.ok(res.body.includes('Bitte geben Sie eine gültige E-Mail-Adresse an'));
    assert.match(res.body, /value="anke@"/);
  });

  it('the reset link sets a new password: the new one signs in, the old one no longer does', async () => {
    const user = await createUser(db(), { email: 'bernd@kirchhundem.example' });
    const link = await resetLink(user.email);
    const v = new Visitor(t.app);
    const page = await v.get(link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /bernd@kirchhundem\.example/);
    const res = await v.post(link, { password: 'bernds-neues-passwort', passwordRepeat: 'bernds-neues-passwort' });
    assert.equal(res.statusCode, 303);
    assert.equal((await v.get('/profil')).statusCode, 200);
    assert.equal(await canSignIn(user.email, PASSWORD), false);
    assert.equal(await canSignIn(user.email, 'bernds-neues-passwort'), true);
  });

  it("setting a new password ends the person's other sessions on every instance; the one that set it stays signed in", async () => {
    const user = await createUser(db(), { email: 'dora@finnentrop.example' });
    const second = await startAppOnDatabase(t);
    try {
      const here = new Visitor(t.app);
      const there = new Visitor(second.app);
      assert.equal((await signIn(here, user.email, user.password)).statusCode, 303);
      assert.equal((await signIn(there, user.email, user.password)).statusCode, 303);
      assert.equal((await here.get('/profil')).statusCode, 200);
      assert.equal((await there.get('/profil')).statusCode, 200);

      const link = await resetLink(user.email);
      const setter = new Visitor(t.app);
      assert.equal((await setter.submit(link, { password: 'doras-neues-passwort', passwordRepeat: 'doras-neues-passwort' })).statusCode, 303);
      assert.equal((await setter.get('/profil')).statusCode, 200, 'the session that set the password stays signed in');

      for (const [name, v] of [['same instance', here], ['other instance', there]] as const) {
        const res = await v.get('/profil');
        assert.equal(res.statusCode, 303, name);
        assert.equal(res.headers.location, '/anmelden?weiter=%2Fprofil', name);
      }
      // Signing in again with the new password works as before.
      assert.equal((await signIn(here, user.email, 'doras-neues-passwort')).statusCode, 303);
      assert.equal((await here.get('/profil')).statusCode, 200);
      assert.equal((await setter.get('/profil')).statusCode, 200);
    } finally {
      await second.close();
    }
  });

  it('asking twice makes the first link useless', async () => {
    const user = await createUser(db(), { email: 'clara@lennestadt.example' });
    const first = await resetLink(user.email);
    const second = await resetLink(user.email);
    assert.notEqual(first, second);
    assert.equal((await new Visitor(t.app).get(first)).statusCode, 410);
    assert.equal((await new Visitor(t.app).get(second)).statusCode, 200);
  });
});

describe('forms are protected against cross-site requests', () => {
  function assertRefused(res: { statusCode: number; body: string }) {
    assert.equal(res.statusCode, 403);
    assert.ok(res.body.includes(CSRF_TITLE));
    assert.ok(res.body.includes(CSRF_TEXT));
  }

  it('a join form without token is refused with 403 and stores nothing', async () => {
    const v = new Visitor(t.app);
    await v.get('/mitmachen');
    const fields = { name: 'Ohne Token', email: 'ohne-token@x.example', organisation: 'andere', organisationOther: 'X', jobFunction: 'Y', consent: '1' };
    assertRefused(await v.post('/mitmachen', fields, null));
    assertRefused(await new Visitor(t.app).post('/mitmachen', fields, null));
    assert.equal(await countRows(db(), 'join_requests', { email: 'ohne-token@x.example' }), 0);
  });

  it('a tampered token or one from another visitor is refused and the profile stays as it was', async () => {
    const { visitor, user } = await signedIn(t.app, db(), 'member', { name: 'Dieter Unverändert' });
    const other = new Visitor(t.app);
    await other.get('/mitmachen');
    await visitor.get('/profil');
    const own = visitor.csrf!;
    const tampered = own.slice(0, -2) + (own.endsWith('AA') ? 'BB' : 'AA');
    const change = { name: 'Mallory Hacker', jobFunction: 'Angriff', expertise: 'Phishing' };
    assertRefused(await visitor.post('/profil', change, null));
    assertRefused(await visitor.post('/profil', change, tampered));
    assertRefused(await visitor.post('/profil', change, other.csrf!));
    assertRefused(await visitor.post('/profil', change, 'x'));
    const row = await db().selectFrom('users').select(['name', 'job_function', 'expertise']).where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { name: 'Dieter Unverändert', job_function: 'Digitalisierung', expertise: '[]' });
    // The page's own token still works.
    assert.equal((await visitor.post('/profil', change, own)).statusCode, 303);
  });

  it('a sign-in form without a valid token does not sign in', async () => {
    const user = await createUser(db());
    const v = new Visitor(t.app);
    await v.get('/anmelden');
    assertRefused(await v.post('/anmelden', { email: user.email, password: user.password }, null));
    assertRefused(await v.post('/anmelden', { email: user.email, password: user.password }, 'gefälscht'));
    assert.equal((await v.get('/profil')).statusCode, 303);
  });
});

describe('sign-in attempts are limited', () => {
  // Two instances on one database, as behind a load balancer: 3 failed attempts per account, 6 per client address
  // and window. The second sits behind one reverse proxy (TRUST_PROXY=1).
  const limits = { RATE_LIMIT_SIGN_IN: '3', RATE_LIMIT_SIGN_IN_ADDRESS: '6', RATE_LIMIT_RESET: '2' };
  let first: TestApp;
  let second: TestApp;
  before(async () => {
    ({ t: first } = await startCommunity(() => startTestApp(limits)));
    second = await startAppOnDatabase(first, { ...limits, TRUST_PROXY: '1' });
  });
  after(async () => {
    await second.close();
    await first.close();
  });
  const fdb = () => first.database.db;
  let address = 0;
  /** A visitor from an address of its own, on the first instance. */
  const fromNewAddress = () => new Visitor(first.app, { remoteAddress: `192.0.2.${++address}` });

  async function attempt(v: Visitor, email: string, password: string) {
    await v.get('/anmelden');
    return v.post('/anmelden', { email, password });
  }

  function assertLimited(res: { statusCode: number; body: string; headers: Record<string, unknown> }) {
    assert.equal(res.statusCode, 429);
    const text = pageText(res.body);
    assert.match(text, /Zu viele fehlgeschlagene Anmeldeversuche\. Bitte versuchen Sie es in 1[45] Minuten wieder\./);
    const seconds = Number(res.headers['retry-after']);
    assert.ok(seconds > 14 * 60 && seconds <= 15 * 60, `Retry-After ${res.headers['retry-after']}`);
  }

  it('three failed attempts lock the account for the window: the fourth gets 429 and says when to try again, even with the right password from elsewhere', async () => {
    const user = await createUser(fdb());
    const v = fromNewAddress();
    for (let i = 1; i <= 3; i++) assert.equal((await attempt(v, user.email, `falsch-${i}-passwort`)).statusCode, 422, `attempt ${i}`);
    assertLimited(await attempt(v, user.email, user.password));
    assertLimited(await attempt(fromNewAddress(), user.email.toUpperCase(), user.password));
    assert.equal((await v.get('/profil')).statusCode, 303, 'not signed in');
  });

  it('successful sign-ins are not counted', async () => {
    const user = await createUser(fdb());
    const v = fromNewAddress();
    for (let i = 1; i <= 8; i++) assert.equal((await attempt(v, user.email, user.password)).statusCode, 303, `sign-in ${i}`);
    assert.equal((await attempt(v, user.email, 'falsch-passwort-1')).statusCode, 422);
  });

  it('a locked account does not lock out colleagues behind the same address', async () => {
    const locked = await createUser(fdb());
    const colleague = await createUser(fdb());
    const townHall = fromNewAddress();
    for (let i = 1; i <= 4; i++) await attempt(townHall, locked.email, `falsch-${i}-passwort`);
    assertLimited(await attempt(townHall, locked.email, locked.password));
    assert.equal((await attempt(townHall, colleague.email, colleague.password)).statusCode, 303);
  });

  it('failed attempts on many accounts from one address are limited for that address only', async () => {
    const people = [];
    for (let i = 0; i < 7; i++) people.push(await createUser(fdb()));
    const spraying = fromNewAddress();
    for (const person of people.slice(0, 6)) assert.equal((await attempt(spraying, person.email, 'Sommer2024!')).statusCode, 422);
    assertLimited(await attempt(spraying, people[6].email, people[6].password));
    assert.equal((await attempt(fromNewAddress(), people[6].email, people[6].password)).statusCode, 303, 'another address is not affected');
  });

  it('behind one proxy, a forged X-Forwarded-For does not escape the limit per address', async () => {
    const people = [];
    for (let i = 0; i < 7; i++) people.push(await createUser(fdb()));
    // The proxy appends the address it sees; whatever the client put before it is the client's own claim.
    const viaProxy = (forged: string) => new Visitor(second.app, { remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': `${forged}, 198.51.100.23` } });
    for (const [i, person] of people.slice(0, 6).entries()) {
      assert.equal((await attempt(viaProxy(`10.9.8.${i}`), person.email, 'Sommer2024!')).statusCode, 422);
    }
    assertLimited(await attempt(viaProxy('10.9.8.99'), people[6].email, people[6].password));
    const other = new Visitor(second.app, { remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.24' } });
    assert.equal((await attempt(other, people[6].email, people[6].password)).statusCode, 303);
  });

  it('failed attempts on two instances count together', async () => {
    const user = await createUser(fdb());
    const a = new Visitor(first.app, { remoteAddress: '192.0.2.200' });
    const b = new Visitor(second.app, { remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.200' } });
    assert.equal((await attempt(a, user.email, 'falsch-eins-xx')).statusCode, 422);
    assert.equal((await attempt(a, user.email, 'falsch-zwei-xx')).statusCode, 422);
    assert.equal((await attempt(b, user.email, 'falsch-drei-xx')).statusCode, 422);
    assertLimited(await attempt(b, user.email, user.password));
    assertLimited(await attempt(a, user.email, user.password));
  });

  it('simultaneous wrong passwords cannot slip past the limit', async () => {
    const user = await createUser(fdb());
    const v = fromNewAddress();
    await v.get('/anmelden');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => v.post('/anmelden', { email: user.email, password: `parallel-${i}-falsch` })));
    // The account and the address are counted separately, so which requests pass depends on the interleaving;
    // never more than the three the account allows, every other one limited.
    const codes = results.map((r) => r.statusCode);
    const passed = codes.filter((c) => c === 422).length;
    assert.ok(passed >= 1 && passed <= 3, codes.join(' '));
    assert.equal(codes.filter((c) => c === 429).length, 8 - passed, codes.join(' '));
    // Only the passwords checked count (an attempt refused by the address's limit takes its hits back): the account
    // allows exactly the rest of its three, then refuses.
    for (let i = passed; i < 3; i++) assert.equal((await v.post('/anmelden', { email: user.email, password: `danach-${i}-falsch` })).statusCode, 422, codes.join(' '));
    assertLimited(await v.post('/anmelden', { email: user.email, password: 'danach-falsch' }));
  });

  it('the password-reset form keeps its limit per address and says when to try again', async () => {
    const v = fromNewAddress();
    for (let i = 1; i <= 2; i++) assert.equal((await v.submit('/passwort-vergessen', { email: `niemand${i}@olpe.example` })).statusCode, 200);
    const third = await v.post('/passwort-vergessen', { email: 'niemand3@olpe.example' });
    assert.equal(third.statusCode, 429);
    assert.match(pageText(third.body), /Zu viele Versuche in kurzer Zeit\. Bitte versuchen Sie es in 1[45] Minuten wieder\./);
    assert.ok(Number(third.headers['retry-after']) > 14 * 60);
  });
});
