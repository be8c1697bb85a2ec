import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../platform/db/database.js';
import { backend, startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, createUser } from '../../../test/support/factories.js';
import { facetOptions, makeSolution, resultSlugs, resultTotal, unescapeHtml, viewerOf } from '../../../test/support/catalogue.js';
import { pageText } from '../../../test/support/page.js';
import { parseSearchParams, searchCatalogue } from './service.js';

const imported = (id: string, org: string) => ({
  organisation_id: null, source: 'atrs', source_id: id, source_url: `https://www.gov.uk/algorithmic-transparency-records/${id}`, source_org: org, source_country: 'GB',
  licence: 'Open Government Licence v3.0',
});

/**
 * Pairs of entries that differ in one respect each; in every pair the entry that should rank second is created
 * first, so a tie broken by id would put it first.
 */
async function buildCatalogue(db: Db) {
  const admin = await viewerOf(db, (await createUser(db, { organisation: 'Kreis Olpe', role: 'admin' })).id);
  const olpe = await viewerOf(db, (await createUser(db, { organisation: 'Olpe' })).id);
  // More of the query's words matched.
  await makeSolution(db, olpe, { title: 'Parkplatzsuche per App', summary: 'Freie Parkplätze werden in einer App gezeigt, Parkplatz für Parkplatz, in jeder Straße.' });
  await makeSolution(db, olpe, { title: 'Belegung der Parkhäuser', summary: 'Ein Sensor je Stellplatz meldet die Auslastung; auch der Parkplatz am Bahnhof ist dabei.' });
  // Title against text.
  await makeSolution(db, olpe, { title: 'Ablesung per Foto', summary: 'Zählerstände werden aus Fotos gelesen.', description: 'Gedacht für jeden Wasserzähler im Stadtgebiet.' });
  await makeSolution(db, olpe, { title: 'Wasserzähler digital', summary: 'Zählerstände werden aus Fotos gelesen.', description: 'Gedacht für jedes Haus im Stadtgebiet.' });
  // Length normalisation: "Friedhof" once in a long summary, once in a short one.
  await makeSolution(db, olpe, {
    title: 'Verwaltung der Grabstätten',
    summary: 'Ein System verwaltet Grabstellen, Nutzungsrechte, Gebühren, Fristen, Pflegeaufträge, Rechnungen, Bestattungstermine, Kapellen, Urnenwände, Baumgräber, Wege und den Friedhof der Gemeinde mit allen Abteilungen, Dienstleistern und Steinmetzen.',
  });
  await makeSolution(db, olpe, { title: 'Verwaltung der Grabstätten im Ort', summary: 'Ein System verwaltet den Friedhof.' });
  // Own region against an imported register entry with the same words.
  await makeSolution(db, admin, { title: 'Laubbläser-Einsatzplanung', summary: 'Die Einsätze der Laubbläser werden nach Wetter und Laubfall geplant.' }, imported('ATRS-1', 'Example Council'));
  await makeSolution(db, olpe, { title: 'Laubbläser-Einsatzplanung', summary: 'Die Einsätze der Laubbläser werden nach Wetter und Laubfall geplant.' });
}

/** Completes the set-up of a test app and signs up the district's administrator, who enters the register entries. */
async function withAdministrator(t: TestApp) {
  const db = t.database.db;
  await completeSetup(db);
  return { db, admin: await viewerOf(db, (await createUser(db, { organisation: 'Kreis Olpe', role: 'admin' })).id) };
}

/** The catalogue page for a query, as a visitor sees it; every query, however odd, gets a normal page. */
async function searchPage(visitor: Visitor, q: string, extra = ''): Promise<string> {
  const res = await visitor.get(`/loesungen?q=${encodeURIComponent(q)}${extra}`);
  assert.equal(res.statusCode, 200, q);
  return res.body;
}

/**
 * A test app with the entries build() makes as the district's administrator, searched by a visitor who is not signed
 * in: each query's page and its results in order.
 */
function searchedCatalogue(build: (db: Db, admin: Awaited<ReturnType<typeof viewerOf>>) => Promise<void>) {
  let t: TestApp;
  let anon: Visitor;
  before(async () => {
    t = await startTestApp();
    const { db, admin } = await withAdministrator(t);
    await build(db, admin);
    anon = new Visitor(t.app);
  });
  after(() => t.close());
  return { page: (q: string) => searchPage(anon, q), slugs: async (q: string) => resultSlugs(await searchPage(anon, q)) };
}

