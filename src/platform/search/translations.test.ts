import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SearchLanguage } from './analyser.js';
import {
  dictionary, glossary, guessQueryLanguage, lexiconKey, parseGlossary, shardOf, SortedDictionary, translateQuery, WHOLE, type Translation,
} from './translations.js';

/** The translations of the whole query (all spans) into one language, best first. */
function into(query: string, from: SearchLanguage, to: SearchLanguage): Translation[] {
  return translateQuery(query.split(' '), from)
    .flatMap((s) => s.translations)
    .filter((t) => t.lang === to)
    .sort((a, b) => b.weight - a.weight);
}
const texts = (list: Translation[]) => list.map((t) => t.text);

test('"Übersetzung" becomes "translation" in English and "vertaling" in Dutch, the glossary term first', () => {
  assert.equal(into('Übersetzung', 'de', 'en')[0].text, 'translation');
  assert.equal(into('Übersetzung', 'de', 'en')[0].source, 'glossary');
  assert.equal(into('Übersetzung', 'de', 'nl')[0].text, 'vertaling');
});

test('a word typed without umlauts or as a plural finds the same term ("Uebersetzung", "Schlaglöcher")', () => {
  assert.equal(into('Uebersetzung', 'de', 'en')[0].text, 'translation');
  assert.ok(texts(into('Schlaglöcher', 'de', 'en')).includes('pothole'));
  assert.ok(texts(into('Anträge', 'de', 'en')).includes('application'));
  assert.ok(texts(into('meetings', 'en', 'de')).includes('sitzung'));
});

test('"Sitzungsprotokoll" becomes "meeting minutes" and "verbatim report" (not "minutes" alone, which also counts time), "Protokoll" "minutes", "Wohngeld" "housing benefit"', () => {
  const minutes = texts(into('Sitzungsprotokoll', 'de', 'en'));
  assert.ok(minutes.includes('meeting minutes') && minutes.includes('verbatim report') && !minutes.includes('minutes'), minutes.join(', '));
  assert.ok(texts(into('Protokoll', 'de', 'en')).includes('minutes'));
  assert.ok(texts(into('Sitzungsprotokoll', 'de', 'nl')).includes('notulen'));
  assert.equal(into('Wohngeld', 'de', 'en')[0].text, 'housing benefit');
  assert.equal(into('Wohngeld', 'de', 'nl')[0].text, 'huurtoeslag');
});

test('a glossary term beginning with a stop word is found ("IT-Sicherheit", "on-demand transport"), a dictionary idiom is not ("im Netz")', () => {
  assert.equal(into('IT-Sicherheit', 'de', 'en')[0].text, 'information security');
  assert.ok(texts(into('on-demand transport', 'en', 'de')).includes('rufbus'));
  // "im Netz" is "online" in the dictionary; the word searched for is "Netz", and it keeps its own translations.
  const net = translateQuery(['Leckage', 'im', 'Netz'], 'de');
  assert.deepEqual(net.map((s) => [s.start, s.end]), [[0, 1], [2, 3]]);
  assert.ok(net[1].translations.some((t) => t.text === 'network'));
});

test('a multi-word term is matched as one span over its words ("Leichte Sprache", "speech to text")', () => {
  const spans = translateQuery(['Leichte', 'Sprache', 'Bescheide'], 'de');
  assert.deepEqual([spans[0].start, spans[0].end], [0, 2]);
  const en = texts(spans[0].translations.filter((t) => t.lang === 'en'));
  assert.ok(en.includes('plain language') && en.includes('easy read'), en.join(', '));
  const speech = translateQuery(['speech', 'to', 'text'], 'en');
  assert.deepEqual([speech[0].start, speech[0].end], [0, 3]);
  assert.equal(speech[0].translations.find((t) => t.lang === 'de')?.text, 'spracherkennung');
});

test('English and Dutch queries are translated into German and into each other', () => {
  assert.equal(into('pothole', 'en', 'de')[0].text, 'schlagloch');
  assert.equal(into('fraud detection', 'en', 'nl')[0].text, 'fraudedetectie');
  assert.equal(into('huurtoeslag', 'nl', 'de')[0].text, 'wohngeld');
  assert.equal(into('huurtoeslag', 'nl', 'en')[0].text, 'housing benefit');
});

