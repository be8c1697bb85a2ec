import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as OTPAuth from 'otpauth';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { createUser } from '../../../test/support/factories.js';
import { countRows, mailsTo, passwordLink, startCommunity } from '../../../test/support/members.js';
import { errorSummary, flash, pageText } from '../../../test/support/page.js';
import { verifySecondFactorWithLimits } from './two-factor-service.js';

const WRONG = 'Der Code stimmt nicht.';
const EXPIRED = 'Der Code ist abgelaufen.';
const REUSED = 'Dieser Code wurde schon benutzt.';

let t: TestApp;
let admin: { id: number; email: string; password: string };
before(async () => {
  ({ t, admin } = await startCommunity(startTestApp));
});
after(() => t.close());
const db = () => t.database.db;

/** The code the authenticator app shows for the secret, now or at another moment. */
function codeFor(secret: string, timestamp = Date.now()): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp });
}

/** The secret as the setup page shows it for typing in by hand. */
function secretOnPage(html: string): string {
  const m = /<code class="secret"[^>]*>([^<]+)<\/code>/.exec(html);
  assert.ok(m, 'the setup page shows the secret');
  return m[1].replace(/\s/g, '');
}

async function signedInVisitor(user: { email: string; password: string }): Promise<Visitor> {
  const v = new Visitor(t.app);
  const res = await v.submit('/anmelden', { email: user.email, password: user.password });
  assert.equal(res.statusCode, 303);
  return v;
}

/** Sets up two-factor sign-in as the person would on /profil; returns the secret and the recovery codes shown. */
async function setUpTwoFactor(v: Visitor): Promise<{ secret: string; codes: string[] }> {
  const page = await v.get('/profil/zwei-faktor');
  assert.equal(page.statusCode, 200);
  const secret = secretOnPage(page.body);
  const res = await v.post('/profil/zwei-faktor', { code: codeFor(secret) });
  assert.equal(res.statusCode, 200);
  const codes = [...res.body.matchAll(/<li><code>([a-z2-7-]+)<\/code><\/li>/g)].map((m) => m[1]);
  return { secret, codes };
}

/** The password step of signing in; the answer says where it leads. */
async function passwordStep(user: { email: string; password: string }): Promise<{ v: Visitor; location: string }> {
  const v = new Visitor(t.app);
  const res = await v.submit('/anmelden', { email: user.email, password: user.password });
  assert.equal(res.statusCode, 303);
  return { v, location: String(res.headers.location) };
}

async function isSignedIn(v: Visitor): Promise<boolean> {
  return (await v.get('/profil')).statusCode === 200;
}