describe(`ranking the catalogue's search results (${backend})`, () => {
  let t: TestApp;
  let anon: Visitor;
  const search = (q: string, extra = '') => searchPage(anon, q, extra);
  const slugs = async (q: string, extra = '') => resultSlugs(await search(q, extra));

  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    await buildCatalogue(t.database.db);
    anon = new Visitor(t.app);
  });
  after(() => t.close());

  it('ranks the entry matching more of the query\'s words above one that repeats a single word', async () => {
    assert.deepEqual(await slugs('Parkplatz Sensor Auslastung'), ['belegung-der-parkhaeuser', 'parkplatzsuche-per-app']);
    // Says how much of the query the second entry matches.
    assert.match(pageText(await search('Parkplatz Sensor Auslastung')), /passt zu 1 von 3 Wörtern/);
  });

  it('ranks a word in the title above the same word in the text', async () => {
    assert.deepEqual(await slugs('Wasserzähler'), ['wasserzaehler-digital', 'ablesung-per-foto']);
  });

  it('ranks a word in a short summary above the same word once in a long one', async () => {
    assert.deepEqual(await slugs('Friedhof'), ['verwaltung-der-grabstaetten-im-ort', 'verwaltung-der-grabstaetten']);
  });

  it('ranks the region\'s own entry above an imported register entry of equal relevance, and offers the origin as a facet', async () => {
    const found = await slugs('Laubbläser');
    assert.deepEqual(found, ['laubblaeser-einsatzplanung-2', 'laubblaeser-einsatzplanung']);
    const page = await search('Laubbläser');
    assert.deepEqual(facetOptions(page, 'origin').map((o) => [o.label, o.count]), [['Aus der Region', 1], ['Aus öffentlichen Registern', 1]]);
    assert.deepEqual(await slugs('Laubbläser', '&origin=registers'), ['laubblaeser-einsatzplanung']);
    assert.deepEqual(await slugs('Laubbläser', '&origin=region'), ['laubblaeser-einsatzplanung-2']);
    // Not an override: a better match from a register still ranks first.
    assert.deepEqual(await slugs('Laubbläser Einsatzplanung Laubfall Example Council'), ['laubblaeser-einsatzplanung', 'laubblaeser-einsatzplanung-2']);
  });

  it('asks "Meinten Sie …?" for a misspelt word and links to the corrected query', async () => {
    const page = await search('Wasserzäler Foto');
    assert.match(pageText(page), /Meinten Sie Wasserzähler Foto ?\?/);
    const link = /Meinten Sie <a href="([^"]+)">/.exec(page);
    assert.ok(link, 'a link to the corrected query');
    assert.equal(unescapeHtml(link[1]), `/loesungen?q=${encodeURIComponent('Wasserzähler Foto').replace(/%20/g, '+')}`);
    assert.deepEqual(await slugs('Wasserzäler'), ['wasserzaehler-digital', 'ablesung-per-foto'], 'and finds what the word meant meanwhile');
    assert.doesNotMatch(await search('Wasserzähler'), /Meinten Sie/, 'not for a word entries use');
  });

  it('never ends on a bare "nothing found": names the unknown word, and offers to drop a filter, all solutions and the community', async () => {
    const page = pageText(await search('Friedhof Raumfahrt'));
    assert.match(page, /„Raumfahrt“ kommt in keinem Eintrag vor\. Ohne „Raumfahrt“ suchen/);
    const filtered = await search('Friedhof', '&maturity=production');
    assert.equal(resultTotal(filtered), 0);
    assert.match(pageText(filtered), /Keine Lösung gefunden\. So geht es weiter: Reifegrad: Produktiv entfernen Alle Lösungen ansehen Die Community fragen/);
    assert.match(filtered, /<a href="\/loesungen\?q=Friedhof">Reifegrad: Produktiv entfernen<\/a>/);
  });
});