test('a German compound neither source knows is translated from its parts', () => {
  const en = texts(into('Schlaglochmeldung', 'de', 'en'));
  assert.ok(en.includes('pothole report'), en.join(', '));
});

test('a compound translated from its parts also offers its head alone, weighing less than the whole phrase', () => {
  const en = into('Wohnungseinbrüche', 'de', 'en');
  const phrase = en.find((t) => t.text.split(' ').length === 2 && t.text.endsWith('burglary'));
  const head = en.find((t) => t.text === 'burglary');
  assert.ok(phrase && head, texts(en).join(', '));
  assert.ok(head.weight < phrase.weight && head.weight >= 0.3, `${head.weight} vs ${phrase.weight}`);
});

test('a closed compound finds the glossary term written with a hyphen ("Kitaplätze" → "Kita-Platz")', () => {
  assert.equal(into('Kitaplätze', 'de', 'en')[0].text, 'childcare place');
  assert.equal(into('Kitaplätze', 'de', 'en')[0].source, 'glossary');
});

test('a Dutch compound neither source knows is translated from its parts', () => {
  assert.ok(texts(into('parkeerboete', 'nl', 'en')).includes('parking fine'));
});

test('a word typed with a hyphen is translated by its parts, reported over the typed word', () => {
  const spans = translateQuery(['KI-gestützte', 'Bürgeranfragen'], 'de');
  assert.deepEqual(spans.map((s) => [s.start, s.end]), [[0, 1], [1, 2]]);
  assert.ok(texts(spans[0].translations).includes('artificial intelligence'));
});

test('a plural takes the translations of its singular, not of another word with the same stem ("routes" is no "rout")', () => {
  const de = texts(into('routes', 'en', 'de'));
  assert.ok(de.includes('routen') || de.includes('strecken'), de.join(', '));
  assert.ok(!de.includes('bande') && !de.includes('niederlage'), de.join(', '));
});

test('an English word with "ue" finds its dictionary headword in every inflection ("issued", "continued")', () => {
  const german = (w: string) => translateQuery([w], 'en').flatMap((s) => s.translations.filter((t) => t.lang === 'de').map((t) => t.text));
  assert.ok(german('continued').includes('fortfahren'), german('continued').join(', '));
  assert.ok(german('issued').length > 0, 'issued');
  assert.ok(german('queues').includes('warteschlange'), german('queues').join(', '));
});

test('an English word the small English–Dutch dictionary misses reaches Dutch through German ("hedgehog" → "Igel" → "egel")', () => {
  const nl = into('hedgehog', 'en', 'nl');
  assert.equal(nl[0]?.text, 'egel');
  assert.ok(nl[0].weight < into('hedgehog', 'en', 'de')[0].weight);
});

test('where the glossary knows a word, the dictionary adds nothing in that language ("toeslagen")', () => {
  const de = into('toeslagen', 'nl', 'de');
  assert.ok(de.length > 0);
  assert.ok(de.every((t) => t.source === 'glossary'), texts(de).join(', '));
});

test('words without a translation get no span; stop words alone are not translated', () => {
  assert.deepEqual(translateQuery(['xqzt'], 'de'), []);
  assert.deepEqual(translateQuery(['und'], 'de'), []);
});

test('weights stay between 0.3 and 0.9; the preferred glossary term outweighs its synonyms and every dictionary term', () => {
  const all = translateQuery('Bürgerbeteiligung Schlaglöcher meeting Antrag Sitzung'.split(' '), 'de').flatMap((s) => s.translations);
  for (const t of all) assert.ok(t.weight >= 0.3 && t.weight <= 0.9, `${t.text} ${t.weight}`);
  const en = into('Bürgerbeteiligung', 'de', 'en');
  assert.equal(en[0].text, 'public participation');
  assert.ok(en[0].weight > en[1].weight);
  const glossaryMin = Math.min(...all.filter((t) => t.source === 'glossary').map((t) => t.weight));
  const dictionaryMax = Math.max(...all.filter((t) => t.source === 'dictionary').map((t) => t.weight));
  assert.ok(glossaryMin > dictionaryMax, `${glossaryMin} > ${dictionaryMax}`);
});

