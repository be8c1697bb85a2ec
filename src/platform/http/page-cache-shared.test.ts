import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, signedIn } from '../../../test/support/factories.js';
import { makeSolution, resultTotal, solutionForm, viewerOf } from '../../../test/support/catalogue.js';
import type { Visitor } from '../../../test/support/client.js';
import { flash } from '../../../test/support/page.js';
import { parseSolution, updateSolution } from '../../modules/catalogue/service.js';
import { nowIso } from '../clock.js';

describe('pages shared by signed-in members, compressed and conditional answers', () => {
  let t: TestApp;
  let second: TestApp;
  let a1: { visitor: Visitor; user: { id: number } };
  let a2: { visitor: Visitor; user: { id: number } };
  let b1: { visitor: Visitor; user: { id: number } };
  let b2: { visitor: Visitor; user: { id: number } };
  let shared: { slug: string };
  let draft: { slug: string };

  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    second = await startAppOnDatabase(t);
    a1 = await signedIn(t.app, t.database.db, 'member', { organisation: 'Arnsberg' });
    a2 = await signedIn(t.app, t.database.db, 'member', { organisation: 'Arnsberg' });
    b1 = await signedIn(t.app, t.database.db, 'member', { organisation: 'Brilon' });
    // The same organisation's member on a second instance of the platform (same database).
    b2 = await signedIn(second.app, t.database.db, 'member', { organisation: 'Brilon' });
    const arnsberg = await viewerOf(t.database.db, a1.user.id);
    shared = await makeSolution(t.database.db, arnsberg, { title: 'Gemeinsamer Zebra-Chatbot', summary: 'Für alle Mitglieder sichtbar.', visibility: 'members' });
    draft = await makeSolution(t.database.db, arnsberg, { title: 'Geheimer Zebra-Entwurf', summary: 'Nur für Arnsberg.', visibility: 'draft' });
  });
  after(async () => {
    await second.close();
    await t.close();
  });

  it('never shows one organisation\'s draft to another organisation\'s member, on either instance', async () => {
    for (const url of ['/loesungen', '/loesungen?q=zebra']) {
      const own = await a1.visitor.get(url);
      assert.match(own.body, /Geheimer Zebra-Entwurf/, `${url}: the organisation sees its draft`);
      const sizeBefore = t.app.pageCache.size;
      for (const other of [b1, b2]) {
        const res = await other.visitor.get(url);
        assert.equal(res.statusCode, 200);
        assert.doesNotMatch(res.body, /Geheimer Zebra-Entwurf/, `${url}: another organisation does not`);
        assert.match(res.body, /Gemeinsamer Zebra-Chatbot/, url);
      }
      assert.equal(t.app.pageCache.size, sizeBefore + 1, `${url}: the other organisation has a page of its own`);
      // A colleague shares the page (no new entry) and sees the draft too.
      const colleague = await a2.visitor.get(url);
      assert.match(colleague.body, /Geheimer Zebra-Entwurf/);
      assert.equal(t.app.pageCache.size, sizeBefore + 1, `${url}: members of one organisation share the page`);
    }
    for (const other of [b1, b2]) {
      const refused = await other.visitor.get(`/loesungen/${draft.slug}`);
      assert.notEqual(refused.statusCode, 200);
      assert.doesNotMatch(refused.body, /Geheimer Zebra-Entwurf/);
      assert.match(refused.body, /action="\/abmelden"/, 'the refusal has the person\'s own header');
      assert.doesNotMatch(refused.body, /csrf-[0-9a-f-]{36}|<!--account-/, 'no stand-in is left');
    }
  });

  it('hides an entry from other organisations at once when it becomes a draft, also on another instance', async () => {
    // Both instances have the list and the entry's page cached for Brilon.
    for (const other of [b1, b2]) {
      assert.match((await other.visitor.get('/loesungen')).body, /Gemeinsamer Zebra-Chatbot/);
      assert.equal((await other.visitor.get(`/loesungen/${shared.slug}`)).statusCode, 200);
    }
    const before = resultTotal((await b2.visitor.get('/loesungen')).body);
    const arnsberg = await viewerOf(t.database.db, a1.user.id);
    // Changed through the first instance's database connection: the second instance's remembered version is not told.
    await updateSolution(t.database.db, arnsberg, shared.slug, parseSolution(solutionForm({ title: 'Gemeinsamer Zebra-Chatbot', summary: 'Für alle Mitglieder sichtbar.', visibility: 'draft' }), {}));
    for (const other of [b2, b1]) {
      const list = await other.visitor.get('/loesungen');
      assert.doesNotMatch(list.body, /Gemeinsamer Zebra-Chatbot/, 'the list no longer shows it');
      assert.equal(resultTotal(list.body), before - 1, 'nor counts it');
      assert.doesNotMatch((await other.visitor.get('/loesungen?q=zebra')).body, /Zebra-Chatbot/);
      assert.notEqual((await other.visitor.get(`/loesungen/${shared.slug}`)).statusCode, 200);
    }
    assert.match((await a2.visitor.get('/loesungen')).body, /Gemeinsamer Zebra-Chatbot/, 'its organisation still sees it');
  });

  it('fills in each person\'s own header and form token in a shared page', async () => {
    await t.database.db.insertInto('notifications').values({
      user_id: a2.user.id, kind: 'catalogue', message_key: 'notifications.messages.solutionChanged', params: '{}', url: '/loesungen',
      dedupe_key: 'page-cache-test', created_at: nowIso(),
    }).execute();
    const url = `/loesungen/${draft.slug}`;
    const first = await a1.visitor.get(url);
    const size = t.app.pageCache.size;
    const second = await a2.visitor.get(url);
    assert.equal(t.app.pageCache.size, size, 'the colleague got the cached page');
    assert.doesNotMatch(first.body, /count-badge/, 'no unread notifications for the first');
    assert.match(second.body, /<span class="count-badge">1</, 'one unread notification for the second');
    const token = (html: string) => [...html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(token(second.body).length >= 2, 'the page has forms besides the sign-out form');
    assert.equal(new Set(token(second.body)).size, 1, 'every form of the page carries the same token');
    assert.notDeepEqual(token(second.body), token(first.body), 'not the token of the person who rendered it');
    assert.doesNotMatch(second.body, /csrf-[0-9a-f-]{36}|<!--account-/, 'no stand-in is left');
    // The colleague's token works: marking a deployment from the shared page succeeds.
    const res = await a2.visitor.post(`/loesungen/${draft.slug}/einsatz`, { status: 'pilot' });
    assert.equal(res.statusCode, 303);
  });

  it('never keeps a page that shows a message for the one person who asked, on any cached page', async () => {
    await a2.visitor.get('/profil');
    for (const url of ['/karte', '/zahlen', '/loesungen', `/loesungen/${shared.slug}`, '/']) {
      // A change leaves a message for the next page; that page is asked for instead of the one redirected to.
      const changed = await a1.visitor.post(`/loesungen/${draft.slug}/einsatz`, { status: 'production' });
      assert.equal(changed.statusCode, 303);
      await a1.visitor.post(`/loesungen/${draft.slug}/einsatz`, { status: 'pilot' });
      const own = await a1.visitor.get(url);
      assert.equal(own.statusCode, 200, url);
      assert.notEqual(flash(own.body), '', `${url}: the message is shown to the person`);
      const colleague = await a2.visitor.get(url);
      assert.equal(flash(colleague.body), '', `${url}: a colleague does not get it`);
      assert.equal(flash((await a1.visitor.get(url)).body), '', `${url}: nor the person a second time`);
    }
  });

  it('sends compressed answers that decode to the same bytes', async () => {
    const viewer = await viewerOf(t.database.db, a1.user.id);
    for (let n = 1; n <= 4; n++) {
      await makeSolution(t.database.db, viewer, { title: `Öffentlicher Chatbot ${n}`, summary: 'Ein Chatbot beantwortet Fragen zu Terminen und Unterlagen rund um die Uhr, in einfacher Sprache.' });
    }
    for (const url of ['/loesungen', '/loesungen?q=chatbot', '/loesungen/export.json', '/loesungen/export.csv', '/loesungen/feed.atom', '/static/styles.css']) {
      const plain = await t.app.inject(url);
      assert.equal(plain.statusCode, 200, url);
      assert.equal(plain.headers['content-encoding'], undefined, `${url}: uncompressed without Accept-Encoding`);
      for (const [encoding, decode] of [['br', brotliDecompressSync], ['gzip', gunzipSync]] as const) {
        const res = await t.app.inject({ url, headers: { 'accept-encoding': encoding } });
        assert.equal(res.headers['content-encoding'], encoding, `${url} in ${encoding}`);
        assert.ok(res.rawPayload.length < plain.rawPayload.length, `${url}: smaller in ${encoding}`);
        assert.ok(decode(res.rawPayload).equals(plain.rawPayload), `${url}: ${encoding} decodes to the same bytes`);
        assert.match(String(res.headers.vary), /accept-encoding/i, url);
      }
    }
  });

  it('answers 304 only while nothing changed', async () => {
    const first = await t.app.inject('/loesungen');
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    const again = await t.app.inject({ url: '/loesungen', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    const gzip = await t.app.inject({ url: '/loesungen', headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' } });
    assert.equal(gzip.statusCode, 200, 'the compressed copy is another representation');
    assert.notEqual(gzip.headers.etag, etag);
    const feed = await t.app.inject('/loesungen/feed.atom');
    const feedTag = String(feed.headers.etag);
    assert.match(feedTag, /^W\/"[\w-]+"$/);
    assert.equal((await t.app.inject({ url: '/loesungen/feed.atom', headers: { 'if-none-match': feedTag } })).statusCode, 304);
    const viewer = await viewerOf(t.database.db, a1.user.id);
    await makeSolution(t.database.db, viewer, { title: 'Neuer öffentlicher Eintrag', summary: 'Gerade angelegt.' });
    const newFeed = await t.app.inject({ url: '/loesungen/feed.atom', headers: { 'if-none-match': feedTag } });
    assert.equal(newFeed.statusCode, 200, 'a changed feed is sent again');
    assert.match(newFeed.body, /Neuer öffentlicher Eintrag/);
    const changed = await t.app.inject({ url: '/loesungen', headers: { 'if-none-match': etag } });
    assert.equal(changed.statusCode, 200, 'after a change the page is sent again');
    assert.match(changed.body, /Neuer öffentlicher Eintrag/);
    assert.notEqual(changed.headers.etag, etag);
    // Signed-in pages carry no tag and stay out of every cache.
    const member = await a1.visitor.get('/loesungen');
    assert.equal(member.headers.etag, undefined);
    assert.equal(member.headers['cache-control'], 'no-store');
  });

  it('keeps fingerprinted static files a year and answers 304 for an unchanged one', async () => {
    const page = await t.app.inject('/loesungen');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)![1];
    assert.match(href, /^\/static\/styles\.css\?v=[0-9a-f]{12}$/);
    const fingerprinted = await t.app.inject(href);
    assert.equal(fingerprinted.headers['cache-control'], 'public, max-age=31536000, immutable');
    const plain = await t.app.inject('/static/styles.css');
    assert.equal(plain.headers['cache-control'], 'public, max-age=3600', 'the old address keeps working, for an hour at a time');
    assert.equal(plain.body, fingerprinted.body);
    assert.equal((await t.app.inject('/static/styles.css?v=000000000000')).headers['cache-control'], 'public, max-age=3600', 'a stale hash is not kept a year');
    const revalidated = await t.app.inject({ url: href, headers: { 'if-none-match': String(fingerprinted.headers.etag) } });
    assert.equal(revalidated.statusCode, 304);
    assert.ok(fingerprinted.headers['last-modified']);
  });
});