describe(`bad input in the search (${backend})`, () => {
  let t: TestApp;
  let anon: Visitor;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    const olpe = await viewerOf(t.database.db, (await createUser(t.database.db, { organisation: 'Olpe' })).id);
    await makeSolution(t.database.db, olpe, { title: 'Übersetzung von Bescheiden', summary: 'Bescheide werden in Leichte Sprache übertragen.' });
  });
  before(() => { anon = new Visitor(t.app); });
  after(() => t.close());

  const get = async (q: string) => {
    const res = await anon.get(`/loesungen?q=${encodeURIComponent(q)}`);
    assert.equal(res.statusCode, 200, JSON.stringify(q));
    return res.body;
  };

  it('searches the first 32 words of a very long query and says so', async () => {
    const long = `Übersetzung ${Array.from({ length: 40 }, (_, i) => `wort${i}`).join(' ')}`;
    const page = await get(long);
    assert.deepEqual(resultSlugs(page), ['uebersetzung-von-bescheiden']);
    assert.match(pageText(page), /Ihre Suche war sehr lang: gesucht wurde nach den ersten 32 Wörtern\./);
    assert.equal((await anon.get(`/loesungen?q=${'x'.repeat(5000)}`)).statusCode, 200, 'one endless word');
  });

  it('explains a query of stop words or punctuation only, instead of an empty list', async () => {
    assert.match(pageText(await get('der die und')), /Ihre Suche enthält nur Wörter wie „der“, „und“ oder „the“/);
    assert.match(pageText(await get('?!; ... – ()')), /Ihre Suche enthält keine Wörter, nur Satz- oder Sonderzeichen\./);
  });

  it('answers NUL and control characters, broken characters and mixed scripts with a normal page', async () => {
    // Control characters are removed from all input before any route sees it (src/platform/http/input.ts).
    assert.deepEqual(resultSlugs(await get('Über\u0000setzung')), ['uebersetzung-von-bescheiden'], 'NUL is removed');
    assert.deepEqual(resultSlugs(await get('Übersetzung\u0000')), ['uebersetzung-von-bescheiden']);
    assert.deepEqual(resultSlugs(await get('\u0007Übersetzung\u001b\r\n')), ['uebersetzung-von-bescheiden']);
    assert.deepEqual(resultSlugs(await get('Übersetzung перевод 翻訳 ترجمة')), ['uebersetzung-von-bescheiden']);
    const broken = await anon.get('/loesungen?q=%ED%A0%80%C3%9Cbersetzung');
    assert.equal(broken.statusCode, 200);
    assert.equal((await anon.get('/loesungen?q[]=a&q[]=b')).statusCode, 200, 'the parameter twice');
    assert.equal((await anon.get('/loesungen/export.csv?q=%00%01')).statusCode, 200);
  });
});

