import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, organisationId, signedIn } from '../../../test/support/factories.js';
import { makeSolution, viewerOf } from '../../../test/support/catalogue.js';
import type { Visitor } from '../../../test/support/client.js';
import { setRequiredForStaff } from '../../modules/members/two-factor-service.js';
import { endSessionsOf } from './session-store.js';
import { CATALOGUE_VERSION_COLUMN, catalogueVersion, touchCatalogue } from '../../modules/catalogue/version.js';
import { DATA_VERSION_COLUMN, dataVersion } from '../data-version.js';

/** A page as the signed-in person sees it: with their sign-out form in the header. */
const signedInPage = (body: string) => /action="\/abmelden"/.test(body);

describe('cached pages for signed-in members (one statement for session, person and unread count)', () => {
  let t: TestApp;
  let draft: { slug: string };

  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    const owner = await signedIn(t.app, t.database.db, 'member', { organisation: 'Arnsberg' });
    draft = await makeSolution(t.database.db, await viewerOf(t.database.db, owner.user.id), { title: 'Geheimer Quokka-Entwurf', summary: 'Nur für Arnsberg.', visibility: 'draft' });
  });
  after(async () => {
    await t.close();
  });

  /** A member of Arnsberg whose list page is in the page cache (asked twice: rendered, then answered from it). */
  async function memberWithCachedList(): Promise<{ visitor: Visitor; user: { id: number } }> {
    const member = await signedIn(t.app, t.database.db, 'member', { organisation: 'Arnsberg' });
    for (let i = 0; i < 2; i++) {
      const res = await member.visitor.get('/loesungen');
      assert.equal(res.statusCode, 200);
      assert.ok(signedInPage(res.body));
      assert.match(res.body, /Geheimer Quokka-Entwurf/, 'the organisation sees its draft');
    }
    return member;
  }

  it('shows the cached page with the person\'s own header, unread count and form token', async () => {
    const member = await memberWithCachedList();
    const hits = t.app.pageCache.hits;
    await t.database.db.insertInto('notifications').values({
      user_id: member.user.id, kind: 'catalogue', message_key: 'notifications.messages.solutionChanged', params: '{}', url: '/loesungen',
      dedupe_key: 'signed-in-pages-test', created_at: new Date().toISOString(),
    }).execute();
    const res = await member.visitor.get('/loesungen');
    assert.equal(t.app.pageCache.hits, hits + 1, 'answered from the page cache');
    assert.match(res.body, /<span class="count-badge">1</, 'a notification made a moment ago is counted');
    const tokens = new Set([...res.body.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]));
    assert.equal(tokens.size, 1);
    assert.doesNotMatch(res.body, /csrf-[0-9a-f-]{36}|<!--account-/, 'no stand-in is left');
    // The token is the person's own: signing out with it works.
    assert.equal((await member.visitor.post('/abmelden')).statusCode, 303);
  });

  it('no longer answers as the person once the account is deactivated', async () => {
    const member = await memberWithCachedList();
    await t.database.db.updateTable('users').set({ active: 0 }).where('id', '=', member.user.id).execute();
    const res = await member.visitor.get('/loesungen');
    assert.equal(res.statusCode, 200);
    assert.ok(!signedInPage(res.body), 'the page of a visitor who is not signed in');
    assert.doesNotMatch(res.body, /Geheimer Quokka-Entwurf/);
  });

  it('no longer answers as the person once their sessions were ended elsewhere', async () => {
    const member = await memberWithCachedList();
    await endSessionsOf(t.database.db, member.user.id);
    const res = await member.visitor.get('/loesungen');
    assert.ok(!signedInPage(res.body));
    assert.doesNotMatch(res.body, /Geheimer Quokka-Entwurf/);
  });

  it('no longer answers with an expired, signed-out or forged session', async () => {
    const expired = await memberWithCachedList();
    await sql`update sessions set expires_at = ${new Date(Date.now() - 1000).toISOString()}`.execute(t.database.db);
    assert.ok(!signedInPage((await expired.visitor.get('/loesungen')).body), 'expired');

    const signedOut = await memberWithCachedList();
    const cookie = signedOut.visitor.cookieHeader;
    assert.equal((await signedOut.visitor.post('/abmelden')).statusCode, 303);
    const replayed = await t.app.inject({ method: 'GET', url: '/loesungen', headers: { cookie } });
    assert.ok(!signedInPage(replayed.body), 'the cookie of a session signed out of');
    assert.doesNotMatch(replayed.body, /Geheimer Quokka-Entwurf/);

    const forger = await memberWithCachedList();
    const forged = forger.visitor.cookieHeader.replace(/sid=([^.;]+)\.[^;]+/, 'sid=$1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    assert.notEqual(forged, forger.visitor.cookieHeader);
    const res = await t.app.inject({ method: 'GET', url: '/loesungen', headers: { cookie: forged } });
    assert.ok(!signedInPage(res.body), 'a session id with a wrong signature');
  });

  it('follows a change of organisation and of role at once', async () => {
    const member = await memberWithCachedList();
    await t.database.db.updateTable('users').set({ organisation_id: await organisationId(t.database.db, 'Brilon') }).where('id', '=', member.user.id).execute();
    const moved = await member.visitor.get('/loesungen');
    assert.ok(signedInPage(moved.body));
    assert.doesNotMatch(moved.body, /Geheimer Quokka-Entwurf/, 'another organisation\'s draft is not shown');
    assert.notEqual((await member.visitor.get(`/loesungen/${draft.slug}`)).statusCode, 200);

    // An administrator who must set up the second factor does that first, whatever page is cached.
    const promoted = await memberWithCachedList();
    await setRequiredForStaff(t.database.db, promoted.user.id, { required: '1' });
    await t.database.db.updateTable('users').set({ role: 'admin' }).where('id', '=', promoted.user.id).execute();
    const res = await promoted.visitor.get('/loesungen');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/profil/zwei-faktor');
    await setRequiredForStaff(t.database.db, promoted.user.id, { required: '0' });
  });

  it('shows what another instance changed about the person at once, though their session was answered from memory before', async () => {
    const member = await memberWithCachedList();
    const other = await startAppOnDatabase(t);
    try {
      const db = other.database.db;
      await db.insertInto('notifications').values({
        user_id: member.user.id, kind: 'catalogue', message_key: 'notifications.messages.solutionChanged', params: '{}', url: '/loesungen',
        dedupe_key: 'signed-in-pages-other-instance', created_at: new Date().toISOString(),
      }).execute();
      await db.updateTable('users').set({ organisation_id: await organisationId(db, 'Brilon') }).where('id', '=', member.user.id).execute();
    } finally {
      await other.close();
    }
    const hits = t.app.pageCache.hits;
    const res = await member.visitor.get('/loesungen');
    assert.ok(signedInPage(res.body));
    assert.match(res.body, /<span class="count-badge">1</, 'the notification made by the other instance is counted');
    assert.doesNotMatch(res.body, /Geheimer Quokka-Entwurf/, 'the draft of the organisation the person has left is not shown');
    assert.equal((await member.visitor.get('/loesungen')).statusCode, 200);
    assert.ok(t.app.pageCache.hits > hits, 'still answered from the page cache');
  });

  it('reads the page\'s version in the same statement, so a change made elsewhere shows at once', async () => {
    const db = t.database.db;
    const column = async (expression: typeof CATALOGUE_VERSION_COLUMN) => (await sql<{ v: string }>`select ${expression} as v`.execute(db)).rows[0].v;
    assert.equal(await column(CATALOGUE_VERSION_COLUMN), await catalogueVersion(db, true));
    assert.equal(await column(DATA_VERSION_COLUMN), await dataVersion(db, true));

    const other = await signedIn(t.app, db, 'member', { organisation: 'Brilon' });
    for (let i = 0; i < 2; i++) assert.doesNotMatch((await other.visitor.get('/loesungen')).body, /Geheimer Quokka-Entwurf/, 'another organisation\'s draft');
    const hits = t.app.pageCache.hits;
    assert.equal((await other.visitor.get('/loesungen')).statusCode, 200);
    assert.equal(t.app.pageCache.hits, hits + 1, 'answered from the page cache');
    // Shared with the members, as by another instance: nothing on this one forgets its remembered version.
    await sql`update solutions set visibility = 'members' where slug = ${draft.slug}`.execute(db);
    await sql`update search_terms set visibility = 'members' where solution_id = (select id from solutions where slug = ${draft.slug})`.execute(db);
    await sql`update settings set value = 'changed-elsewhere' where key = 'catalogue_version'`.execute(db);
    assert.equal(await column(CATALOGUE_VERSION_COLUMN), 'changed-elsewhere');
    assert.match((await other.visitor.get('/loesungen')).body, /Geheimer Quokka-Entwurf/, 'shown at once');
    await sql`update solutions set visibility = 'draft' where slug = ${draft.slug}`.execute(db);
    await sql`update search_terms set visibility = 'draft' where solution_id = (select id from solutions where slug = ${draft.slug})`.execute(db);
    await touchCatalogue(db);
  });
});

