import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { askQuestion } from '../questions/service.js';
import { importRegister } from '../catalogue/import.js';
import { loadExamples } from '../catalogue/examples.js';
import { loadCurrentUser } from '../../platform/http/current-user.js';
import { Visitor } from '../../../test/support/client.js';
import { makeSolution, viewerOf } from '../../../test/support/catalogue.js';
import { completeSetup, createUser, publishLegalPages } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';

/**
 * What search engines and browsers read besides the page itself: robots.txt, the sitemap, the favicon, each page's
 * title, description and canonical address; and the language of parts written in another language (WCAG 3.1.2).
 */

const fixture = (name: string) => fileURLToPath(new URL(`../catalogue/fixtures/${name}`, import.meta.url));
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
const BASE = 'http://ki.example.org';

describe('search engines and browsers', () => {
  let t: TestApp;
  const visitor = () => new Visitor(t.app);
  before(async () => {
    t = await startTestApp({ BASE_URL: BASE });
  });
  after(() => t.close());

  it('robots.txt and favicon.ico answer even before setup; robots.txt keeps crawlers out of the private areas and names the sitemap', async () => {
    const robots = await visitor().get('/robots.txt');
    assert.equal(robots.statusCode, 200);
    assert.match(String(robots.headers['content-type']), /^text\/plain/);
    assert.match(robots.body, /^User-agent: \*$/m);
    assert.match(robots.body, /^Disallow: \/verwaltung$/m);
    assert.match(robots.body, /^Disallow: \/profil$/m);
    assert.doesNotMatch(robots.body, /^Disallow: \/loesungen/m);
    assert.match(robots.body, new RegExp(`^Sitemap: ${BASE}/sitemap.xml$`, 'm'));

    const icon = await visitor().get('/favicon.ico');
    assert.equal(icon.statusCode, 200);
    assert.equal(icon.headers['content-type'], 'image/x-icon');
    const bytes = icon.rawPayload;
    assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 1, 0], 'an icon file');
    assert.ok(bytes.readUInt16LE(4) >= 1, 'with at least one image');
  });

  describe('after setup', () => {
    const slugs = { public: '', members: '', draft: '' };
    let publicQuestion = 0;
    let membersQuestion = 0;
    let nlSlug = '';
    before(async () => {
      const db = t.database.db;
      await completeSetup(db);
      await publishLegalPages(db);
      const viewer = await viewerOf(db, (await createUser(db, { organisation: 'Olpe', name: 'Olaf Olpe' })).id);
      for (const visibility of ['public', 'members', 'draft'] as const) {
        const { slug } = await makeSolution(db, viewer, { title: `Bescheidassistent ${visibility}`, summary: `Entwürfe für Bescheide (${visibility}).`, visibility });
        slugs[visibility] = slug;
      }
      const deps = { db, config: t.config };
      publicQuestion = (await askQuestion(deps, viewer, { title: 'Öffentliche Frage zum Bescheidassistenten', body: 'Wer nutzt ihn?', tags: [], field_of_action: null, visibility: 'public', solutions: [] })).id;
      membersQuestion = (await askQuestion(deps, viewer, { title: 'Interne Frage zum Bescheidassistenten', body: 'Wer nutzt ihn intern?', tags: [], field_of_action: null, visibility: 'members', solutions: [] })).id;
      await importRegister(db, 'nl', fixture('nl_algoritmeregister.csv'));
      await importRegister(db, 'atrs', fixture('uk_atrs_records.csv'));
      await importRegister(db, 'pstw', fixture('pstw_cases.csv'));
      await loadExamples(db, await loadCurrentUser(db, (await createUser(db, { role: 'admin' })).id));
      nlSlug = (await db.selectFrom('solutions').select('slug').where('source', '=', 'nl').orderBy('id').executeTakeFirstOrThrow()).slug;
    });

    it('the sitemap lists the public pages and public entries, nothing only members or the owners may read', async () => {
      const res = await visitor().get('/sitemap.xml');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/xml/);
      const parsed = new XMLParser({ ignoreAttributes: false }).parse(res.body);
      assert.equal(parsed.urlset['@_xmlns'], 'http://www.sitemaps.org/schemas/sitemap/0.9');
      const locs: string[] = [parsed.urlset.url].flat().map((u: { loc: string }) => u.loc);
      for (const path of ['/', '/loesungen', '/fragen', '/treffen', '/karte', '/impressum', `/loesungen/${slugs.public}`, `/loesungen/${nlSlug}`,
        `/fragen/${publicQuestion}`, '/organisationen/olpe']) {
        assert.ok(locs.includes(BASE + path), `${path} is listed`);
      }
      for (const path of [`/loesungen/${slugs.members}`, `/loesungen/${slugs.draft}`, `/fragen/${membersQuestion}`, '/verwaltung', '/profil']) {
        assert.ok(!locs.includes(BASE + path), `${path} is not listed`);
      }
      // Every listed page really opens for an anonymous visitor.
      const anon = visitor();
      for (const loc of locs.filter((l) => /\/(loesungen|fragen)\//.test(l))) {
        assert.equal((await anon.get(loc.slice(BASE.length))).statusCode, 200, loc);
      }
    });

    it('every page names itself to search engines: a description and its canonical address', async () => {
      const home = (await visitor().get('/')).body;
      assert.match(home, /<meta name="description" content="[^"]{50,}"/);
      assert.ok(home.includes(`<link rel="canonical" href="${BASE}/"`), 'canonical of the home page');
      const list = (await visitor().get('/loesungen?q=Bescheid&seite=1')).body;
      assert.ok(list.includes(`<link rel="canonical" href="${BASE}/loesungen"`), 'the canonical address leaves out the query');
      const page = (await visitor().get(`/loesungen/${slugs.public}`)).body;
      assert.ok(page.includes('<meta name="description" content="Entwürfe für Bescheide (public)."'), 'a solution is described by its summary');
    });

    it('the title of a search says what was found, how many and which page; a form sent back with errors starts with "Fehler:"', async () => {
      const found = (await visitor().get('/loesungen?q=Bescheidassistent')).body;
      const shown = [...found.matchAll(/<li class="result">/g)].length;
      assert.ok(shown > 0);
      assert.equal(titleOf(found), `${shown} ${shown === 1 ? 'Lösung' : 'Lösungen'} für „Bescheidassistent“ – Lösungen – KI-Community Südwestfalen`);
      const all = await visitor().get('/loesungen?seite=2');
      assert.match(titleOf(all.body), /^\d+ Lösungen, Seite 2 von \d+ – Lösungen – /);
      assert.match(titleOf((await visitor().get('/fragen?q=Bescheidassistenten')).body), /^1 Frage zu „Bescheidassistenten“ – Fragen/);

      const sent = await visitor().submit('/mitmachen', {});
      assert.equal(sent.statusCode, 422);
      assert.match(titleOf(sent.body), /^Fehler: Mitmachen – /);
      assert.doesNotMatch(titleOf((await visitor().get('/mitmachen')).body), /Fehler/);
    });

    it('one member is "1 Mitglied", in the directory and on the organisation page', async () => {
      const { visitor: member } = await (await import('../../../test/support/factories.js')).signedIn(t.app, t.database.db, 'member', { organisation: 'Wenden' });
      const organisation = (await visitor().get('/organisationen/wenden')).body;
      assert.ok(organisation.includes('1 Mitglied auf der Plattform'), 'singular on the organisation page');
      const olpe = (await visitor().get('/organisationen/olpe')).body;
      assert.ok(olpe.includes('1 Mitglied auf der Plattform'));
      const directory = (await member.get('/mitglieder')).body;
      assert.match(directory, /\d+ Mitglieder aus \d+ Organisationen\./, 'plural for several');
      assert.doesNotMatch(directory, /\b1 Mitglieder\b|\b1 Organisationen\b/);
    });

    it('imported Dutch and English texts carry their language in the result list, and only they do', async () => {
      const html = (await visitor().get('/loesungen?seite=1&herkunft=nl')).body;
      const list = (await visitor().get('/loesungen')).body;
      for (const body of [html, list]) {
        const results = [...body.matchAll(/<li class="result">([\s\S]*?)<\/li>/g)].map((m) => m[1]);
        assert.ok(results.length > 0);
        for (const r of results) {
          const german = r.includes('Bescheidassistent');
          const title = /<h3><a href="[^"]+"( lang="(\w+)")?>/.exec(r);
          const snippet = /<p class="snippet"( lang="(\w+)")?>/.exec(r);
          if (german) assert.equal(title?.[2], undefined, 'a German entry on a German page has no lang of its own');
          if (title?.[2]) assert.equal(snippet?.[2], title[2], 'the snippet is marked like the title');
        }
      }
      const nlTitle = (await t.database.db.selectFrom('solutions').select('title').where('slug', '=', nlSlug).executeTakeFirstOrThrow()).title;
      const all = (await visitor().get(`/loesungen?q=${encodeURIComponent(nlTitle.split(' ')[0])}`)).body;
      assert.ok(all.includes(`<a href="/loesungen/${nlSlug}" lang="nl">`), 'the Dutch title is marked as Dutch');
    });

    it('an imported solution page marks exactly the imported texts, not the German interface around them', async () => {
      const html = (await visitor().get(`/loesungen/${nlSlug}`)).body;
      assert.match(html, /<html lang="de">/);
      assert.match(html, /<h1 lang="nl">/);
      assert.match(html, /<p class="lead" lang="nl">/);
      assert.doesNotMatch(html, /<article[^>]* lang=/, 'the page around the texts stays German');
      // The German headings and labels are outside every element marked Dutch.
      const dutchParts = [...html.matchAll(/<(\w+)[^>]* lang="nl"[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => m[2]).join('\n');
      for (const german of ['Wo im Einsatz', 'Technik', 'Versionen']) assert.ok(!dutchParts.includes(german), `"${german}" is not inside a Dutch part`);

      // The same page in English: the Dutch stays Dutch; a German entry's texts become German parts.
      const english = visitor();
      await english.get('/sprache/en?zurueck=/');
      const en = (await english.get(`/loesungen/${nlSlug}`)).body;
      assert.match(en, /<html lang="en">/);
      assert.match(en, /<h1 lang="nl">/);
      const own = (await english.get(`/loesungen/${slugs.public}`)).body;
      assert.match(own, /<h1 lang="de">Bescheidassistent public<\/h1>/);
    });

    it('solutions matched to a question and similar solutions carry the language of their texts', async () => {
      const db = t.database.db;
      const enSlug = (await db.selectFrom('solutions').select('slug').where('source', '=', 'atrs').orderBy('id').executeTakeFirstOrThrow()).slug;
      const viewer = await viewerOf(db, (await createUser(db, { organisation: 'Olpe' })).id);
      const deps = { db, config: t.config };
      const { id } = await askQuestion(deps, viewer, { title: 'Wer kennt diese Lösung?', body: 'Ein Beispiel aus dem Ausland.', tags: [], field_of_action: null, visibility: 'public', solutions: [enSlug, slugs.public] });
      const html = (await visitor().get(`/fragen/${id}`)).body;
      assert.ok(new RegExp(`<a href="/loesungen/${enSlug}" lang="en">`).test(html), 'the English title is marked as English');
      assert.ok(html.includes(`<a href="/loesungen/${slugs.public}">`), 'the German one is not marked');

      // Similar solutions of an English entry: each marked by its own language.
      const page = (await visitor().get(`/loesungen/${enSlug}`)).body;
      const similar = /<section aria-labelledby="similar">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
      const links = [...similar.matchAll(/<a href="\/loesungen\/([^"]+)"( lang="(\w+)")?>/g)];
      assert.ok(links.some((l) => l[3] === 'en'), 'an English similar solution, marked as English');
      for (const [, slug, , lang] of links) {
        const row = await db.selectFrom('solutions').select('language').where('slug', '=', slug).executeTakeFirstOrThrow();
        assert.equal(lang, row.language === 'de' ? undefined : row.language, slug);
      }
    });
  });
});