describe(`searching across languages (${backend})`, () => {
  let t: TestApp;
  let anon: Visitor;
  const search = (q: string, extra = '') => searchPage(anon, q, extra);
  const slugs = async (q: string, extra = '') => resultSlugs(await search(q, extra));

  before(async () => {
    t = await startTestApp();
    const { db, admin } = await withAdministrator(t);
    // Register entries only, so no entry has the region's boost; the English one first (the lower id).
    await makeSolution(db, admin, { title: 'Potholes on rural roads', summary: 'Cameras on refuse lorries report potholes to the highways team.', language: 'en' }, imported('ATRS-2', 'Example County'));
    await makeSolution(db, admin, { title: 'Schlaglöcher auf Landstraßen', summary: 'Kameras an Müllfahrzeugen melden Schlaglöcher an den Straßenbetrieb.', language: 'de' }, imported('ATRS-3', 'Beispielkreis'));
    await makeSolution(db, admin, { title: 'Smart water meter reading', summary: 'Readings are taken from photos sent by residents.', language: 'en' }, imported('ATRS-4', 'Example Water'));
    // Same language, other words: the glossary lists "early school leaving" as a synonym of "school dropout".
    await makeSolution(db, admin, { title: 'Early school leaving', summary: 'Pupils who may leave early are offered mentoring.', language: 'en' }, imported('ATRS-5', 'Example Borough'));
    await makeSolution(db, admin, { title: 'School dropout', summary: 'A mentoring scheme for pupils.', language: 'en' }, imported('ATRS-6', 'Example City'));
    // American and British spelling.
    await makeSolution(db, admin, { title: 'Route optimization for the neighborhood center', summary: 'Visits are planned to minimize travel time.', language: 'en' }, imported('ATRS-7', 'Example Town'));
    await makeSolution(db, admin, { title: 'Catalogue of the theatre programme', summary: 'The licence of each performance is checked.', language: 'en' }, imported('ATRS-8', 'Example Borough'));
    // Found only through a translation with a one-letter word ("Röntgenbild" → "X-ray image").
    await makeSolution(db, admin, { title: 'Fractures found on X-ray images', summary: 'A model marks broken bones for the radiologist.', language: 'en' }, imported('ATRS-9', 'Example Hospital'));
  });
  before(() => { anon = new Visitor(t.app); });
  after(() => t.close());

  it('finds the English entry for a German word through the glossary (Schlaglöcher → pothole) and the dictionary (Wasserzähler → water meter)', async () => {
    assert.deepEqual(await slugs('Schlaglöcher'), ['schlagloecher-auf-landstrassen', 'potholes-on-rural-roads']);
    assert.deepEqual(await slugs('Wasserzähler'), ['smart-water-meter-reading']);
    // And the other way round: an English word finds the German entry.
    assert.deepEqual(await slugs('potholes'), ['potholes-on-rural-roads', 'schlagloecher-auf-landstrassen']);
  });

  it('finds the English entry through a translation with a one-letter word (Röntgenbilder → X-ray images)', async () => {
    assert.deepEqual(await slugs('Röntgenbilder'), ['fractures-found-on-x-ray-images']);
  });

  it('finds an entry through a glossary synonym in the query\'s own language, below the entry using the query\'s words', async () => {
    // "Early school leaving" does not contain "dropouts" in any form.
    assert.deepEqual(await slugs('dropouts'), ['school-dropout', 'early-school-leaving']);
    assert.deepEqual(await slugs('early school leavers'), ['early-school-leaving', 'school-dropout']);
  });

  it('finds an entry written in American English for a query in British English, and the other way round', async () => {
    assert.deepEqual(await slugs('route optimisation'), ['route-optimization-for-the-neighborhood-center']);
    assert.deepEqual(await slugs('neighbourhood centre'), ['route-optimization-for-the-neighborhood-center']);
    assert.deepEqual(await slugs('minimising'), ['route-optimization-for-the-neighborhood-center']);
    assert.deepEqual(await slugs('theater program catalog license'), ['catalogue-of-the-theatre-programme']);
  });

  it('ranks a translated match below the same word in the query\'s language, although the translated entry is older', async () => {
    const page = await search('Schlaglöcher');
    assert.deepEqual(resultSlugs(page), ['schlagloecher-auf-landstrassen', 'potholes-on-rural-roads']);
    assert.match(pageText(page), /Auch englische und niederländische Einträge durchsucht – nur deutsche zeigen/);
    const only = /<a href="([^"]+)">nur deutsche zeigen<\/a>/.exec(page);
    assert.ok(only, 'a link to German entries only');
    assert.deepEqual(resultSlugs(await anon.get(unescapeHtml(only[1])).then((r) => r.body)), ['schlagloecher-auf-landstrassen']);
    assert.match(pageText(await search('potholes')), /Auch deutsche und niederländische Einträge durchsucht – nur englische zeigen/);
  });
});

describe(`queries typed as questions (${backend})`, () => {
  const { slugs } = searchedCatalogue(async (db, admin) => {
    // Entries made of little but the words of a question, and one entry each for the need.
    await makeSolution(db, admin, { title: 'How we can help', summary: 'We explain what residents can do when they need help, and how.', language: 'en' }, imported('ATRS-11', 'Example Borough'));
    await makeSolution(db, admin, { title: 'Pothole detection', summary: 'Cameras on refuse lorries detect potholes.', language: 'en' }, imported('ATRS-12', 'Example County'));
    await makeSolution(db, admin, { title: 'Was es alles gibt', summary: 'Eine Übersicht, welche Angebote es gibt und wann man sie nutzen soll.', language: 'de' }, imported('ATRS-13', 'Beispielkreis'));
    await makeSolution(db, admin, { title: 'Schlaglöcher melden', summary: 'Bürger melden Schlaglöcher per App.', language: 'de' }, imported('ATRS-14', 'Beispielstadt'));
  });

  it('leaves out the function words of a question, so an entry matching only them is no hit', async () => {
    assert.deepEqual(await slugs('how can we detect potholes'), ['pothole-detection', 'schlagloecher-melden']);
    assert.deepEqual(await slugs('pothole detection'), ['pothole-detection', 'schlagloecher-melden'], 'as for the keywords alone');
    assert.deepEqual(await slugs('Gibt es etwas gegen Schlaglöcher, wenn man sie sieht?'), ['schlagloecher-melden', 'pothole-detection']);
  });
});

