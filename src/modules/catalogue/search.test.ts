import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../platform/db/database.js';
import { backend, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { facetOptions, makeSolution, resultSlugs, resultTotal, unescapeHtml, viewerOf } from '../../../test/support/catalogue.js';
import { loadExamples, removeExamples } from './examples.js';
import { parseSolution, updateSolution } from './service.js';

/**
 * A small, realistic catalogue: the six examples, ten public entries of member organisations in four districts,
 * one English and one Dutch register entry, one members-only entry and one draft. Created in this order,
 * so ids (and ties) are the same on both databases.
 */
async function buildCatalogue(db: Db) {
  const as = async (organisation: string, role: 'member' | 'admin' = 'member') => viewerOf(db, (await createUser(db, { organisation, role })).id);
  const admin = await as('Kreis Olpe', 'admin');
  const arnsberg = await as('Arnsberg');
  const siegen = await as('Siegen');
  const kreisOlpe = await as('Kreis Olpe');
  const olpe = await as('Olpe');
  const soest = await as('Soest');
  await loadExamples(db, admin);
  await makeSolution(db, arnsberg, { title: 'Kamerafahrten des Bauhofs', summary: 'Kameras an den Kehrmaschinen sollen Schlaglöcher erkennen und an den Bauhof melden.', field_of_action: 'economic_affairs', maturity: 'idea', technique: 'machine_learning' });
  await makeSolution(db, siegen, { title: 'Schlaglocherkennung im Radwegenetz', summary: 'Sensoren an Dienstfahrrädern messen Erschütterungen auf Radwegen und zeigen Schäden auf einer Karte.', field_of_action: 'economic_affairs', maturity: 'planned', technique: 'machine_learning' });
  await makeSolution(db, kreisOlpe, { title: 'Frühwarnsystem für Sturzfluten', summary: 'Eine Vorhersage von Starkregen für jede Ortschaft des Kreises, verbunden mit den Pegeln der Bäche.', field_of_action: 'environmental_protection', maturity: 'pilot', technique: 'machine_learning', reuse_offered: '1' });
  await makeSolution(db, olpe, { title: 'Straßenbeleuchtung nach Bedarf', summary: 'Die Laternen an jeder Straße dimmen nachts und werden hell, sobald ein Sensor Fußgänger bemerkt.', field_of_action: 'housing_community', maturity: 'production', technique: 'rule_based', reuse_offered: '1' });
  await makeSolution(db, arnsberg, {
    title: 'Ratsinformationssystem mit Sprachsuche', summary: 'Ratsmitglieder finden Beschlüsse und Vorlagen, indem sie einfach fragen.',
    description: 'Zuerst war ein Chatbot geplant. Der Chatbot hätte aber nur Fragen beantwortet; der Chatbot konnte keine Vorlagen durchsuchen.',
    field_of_action: 'general_public_services', maturity: 'production', technique: 'generative',
  });
  await makeSolution(db, soest, { title: 'Chatbot für die Kfz-Zulassung', summary: 'Beantwortet Fragen zur Zulassung von Fahrzeugen und nennt die nötigen Unterlagen.', field_of_action: 'general_public_services', maturity: 'pilot', technique: 'generative' });
  await makeSolution(db, admin, { title: 'Pothole detection from refuse lorries', summary: 'Cameras on refuse lorries support the detection of potholes and other road damage.', field_of_action: 'economic_affairs', maturity: 'production', technique: 'machine_learning', language: 'en' }, {
    organisation_id: null, source: 'atrs', source_id: 'ATRS-42', source_url: 'https://www.gov.uk/algorithmic-transparency-records/pothole', source_org: 'Example Borough Council', source_country: 'GB', licence: 'Open Government Licence v3.0',
  });
  await makeSolution(db, admin, { title: 'Voorspelling van volle afvalcontainers', summary: 'De gemeente voorspelt wanneer ondergrondse containers vol zijn en plant de route.', field_of_action: 'environmental_protection', maturity: 'production', technique: 'machine_learning', language: 'nl' }, {
    organisation_id: null, source: 'nl', source_id: 'NL-7', source_url: 'https://algoritmes.overheid.nl/nl/algoritme/7', source_org: 'Gemeente Utrecht', source_country: 'NL', licence: 'CC0 1.0',
  });
  await makeSolution(db, soest, { title: 'Übersetzung von Bescheiden in Leichte Sprache', summary: 'Bescheide werden automatisch in Leichte Sprache übertragen und vor dem Versand geprüft.', field_of_action: 'social_protection', maturity: 'in_development', technique: 'generative' });
  await makeSolution(db, siegen, { title: 'Ärztlicher Notdienst: Anrufe vorsortieren', summary: 'Ein Sprachmodell fragt Beschwerden ab und gibt die Dringlichkeit an die Leitstelle weiter.', field_of_action: 'health', maturity: 'idea', technique: 'generative' });
  await makeSolution(db, kreisOlpe, { title: 'Abfallkalender per Sprachassistent', summary: 'Der Sprachassistent sagt, welche Tonne morgen abgeholt wird.', field_of_action: 'environmental_protection', maturity: 'production', technique: 'rule_based', reuse_offered: '1' });
  await makeSolution(db, soest, { title: 'Mängelmelder mit Bildprüfung', summary: 'Bürgerinnen und Bürger melden ein Schlagloch per Foto; eine KI prüft, ob das Bild zur Meldung passt.', field_of_action: 'general_public_services', maturity: 'production', technique: 'machine_learning' });
  await makeSolution(db, arnsberg, { title: 'Interne Reisekostenprüfung', summary: 'Anträge auf Reisekosten werden vor der Auszahlung auf Vollständigkeit geprüft.', field_of_action: 'general_public_services', maturity: 'pilot', technique: 'hybrid', visibility: 'members' });
  await makeSolution(db, olpe, { title: 'Chatbot für Bauanträge', summary: 'Ein Chatbot hilft beim Ausfüllen von Bauanträgen.', field_of_action: 'housing_community', maturity: 'idea', technique: 'generative', visibility: 'draft' });
}

const PUBLIC_COUNT = 18;

describe(`searching the catalogue (${backend})`, () => {
  let t: TestApp;
  let anon: Visitor;
  const search = async (q: string, extra = '', v: Visitor = anon) => {
    const res = await v.get(`/loesungen?q=${encodeURIComponent(q)}${extra}`);
    assert.equal(res.statusCode, 200, q);
    return res;
  };
  const slugs = async (q: string, extra = '', v: Visitor = anon) => resultSlugs((await search(q, extra, v)).body);

  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    await buildCatalogue(t.database.db);
    anon = new Visitor(t.app);
  });
  after(() => t.close());

  it('lists every public solution when nothing is searched', async () => {
    const res = await anon.get('/loesungen');
    assert.equal(resultTotal(res.body), PUBLIC_COUNT);
    assert.match(res.body, /18 Lösungen</);
  });

  it('finds other forms of a word by its stem (Schlaglöcher finds Schlagloch)', async () => {
    assert.ok((await slugs('Schlaglöcher')).includes('maengelmelder-mit-bildpruefung'), 'Schlagloch in the summary');
    assert.ok((await slugs('Schlagloch')).includes('kamerafahrten-des-bauhofs'), 'Schlaglöcher in the summary');
    assert.deepEqual(await slugs('Beschluss'), ['ratsinformationssystem-mit-sprachsuche']);
  });

  it('finds English plurals and singulars ("detections" finds "detection", "potholes" finds "Pothole")', async () => {
    // The German entries about "Erkennung" follow through the translation of "detection".
    const detection = ['pothole-detection-from-refuse-lorries', 'schlaglocherkennung-per-smartphone', 'schlaglocherkennung-im-radwegenetz', 'kamerafahrten-des-bauhofs'];
    assert.deepEqual(await slugs('detections'), detection);
    assert.deepEqual(await slugs('detection'), detection);
    assert.equal((await slugs('potholes'))[0], 'pothole-detection-from-refuse-lorries');
  });

  it('finds Dutch plurals ("gemeenten" finds "gemeente")', async () => {
    assert.deepEqual(await slugs('gemeenten'), ['voorspelling-van-volle-afvalcontainers']);
    assert.deepEqual(await slugs('gemeente'), ['voorspelling-van-volle-afvalcontainers']);
    assert.deepEqual(await slugs('afvalcontainer'), ['voorspelling-van-volle-afvalcontainers']);
  });

  it('treats umlauts and ß like their spelled-out forms (Strasse = Straße, Antraege = Anträge, Pruefung = Prüfung)', async () => {
    const strasse = await slugs('Strasse');
    assert.ok(strasse.includes('strassenbeleuchtung-nach-bedarf'));
    assert.deepEqual(strasse, await slugs('Straße'));
    assert.deepEqual(await slugs('Antraege'), ['schnellere-pruefung-von-antraegen']);
    assert.deepEqual(await slugs('Anträge'), ['schnellere-pruefung-von-antraegen']);
    // "Prüfung" in a title first, then as part of "Bildprüfung".
    assert.deepEqual(await slugs('Pruefung'), ['schnellere-pruefung-von-antraegen', 'maengelmelder-mit-bildpruefung']);
    assert.deepEqual(await slugs('PRÜFUNG'), ['schnellere-pruefung-von-antraegen', 'maengelmelder-mit-bildpruefung']);
    // The glossary's synonym "Warnung" also finds the heavy-rain forecast, below the entry named so.
    const warning = await slugs('Fruehwarnsystem');
    assert.equal(warning[0], 'fruehwarnsystem-fuer-sturzfluten');
    assert.deepEqual(warning, await slugs('Frühwarnsystem'));
  });

  it('finds compounds by their parts and parts by the compound, in both directions', async () => {
    // "Schlaglöcher erkennen" finds the solution that only says "Schlaglocherkennung", and the other way round.
    assert.ok((await slugs('Schlaglöcher erkennen')).includes('schlaglocherkennung-im-radwegenetz'));
    assert.ok((await slugs('Schlaglocherkennung')).includes('kamerafahrten-des-bauhofs'));
    // "Vorhersage von Starkregen" finds "Starkregenvorhersage für Ortsteile", and the other way round.
    assert.ok((await slugs('Vorhersage von Starkregen')).includes('starkregenvorhersage-fuer-ortsteile'));
    assert.ok((await slugs('Starkregenvorhersage')).includes('fruehwarnsystem-fuer-sturzfluten'));
    // A part on its own finds the compound.
    assert.ok((await slugs('Starkregen')).includes('starkregenvorhersage-fuer-ortsteile'));
    assert.ok((await slugs('Erkennung')).includes('schlaglocherkennung-im-radwegenetz'));
  });

  it('forgives small typos in longer words, but does not guess short words', async () => {
    // The misspelt word finds the German entries; its translation ("pothole") follows the corrected word ("Meinten Sie").
    assert.deepEqual(await slugs('Schlaglöscher'), (await slugs('Schlaglöcher')).filter((s) => s !== 'pothole-detection-from-refuse-lorries'));
    assert.ok((await slugs('Schlaglöscher')).includes('schlaglocherkennung-per-smartphone'));
    assert.deepEqual(await slugs('Telefonsevice'), ['ki-telefonservice-fuer-die-buergerhotline']);
    assert.deepEqual(await slugs('Avatr'), ['digitaler-avatar-im-rathaus']);
    assert.deepEqual(await slugs('Lego'), ['ki-erklaeren-mit-lego-modellen']);
    const short = await search('Lega');
    assert.deepEqual(resultSlugs(short.body), []);
    assert.match(short.body, /Keine Lösung gefunden\./);
    assert.deepEqual(await slugs('Fto'), [], 'three letters: no typo allowed');
    // Words of up to eight letters may have one typo, not two.
    assert.deepEqual(await slugs('Chatbut'), ['chatbot-fuer-die-kfz-zulassung', 'ratsinformationssystem-mit-sprachsuche']);
    assert.deepEqual(await slugs('Chatbto'), [], 'two typos in a seven-letter word are not forgiven');
  });

  it('ranks a match in the title above a match in the description', async () => {
    // The Ratsinformationssystem (older, lower id) names "Chatbot" three times in its description; the other in its title.
    assert.deepEqual(await slugs('Chatbot'), ['chatbot-fuer-die-kfz-zulassung', 'ratsinformationssystem-mit-sprachsuche']);
  });

  it('ranks entries matching more of the query\'s words first, and still finds those matching only some', async () => {
    // Both words: the Kfz chatbot; "Chatbot" alone: the council information system.
    assert.deepEqual(await slugs('Chatbot Zulassung'), ['chatbot-fuer-die-kfz-zulassung', 'ratsinformationssystem-mit-sprachsuche']);
    assert.deepEqual(await slugs('Chatbot für die Zulassung'), await slugs('Chatbot Zulassung'), 'stop words are ignored');
    // "Sprachassistent" is "Sprache" + "Assistent": entries about language match one of three words.
    assert.deepEqual(await slugs('Sprachassistent Tonne'), [
      'abfallkalender-per-sprachassistent', 'ki-telefonservice-fuer-die-buergerhotline', 'uebersetzung-von-bescheiden-in-leichte-sprache', 'aerztlicher-notdienst-anrufe-vorsortieren',
    ]);
    // A word no entry contains does not empty the result.
    assert.deepEqual(await slugs('Chatbot Raumfahrt'), await slugs('Chatbot'));
  });

  it('shows only what the visitor may see in search results', async () => {
    assert.deepEqual(await slugs('Anträge'), ['schnellere-pruefung-von-antraegen']);
    const { visitor: member } = await signedIn(t.app, t.database.db, 'member', { organisation: 'Meschede' });
    assert.deepEqual(await slugs('Anträge', '', member), ['schnellere-pruefung-von-antraegen', 'interne-reisekostenpruefung']);
    assert.deepEqual(await slugs('Chatbot', '', member), ['chatbot-fuer-die-kfz-zulassung', 'ratsinformationssystem-mit-sprachsuche']);
    const { visitor: olpe } = await signedIn(t.app, t.database.db, 'member', { organisation: 'Olpe' });
    assert.ok((await slugs('Chatbot', '', olpe)).includes('chatbot-fuer-bauantraege'), 'the own draft');
  });

  it('marks the matched words in the result snippets', async () => {
    const res = await search('Schlaglöcher');
    const snippets = [...res.body.matchAll(/<p class="snippet"(?: lang="[a-z]+")?>([\s\S]*?)<\/p>/g)].map((m) => m[1]);
    assert.equal(snippets.length, resultTotal(res.body));
    assert.ok(snippets.some((s) => s.includes('<mark>Schlaglöcher</mark>')), snippets.join('\n'));
    assert.ok(snippets.some((s) => s.includes('<mark>Schlagloch</mark>')), 'other forms of the word are marked too');
    assert.match((await search('Strasse')).body, /an jeder <mark>Straße<\/mark> dimmen/);
    assert.match((await search('detections')).body, /support the <mark>detection<\/mark> of potholes/);
    assert.match((await search('Schlaglöscher')).body, /<mark>Schlaglöcher<\/mark>/, 'a forgiven typo marks the word it found');
    assert.doesNotMatch((await anon.get('/loesungen')).body, /<mark>/, 'nothing is marked without a query');
  });

  it('shows facet counts that match the number of results when the filter is applied', async () => {
    const page = (await anon.get('/loesungen')).body;
    const expected: Record<string, Record<string, number>> = {
      field_of_action: { 'Allgemeine Verwaltung': 6, 'Wirtschaft und Verkehr': 4, Umweltschutz: 4, Bildung: 1, 'Wohnen und Stadtentwicklung': 1, Soziales: 1, Gesundheit: 1 },
      maturity: { Idee: 2, Geplant: 1, 'In Entwicklung': 2, Pilot: 5, Produktiv: 8 },
      technique: { 'Generative KI / Sprachmodell': 6, 'Maschinelles Lernen': 9, Hybrid: 1, Regelbasiert: 2 },
      source: { 'Mitglieder der Community': 16, 'UK Algorithmic Transparency Records': 1, 'Algoritmeregister (NL)': 1 },
      language: { Deutsch: 16, Englisch: 1, Niederländisch: 1 },
      reuse_offered: { 'Nachnutzung angeboten': 4, 'Keine Nachnutzung angeboten': 14 },
      district: { 'Kreis Olpe': 3, Hochsauerlandkreis: 2, 'Kreis Siegen-Wittgenstein': 2, 'Kreis Soest': 3 },
    };
    for (const [facet, counts] of Object.entries(expected)) {
      const options = facetOptions(page, facet);
      assert.deepEqual(Object.fromEntries(options.map((o) => [o.label, o.count])), counts, facet);
      for (const o of options) {
        const filtered = (await anon.get(`/loesungen?${facet}=${encodeURIComponent(o.value)}`)).body;
        assert.equal(resultTotal(filtered), o.count, `${facet}=${o.label}`);
        assert.ok(facetOptions(filtered, facet).find((x) => x.value === o.value)?.checked, `${facet}=${o.label} is ticked`);
      }
    }
  });

  it('counts facets within the search and the other filters, and combines values of one facet with "or"', async () => {
    const withQuery = (await search('Schlagloch')).body;
    assert.deepEqual(Object.fromEntries(facetOptions(withQuery, 'maturity').map((o) => [o.label, o.count])), { Pilot: 1, Idee: 1, Geplant: 1, Produktiv: 2 });
    for (const o of facetOptions(withQuery, 'maturity')) {
      assert.equal(resultTotal((await search('Schlagloch', `&maturity=${o.value}`)).body), o.count, o.label);
    }
    // With a filter the facets are counted from the query's matches: an entry holding several forms of the query
    // ("Schlaglocherkennung", "Schlagloch", "Erkennung") counts once.
    const filtered = (await search('Schlaglocherkennung', '&maturity=pilot')).body;
    assert.ok(facetOptions(filtered, 'maturity').length > 1);
    for (const o of facetOptions(filtered, 'maturity')) {
      assert.equal(resultTotal((await search('Schlaglocherkennung', `&maturity=${o.value}`)).body), o.count, `Schlaglocherkennung, ${o.label}`);
    }

    const pilots = (await anon.get('/loesungen?maturity=pilot')).body;
    assert.equal(resultTotal(pilots), 5);
    // The facet's own counts ignore its filter, so other values can be added; the other facets count within it.
    assert.equal(facetOptions(pilots, 'maturity').find((o) => o.value === 'production')?.count, 8);
    assert.deepEqual(Object.fromEntries(facetOptions(pilots, 'field_of_action').map((o) => [o.label, o.count])), { 'Allgemeine Verwaltung': 3, 'Wirtschaft und Verkehr': 1, Umweltschutz: 1 });
    assert.equal(resultTotal((await anon.get('/loesungen?maturity=pilot&field_of_action=general_public_services')).body), 3);
    assert.equal(resultTotal((await anon.get('/loesungen?maturity=pilot&maturity=idea')).body), 7);

    const kreisOlpe = facetOptions((await anon.get('/loesungen')).body, 'district').find((o) => o.label === 'Kreis Olpe')!;
    const inDistrict = (await anon.get(`/loesungen?district=${kreisOlpe.value}&sort=title`)).body;
    // Entries of the district itself and of its municipalities (Olpe).
    assert.deepEqual(resultSlugs(inDistrict), ['abfallkalender-per-sprachassistent', 'fruehwarnsystem-fuer-sturzfluten', 'strassenbeleuchtung-nach-bedarf']);

    // Members see the members-only entry counted as well.
    const { visitor: member } = await signedIn(t.app, t.database.db, 'member', { organisation: 'Siegen' });
    const memberPage = (await member.get('/loesungen')).body;
    assert.equal(facetOptions(memberPage, 'district').find((o) => o.label === 'Hochsauerlandkreis')?.count, 3);
    assert.equal(facetOptions(memberPage, 'technique').find((o) => o.value === 'hybrid')?.count, 2);
  });

  it('answers a hand-edited filter value with no results instead of an error, on both databases', async () => {
    const kreisOlpe = facetOptions((await anon.get('/loesungen')).body, 'district').find((o) => o.label === 'Kreis Olpe')!;
    for (const query of ['district=abc', 'organisation=x', 'reuse_offered=ja', 'district=99999999999999999999', 'maturity=genial']) {
      const res = await anon.get(`/loesungen?${query}`);
      assert.equal(res.statusCode, 200, query);
      assert.equal(resultTotal(res.body), 0, query);
      assert.equal((await anon.get(`/loesungen/export.csv?${query}`)).statusCode, 200, `export ${query}`);
    }
    assert.equal(resultTotal((await anon.get(`/loesungen?district=abc&district=${kreisOlpe.value}`)).body), 3);
  });

  it('works without JavaScript: search and filters are plain GET forms', async () => {
    const page = (await anon.get('/loesungen?q=Schlagloch&maturity=pilot')).body;
    const searchForm = /<form method="get" action="\/loesungen" role="search"[^>]*>([\s\S]*?)<\/form>/.exec(page);
    assert.ok(searchForm, 'search form with method get and action /loesungen');
    assert.match(searchForm[1], /<input id="q" name="q" type="search" value="Schlagloch"/);
    assert.match(searchForm[1], /<input type="hidden" name="maturity" value="pilot"\/>/, 'a new search keeps the filters');
    const aside = /<aside class="facets"[\s\S]*?<\/aside>/.exec(page)![0];
    const facetForm = /<form method="get" action="\/loesungen">([\s\S]*?)<\/form>/.exec(aside);
    assert.ok(facetForm, 'facet form with method get and action /loesungen');
    assert.match(facetForm[1], /<input type="hidden" name="q" value="Schlagloch"\/>/);
    assert.match(facetForm[1], /<input type="checkbox" id="facet-maturity-pilot" name="maturity" value="pilot" checked\/>/);
    assert.match(facetForm[1], /<select id="sort" name="sort">/);
    assert.match(facetForm[1], /<button type="submit" class="button">Filter anwenden<\/button>/);
    // What the browser sends when the form is submitted with "Titel A–Z" chosen.
    const submitted = (await anon.get('/loesungen?q=Schlagloch&maturity=pilot&maturity=production&sort=title')).body;
    assert.deepEqual(resultSlugs(submitted), ['maengelmelder-mit-bildpruefung', 'pothole-detection-from-refuse-lorries', 'schlaglocherkennung-per-smartphone']);
    assert.match(submitted, /<option value="title" selected>Titel A–Z<\/option>/);
  });

  it('sorts by title A–Z with umlauts as their base letters, the same on both databases', async () => {
    assert.deepEqual(resultSlugs((await anon.get('/loesungen?sort=title')).body), [
      'abfallkalender-per-sprachassistent',
      'aerztlicher-notdienst-anrufe-vorsortieren',
      'chatbot-fuer-die-kfz-zulassung',
      'digitaler-avatar-im-rathaus',
      'fruehwarnsystem-fuer-sturzfluten',
      'kamerafahrten-des-bauhofs',
      'ki-erklaeren-mit-lego-modellen',
      'ki-telefonservice-fuer-die-buergerhotline',
      'maengelmelder-mit-bildpruefung',
      'pothole-detection-from-refuse-lorries',
      'ratsinformationssystem-mit-sprachsuche',
      'schlaglocherkennung-im-radwegenetz',
      'schlaglocherkennung-per-smartphone',
      'schnellere-pruefung-von-antraegen',
      'starkregenvorhersage-fuer-ortsteile',
      'strassenbeleuchtung-nach-bedarf',
      'uebersetzung-von-bescheiden-in-leichte-sprache',
      'voorspelling-van-volle-afvalcontainers',
    ]);
    // With a query: "Sprache" also finds "Sprachassistent" and "Sprachmodell".
    assert.deepEqual(resultSlugs((await search('Sprache', '&sort=title')).body), [
      'abfallkalender-per-sprachassistent', 'aerztlicher-notdienst-anrufe-vorsortieren', 'ki-telefonservice-fuer-die-buergerhotline', 'uebersetzung-von-bescheiden-in-leichte-sprache',
    ]);
  });

  it('returns the same solutions in the same order on both databases', async () => {
    assert.deepEqual(await slugs('Schlaglöcher erkennen'), [
      'pothole-detection-from-refuse-lorries', 'schlaglocherkennung-per-smartphone', 'schlaglocherkennung-im-radwegenetz', 'kamerafahrten-des-bauhofs',
      'maengelmelder-mit-bildpruefung',
    ]);
    assert.deepEqual(await slugs('Schlaglocherkennung'), ['schlaglocherkennung-im-radwegenetz', 'schlaglocherkennung-per-smartphone', 'kamerafahrten-des-bauhofs', 'maengelmelder-mit-bildpruefung']);
    // The English entry names "pothole" in its title and summary; the German ones "Schlagloch" as part of a compound or in the summary.
    assert.deepEqual(await slugs('Schlaglöcher'), [
      'pothole-detection-from-refuse-lorries', 'schlaglocherkennung-per-smartphone', 'schlaglocherkennung-im-radwegenetz', 'kamerafahrten-des-bauhofs', 'maengelmelder-mit-bildpruefung',
    ]);
    // The compound's head ("Vorhersage") translated alone finds another forecast, below the heavy-rain entries.
    assert.deepEqual(await slugs('Starkregenvorhersage'), ['starkregenvorhersage-fuer-ortsteile', 'fruehwarnsystem-fuer-sturzfluten', 'voorspelling-van-volle-afvalcontainers']);
    // "Vorhersage" on its own is translated: the Dutch "voorspelling" is a forecast too.
    assert.deepEqual(await slugs('Vorhersage von Starkregen'), ['starkregenvorhersage-fuer-ortsteile', 'fruehwarnsystem-fuer-sturzfluten', 'voorspelling-van-volle-afvalcontainers']);
    assert.deepEqual(await slugs('Sensor'), ['schlaglocherkennung-im-radwegenetz', 'strassenbeleuchtung-nach-bedarf']);
    assert.deepEqual(await slugs('Sprachassistent'), [
      'abfallkalender-per-sprachassistent', 'ki-telefonservice-fuer-die-buergerhotline', 'uebersetzung-von-bescheiden-in-leichte-sprache', 'aerztlicher-notdienst-anrufe-vorsortieren',
    ]);
  });

  it('lists similar solutions on a solution page, only those the visitor may see', async () => {
    const page = (await anon.get('/loesungen/schlaglocherkennung-im-radwegenetz')).body;
    const similar = /<section aria-labelledby="similar"><h2 id="similar">Ähnliche Lösungen<\/h2><ul>([\s\S]*?)<\/ul>/.exec(page);
    assert.ok(similar, 'a section "Ähnliche Lösungen"');
    const listed = [...similar[1].matchAll(/href="\/loesungen\/([^"]+)"/g)].map((m) => m[1]);
    assert.ok(listed.includes('schlaglocherkennung-per-smartphone'), listed.join());
    assert.ok(!listed.includes('schlaglocherkennung-im-radwegenetz'), 'not itself');
    assert.ok(listed.length <= 5);

    const kfz = (await anon.get('/loesungen/chatbot-fuer-die-kfz-zulassung')).body;
    assert.doesNotMatch(kfz, /chatbot-fuer-bauantraege/, 'no draft of another organisation');
    const { visitor: olpe } = await signedIn(t.app, t.database.db, 'member', { organisation: 'Olpe' });
    assert.match((await olpe.get('/loesungen/chatbot-fuer-die-kfz-zulassung')).body, /<li><a href="\/loesungen\/chatbot-fuer-bauantraege">Chatbot für Bauanträge<\/a><\/li>/);
  });

  it('sorts by newest first, and an edited solution moves to the top', async () => {
    const newest = resultSlugs((await anon.get('/loesungen')).body);
    assert.deepEqual(newest.slice(0, 4), ['maengelmelder-mit-bildpruefung', 'abfallkalender-per-sprachassistent', 'aerztlicher-notdienst-anrufe-vorsortieren', 'uebersetzung-von-bescheiden-in-leichte-sprache']);
    assert.deepEqual(newest.slice(-2), ['schlaglocherkennung-per-smartphone', 'digitaler-avatar-im-rathaus']);
    assert.deepEqual(resultSlugs((await anon.get('/loesungen?sort=newest')).body), newest);
    assert.deepEqual(resultSlugs((await search('Chatbot', '&sort=newest')).body), ['chatbot-fuer-die-kfz-zulassung', 'ratsinformationssystem-mit-sprachsuche']);

    const db = t.database.db;
    const editor = await viewerOf(db, (await createUser(db, { organisation: 'Arnsberg' })).id);
    const current = await db.selectFrom('solutions').selectAll().where('slug', '=', 'kamerafahrten-des-bauhofs').executeTakeFirstOrThrow();
    await new Promise((r) => setTimeout(r, 5));
    const input = Object.fromEntries(Object.entries(current).map(([k, v]) => [k, v === null ? '' : String(v)]));
    await updateSolution(db, editor, current.slug, parseSolution({ ...input, reuse_offered: current.reuse_offered ? '1' : '', benefit: 'Schäden werden früher behoben.' }, {}));
    assert.equal(resultSlugs((await anon.get('/loesungen')).body)[0], 'kamerafahrten-des-bauhofs');
    assert.equal(resultSlugs((await search('Schäden', '&sort=newest')).body)[0], 'kamerafahrten-des-bauhofs');
  });
});

