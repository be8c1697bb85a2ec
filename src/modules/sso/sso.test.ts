import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { createUser, organisationId } from '../../../test/support/factories.js';
import { countRows, startCommunity } from '../../../test/support/members.js';
import { createOidcProvider, type IdTokenDefect, type TestOidcProvider, type TestPerson } from '../../../test/support/oidc-provider.js';
import { forgetDiscoveredProviders } from './oidc.js';

const PLATFORM = 'http://localhost:3000';
/** Olpe by its name, the Hochsauerlandkreis's whole tenant by a claim, Kreis Olpe by its official key. */
const ORGANISATIONS = '@olpe.de Olpe; @kreis-olpe.de 05966000; tid=tenant-hsk hochsauerlandkreis';

let people = 0;
/** A person of the provider whose verified address is at the given domain. */
const person = (domain: string, more: Partial<TestPerson> = {}): TestPerson => {
  people++;
  return { sub: `subject-${people}-${Date.now()}`, email: `person${people}@${domain}`, email_verified: true, name: `Person ${people}`, ...more };
};

describe('single sign-on with OpenID Connect', () => {
  let idp: TestOidcProvider;
  let t: TestApp;
  let admin: { id: number; email: string; password: string };
  before(async () => {
    idp = await createOidcProvider({ name: 'Testdienst' });
    ({ t, admin } = await startCommunity(() => startTestApp(idp.env({ OIDC_ORGANISATIONS: ORGANISATIONS }))));
    await idp.start(PLATFORM);
  });
  after(async () => {
    await idp.stop();
    await t.close();
  });
  const db = () => t.database.db;

  /** Leaves for the provider from the sign-in button, signs in there as the person, and returns to the platform. */
  async function throughProvider(visitor: Visitor, who: TestPerson, spoil?: (back: URL) => URL) {
    const start = await visitor.get('/anmelden/sso/test?weiter=/profil');
    assert.equal(start.statusCode, 303, start.body);
    const authorization = new URL(String(start.headers.location));
    assert.equal(authorization.origin, idp.issuer);
    assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
    idp.signInAs(who);
    let back = await idp.authorize(authorization.href);
    assert.equal(back.origin + back.pathname, `${PLATFORM}/anmelden/sso/test/rueckkehr`);
    if (spoil) back = spoil(back);
    return { back, res: await visitor.get(back.pathname + back.search) };
  }

  async function signedInAs(visitor: Visitor): Promise<string | null> {
    const profile = await visitor.get('/profil');
    return profile.statusCode === 200 ? /<input[^>]*name="name"[^>]*value="([^"]*)"/.exec(profile.body)?.[1] ?? '' : null;
  }

  const counts = async () => ({ users: await countRows(db(), 'users'), links: await countRows(db(), 'sso_links'), requests: await countRows(db(), 'join_requests') });

  it('the sign-in page offers "Anmelden mit Testdienst" as a plain link next to the password form', async () => {
    const page = await new Visitor(t.app).get('/anmelden?weiter=/mitglieder');
    assert.match(page.body, /<a class="button" href="\/anmelden\/sso\/test\?weiter=%2Fmitglieder">Anmelden mit Testdienst<\/a>/);
    assert.match(page.body, /name="password"/);
  });

  it('an ordinary sign-in lets the provider use its own session; erneut=1 asks it to authenticate the person again', async () => {
    const visitor = new Visitor(t.app);
    const ordinary = new URL(String((await visitor.get('/anmelden/sso/test?weiter=/profil')).headers.location));
    assert.equal(ordinary.searchParams.get('prompt'), null);
    assert.equal(ordinary.searchParams.get('max_age'), null);
    const again = new URL(String((await visitor.get('/anmelden/sso/test?weiter=/profil/konto-loeschen&erneut=1')).headers.location));
    assert.equal(again.origin, idp.issuer);
    assert.equal(again.searchParams.get('prompt'), 'login');
    assert.equal(again.searchParams.get('max_age'), '0');
  });

  it('a first sign-in with a verified address of a listed domain creates a member account of that organisation', async () => {
    const visitor = new Visitor(t.app);
    await visitor.get('/anmelden');
    const before = visitor.cookieHeader;
    const anna = person('olpe.de', { name: 'Anna Schmidt' });
    const { res } = await throughProvider(visitor, anna);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/profil');
    assert.notEqual(visitor.cookieHeader, before, 'a new session');
    assert.ok(visitor.hasCookie('lang'), 'the language cookie is set as at a password sign-in');
    const user = await db().selectFrom('users').selectAll().where('email', '=', anna.email!).executeTakeFirstOrThrow();
    assert.equal(user.organisation_id, await organisationId(db(), 'Olpe'));
    assert.equal(user.role, 'member');
    assert.equal(user.password_hash, null);
    const profile = await visitor.get('/profil');
    assert.match(profile.body, /Willkommen! Ihr Konto ist angelegt/);
    assert.match(profile.body, new RegExp(`Verbunden mit Testdienst \\(${anna.email}\\)`));

    // The next sign-in finds the account by the provider's subject.
    const again = new Visitor(t.app);
    const before2 = await counts();
    assert.equal((await throughProvider(again, anna)).res.statusCode, 303);
    assert.equal(await signedInAs(again), 'Anna Schmidt');
    assert.deepEqual(await counts(), before2);
  });

  it('a claim (the tenant) and an official key admit to the organisation they name', async () => {
    const visitor = new Visitor(t.app);
    const hsk = person('hsk-verwaltung.de', { tid: 'tenant-hsk' });
    assert.equal((await throughProvider(visitor, hsk)).res.statusCode, 303);
    const user = await db().selectFrom('users').select('organisation_id').where('email', '=', hsk.email!).executeTakeFirstOrThrow();
    assert.equal(user.organisation_id, await organisationId(db(), 'Hochsauerlandkreis'));

    const kreis = person('kreis-olpe.de');
    assert.equal((await throughProvider(new Visitor(t.app), kreis)).res.statusCode, 303);
    const second = await db().selectFrom('users').select('organisation_id').where('email', '=', kreis.email!).executeTakeFirstOrThrow();
    assert.equal(second.organisation_id, await organisationId(db(), 'Kreis Olpe'));
  });

  it('an existing account is linked through a verified address only', async () => {
    const existing = await createUser(db(), { name: 'Bernd Bestand', email: `bernd-${Date.now()}@arnsberg.example` });
    const sub = `bernd-${Date.now()}`;
    const unverified = new Visitor(t.app);
    const before = await counts();
    const refused = await throughProvider(unverified, { sub, email: existing.email, email_verified: false, name: 'Jemand' });
    assert.equal(refused.res.statusCode, 403);
    assert.match(refused.res.body, /Testdienst hat keine bestätigte E-Mail-Adresse übermittelt/);
    assert.equal(await signedInAs(unverified), null);
    assert.deepEqual(await counts(), before);

    const verified = new Visitor(t.app);
    assert.equal((await throughProvider(verified, { sub, email: existing.email, email_verified: true, name: 'Jemand' })).res.statusCode, 303);
    assert.equal(await signedInAs(verified), 'Bernd Bestand');
    assert.equal(await countRows(db(), 'sso_links', { user_id: existing.id }), 1);
    assert.equal(await countRows(db(), 'users'), before.users);
  });

  it('an unknown domain gets no account: the join form comes filled in and the request lands in the queue', async () => {
    const visitor = new Visitor(t.app);
    const carla = person('neue-gemeinde.de', { name: 'Carla Neu' });
    const before = await counts();
    const { res } = await throughProvider(visitor, carla);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/mitmachen');
    assert.equal(await countRows(db(), 'users'), before.users);
    assert.equal(await signedInAs(visitor), null);
    const form = await visitor.get('/mitmachen');
    assert.match(form.body, /Sie haben sich über Testdienst angemeldet, aber Ihre Organisation ist noch nicht für die Anmeldung freigeschaltet/);
    assert.match(form.body, new RegExp(`name="email"[^>]*value="${carla.email}"`));
    const sent = await visitor.post('/mitmachen', {
      name: 'Carla Neu', email: carla.email!, organisation: 'andere', organisationOther: 'Gemeinde Neudorf', jobFunction: 'IT', message: '', consent: '1',
    });
    assert.equal(sent.statusCode, 303);
    const request = await db().selectFrom('join_requests').selectAll().where('email', '=', carla.email!).executeTakeFirstOrThrow();
    assert.equal(request.status, 'pending');
    assert.equal(await countRows(db(), 'users'), before.users);
  });

  it('a deactivated account does not get in through a provider', async () => {
    const dora = person('olpe.de', { name: 'Dora Deaktiviert' });
    assert.equal((await throughProvider(new Visitor(t.app), dora)).res.statusCode, 303);
    await db().updateTable('users').set({ active: 0 }).where('email', '=', dora.email!).execute();
    const visitor = new Visitor(t.app);
    const { res } = await throughProvider(visitor, dora);
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /Ihr Konto ist deaktiviert/);
    assert.equal(await signedInAs(visitor), null);
  });

  const defects: [IdTokenDefect, string][] = [
    ['expired', 'an expired ID token'],
    ['wrongAudience', 'an ID token for another application'],
    ['wrongNonce', 'an ID token with the nonce of another sign-in'],
    ['tamperedSignature', 'an ID token altered after signing'],
  ];
  for (const [defect, what] of defects) {
    it(`${what} is refused with a German message, and nothing changes`, async () => {
      const visitor = new Visitor(t.app);
      const before = await counts();
      idp.spoilNextIdToken(defect);
      const { res } = await throughProvider(visitor, person('olpe.de'));
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Die Antwort von Testdienst konnte nicht bestätigt werden/);
      assert.match(res.body, /Aus Sicherheitsgründen wurde nichts geändert/);
      assert.deepEqual(await counts(), before);
      assert.equal(await signedInAs(visitor), null);
    });
  }

  it('a tampered state, or a return used a second time, is refused and changes nothing', async () => {
    const visitor = new Visitor(t.app);
    const before = await counts();
    const { res } = await throughProvider(visitor, person('olpe.de'), (back) => {
      const changed = new URL(back);
      changed.searchParams.set('state', `${back.searchParams.get('state')}x`);
      return changed;
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /gehört nicht zu einer Anmeldung, die in diesem Browser begonnen wurde/);
    assert.deepEqual(await counts(), before);
    assert.equal(await signedInAs(visitor), null);

    // The genuine return address, once the sign-in was used up: again in the same browser, and in another one.
    const first = new Visitor(t.app);
    const { back } = await throughProvider(first, person('olpe.de'));
    const usersNow = await countRows(db(), 'users');
    assert.equal((await first.get(back.pathname + back.search)).statusCode, 400);
    assert.equal(await countRows(db(), 'users'), usersNow);
    const stranger = new Visitor(t.app);
    const replay = await stranger.get(back.pathname + back.search);
    assert.equal(replay.statusCode, 400);
    assert.equal(await signedInAs(stranger), null);
  });

  it('a sign-in cancelled at the provider says so and changes nothing', async () => {
    const visitor = new Visitor(t.app);
    const before = await counts();
    const { res } = await throughProvider(visitor, person('olpe.de'), (back) => {
      const refused = new URL(back.origin + back.pathname);
      refused.searchParams.set('error', 'access_denied');
      refused.searchParams.set('state', back.searchParams.get('state')!);
      return refused;
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Die Anmeldung bei Testdienst wurde abgebrochen oder abgelehnt. Es wurde nichts geändert./);
    assert.deepEqual(await counts(), before);
  });

  it('a sign-in started on one instance is completed on another (state, nonce and verifier live in the shared session)', async () => {
    const second = await startAppOnDatabase(t, idp.env({ OIDC_ORGANISATIONS: ORGANISATIONS }));
    try {
      const visitor = new Visitor(t.app);
      const start = await visitor.get('/anmelden/sso/test');
      // Kept in the session store in the database, not in the memory of the instance that started the sign-in.
      const state = new URL(String(start.headers.location)).searchParams.get('state')!;
      const stored = await db().selectFrom('sessions').select('data').execute();
      assert.ok(stored.some((row) => JSON.parse(row.data).ssoPending?.state === state), 'the state is in a stored session');
      const fred = person('olpe.de', { name: 'Fred Zweitinstanz' });
      idp.signInAs(fred);
      const back = await idp.authorize(String(start.headers.location));
      const res = await second.app.inject({ method: 'GET', url: back.pathname + back.search, headers: { cookie: visitor.cookieHeader } });
      assert.equal(res.statusCode, 303);
      const sid = (res.cookies as { name: string; value: string }[]).find((c) => c.name === 'sid')!.value;
      const profile = await t.app.inject({ method: 'GET', url: '/profil', headers: { cookie: `sid=${sid}` } });
      assert.equal(profile.statusCode, 200);
      assert.match(profile.body, /value="Fred Zweitinstanz"/);
    } finally {
      await second.close();
    }
  });

  it('a provider that is down gets a clear German message, and the password sign-in still works', async () => {
    await idp.stop();
    forgetDiscoveredProviders();
    try {
      const visitor = new Visitor(t.app);
      const res = await visitor.get('/anmelden/sso/test');
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /Der Anmeldedienst Testdienst ist gerade nicht erreichbar/);
      assert.match(res.body, /Die Anmeldung mit E-Mail-Adresse und Passwort ist weiterhin möglich/);
      const member = await createUser(db(), { name: 'Paula Passwort' });
      const signIn = await visitor.submit('/anmelden', { email: member.email, password: member.password });
      assert.equal(signIn.statusCode, 303);
      assert.equal(await signedInAs(visitor), 'Paula Passwort');
    } finally {
      await idp.start(PLATFORM);
    }
  });

  it('a provider that goes down while the person is there: the return is refused with the same message', async () => {
    const visitor = new Visitor(t.app);
    const start = await visitor.get('/anmelden/sso/test');
    idp.signInAs(person('olpe.de'));
    const back = await idp.authorize(String(start.headers.location));
    await idp.stop();
    try {
      const before = await counts();
      const res = await visitor.get(back.pathname + back.search);
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /gerade nicht erreichbar/);
      assert.deepEqual(await counts(), before);
    } finally {
      await idp.start(PLATFORM);
    }
  });

  it('signing out ends the platform session and offers to sign out at the provider too', async () => {
    const visitor = new Visitor(t.app);
    await throughProvider(visitor, person('olpe.de'));
    await visitor.get('/profil');
    const res = await visitor.post('/abmelden');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Sie sind von der Plattform abgemeldet/);
    const link = /<a class="button" href="([^"]+)">Auch bei Testdienst abmelden<\/a>/.exec(res.body);
    assert.ok(link, 'a link to the provider\'s sign-out');
    const endSession = new URL(link[1].replace(/&amp;/g, '&'));
    assert.equal(endSession.origin, idp.issuer);
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${PLATFORM}/`);
    assert.ok(endSession.searchParams.get('id_token_hint'));
    assert.equal(await signedInAs(visitor), null);
  });

  it('an administrator sees the link in the account list and removes it with a button', async () => {
    const eva = person('olpe.de', { name: 'Eva Verbunden' });
    await throughProvider(new Visitor(t.app), eva);
    const user = await db().selectFrom('users').select('id').where('email', '=', eva.email!).executeTakeFirstOrThrow();
    const adminVisitor = new Visitor(t.app);
    await adminVisitor.submit('/anmelden', { email: admin.email, password: admin.password });
    const accounts = await adminVisitor.get('/verwaltung/konten');
    assert.match(accounts.body, new RegExp(`action="/verwaltung/konten/${user.id}/sso/test/entfernen"`));
    const removed = await adminVisitor.post(`/verwaltung/konten/${user.id}/sso/test/entfernen`);
    assert.equal(removed.statusCode, 303);
    assert.equal(await countRows(db(), 'sso_links', { user_id: user.id }), 0);
    assert.match((await adminVisitor.get('/verwaltung/konten')).body, /Die Verbindung von Eva Verbunden mit Testdienst ist gelöst/);
    // A member cannot remove links.
    const member = new Visitor(t.app);
    await throughProvider(member, eva);
    assert.equal((await member.post(`/verwaltung/konten/${user.id}/sso/test/entfernen`)).statusCode, 403);
  });
});

describe('single sign-on settings', () => {
  it('with PASSWORD_SIGN_IN=off the sign-in page has no password form and the password sign-in is refused', async () => {
    const idp = await createOidcProvider();
    const { t } = await startCommunity(() => startTestApp(idp.env({ PASSWORD_SIGN_IN: 'off' })));
    try {
      const member = await createUser(t.database.db);
      const visitor = new Visitor(t.app);
      const page = await visitor.get('/anmelden');
      assert.match(page.body, /Anmelden mit Testdienst/);
      assert.doesNotMatch(page.body, /name="password"/);
      await visitor.get('/mitmachen');
      const res = await visitor.post('/anmelden', { email: member.email, password: member.password });
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /Die Anmeldung mit E-Mail-Adresse und Passwort ist auf dieser Plattform abgeschaltet/);
      assert.equal((await visitor.get('/profil')).statusCode, 303);
    } finally {
      await t.close();
    }
  });

  it('starting sign-ins is limited per client address', async () => {
    const idp = await createOidcProvider();
    const { t } = await startCommunity(() => startTestApp(idp.env({ RATE_LIMIT_SIGN_IN_ADDRESS: '2' })));
    try {
      const visitor = new Visitor(t.app);
      // The provider is not even running: each start answers 503, and still counts.
      for (let i = 0; i < 2; i++) assert.equal((await visitor.get('/anmelden/sso/test')).statusCode, 503);
      const third = await visitor.get('/anmelden/sso/test');
      assert.equal(third.statusCode, 429);
      assert.match(third.body, /Zu viele Versuche in kurzer Zeit/);
    } finally {
      await t.close();
    }
  });

  it('refuses to start when the sign-on table names an organisation that does not exist', async () => {
    const idp = await createOidcProvider();
    await assert.rejects(startTestApp(idp.env({ OIDC_ORGANISATIONS: '@atlantis.de Atlantis' })), /OIDC_ORGANISATIONS.*Atlantis/);
  });
});