describe(`a synonym of several query words that is one of them (${backend})`, () => {
  let t: TestApp;
  let anon: Visitor;
  before(async () => {
    t = await startTestApp();
    const { db, admin } = await withAdministrator(t);
    // The glossary lists "fraud" among the terms for "welfare fraud"; the entry about fraud alone is the older one.
    await makeSolution(db, admin, { title: 'Fraud checks on tenders', summary: 'Fraud in procurement is found by comparing tenders.', language: 'en' }, imported('ATRS-21', 'Example Borough'));
    await makeSolution(db, admin, { title: 'Welfare payments', summary: 'Checks on welfare payments find fraud.', language: 'en' }, imported('ATRS-22', 'Example County'));
    anon = new Visitor(t.app);
  });
  after(() => t.close());

  it('counts "fraud" for the word "fraud" only: the entry naming welfare and fraud ranks above the one naming fraud alone', async () => {
    const page = await searchPage(anon, 'welfare fraud');
    assert.deepEqual(resultSlugs(page), ['welfare-payments', 'fraud-checks-on-tenders']);
    assert.match(pageText(page), /passt zu 1 von 2 Wörtern/);
  });
});

describe(`words written with and without a hyphen (${backend})`, () => {
  let t: TestApp;
  let anon: Visitor;
  before(async () => {
    t = await startTestApp();
    const { db, admin } = await withAdministrator(t);
    await makeSolution(db, admin, { title: 'Staff training', summary: 'Cyber-security training for all staff.', language: 'en' }, imported('ATRS-31', 'Example Borough'));
    await makeSolution(db, admin, { title: 'Travel planner', summary: 'A multimodal planner for trips by bus, bike and train.', language: 'en' }, imported('ATRS-32', 'Example County'));
    await makeSolution(db, admin, { title: 'Security of the town hall', summary: 'Cameras at the doors of the town hall.', language: 'en' }, imported('ATRS-33', 'Example City'));
    anon = new Visitor(t.app);
  });
  after(() => t.close());

  it('finds a word written with a hyphen when it is typed as one word, and the other way round', async () => {
    assert.deepEqual(resultSlugs(await searchPage(anon, 'cybersecurity')), ['staff-training']);
    assert.deepEqual(resultSlugs(await searchPage(anon, 'multi-modal')), ['travel-planner']);
    // The parts still count: "security" of "cyber-security" finds the town hall too, below the entry with both.
    assert.deepEqual(resultSlugs(await searchPage(anon, 'cyber-security')), ['staff-training', 'security-of-the-town-hall']);
  });
});

describe(`a word of the dictionaries typed as a whole (${backend})`, () => {
  let t: TestApp;
  let anon: Visitor;
  before(async () => {
    t = await startTestApp();
    const { db, admin } = await withAdministrator(t);
    const olpe = await viewerOf(db, (await createUser(db, { organisation: 'Olpe' })).id);
    await makeSolution(db, olpe, { title: 'Digitale Akte im Bauamt', summary: 'Bauanträge werden als digitale Akte geführt.' });
    // "Digi" and "tales" are words of this entry: pieces a German word could be cut into.
    await makeSolution(db, admin, { title: 'Digi tales for pupils', summary: 'Reading tales with the Digi app in primary schools.', language: 'en' }, imported('ATRS-41', 'Example Borough'));
    await makeSolution(db, olpe, { title: 'Protokoll der Sitzung', summary: 'Aus der Aufnahme einer Sitzung wird das Protokoll entworfen.' });
    anon = new Visitor(t.app);
  });
  after(() => t.close());

  it('is not cut into pieces that only occur in entries: "digitale" does not find "Digi" and "tales"', async () => {
    assert.deepEqual(resultSlugs(await searchPage(anon, 'digitale Akte')), ['digitale-akte-im-bauamt']);
  });

  it('counts a compound found through its parts as one of the words typed', async () => {
    const page = await searchPage(anon, 'Sitzungsprotokoll digitale Akte');
    // Two of the three words typed beat one word found as "Sitzung" and "Protokoll".
    assert.deepEqual(resultSlugs(page), ['digitale-akte-im-bauamt', 'protokoll-der-sitzung']);
    assert.match(pageText(page), /Protokoll der Sitzung .* passt zu 1 von 3 Wörtern/);
  });
});