test('a dictionary word with many senses weighs less than one with a single sense', () => {
  // "Schloss" is a castle, a lock and more; "Aalbeere" is only a blackcurrant.
  const ambiguous = into('Schloss', 'de', 'en')[0];
  const plain = into('Aalbeere', 'de', 'nl')[0];
  assert.equal(ambiguous.source, 'dictionary');
  assert.equal(plain.source, 'dictionary');
  assert.ok(ambiguous.weight < plain.weight, `${ambiguous.text} ${ambiguous.weight} < ${plain.text} ${plain.weight}`);
});

test('the language of short queries is guessed from letters, stop words and known words', () => {
  assert.equal(guessQueryLanguage(['Schlaglöcher']), 'de');
  assert.equal(guessQueryLanguage(['Bürgerbeteiligung']), 'de');
  assert.equal(guessQueryLanguage(['Sperrmüll', 'Abholung']), 'de');
  assert.equal(guessQueryLanguage(['Wohngeldantrag']), 'de');
  assert.equal(guessQueryLanguage(['algorithm']), 'en');
  assert.equal(guessQueryLanguage(['pothole', 'detection']), 'en');
  assert.equal(guessQueryLanguage(['speech', 'recognition']), 'en');
  assert.equal(guessQueryLanguage(['bulky', 'waste']), 'en');
  assert.equal(guessQueryLanguage(['vertaling']), 'nl');
  assert.equal(guessQueryLanguage(['afvalinzameling', 'gemeente']), 'nl');
  assert.equal(guessQueryLanguage(['huurtoeslag']), 'nl');
  assert.equal(guessQueryLanguage(['fraude']), 'nl');
  assert.equal(guessQueryLanguage(['verkeersdrukte']), 'nl');
});

test('the glossary file parses: every concept has a German term, at least 400 concepts, all three languages mostly filled', () => {
  const g = glossary();
  assert.ok(g.concepts.length >= 400, String(g.concepts.length));
  const filled = (lang: SearchLanguage) => g.concepts.filter((c) => c.terms[lang].length).length / g.concepts.length;
  assert.ok(filled('en') > 0.98 && filled('nl') > 0.95);
  assert.throws(() => parseGlossary('Antrag | application'), /line 1/);
});

test('a sorted dictionary finds every line of a key, the first and the last line too, and nothing for a missing key', () => {
  const d = new SortedDictionary(Buffer.from('aal\t~\t1\teel\nantrag\t~\t4\tapplication|motion\nantrag\t~en\t1\toffer\nzug\t~\t2\ttrain\n'));
  assert.deepEqual(d.lookup('antrag').map((l) => [l.form, l.senses, l.translations]), [['antrag', 4, ['application', 'motion']], ['antragen', 1, ['offer']]]);
  assert.deepEqual(d.lookup('aal').map((l) => l.translations), [['eel']]);
  assert.deepEqual(d.lookup('zug').map((l) => l.translations), [['train']]);
  for (const missing of ['a', 'ab', 'antra', 'zz', '']) assert.deepEqual(d.lookup(missing), [], missing);
});

test('the committed dictionaries are keyed by the stems the analyser produces today', () => {
  // Keys are stems: a change to the stemmer or fold() needs a new conversion (scripts/convert-freedict.ts).
  for (const [from, to] of [['de', 'en'], ['en', 'de'], ['de', 'nl'], ['nl', 'de'], ['en', 'nl'], ['nl', 'en']] as const) {
    let lines = 0;
    let same = 0;
    let previous = '';
    let file = '';
    for (const [key, form, name] of dictionary(from, to).entries()) {
      if (name !== file) [file, previous] = [name, ''];
      // The binary search needs byte order, which for these letters is the order of JavaScript strings.
      if (previous > key) assert.fail(`${from}-${to} not sorted at ${key}`);
      if (name !== WHOLE && name !== shardOf(key)) assert.fail(`${from}-${to}: ${key} in file ${name}`);
      previous = key;
      // Every 50th line: the plain form, stemmed again, gives the key (forms lost their umlauts, so not always).
      if (lines++ % 50 === 0 && lexiconKey(form, from) === key) same++;
    }
    assert.ok(same / Math.ceil(lines / 50) > 0.9, `${from}-${to}: ${same} of ${Math.ceil(lines / 50)} keys as the analyser makes them`);
  }
});
