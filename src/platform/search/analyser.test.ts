import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decompound, fold, hyphenated, indexTerms, isStopWord, lexiconWords, MIN_COMPOUND, queryGroups, stem, stemOf, words, type Lexicon } from './analyser.js';
import { analyseQuery, documentTerms, rankGroups } from './ranking.js';

const lexicon = (known: string[]): Lexicon => {
  const set = new Set(known);
  return { has: (w) => set.has(w) };
};
const KNOWN = lexicon(['schlagloch', 'erkennung', 'starkregen', 'vorhersage', 'verkehr', 'planung', 'bürger', 'service', 'zentrale', 'stadt', 'rat', 'haus']);
const deStem = (w: string) => stem(fold(w), 'de');

describe('search analyser', () => {
  it('folds case, ß and spelled-out umlauts, so both spellings meet', () => {
    assert.equal(fold('Straße'), fold('Strasse'));
    assert.equal(fold('Straße'), 'strasse');
    assert.equal(fold('Anträge'), fold('Antraege'));
    assert.equal(fold('PRÜFUNG'), fold('Pruefung'));
    assert.equal(fold('Bürger'), 'bürger');
  });

  it('reduces words to stems per language, with umlauts as plain vowels', () => {
    assert.equal(deStem('Schlaglöcher'), deStem('Schlagloch'));
    assert.equal(deStem('Anträge'), deStem('Antrag'));
    assert.equal(deStem('Antraege'), 'antrag');
    assert.equal(deStem('Bürger'), deStem('Buerger'));
    assert.equal(deStem('Maßnahmen'), deStem('Massnahme'));
    assert.equal(stem('detections', 'en'), stem('detection', 'en'));
    assert.equal(stem('potholes', 'en'), stem('pothole', 'en'));
    assert.equal(stem('gemeenten', 'nl'), stem('gemeente', 'nl'));
    assert.doesNotMatch(deStem('Prüfungen'), /[äöü]/);
  });

  it('gives British and American spellings of an English word one stem, without joining different words', () => {
    const en = (w: string) => stem(fold(w), 'en');
    for (const [british, american] of [['organisation', 'organization'], ['analysed', 'analyzed'], ['behaviour', 'behavior'], ['centres', 'centers'],
      ['licence', 'license'], ['catalogue', 'catalog'], ['programme', 'program'], ['modelling', 'modeling'], ['travellers', 'travelers'], ['theatre', 'theater']]) {
      assert.equal(en(british), en(american), british);
    }
    // A British-looking ending on an ordinary word: "filling" is not "filing", "fence" stays.
    assert.notEqual(en('filling'), en('filing'));
    assert.equal(en('fence'), stem('fence', 'en'));
    // Only English is folded so.
    assert.notEqual(deStem('Organisation'), deStem('Organization'));
  });

  it('stems English words as spelt: "ue", "ae" and "oe" are no umlauts in English', () => {
    const en = (w: string) => stemOf(w, 'en');
    for (const [inflected, base] of [['issued', 'issue'], ['valued', 'value'], ['continued', 'continue'], ['queues', 'queue'], ['argued', 'argue']]) {
      assert.equal(en(inflected), en(base), inflected);
    }
    assert.equal(en('request'), 'request');
    assert.equal(en('aerial'), 'aerial');
    // A real umlaut in an English text is read as its plain vowel, as English writes it.
    assert.equal(en('Zürich'), 'zurich');
    // German and Dutch still read ue as ü.
    assert.equal(stemOf('Gebuehren', 'de'), stemOf('Gebühren', 'de'));
    // The index and the query meet on the English stem.
    const terms = documentTerms([{ text: 'Permits issued online', weight: 1, averageLength: 3 }], 'en', KNOWN);
    assert.ok(terms.has(en('issue')), [...terms.keys()].join(' '));
    assert.ok(analyseQuery('issue of permits', KNOWN).groups[0].terms.includes(en('issued')));
  });

  it('knows "does" as a stop word although fold() reads its "oe" as "ö"', () => {
    assert.ok(isStopWord(fold('does')));
    assert.deepEqual(analyseQuery('how does parking work', KNOWN).groups.map((g) => g.word), ['parking', 'work']);
  });

  it('splits text into words at spaces, punctuation and hyphens', () => {
    assert.deepEqual(words('KI-Telefonservice für die Bürger-Hotline, 24/7!'), ['KI', 'Telefonservice', 'für', 'die', 'Bürger', 'Hotline', '24', '7']);
    assert.deepEqual(words(' … '), []);
  });

  it('finds the words written with hyphens, joined, with their place among the words', () => {
    const text = 'Real-time e-mail routing, KI-gestützte Hotline, a--b';
    assert.deepEqual(hyphenated(text), [
      { joined: 'Realtime', first: 0, count: 2 }, { joined: 'email', first: 2, count: 2 }, { joined: 'KIgestützte', first: 5, count: 2 },
    ]);
    assert.deepEqual(words(text).slice(2, 4), ['e', 'mail']);
  });

  it('indexes a hyphenated word also joined where the joined form is a word, and the query matches either form', () => {
    const terms = documentTerms([{ text: 'Real-time alerts by e-mail, AI-based', weight: 1, averageLength: 5 }], 'en', KNOWN);
    for (const t of ['real', 'time', 'realtim', 'mail', 'email', 'ai', 'base']) assert.ok(terms.has(t), t);
    assert.ok(!terms.has('aibas') && !terms.has('aibased'), 'not a word: not joined');
    // The joined form is no word of the field: the other weights are those of the text without it.
    assert.equal(terms.get('alert'), documentTerms([{ text: 'Real time alerts by e mail, AI based', weight: 1, averageLength: 5 }], 'en', KNOWN).get('alert'));
    const groups = analyseQuery('e-mail routing', KNOWN).groups;
    assert.equal(groups[0].word, 'mail');
    assert.ok(groups[0].terms.includes('email'), groups[0].terms.join(' '));
    assert.ok(!analyseQuery('AI-based routing', KNOWN).groups[0].terms.includes('aibas'));
  });

  it('knows German, English and Dutch stop words', () => {
    for (const w of ['der', 'und', 'für', 'the', 'of', 'het', 'een']) assert.ok(isStopWord(w), w);
    for (const w of ['stadt', 'chatbot', 'gemeente']) assert.ok(!isStopWord(w), w);
  });

  it('knows the function words people type in a question, but not words that are content in another language', () => {
    for (const w of ['how', 'can', 'we', 'our', 'what', 'should', 'welche', 'gibt', 'man', 'unsere', 'wenn']) assert.ok(isStopWord(w), w);
    // "bin" (waste) and "war" are English words; "out" and "up" belong to phrasal verbs ("drop out").
    for (const w of ['bin', 'war', 'out', 'up']) assert.ok(!isStopWord(w), w);
  });

  it('splits compounds into known parts, with linking -s-, into two or three parts', () => {
    assert.deepEqual(decompound('schlaglocherkennung', KNOWN), ['schlagloch', 'erkennung']);
    assert.deepEqual(decompound('starkregenvorhersage', KNOWN), ['starkregen', 'vorhersage']);
    assert.deepEqual(decompound('verkehrsplanung', KNOWN).map((p) => stem(p, 'de')), ['verkehr', 'planung']);
    assert.deepEqual(decompound('bürgerservicezentrale', KNOWN), ['bürger', 'service', 'zentrale']);
    assert.deepEqual(decompound('stadtrat', KNOWN), ['stadt', 'rat']);
  });

  it('leaves words alone that are short, unknown or not made of known parts', () => {
    assert.equal('bauamt'.length, MIN_COMPOUND - 1);
    assert.deepEqual(decompound('bauamt', lexicon(['bau', 'amt'])), [], 'too short to be split');
    assert.deepEqual(decompound('rathaus', KNOWN), ['rat', 'haus']);
    assert.deepEqual(decompound('planungen', KNOWN), []);
    assert.deepEqual(decompound('xyzerkennung', KNOWN), []);
    assert.deepEqual(decompound('schlaglochxy', KNOWN), [], 'a tail shorter than three letters is no part');
  });

  it('remembers folded words and their stems for the lexicon, without stop words, short words and numbers', () => {
    assert.deepEqual(lexiconWords('Die KI prüft 2024 alle Anträge am Amt').sort(), ['all', 'alle', 'antrag', 'anträge', 'pruft', 'prüft']);
  });

  it('weighs index terms by field, caps repetitions at three and counts compound parts half', () => {
    const terms = indexTerms([
      { text: 'Schlaglocherkennung Schlaglocherkennung', weight: 5 },
      { text: 'Die Schlaglöcher Schlaglöcher Schlaglöcher Schlaglöcher erkennen', weight: 1 },
    ], 'de', KNOWN);
    assert.deepEqual(Object.fromEntries(terms), {
      schlaglocherkenn: 5 * 2 * 2,
      schlagloch: 5 * 2 + 1 * 2 * 3,
      erkenn: 5 * 2 + 1 * 2 * 1,
    });
  });

  it('uses the entry\'s language for stems and splits compounds in German entries only', () => {
    const en = indexTerms([{ text: 'Pothole detections', weight: 5 }], 'en', KNOWN);
    assert.ok(en.has(stem('detection', 'en')));
    assert.ok(en.has(stem('pothole', 'en')));
    const compoundInEnglish = indexTerms([{ text: 'Schlaglocherkennung', weight: 1 }], 'en', KNOWN);
    assert.ok(!compoundInEnglish.has('schlagloch'));
  });

  it('turns a query into groups that must all match; a compound becomes a group per part, each also met by the whole word', () => {
    assert.deepEqual(queryGroups('Die Schlaglocherkennung in der Stadt', KNOWN), [
      { word: 'schlagloch', terms: ['schlagloch', 'schlaglocherkenn', 'schlaglocherkennung'] },
      { word: 'erkennung', terms: ['erkenn', 'schlaglocherkenn', 'schlaglocherkennung'] },
      { word: 'stadt', terms: ['stadt'] },
    ]);
    const detection = queryGroups('detections', KNOWN);
    assert.equal(detection.length, 1);
    assert.ok(detection[0].terms.includes(stem('detection', 'en')), 'English stem');
    assert.ok(queryGroups('gemeenten', KNOWN)[0].terms.includes(stem('gemeente', 'nl')), 'Dutch stem');
    assert.deepEqual(queryGroups('der', KNOWN), [{ word: 'der', terms: ['der'] }], 'a query of one stop word is kept');
    assert.equal(queryGroups('Anträge Antraege', KNOWN)[0].terms[0], queryGroups('Antraege', KNOWN)[0].terms[0]);
    assert.ok(queryGroups(Array.from({ length: 30 }, (_, i) => `wort${i}`).join(' '), KNOWN).length <= 12, 'long queries are cut');
  });

  it('splits the compounds of a German query but not the words of an English one', () => {
    // Word pieces that an English word would fall into, as an index of English entries holds them.
    const pieces = lexicon(['schlagloch', 'erkennung', 'monitor', 'ing', 'cont', 'rol', 'chat', 'bot']);
    const german = analyseQuery('Schlaglocherkennung in der Stadt', pieces);
    assert.equal(german.language, 'de');
    assert.deepEqual(german.groups.map((g) => g.word), ['schlagloch', 'erkennung', 'stadt']);
    const english = analyseQuery('monitoring the control room chatbot', pieces);
    assert.equal(english.language, 'en');
    assert.deepEqual(english.groups.map((g) => g.word), ['monitoring', 'control', 'room', 'chatbot']);
    assert.deepEqual(english.groups[0].terms, [...new Set([stem('monitoring', 'de'), stem('monitoring', 'en'), stem('monitoring', 'nl')])]);
  });

  it('leaves out one-letter words of a query, which no entry\'s index holds', () => {
    const analysed = analyseQuery('X-ray images of E-Mails', KNOWN);
    assert.deepEqual(analysed.groups.map((g) => g.word), ['ray', 'images', 'mails']);
    assert.deepEqual(analysed.positions, [1, 2, 5]);
  });

  it('shares the translation of a span among its words, but not a translation that is one of the span\'s own words', () => {
    const analysed = analyseQuery('welfare fraud', KNOWN);
    const groups = rankGroups(analysed, analysed.groups, [{
      start: 0, end: 2,
      translations: [{ text: 'fraud', lang: 'en', weight: 0.9 }, { text: 'benefit fraud', lang: 'en', weight: 0.6 }, { text: 'Sozialbetrug', lang: 'de', weight: 0.8 }],
    }]);
    const translated = (word: string) => groups.find((g) => g.word === word)!.alternatives.filter((a) => a.translated);
    // "fraud" alone stands for the word "fraud", not for "welfare".
    assert.deepEqual(translated('welfare'), [
      { terms: ['benefit', 'fraud'], factor: 0.3, translated: true },
      { terms: ['sozialbetrug'], factor: 0.4, translated: true },
    ]);
    assert.deepEqual(translated('fraud'), [
      { terms: ['benefit', 'fraud'], factor: 0.3, translated: true },
      { terms: ['sozialbetrug'], factor: 0.4, translated: true },
    ]);
    assert.deepEqual(groups.find((g) => g.word === 'fraud')!.alternatives.find((a) => a.terms.join(' ') === 'fraud'), { terms: ['fraud'], factor: 1, translated: false });
  });
});