describe(`rebuilding the search index after an upgrade (${backend})`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('rebuilds the stored weights once at the next start when a migration marked the index, and ranks as before the upgrade went wrong', async () => {
    const db = t.database.db;
    const olpe = await viewerOf(db, (await createUser(db, { organisation: 'Olpe' })).id);
    const text = await makeSolution(db, olpe, { title: 'Ablesung per Foto', summary: 'Zählerstände werden aus Fotos gelesen.', description: 'Gedacht für jeden Wasserzähler.' });
    const title = await makeSolution(db, olpe, { title: 'Wasserzähler digital', summary: 'Zählerstände werden aus Fotos gelesen.' });
    // Weights of an older index: every posting of the title entry weighs the least.
    const solutionId = (await db.selectFrom('solutions').select('id').where('slug', '=', title.slug).executeTakeFirstOrThrow()).id;
    await db.updateTable('search_terms').set({ weight: 1 }).where('solution_id', '=', solutionId).execute();
    await db.insertInto('settings').values({ key: 'search_rebuild', value: '1' }).execute();

    const second = await startAppOnDatabase(t);
    try {
      const res = await new Visitor(second.app).get('/loesungen?q=Wasserz%C3%A4hler');
      assert.deepEqual(resultSlugs(res.body), [title.slug, text.slug]);
      assert.equal(await db.selectFrom('settings').select('value').where('key', '=', 'search_rebuild').executeTakeFirst(), undefined, 'done once');
    } finally {
      await second.close();
    }
  });
});

describe(`the first page of a search for very common words (${backend})`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('reads only the strongest postings of a common word, yet scores in full every entry with a rarer query word, and counts every hit', async () => {
    const db = t.database.db;
    const olpe = await viewerOf(db, (await createUser(db, { organisation: 'Olpe' })).id);
    // "Daten" is in five entries; with a cap of two postings only its two strongest are read on their own.
    const weak = await makeSolution(db, olpe, { title: 'Friedhofsverwaltung', summary: 'Grabstellen, Gebühren und Fristen werden geplant; dazu einige Daten.' });
    const rare = await makeSolution(db, olpe, { title: 'Baumkataster', summary: 'Ein Kataster der Bäume mit Daten aus Befliegungen, gepflegt von Gärtnern und Förstern der Stadt.' });
    const strong1 = await makeSolution(db, olpe, { title: 'Daten', summary: 'Daten.' });
    const strong2 = await makeSolution(db, olpe, { title: 'Offene Daten', summary: 'Daten der Stadt.' });
    await makeSolution(db, olpe, { title: 'Schulwege', summary: 'Sichere Schulwege mit Daten der Polizei, der Schulen, der Eltern und der Verkehrsplanung im ganzen Kreis.' });
    const params = parseSearchParams({ q: 'Daten Kataster' });
    const exact = await searchCatalogue(db, null, params, { cap: 100 });
    const capped = await searchCatalogue(db, null, params, { cap: 2 });
    // The entry with the rarer word keeps its full score (both words); the two strongest "Daten" entries follow.
    assert.equal(capped.items[0].slug, rare.slug);
    assert.deepEqual(new Set(capped.items.map((i) => i.slug)), new Set([rare.slug, strong1.slug, strong2.slug]));
    assert.deepEqual(exact.items.slice(0, 3).map((i) => i.slug), capped.items.map((i) => i.slug));
    assert.deepEqual(capped.items.map((i) => i.score), exact.items.slice(0, 3).map((i) => i.score), 'the same scores');
    assert.equal(exact.items.length, 5);
    assert.ok(!capped.items.some((i) => i.slug === weak.slug), 'a weak posting of the common word alone is left out of the first page');
    // The count and the facets still cover every hit.
    assert.equal(capped.total, 5);
    assert.equal(exact.total, 5);
    // A filter, a later page or another order read every posting.
    const filtered = await searchCatalogue(db, null, parseSearchParams({ q: 'Daten Kataster', origin: 'region' }), { cap: 2 });
    assert.equal(filtered.items.length, 5);
  });
});

