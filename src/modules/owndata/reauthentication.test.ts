import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { createUser } from '../../../test/support/factories.js';
import { countRows, startCommunity } from '../../../test/support/members.js';
import { createOidcProvider, type TestOidcProvider, type TestPerson } from '../../../test/support/oidc-provider.js';
import { sessionsOf } from '../../platform/http/session-store.js';
import { FRESH_SIGN_IN_MS } from './service.js';

const PLATFORM = 'http://localhost:3000';
const SIGN_IN_AGAIN = '/anmelden/sso/test?weiter=/profil/konto-loeschen';

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
  async function throughProvider(visitor: Visitor, who: TestPerson, startUrl: string) {
    const start = await visitor.get(startUrl);
    assert.equal(start.statusCode, 303, start.body);
    idp.signInAs(who);
    const back = await idp.authorize(String(start.headers.location));
    return visitor.get(back.pathname + back.search);
  }

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
    assert.ok(page.body.includes(`<a class="button" href="${SIGN_IN_AGAIN}">Erneut anmelden mit Testdienst</a>`), 'a link to sign in again through her provider');
    assert.doesNotMatch(page.body, /name="confirm"/, 'no form that could not succeed');

    const refused = await visitor.post('/profil/konto-loeschen', { confirm: '1' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Bitte melden Sie sich zur Bestätigung erneut an. Ihr Konto ist nicht gelöscht./);
    assert.ok(refused.body.includes(`href="${SIGN_IN_AGAIN}"`));
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