describe('setting up two-factor sign-in', () => {
  it('shows a QR code and the secret, and turns on only with a code from the app; recovery codes are shown once and stored hashed', async () => {
    const user = await createUser(db());
    const v = await signedInVisitor(user);
    const page = await v.get('/profil/zwei-faktor');
    assert.match(page.body, /<svg[^>]*>[\s\S]*<path/, 'a QR code as SVG');
    assert.match(page.body, /role="img" aria-label="QR-Code zum Einrichten der Authenticator-App"/);
    const secret = secretOnPage(page.body);
    assert.match(secret, /^[A-Z2-7]{32}$/);

    const wrong = await v.post('/profil/zwei-faktor', { code: codeFor(secret, Date.now() - 24 * 3600 * 1000) });
    assert.equal(wrong.statusCode, 422);
    assert.ok(errorSummary(wrong.body).includes(WRONG), errorSummary(wrong.body));
    assert.equal(secretOnPage(wrong.body), secret, 'the same secret, so the app need not scan again');
    assert.doesNotMatch(wrong.body, /name="code" type="text" value="\d/, 'the refused code is not filled in again');
    assert.equal((await passwordStep(user)).location, '/', 'still signing in with the password alone');

    const res = await v.post('/profil/zwei-faktor', { code: codeFor(secret) });
    assert.equal(res.statusCode, 200);
    const codes = [...res.body.matchAll(/<li><code>([a-z2-7-]+)<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    const stored = await db().selectFrom('recovery_codes').select('code_hash').where('user_id', '=', user.id).execute();
    assert.equal(stored.length, 10);
    for (const code of codes) assert.ok(!stored.some((s) => s.code_hash.includes(code.replace(/-/g, ''))), 'no code stored in plain text');

    const again = await v.get('/profil/zwei-faktor');
    assert.ok(!codes.some((code) => again.body.includes(code)), 'the codes are not shown a second time');
    assert.ok(pageText(again.body).includes('noch 10 unbenutzte Wiederherstellungscodes'));
    assert.ok(!again.body.includes(secret), 'nor the secret');
    assert.ok(pageText((await v.get('/profil')).body).includes('Die Zwei-Faktor-Anmeldung ist eingeschaltet'));
  });

  it('the secret appears nowhere but on the setup page: not in the audit log, the mails or the sessions', async () => {
    const user = await createUser(db());
    const v = await signedInVisitor(user);
    const { secret } = await setUpTwoFactor(v);
    const { v: w } = await passwordStep(user);
    await w.post('/anmelden/code', { code: codeFor(secret, Date.now() + 30_000) });
    const audit = await db().selectFrom('audit_log').select(['action', 'details']).execute();
    assert.ok(audit.some((a) => a.action === 'user.two_factor_enabled'));
    for (const [table, column] of [['audit_log', 'details'], ['outbox', 'body_text'], ['sessions', 'data']] as const) {
      const rows = await (db() as any).selectFrom(table).select(column).execute();
      assert.ok(!rows.some((r: Record<string, string>) => r[column].includes(secret)), `${table} holds no secret`);
    }
  });
});

describe('signing in with a second factor', () => {
  let user: { id: number; email: string; password: string };
  let secret: string;
  let recovery: string[];
  before(async () => {
    user = await createUser(db());
    ({ secret, codes: recovery } = await setUpTwoFactor(await signedInVisitor(user)));
  });

  it('asks for the code after the password, and signs in only after it; the same code a second time is refused', async () => {
    // A step ahead of the one used at setup, which is spent.
    const code = codeFor(secret, Date.now() + 30_000);
    const { v, location } = await passwordStep(user);
    assert.equal(location, '/anmelden/code');
    assert.equal(await isSignedIn(v), false, 'the password alone does not sign in');
    const step = await v.get('/anmelden/code');
    assert.equal(step.statusCode, 200);
    assert.match(step.body, /autocomplete="one-time-code"/);
    const res = await v.post('/anmelden/code', { code });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
    assert.equal(await isSignedIn(v), true);

    const second = await passwordStep(user);
    const reused = await second.v.post('/anmelden/code', { code });
    assert.equal(reused.statusCode, 422);
    assert.ok(errorSummary(reused.body).includes(REUSED), errorSummary(reused.body));
    assert.equal(await isSignedIn(second.v), false);
  });

  it('a code from outside the time window is refused as expired', async () => {
    const { v } = await passwordStep(user);
    const res = await v.post('/anmelden/code', { code: codeFor(secret, Date.now() - 5 * 60 * 1000) });
    assert.equal(res.statusCode, 422);
    assert.ok(errorSummary(res.body).includes(EXPIRED), errorSummary(res.body));
    assert.equal(await isSignedIn(v), false);
  });

  it('a wrong code is refused in English for an English visitor', async () => {
    const { v } = await passwordStep(user);
    await v.get('/sprache/en');
    const res = await v.post('/anmelden/code', { code: 'abc' });
    assert.equal(res.statusCode, 422);
    assert.ok(errorSummary(res.body).includes('The code is not correct.'), errorSummary(res.body));
  });

  it('a recovery code signs in once, in any spelling, and then no more', async () => {
    const first = await passwordStep(user);
    const res = await first.v.post('/anmelden/code', { code: recovery[0].toUpperCase().replace(/-/g, ' ') });
    assert.equal(res.statusCode, 303);
    assert.ok(flash((await first.v.get('/')).body).includes('Es bleiben noch 9 Codes'));
    const second = await passwordStep(user);
    const again = await second.v.post('/anmelden/code', { code: recovery[0] });
    assert.equal(again.statusCode, 422);
    assert.ok(errorSummary(again.body).includes(WRONG));
    assert.equal(await isSignedIn(second.v), false);
  });

  it('a new password through a reset link still asks for the code before signing in', async () => {
    const v = new Visitor(t.app);
    assert.equal((await v.submit('/passwort-vergessen', { email: user.email })).statusCode, 200);
    const mails = await mailsTo(db(), user.email);
    const link = passwordLink(mails[mails.length - 1].body_text);
    const password = 'Herbstnebel über der Lenne 42';
    const res = await v.submit(link, { password, passwordRepeat: password });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/anmelden/code');
    assert.equal(await isSignedIn(v), false);
    user.password = password;
  });

  it('the code page without a password step before it leads to the sign-in page', async () => {
    const v = new Visitor(t.app);
    const res = await v.get('/anmelden/code');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/anmelden');
  });

  it('failed codes are limited per account, so six digits cannot be tried through', async () => {
    const limits = { perAccount: 3, perAddress: 0, windowMs: 60_000 };
    for (let i = 0; i < 3; i++) {
      const outcome = await verifySecondFactorWithLimits(db(), user.id, { code: '000000' }, '10.0.0.1', limits);
      assert.equal(outcome.ok, false);
    }
    const limited = await verifySecondFactorWithLimits(db(), user.id, { code: codeFor(secret, Date.now() + 60_000) }, '10.0.0.1', limits);
    assert.deepEqual(limited.ok === false && limited.reason, 'limited', 'even the right code waits for the window');
    await db().deleteFrom('rate_limits').execute();
  });
});

describe('new recovery codes', () => {
  it('replace the old ones, with the current password and a code', async () => {
    const user = await createUser(db());
    const v = await signedInVisitor(user);
    const { secret, codes: old } = await setUpTwoFactor(v);
    await v.get('/profil/zwei-faktor');
    const refused = await v.post('/profil/zwei-faktor/neue-codes', { currentPassword: 'falsches-passwort-123', code: codeFor(secret, Date.now() + 30_000) });
    assert.equal(refused.statusCode, 422);
    assert.ok(errorSummary(refused.body).includes('Das aktuelle Passwort stimmt nicht.'));
    const res = await v.post('/profil/zwei-faktor/neue-codes', { currentPassword: user.password, code: codeFor(secret, Date.now() + 30_000) });
    assert.equal(res.statusCode, 200);
    const fresh = [...res.body.matchAll(/<li><code>([a-z2-7-]+)<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(fresh.length, 10);
    const withOld = await passwordStep(user);
    assert.equal((await withOld.v.post('/anmelden/code', { code: old[1] })).statusCode, 422, 'an old code no longer works');
    const withNew = await passwordStep(user);
    assert.equal((await withNew.v.post('/anmelden/code', { code: fresh[0] })).statusCode, 303);
  });
});

describe('turning two-factor sign-in off', () => {
  it('needs the current password and a code; with a wrong one nothing changes', async () => {
    const user = await createUser(db());
    const v = await signedInVisitor(user);
    const { secret } = await setUpTwoFactor(v);
    await v.get('/profil/zwei-faktor');
    const wrongPassword = await v.post('/profil/zwei-faktor/ausschalten', { currentPassword: 'falsches-passwort-123', code: codeFor(secret, Date.now() + 30_000) });
    assert.equal(wrongPassword.statusCode, 422);
    assert.ok(errorSummary(wrongPassword.body).includes('Das aktuelle Passwort stimmt nicht.'));
    assert.doesNotMatch(wrongPassword.body, /falsches-passwort-123/);
    const wrongCode = await v.post('/profil/zwei-faktor/ausschalten', { currentPassword: user.password, code: '123' });
    assert.equal(wrongCode.statusCode, 422);
    assert.ok(errorSummary(wrongCode.body).includes(WRONG));
    assert.equal((await passwordStep(user)).location, '/anmelden/code', 'still on');

    const res = await v.post('/profil/zwei-faktor/ausschalten', { currentPassword: user.password, code: codeFor(secret, Date.now() + 30_000) });
    assert.equal(res.statusCode, 303);
    assert.equal(flash((await v.get('/profil')).body), 'Die Zwei-Faktor-Anmeldung ist ausgeschaltet.');
    assert.equal((await passwordStep(user)).location, '/');
    assert.equal(await countRows(db(), 'recovery_codes', { user_id: user.id }), 0);
  });
});

describe('two-factor sign-in required for administrators and moderators', () => {
  it('a moderator without it is led to the setup before anything else; members are not affected; it cannot be turned off while required', async () => {
    const adminVisitor = await signedInVisitor(admin);
    const setting = await adminVisitor.submit('/verwaltung/sicherheit', { required: '1' });
    assert.equal(setting.statusCode, 303);
    try {
      const moderator = await createUser(db(), { role: 'moderator' });
      const v = await signedInVisitor(moderator);
      for (const url of ['/', '/treffen', '/profil']) {
        const res = await v.get(url);
        assert.equal(res.statusCode, 303, url);
        assert.equal(res.headers.location, '/profil/zwei-faktor', url);
      }
      const setupPage = await v.get('/profil/zwei-faktor');
      assert.ok(pageText(setupPage.body).includes('Die Verwaltung verlangt'));
      const post = await v.post('/profil', { name: 'Umgangen', jobFunction: '', expertise: '', language: 'de' });
      assert.equal(post.statusCode, 303);
      assert.notEqual((await db().selectFrom('users').select('name').where('id', '=', moderator.id).executeTakeFirstOrThrow()).name, 'Umgangen', 'nothing changed');

      const member = await signedInVisitor(await createUser(db()));
      assert.equal((await member.get('/')).statusCode, 200);

      const { secret } = await setUpTwoFactor(v);
      assert.equal((await v.get('/treffen')).statusCode, 200);
      const off = await v.get('/profil/zwei-faktor');
      assert.ok(pageText(off.body).includes('Sie können sie deshalb nicht ausschalten'));
      const refused = await v.post('/profil/zwei-faktor/ausschalten', { currentPassword: moderator.password, code: codeFor(secret, Date.now() + 30_000) });
      assert.equal(refused.statusCode, 422);
      assert.equal((await passwordStep(moderator)).location, '/anmelden/code');
    } finally {
      await db().updateTable('settings').set({ value: '0' }).where('key', '=', 'two_factor_required').execute();
    }
  });
});
