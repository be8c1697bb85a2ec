import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, signedIn } from '../../../test/support/factories.js';
import { backend, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { ask, listedTitles, listedTotal } from './fixtures/support.js';

const db = (t: TestApp) => t.database.db;

describe(`forgiving typos in the question search (${backend})`, () => {
  let t: TestApp;
  let anon: Visitor;
  let asker: Awaited<ReturnType<typeof signedIn>>;
  const titles = async (q: string, v: Visitor = anon) => listedTitles((await v.get(`/fragen?q=${encodeURIComponent(q)}`)).body);

  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    anon = new Visitor(t.app);
    asker = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    await ask(asker.visitor, { title: 'Chatbots im Bürgerbüro', body: 'Wer beantwortet Fragen per Chatbot?', tags: 'chatbot' });
    await ask(asker.visitor, { title: 'Starkregen vorhersagen', body: 'Ein Chatbot ist hier nicht gemeint, sondern Warnungen für Ortsteile.', tags: 'klima' });
    await ask(asker.visitor, { title: 'Datenschutz bei Sprachmodellen', body: 'Was sagt die Aufsicht zu Protokollen von Eingaben?', tags: 'datenschutz' });
    await ask(asker.visitor, { title: 'Ampel schaltet nach Verkehrslage', body: 'Wer steuert eine Ampel mit Kameradaten?', tags: 'verkehr' });
    await ask(asker.visitor, { title: 'Vogelzählung per Kamera', body: 'Amsel, Meise oder Fink: erkennt das Modell die Arten?', tags: 'umwelt' });
    await ask(asker.visitor, { title: 'Interne Chatbot-Vergabe', body: 'Wie schreiben wir einen Chatbot aus?', tags: 'vergabe', visibility: 'members' });
    const { id: hidden } = await ask(asker.visitor, { title: 'Gesichtserkennung am Bahnhof', body: 'Darf eine Gesichtserkennung Reisende zählen?', tags: 'ordnung' });
    const moderator = await signedIn(t.app, db(t), 'moderator');
    await moderator.visitor.get(`/fragen/${hidden}`);
    assert.equal((await moderator.visitor.post(`/fragen/moderation/frage/${hidden}/ausblenden`, {})).statusCode, 303);
  });
  after(() => t.close());

  it('finds the questions with the right word for a misspelt one, in the same order', async () => {
    const chatbot = await titles('Chatbot');
    assert.deepEqual(chatbot, ['Chatbots im Bürgerbüro', 'Starkregen vorhersagen']);
    // Counted independently: public, visible questions that name the word at all.
    const named = await db(t).selectFrom('questions').select(sql<number>`count(*)`.as('n'))
      .where('visibility', '=', 'public').where('hidden', '=', 0).where(sql<string>`lower(title || ' ' || body)`, 'like', '%chatbot%').executeTakeFirstOrThrow();
    const res = await anon.get('/fragen?q=Chatbott');
    assert.equal(listedTotal(res.body), Number(named.n));
    assert.deepEqual(listedTitles(res.body), chatbot, 'a letter too many');
    assert.match(res.body, /<h2 id="results-title">2 Fragen zu „Chatbott“<\/h2>/, 'the heading repeats what was typed');
    assert.deepEqual(await titles('Datenschutzz'), ['Datenschutz bei Sprachmodellen']);
    assert.deepEqual(await titles('Datenshcutz'), ['Datenschutz bei Sprachmodellen'], 'two letters swapped in a long word');
    assert.deepEqual(await titles('Chatbott Bürgerbüro'), ['Chatbots im Bürgerbüro', 'Starkregen vorhersagen'], 'both words first, then one');
  });

  it('does not widen a word that questions use, and finds nothing for a word without a near one', async () => {
    assert.deepEqual(await titles('Ampel'), ['Ampel schaltet nach Verkehrslage'], 'Ampel does not also find Amsel');
    assert.deepEqual(await titles('Amsel'), ['Vogelzählung per Kamera']);
    const none = await anon.get('/fragen?q=Blockchain');
    assert.deepEqual(listedTitles(none.body), []);
    assert.equal(listedTotal(none.body), 0);
    assert.deepEqual(await titles('Chatbto'), [], 'two typos in a seven-letter word are not forgiven');
    assert.deepEqual(await titles('Ampl'), [], 'words of four letters are taken as typed');
  });

  it('still keeps hidden and members-only questions from those who may not see them', async () => {
    assert.deepEqual(await titles('Gesichtserkenung'), [], 'a hidden question is not found through a typo');
    assert.deepEqual(await titles('Gesichtserkennung'), []);
    const member = (await signedIn(t.app, db(t), 'member', { organisation: 'Soest' })).visitor;
    assert.deepEqual(await titles('Gesichtserkenung', member), [], 'nor by other members');
    assert.deepEqual(await titles('Gesichtserkenung', asker.visitor), ['Gesichtserkennung am Bahnhof'], 'its author still finds it');
    assert.ok(!(await titles('Chatbott')).includes('Interne Chatbot-Vergabe'), 'members-only questions stay hidden from visitors');
    assert.ok((await titles('Chatbott', member)).includes('Interne Chatbot-Vergabe'), 'members find them with the typo too');
  });
});