describe(`words lent by the first results (${backend})`, () => {
  let t: TestApp;
  let anon: Visitor;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    const db = t.database.db;
    const olpe = await viewerOf(db, (await createUser(db, { organisation: 'Olpe' })).id);
    // Two entries that name graves in passing; the second, longer and newer, also names urn walls.
    await makeSolution(db, olpe, { title: 'Gebührenbescheide', summary: 'Bescheide nennen nebenbei Grabstellen.' });
    await makeSolution(db, olpe, { title: 'Nutzungsrechte', summary: 'Bescheide nennen nebenbei Grabstellen, dazu Urnenwände.' });
    // The first results (more than the ten read for feedback): graves and urn walls in every one.
    for (const place of ['Olpe', 'Attendorn', 'Lennestadt', 'Finnentrop', 'Drolshagen', 'Wenden', 'Kirchhundem', 'Meschede', 'Arnsberg']) {
      await makeSolution(db, olpe, { title: `Grabstellen in ${place}`, summary: `Grabstellen und Urnenwände des Friedhofs ${place} werden im Plan verwaltet.` });
    }
    await makeSolution(db, olpe, { title: 'Kolumbarium', summary: 'Urnenwände werden gebaut.' });
    anon = new Visitor(t.app);
  });
  after(() => t.close());

  it('ranks an entry sharing the first results\' telling words higher, but finds only entries with the query\'s words', async () => {
    const page = (await anon.get(`/loesungen?q=${encodeURIComponent('Grabstellen')}`)).body;
    const slugs = resultSlugs(page);
    assert.equal(slugs.length, 11, 'the entry naming only urn walls is no hit');
    // The facets count the same hits, without the entry found only through a lent word.
    assert.equal(facetOptions(page, 'origin').reduce((sum, o) => sum + o.count, 0), 11);
    // "Urnenwände" is in the first results: the entry naming it moves above the shorter, older one.
    assert.ok(slugs.indexOf('nutzungsrechte') < slugs.indexOf('gebuehrenbescheide'), slugs.join(' '));
  });
});

describe(`words naming what every entry is about (${backend})`, () => {
  const { page: search } = searchedCatalogue(async (db, admin) => {
    // Each entry is created before the one that should rank above it, so a tie broken by id would show.
    await makeSolution(db, admin, { title: 'Ki-67 in tumour tissue', summary: 'The Ki-67 marker is counted in tissue samples of the hospital.', language: 'en' }, imported('ATRS-21', 'Example Trust'));
    await makeSolution(db, admin, { title: 'Artificial intelligence detects road signs', summary: 'Artificial intelligence detects traffic signs along the roads of the county.', language: 'en' }, imported('ATRS-22', 'Example County'));
    await makeSolution(db, admin, { title: 'Potholes on country roads', summary: 'Cameras on refuse lorries find potholes on country roads.', language: 'en' }, imported('ATRS-23', 'Example Borough'));
    await makeSolution(db, admin, { title: 'Artificial intelligence detects potholes', summary: 'Artificial intelligence detects potholes on the roads of the town.', language: 'en' }, imported('ATRS-24', 'Example Town'));
  });

  it('does not count "KI" among the words matched: the entry on potholes ranks above the one naming AI and detection', async () => {
    const page = await search('Schlaglöcher mit KI erkennen');
    assert.deepEqual(resultSlugs(page), [
      'artificial-intelligence-detects-potholes', 'potholes-on-country-roads', 'artificial-intelligence-detects-road-signs', 'ki-67-in-tumour-tissue',
    ]);
    // Each entry still says how many of the words it holds, "KI" included.
    const text = pageText(page);
    assert.match(text, /Cameras on refuse lorries[^]*passt zu 1 von 3 Wörtern[^]*Artificial intelligence detects road signs[^]*passt zu 2 von 3 Wörtern[^]*Ki-67 in tumour tissue[^]*passt zu 1 von 3 Wörtern/);
  });
});