describe(`paging through results (${backend})`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    const author = await viewerOf(t.database.db, (await createUser(t.database.db, { organisation: 'Meschede' })).id);
    for (let i = 1; i <= 23; i++) {
      const n = String(i).padStart(2, '0');
      await makeSolution(t.database.db, author, { title: `Bürgerbüro-Assistent ${n}`, summary: `Variante ${n} eines Assistenten für das Bürgerbüro.`, maturity: i % 2 ? 'pilot' : 'idea' });
    }
  });
  after(() => t.close());

  it('shows 20 results per page with a "Nächste Seite" link; page 2 has the rest', async () => {
    const anon = new Visitor(t.app);
    const first = (await anon.get('/loesungen?q=B%C3%BCrgerb%C3%BCro&sort=title')).body;
    assert.equal(resultTotal(first), 23);
    const one = resultSlugs(first);
    assert.equal(one.length, 20);
    assert.match(first, /Seite 1 von 2/);
    const next = /<a href="([^"]+)" rel="next">Nächste Seite<\/a>/.exec(first);
    assert.ok(next, '"Nächste Seite" link');
    const nextUrl = unescapeHtml(next[1]);
    assert.equal(nextUrl, '/loesungen?q=B%C3%BCrgerb%C3%BCro&sort=title&seite=2');
    assert.doesNotMatch(first, /rel="prev"/);

    const second = (await anon.get(nextUrl)).body;
    const two = resultSlugs(second);
    assert.deepEqual(two, ['buergerbuero-assistent-21', 'buergerbuero-assistent-22', 'buergerbuero-assistent-23']);
    assert.deepEqual(one, Array.from({ length: 20 }, (_, i) => `buergerbuero-assistent-${String(i + 1).padStart(2, '0')}`));
    assert.match(second, /Seite 2 von 2/);
    assert.doesNotMatch(second, /rel="next"/);
    assert.match(second, /<a href="\/loesungen\?q=B%C3%BCrgerb%C3%BCro&amp;sort=title" rel="prev">Vorherige Seite<\/a>/);

    // Filters are kept from page to page.
    const pilots = (await anon.get('/loesungen?maturity=pilot')).body;
    assert.equal(resultTotal(pilots), 12);
    assert.doesNotMatch(pilots, /rel="next"/);
    const all = (await anon.get('/loesungen')).body;
    assert.match(all, /<a href="\/loesungen\?seite=2" rel="next">Nächste Seite<\/a>/);
    assert.equal(resultSlugs((await anon.get('/loesungen?seite=2')).body).length, 3);
    assert.deepEqual(resultSlugs((await anon.get('/loesungen?seite=3')).body), []);
  });
});

