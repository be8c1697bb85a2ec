import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Visitor } from '../../../test/support/client.js';
import { makeSolution, viewerOf } from '../../../test/support/catalogue.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import type { CurrentUser } from '../../platform/policy.js';
import { EXAMPLES } from '../catalogue/examples.js';
import { markDeployment, matchSolutions } from '../catalogue/service.js';
import { ask, importRegisterCases, notificationTexts, pageText, questionForm } from './fixtures/support.js';
import { matchQuery } from './matching.js';

/**
 * Matching on real catalogue entries: seven cases of the EU Public Sector Tech Watch (four chatbots, two road-condition
 * projects, Cologne's wastewater mapping) and the community's example "KI-Telefonservice für die Bürgerhotline",
 * described by Siegen, with deployments of Südwestfalen organisations.
 */

const db = (t: TestApp) => t.database.db;

/** A catalogue example as the solution form sends it. */
function exampleForm(titlePart: string): Record<string, string> {
  const example = EXAMPLES.find((e) => e.title.includes(titlePart));
  if (!example) throw new Error(`no example "${titlePart}"`);
  return Object.fromEntries(Object.entries(example).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

const PHONE_QUESTION = {
  title: 'Chatbot oder KI-Telefonservice für Bürgeranfragen?',
  tags: 'chatbot, telefon',
  body: 'Wir möchten Anfragen der Bürgerinnen und Bürger rund um die Uhr beantworten, per Chatbot auf der Website oder am Telefon. Wer betreibt so etwas schon und wie sind die Erfahrungen?',
  field_of_action: 'general_public_services',
};

/** The titles in the "Das gibt es schon" box of a question page, in order. */
function matchedTitles(html: string): string[] {
  const box = /<aside class="matched"[\s\S]*?<\/aside>/.exec(html)?.[0] ?? '';
  return [...box.matchAll(/<h3 id="match-\d+"><a href="\/loesungen\/[^"]+"(?: lang="[a-z]+")?>([^<]*)<\/a><\/h3>/g)].map((m) => m[1]);
}

/** The "in use at" lines of one matched solution in the box. */
function runnersOf(html: string, title: string): string[] {
  const box = /<aside class="matched"[\s\S]*?<\/aside>/.exec(html)?.[0] ?? '';
  const card = box.split('<li class="card match"').find((c) => c.includes(`>${title}</a></h3>`)) ?? '';
  const list = /<ul class="deployments">([\s\S]*?)<\/ul>/.exec(card)?.[1] ?? '';
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => pageText(m[1]).trim());
}

describe('matching questions to the catalogue', () => {
  let t: TestApp;
  let people: Record<string, { id: number; email: string; password: string }>;
  let siegen: CurrentUser;

  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    await importRegisterCases(db(t));
    siegen = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Siegen', name: 'Sven Siegen' })).id);
    await makeSolution(db(t), siegen, { ...exampleForm('Telefonservice'), contact_email: 'digital@siegen.example' });
    people = {};
    for (const [key, organisation] of [['olpe', 'Olpe'], ['brilon', 'Brilon'], ['winterberg', 'Winterberg'], ['meschede', 'Meschede'], ['arnsberg', 'Arnsberg'], ['attendorn', 'Attendorn']]) {
      people[key] = await createUser(db(t), { organisation, name: `Mitglied ${organisation}` });
    }
    people.olpe2 = await createUser(db(t), { organisation: 'Olpe', name: 'Zweites Mitglied Olpe' });
    const mark = async (who: string, slug: string, status: string, extra: Record<string, string> = {}) =>
      markDeployment(db(t), await viewerOf(db(t), people[who].id), slug, { status, ...extra }, {});
    await mark('olpe', 'kora-virtual-assistant', 'production', { since: '2024-05', contact: 'digital@olpe.example' });
    await mark('brilon', 'chatbot-botty-bonn', 'pilot', { contact: 'it@brilon.example', visibility: 'members' });
    await mark('winterberg', 'chatbot-govii', 'interested');
    await mark('meschede', 'arc-d-automatic-road-condition-detection', 'production');
    await mark('arnsberg', 'chatbot-govii', 'production');
  });
  after(() => t.close());

  it('matchSolutions ranks catalogue entries sharing any of the words, the best first', async () => {
    const asker = await viewerOf(db(t), people.arnsberg.id);
    const found = await matchSolutions(db(t), asker, 'Chatbot Telefonservice Bürgerhotline Straßenzustand', 10);
    const titles = found.map((s) => s.title);
    assert.equal(titles[0], 'KI-Telefonservice für die Bürgerhotline', 'two words of the title beat one');
    for (const chatbot of ['ChatBot Botty Bonn', 'Chatbot Govii']) assert.ok(titles.includes(chatbot), chatbot);
    assert.ok(!titles.includes('Municipality of Cologne improves the accuracy of its wastewater taxation system with a geospatial AI system'));
    assert.ok(found.every((s, i) => i === 0 || (found[i - 1].score ?? 0) >= (s.score ?? 0)), 'ordered by score');
    assert.ok(found.every((s) => Number.isInteger(s.score)), 'integer scores, identical on both databases');
    assert.deepEqual(await matchSolutions(db(t), asker, '', 5), []);
  });

  it('builds the query from the telling words of title, tags and text', () => {
    assert.equal(matchQuery({ title: 'Wer hat einen Chatbot?', tags: ['ki', 'chatbot', 'bürgerbüro'], body: 'Für die Bürger und das Bürgerbüro 2025.' }),
      'Chatbot bürgerbüro Bürger');
  });

  it('shows the matched solutions beside the question, with the organisations that run them and their contacts', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg', name: 'Anna Arnsberg' });
    const { id } = await ask(visitor, PHONE_QUESTION);
    const page = await visitor.get(`/fragen/${id}`);
    const titles = matchedTitles(page.body);
    // Frag-den-Michel, Hamburg's chatbot for citizens' questions, is found through the English of "Bürger" and "Anfragen".
    assert.deepEqual(titles.slice().sort(), [
      'Chatbot Govii', 'ChatBot Botty Bonn', 'Frag-den-Michel! Innovativer Online-Bürgerservice in Betrieb', 'KI-Telefonservice für die Bürgerhotline', 'Kora - virtual assistant',
    ].sort());
    assert.equal(titles[0], 'KI-Telefonservice für die Bürgerhotline');
    assert.ok(!titles.some((title) => /Road|TWIN4ROAD|wastewater/.test(title)), 'nothing about roads or wastewater');

    assert.deepEqual(runnersOf(page.body, 'KI-Telefonservice für die Bürgerhotline'), ['Siegen (hat die Lösung beschrieben)']);
    assert.deepEqual(runnersOf(page.body, 'Kora - virtual assistant'), ['Olpe: produktiv seit 05/2024 – Kontakt: digital@olpe.example']);
    assert.deepEqual(runnersOf(page.body, 'ChatBot Botty Bonn'), ['Brilon: Pilot – Kontakt: it@brilon.example']);
    assert.deepEqual(runnersOf(page.body, 'Chatbot Govii'), ['Arnsberg: produktiv'], 'only organisations that run it, not those interested');
    assert.match(page.body, /Kontakt: <a href="mailto:digital@siegen\.example">digital@siegen\.example<\/a>/);

    // Visitors see the public deployments, without the contacts members share among themselves.
    const anon = await new Visitor(t.app).get(`/fragen/${id}`);
    assert.deepEqual(runnersOf(anon.body, 'Kora - virtual assistant'), ['Olpe: produktiv seit 05/2024']);
    assert.deepEqual(runnersOf(anon.body, 'ChatBot Botty Bonn'), [], 'a deployment visible to members only stays hidden');
  });

  it('notifies the members of the organisations that run something similar, never the asker\'s own organisation', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg', name: 'Anton Arnsberg' });
    const before = Object.fromEntries(await Promise.all(Object.entries(people).map(async ([k, p]) => [k, (await notificationTexts(db(t), p.id)).length] as const)));
    const { id } = await ask(visitor, PHONE_QUESTION);
    const fresh = async (key: string) => (await notificationTexts(db(t), people[key].id)).slice(0, (await notificationTexts(db(t), people[key].id)).length - before[key]);

    const olpe = await fresh('olpe');
    assert.deepEqual(olpe.map((n) => n.kind), ['match']);
    assert.equal(olpe[0].text, 'Arnsberg fragt: „Chatbot oder KI-Telefonservice für Bürgeranfragen?“ – Ihre Organisation betreibt etwas Ähnliches (Kora - virtual assistant).');
    assert.equal(olpe[0].url, `/fragen/${id}`);
    assert.equal((await fresh('olpe2')).length, 1, 'every member of a matched organisation is told');
    assert.match((await fresh('brilon'))[0].text, /betreibt etwas Ähnliches \(ChatBot Botty Bonn\)\.$/, 'a pilot counts as running it');
    const siegenTexts = (await notificationTexts(db(t), siegen.id)).filter((n) => n.url === `/fragen/${id}`);
    assert.match(siegenTexts[0].text, /betreibt etwas Ähnliches \(KI-Telefonservice für die Bürgerhotline\)\.$/, 'the organisation that described a solution runs it');
    assert.equal((await fresh('arnsberg')).length, 0, 'the asker\'s own organisation is not notified, although it runs Govii');
    assert.equal((await fresh('winterberg')).length, 0, 'being interested is not running it');
    assert.equal((await fresh('meschede')).length, 0, 'a road project is nothing similar');
    assert.equal((await fresh('attendorn')).length, 0);
    // The asker sees which organisations were told; nobody else does.
    const notified = /<p class="notified">([^<]*)<\/p>/;
    assert.equal(notified.exec((await visitor.get(`/fragen/${id}`)).body)?.[1],
      'Benachrichtigt wurden 3 Organisationen, die eine passende Lösung einsetzen: Brilon, Olpe, Siegen.');
    assert.equal(notified.exec((await new Visitor(t.app).get(`/fragen/${id}`)).body), null);

    // An edit matches again; those already told are not told twice.
    await visitor.get(`/fragen/${id}/bearbeiten`);
    const edited = await visitor.post(`/fragen/${id}/bearbeiten`, questionForm({ ...PHONE_QUESTION, body: `${PHONE_QUESTION.body} Danke!` }));
    assert.equal(edited.statusCode, 303);
    assert.equal((await fresh('olpe')).length, 1);
    assert.equal((await fresh('brilon')).length, 1);
  });

  it('shows the solutions the asker linked, addressed by their page or slug', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const { res, id } = await ask(visitor, { title: 'Erfahrungen mit Govii?', solutions: 'http://localhost:3000/loesungen/chatbot-govii\r\nkora-virtual-assistant' });
    assert.equal(res.statusCode, 303);
    const page = await visitor.get(`/fragen/${id}`);
    const linked = /<section aria-labelledby="linked">([\s\S]*?)<\/section>/.exec(page.body)?.[1] ?? '';
    assert.deepEqual([...linked.matchAll(/<h3 id="linked-\d+"><a href="\/loesungen\/([^"]+)"(?: lang="[a-z]+")?>/g)].map((m) => m[1]), ['chatbot-govii', 'kora-virtual-assistant']);
    assert.match(pageText(linked), /Olpe: produktiv seit 05\/2024/);
    const edit = await visitor.get(`/fragen/${id}/bearbeiten`);
    assert.match(edit.body, />chatbot-govii\nkora-virtual-assistant<\/textarea>/);
  });

  it('shows a linked draft only to those who may see it, the other linked solutions in the asker\'s order', async () => {
    const draft = await makeSolution(db(t), siegen, { title: 'Telefonbot im Rathaus', summary: 'Noch in Arbeit.', visibility: 'draft' });
    const { visitor: asker } = await signedIn(t.app, db(t), 'member', { organisation: 'Siegen' });
    const { id } = await ask(asker, { title: 'Telefonbot oder Govii?', solutions: `${draft.slug}\r\nchatbot-govii\r\nkora-virtual-assistant` });
    const linkedSlugs = async (visitor: Visitor) => {
      const page = await visitor.get(`/fragen/${id}`);
      assert.equal(page.statusCode, 200);
      const linked = /<section aria-labelledby="linked">([\s\S]*?)<\/section>/.exec(page.body)?.[1] ?? '';
      return [...linked.matchAll(/<h3 id="linked-\d+"><a href="\/loesungen\/([^"]+)"(?: lang="[a-z]+")?>/g)].map((m) => m[1]);
    };
    assert.deepEqual(await linkedSlugs(asker), [draft.slug, 'chatbot-govii', 'kora-virtual-assistant']);
    const { visitor: other } = await signedIn(t.app, db(t), 'member', { organisation: 'Attendorn' });
    assert.deepEqual(await linkedSlugs(other), ['chatbot-govii', 'kora-virtual-assistant']);
    assert.deepEqual(await linkedSlugs(new Visitor(t.app)), ['chatbot-govii', 'kora-virtual-assistant']);
  });

  it('matches a members-only question for the members of the matched organisations, and a question without catalogue matches tells nobody', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const roadsBefore = (await notificationTexts(db(t), people.meschede.id)).length;
    const { id } = await ask(visitor, { title: 'Straßenzustand automatisch erkennen (road condition)?', tags: 'straßen', body: 'Wer wertet Videodaten der Straßen automatisch aus?', visibility: 'members', field_of_action: 'economic_affairs' });
    assert.equal((await notificationTexts(db(t), people.meschede.id)).length, roadsBefore + 1);
    assert.deepEqual(matchedTitles((await visitor.get(`/fragen/${id}`)).body).slice(0, 1), ['ARC-D - Automatic Road Condition Detection']);

    const { id: none } = await ask(visitor, { title: 'Friedhofsgebühren kalkulieren', tags: 'friedhof', body: 'Gebührenkalkulation für Grabstätten.', field_of_action: 'housing_community' });
    const page = await visitor.get(`/fragen/${none}`);
    assert.deepEqual(matchedTitles(page.body), []);
    assert.match(page.body, /Im Katalog fand sich nichts Ähnliches\./);
  });
});
