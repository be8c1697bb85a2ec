import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { createUser } from '../../../test/support/factories.js';
import { countRows, startCommunity } from '../../../test/support/members.js';
import { createOidcProvider, type IdTokenDefect, type ProviderBrowser, type TestOidcProvider, type TestPerson } from '../../../test/support/oidc-provider.js';
import { sessionsOf } from '../../platform/http/session-store.js';
import { FRESH_SIGN_IN_MS } from './service.js';

const PLATFORM = 'http://localhost:3000';
const SIGN_IN_AGAIN = '/anmelden/sso/test?weiter=/profil/konto-loeschen&erneut=1';
const SIGN_IN_AGAIN_HTML = SIGN_IN_AGAIN.replace('&', '&amp;');

describe('deleting an account that has no password', () => {
  let idp: TestOidcProvider;
  let t: TestApp;
  const db = () => t.database.db;
  before(async () => {
    idp = await createOidcProvider({ name: 'Testdienst' });
    ({ t } = await startCommunity(() => startTestApp(idp.env({ OIDC_ORGANISATIONS: '@olpe.de Olpe' }))));
    await idp.start(PLATFORM);
  });
  after(async () => {
    await idp.stop();
    await t.close();
  });

  /** Follows a sign-in link of the platform through the provider, signed in there as the person; returns the platform's answer. */
  async function throughProvider(visitor: Visitor, who: TestPerson | null, startUrl: string, browser?: ProviderBrowser, authenticatedAt?: number) {
    const start = await visitor.get(startUrl);
    assert.equal(start.statusCode, 303, start.body);
    if (who) idp.signInAs(who, { authenticatedAt });
    const back = await idp.authorize(String(start.headers.location), browser);
    return visitor.get(back.pathname + back.search);
  }

  const withoutPassword = (name: string): TestPerson & { email: string } => {
    const key = `${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    return { sub: key, email: `${key}@olpe.de`, email_verified: true, name: `${name} Ohnepasswort` };
  };
  const asksToSignInAgain = async (visitor: Visitor) => {
    const page = await visitor.get('/profil/konto-loeschen');
    assert.equal(page.statusCode, 200);
    return /Bitte melden Sie sich zur Bestätigung erneut an/.test(page.body) && !/name="confirm"/.test(page.body);
  };

  /** Time passes: the person's stored sessions say they signed in this long ago. */
  async function signedInAgo(userId: number, ms: number) {
    for (const session of await sessionsOf(db(), userId)) {
      const data = JSON.stringify({ ...session.data, signedInAt: Date.now() - ms });
      await db().updateTable('sessions').set({ data }).where('sid', '=', session.sid).execute();
    }
  }

  it('with a stale sign-in nothing is deleted and the page asks to sign in again; right after a fresh sign-in through the provider the deletion works', async () => {
    const ina = { sub: `ina-${Date.now()}`, email: `ina-${Date.now()}@olpe.de`, email_verified: true, name: 'Ina Ohnepasswort' };
    const visitor = new Visitor(t.app);
    assert.equal((await throughProvider(visitor, ina, '/anmelden/sso/test?weiter=/profil')).statusCode, 303);
    const user = await db().selectFrom('users').select(['id', 'password_hash']).where('email', '=', ina.email).executeTakeFirstOrThrow();
    assert.equal(user.password_hash, null, 'the provider created an account without a password');

    await signedInAgo(user.id, FRESH_SIGN_IN_MS + 60_000);
    const page = await visitor.get('/profil/konto-loeschen');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Bitte melden Sie sich zur Bestätigung erneut an/);
    assert.ok(page.body.includes(`<a class="button" href="${SIGN_IN_AGAIN_HTML}">Erneut anmelden mit Testdienst</a>`), 'a link to sign in again through her provider');
    assert.doesNotMatch(page.body, /name="confirm"/, 'no form that could not succeed');

    const refused = await visitor.post('/profil/konto-loeschen', { confirm: '1' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Bitte melden Sie sich zur Bestätigung erneut an. Ihr Konto ist nicht gelöscht./);
    assert.ok(refused.body.includes(`href="${SIGN_IN_AGAIN_HTML}"`));
    assert.equal(await countRows(db(), 'users', { email: ina.email, active: 1 }), 1, 'her account is untouched');
    assert.equal(await countRows(db(), 'sso_links', { user_id: user.id }), 1);
    assert.equal((await visitor.get('/profil')).statusCode, 200, 'still signed in');

    const back = await throughProvider(visitor, ina, SIGN_IN_AGAIN);
    assert.equal(back.statusCode, 303);
    assert.equal(back.headers.location, '/profil/konto-loeschen', 'she lands back on the deletion page');
    const fresh = await visitor.get('/profil/konto-loeschen');
    assert.doesNotMatch(fresh.body, /erneut an/);
    assert.match(fresh.body, /name="confirm" type="checkbox"/);
    assert.doesNotMatch(fresh.body, /name="password"/, 'there is no password to ask for');
    const deleted = await visitor.post('/profil/konto-loeschen', { confirm: '1' });
    assert.equal(deleted.statusCode, 200);
    assert.match(deleted.body, /Ihr Konto ist gelöscht/);
    assert.equal(await countRows(db(), 'users', { email: ina.email }), 0);
    assert.equal(await countRows(db(), 'sso_links', { user_id: user.id }), 0);
  });

  it('the deletion follows the provider\'s time of authentication: a silent return from an old provider session does not unlock it, the link makes the provider ask for the login again', async () => {
    const olga = withoutPassword('Olga');
    const visitor = new Visitor(t.app);
    const atProvider: ProviderBrowser = new Map();
    // She logged in at the provider eleven minutes ago and comes to the platform now.
    const loggedInAtProvider = Date.now() - FRESH_SIGN_IN_MS - 60_000;
    assert.equal((await throughProvider(visitor, olga, '/anmelden/sso/test?weiter=/profil', atProvider, loggedInAtProvider)).statusCode, 303);
    assert.equal((await visitor.get('/profil')).statusCode, 200, 'signed in');
    assert.ok(await asksToSignInAgain(visitor), 'the sign-in counts from her login at the provider, not from her return');

    // An ordinary sign-in: the provider still knows her and sends her straight back, which proves nothing.
    assert.equal((await throughProvider(visitor, null, '/anmelden/sso/test?weiter=/profil', atProvider)).statusCode, 303);
    assert.ok(await asksToSignInAgain(visitor), 'still locked after a silent return');

    // The link on the page asks the provider to authenticate her again: it shows its login page.
    const start = await visitor.get(SIGN_IN_AGAIN);
    const authorization = new URL(String(start.headers.location));
    assert.equal(authorization.searchParams.get('prompt'), 'login');
    assert.equal(authorization.searchParams.get('max_age'), '0');
    const shown = await idp.visit(authorization.href, atProvider);
    assert.ok('shown' in shown, 'the provider does not send her back without a login');
    assert.equal(shown.status, 200);
    assert.match(shown.shown.pathname, /^\/interaction\//);
    assert.match(shown.body, /name="password"/, 'its login form');

    // She logs in there again and comes back to the deletion, which now works.
    const back = await throughProvider(visitor, olga, SIGN_IN_AGAIN, atProvider);
    assert.equal(back.headers.location, '/profil/konto-loeschen');
    assert.equal(await asksToSignInAgain(visitor), false);
    assert.equal((await visitor.post('/profil/konto-loeschen', { confirm: '1' })).statusCode, 200);
    assert.equal(await countRows(db(), 'users', { email: olga.email }), 0);
  });

  for (const [defect, what] of [['staleAuthTime', 'an old time of authentication'], ['withoutAuthTime', 'no time of authentication']] as [IdTokenDefect, string][]) {
    it(`a provider that answers the request for a new login with ${what}: the person is signed in, told that the provider did not confirm a new sign-in, and nothing is deleted`, async () => {
      const uwe = withoutPassword('Uwe');
      const visitor = new Visitor(t.app);
      assert.equal((await throughProvider(visitor, uwe, '/anmelden/sso/test?weiter=/profil')).statusCode, 303);
      await signedInAgo((await db().selectFrom('users').select('id').where('email', '=', uwe.email).executeTakeFirstOrThrow()).id, FRESH_SIGN_IN_MS + 60_000);

      idp.spoilNextIdToken(defect);
      const back = await throughProvider(visitor, uwe, SIGN_IN_AGAIN);
      assert.equal(back.statusCode, 303);
      assert.equal(back.headers.location, '/profil/konto-loeschen');
      const page = await visitor.get('/profil/konto-loeschen');
      assert.match(page.body, /Testdienst hat keine neue Anmeldung bestätigt/);
      assert.match(page.body, /Bitte melden Sie sich zur Bestätigung erneut an/);
      assert.doesNotMatch(page.body, /name="confirm"/);
      assert.equal((await visitor.post('/profil/konto-loeschen', { confirm: '1' })).statusCode, 422);
      assert.equal(await countRows(db(), 'users', { email: uwe.email, active: 1 }), 1, 'his account is untouched');
      assert.equal((await visitor.get('/profil')).statusCode, 200, 'signed in all the same');
    });
  }

  it('an account with a password still deletes with its password, however long ago the sign-in was', async () => {
    const paul = await createUser(db(), { name: 'Paul Passwort' });
    const visitor = new Visitor(t.app);
    assert.equal((await visitor.submit('/anmelden', { email: paul.email, password: paul.password })).statusCode, 303);
    await signedInAgo(paul.id, 24 * 60 * 60 * 1000);
    const page = await visitor.get('/profil/konto-loeschen');
    assert.doesNotMatch(page.body, /erneut an/);
    assert.match(page.body, /name="password" type="password"/);
    const res = await visitor.post('/profil/konto-loeschen', { password: paul.password, confirm: '1' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Ihr Konto ist gelöscht/);
  });
});