describe(`the search index after edits and removals (${backend})`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('finds an entry by its new words only after an edit, and still forgives the typo that was corrected', async () => {
    const db = t.database.db;
    const author = await viewerOf(db, (await createUser(db, { organisation: 'Olpe' })).id);
    const fields = { title: 'Telefonsevice im Bürgerbüro', summary: 'Anrufe werden rund um die Uhr angenommen.', maturity: 'pilot', language: 'de', visibility: 'public' };
    const { slug } = await makeSolution(db, author, fields);
    await updateSolution(db, author, slug, parseSolution({ ...fields, title: 'Telefonservice im Bürgerbüro', summary: 'Anrufe werden tagsüber angenommen.' }, {}));
    const anon = new Visitor(t.app);
    const find = async (q: string) => resultSlugs((await anon.get(`/loesungen?q=${encodeURIComponent(q)}`)).body);
    assert.deepEqual(await find('Telefonservice'), [slug]);
    assert.deepEqual(await find('tagsüber'), [slug]);
    assert.deepEqual(await find('Uhr'), [], 'words removed by the edit no longer find it');
    // The old spelling is now a typo like any other and is forgiven.
    assert.deepEqual(await find('Telefonsevice'), [slug]);
    assert.deepEqual(await find('Telefonsevise'), [slug]);
  });

  it('follows a change of visibility at once: a draft made public is found by everyone, a public entry made a draft only by its organisation', async () => {
    const db = t.database.db;
    const author = await viewerOf(db, (await createUser(db, { organisation: 'Olpe' })).id);
    const fields = { title: 'Wasserzählerablesung per Foto', summary: 'Zählerstände werden aus Fotos gelesen.', maturity: 'pilot', language: 'de', visibility: 'draft' };
    const { slug } = await makeSolution(db, author, fields);
    const anon = new Visitor(t.app);
    const { visitor: soest } = await signedIn(t.app, db, 'member', { organisation: 'Soest' });
    const { visitor: olpe } = await signedIn(t.app, db, 'member', { organisation: 'Olpe' });
    const find = async (v: Visitor) => resultSlugs((await v.get('/loesungen?q=Wasserz%C3%A4hlerablesung')).body);
    assert.deepEqual(await find(anon), []);
    assert.deepEqual(await find(soest), [], 'a draft of another organisation');
    assert.deepEqual(await find(olpe), [slug], 'the own draft');
    await updateSolution(db, author, slug, parseSolution({ ...fields, visibility: 'members' }, {}));
    assert.deepEqual(await find(anon), []);
    assert.deepEqual(await find(soest), [slug], 'members-only: every member');
    await updateSolution(db, author, slug, parseSolution({ ...fields, visibility: 'public' }, {}));
    assert.deepEqual(await find(anon), [slug]);
    await updateSolution(db, author, slug, parseSolution({ ...fields, visibility: 'draft' }, {}));
    assert.deepEqual(await find(anon), [], 'back to a draft: gone for the public');
    assert.deepEqual(await find(soest), []);
    assert.deepEqual(await find(olpe), [slug]);
  });

  it('finds nothing of the examples once they are removed', async () => {
    const db = t.database.db;
    const admin = await viewerOf(db, (await createUser(db, { organisation: 'Kreis Olpe', role: 'admin' })).id);
    const author = await viewerOf(db, (await createUser(db, { organisation: 'Soest' })).id);
    const own = await makeSolution(db, author, { title: 'Mängelmelder mit Bildprüfung', summary: 'Bürgerinnen melden ein Schlagloch per Foto.' });
    await loadExamples(db, admin);
    const anon = new Visitor(t.app);
    const find = async (q: string) => resultSlugs((await anon.get(`/loesungen?q=${encodeURIComponent(q)}`)).body);
    assert.deepEqual(await find('Schlaglöcher'), ['schlaglocherkennung-per-smartphone', own.slug]);
    assert.equal(await removeExamples(db, admin, true), 6);
    assert.deepEqual(await find('Schlaglöcher'), [own.slug]);
    assert.deepEqual(await find('Schlaglöscher'), [own.slug]);
    assert.deepEqual(await find('Avatar'), []);
    assert.deepEqual(await find('Sprachassistent'), []);
  });
});
