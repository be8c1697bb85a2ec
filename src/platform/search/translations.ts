import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { decompound, fold, isStopWord, stem, stemOf, words as splitWords, type Lexicon, type SearchLanguage } from './analyser.js';

/**
 * Cross-language search terms: a query's words in the other two catalogue languages (German, English, Dutch),
 * from the maintained glossary of administrative terms (lexicon/glossary.tsv) and the FreeDict dictionaries
 * (lexicon/freedict-<pair>/, converted by scripts/convert-freedict.ts). Loaded piecemeal on first use, then cached.
 */
export interface Translation {
  text: string;
  lang: SearchLanguage;
  weight: number;
  source: 'glossary' | 'dictionary';
}

export interface TranslatedSpan {
  start: number;
  end: number;
  translations: Translation[];
}

const LANGS: SearchLanguage[] = ['de', 'en', 'nl'];
const CODE: Record<SearchLanguage, string> = { de: 'deu', en: 'eng', nl: 'nld' };
const LEXICON_DIR = fileURLToPath(new URL('./lexicon/', import.meta.url));
/** Longest multi-word term matched over consecutive query words. */
const MAX_SPAN = 4;
/** Translations per span and target language at most. */
const MAX_PER_LANGUAGE = 6;

/** A term as stored and compared: Unicode-normalised (ĳ → ij), lower case, one kind of hyphen and space. */
export function normaliseTerm(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2010\u2011\u2012\u2013\u00ad]/g, '-')
    .replace(/[\u2018\u2019`´]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:.!?-]+|[\s,;:!?-]+$/g, '')
    .trim();
}

/** The stem of one word as the lexicons index it: folded, stemmed for the language (umlauts as plain vowels). */
function wordKey(word: string, lang: SearchLanguage): string {
  return splitWords(word.normalize('NFKC')).map((w) => stemOf(w, lang)).join(' ');
}

/** The look-up key of a term: its words' stems, so "Schlaglöcher" and "Schlagloch" meet. */
export function lexiconKey(term: string, lang: SearchLanguage, known?: Map<string, string>): string {
  return splitWords(normaliseTerm(term))
    .map((w) => {
      let key = known?.get(w);
      if (key === undefined) {
        key = stemOf(w, lang);
        known?.set(w, key);
      }
      return key;
    })
    .join(' ');
}

/** Forms a query word may be the inflection of (plural or declension endings removed), the word itself first. */
function baseForms(form: string): string[] {
  const out = [form];
  for (const ending of ['s', 'es', 'e', 'en', 'n', 'er', 'ern']) {
    if (form.endsWith(ending) && form.length - ending.length >= 3) out.push(form.slice(0, -ending.length));
  }
  return out;
}

/** The form compared for an exact match: folded, umlauts as plain vowels (Übersetzung = uebersetzung = ubersetzung). */
export function plainForm(term: string): string {
  return fold(normaliseTerm(term)).replace(/ä/g, 'a').replace(/ö/g, 'o').replace(/ü/g, 'u');
}

// ---------------------------------------------------------------------------------------------------------------
// Dictionaries: sorted files kept as bytes and searched by binary search, so loading is only unpacking.

interface DictionaryLine {
  /** The headword folded with plain vowels (plainForm). */
  form: string;
  senses: number;
  translations: string[];
}

export class SortedDictionary {
  constructor(private readonly data: Buffer) {}

  /** The key of the line starting at byte s. */
  private keyAt(s: number): Buffer {
    return this.data.subarray(s, this.data.indexOf(9, s));
  }

  private nextLine(s: number): number {
    const e = this.data.indexOf(10, s);
    return e < 0 ? this.data.length : e + 1;
  }

  /** Every line with exactly this key; a binary search over the bytes, so loading needs no index. */
  lookup(key: string): DictionaryLine[] {
    const k = Buffer.from(key);
    // lo is always the start of a line, hi the start of a line or the end; the answer is the first line ≥ k in [lo, hi].
    let lo = 0;
    let hi = this.data.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = mid === 0 ? 0 : this.data.lastIndexOf(10, mid - 1) + 1;
      if (Buffer.compare(this.keyAt(s), k) < 0) lo = this.nextLine(s);
      else hi = s;
    }
    const out: DictionaryLine[] = [];
    for (let s = lo; s < this.data.length && Buffer.compare(this.keyAt(s), k) === 0; s = this.nextLine(s)) {
      const [lineKey, form, senses, translations] = this.data.toString('utf8', s, this.nextLine(s)).replace(/\n$/, '').split('\t');
      out.push({ form: form.startsWith('~') ? lineKey + form.slice(1) : form, senses: Number(senses) || 1, translations: translations ? translations.split('|') : [] });
    }
    return out;
  }

  has(key: string): boolean {
    return this.lookup(key).length > 0;
  }

  /** Every line as [key, form], for checks of the data. */
  *entries(): Generator<[string, string]> {
    for (let s = 0; s < this.data.length; s = this.nextLine(s)) {
      const [key, form] = this.data.toString('utf8', s, this.nextLine(s)).split('\t');
      yield [key, form.startsWith('~') ? key + form.slice(1) : form];
    }
  }
}

/** The file a key's line is in: one per first letter, so a look-up unpacks only a small part of a large dictionary. */
export function shardOf(key: string): string {
  return /^[a-z]/.test(key) ? key[0] : '_';
}

/** The one file of a small dictionary, which is not split. */
export const WHOLE = 'all';

/** One direction of the dictionaries: one file, or one file per first letter of the keys, each unpacked on first use. */
export class Dictionary {
  private readonly shards = new Map<string, SortedDictionary | null>();
  private whole: boolean | undefined;

  constructor(readonly dir: string) {}

  private shard(name: string): SortedDictionary | null {
    this.whole ??= existsSync(`${this.dir}/${WHOLE}.tsv.br`);
    if (this.whole) name = WHOLE;
    let d = this.shards.get(name);
    if (d === undefined) {
      const file = `${this.dir}/${name}.tsv.br`;
      d = existsSync(file) ? new SortedDictionary(brotliDecompressSync(readFileSync(file))) : null;
      this.shards.set(name, d);
    }
    return d;
  }

  private files(): string[] {
    return readdirSync(this.dir).filter((f) => f.endsWith('.tsv.br')).map((f) => f.slice(0, -'.tsv.br'.length)).sort();
  }

  lookup(key: string): DictionaryLine[] {
    return this.shard(shardOf(key))?.lookup(key) ?? [];
  }

  has(key: string): boolean {
    return this.lookup(key).length > 0;
  }

  /** Unpacks every file now. */
  load(): void {
    for (const name of this.files()) this.shard(name);
  }

  /** Every line as [key, form, file], file by file, for checks of the data. */
  *entries(): Generator<[string, string, string]> {
    for (const name of this.files()) for (const [key, form] of this.shard(name)!.entries()) yield [key, form, name];
  }
}

const dictionaries = new Map<string, Dictionary>();

/** The dictionary from one language into another (its files are unpacked when first needed). */
export function dictionary(from: SearchLanguage, to: SearchLanguage): Dictionary {
  const pair = `${CODE[from]}-${CODE[to]}`;
  let d = dictionaries.get(pair);
  if (!d) {
    d = new Dictionary(`${LEXICON_DIR}freedict-${pair}`);
    dictionaries.set(pair, d);
  }
  return d;
}

// ---------------------------------------------------------------------------------------------------------------
// Glossary: one concept a line, "German terms | English terms | Dutch terms", synonyms separated by ";",
// the preferred term first.

export interface Concept {
  line: number;
  terms: Record<SearchLanguage, string[]>;
}

/** Where a term stands in the glossary: its concept and its position among the concept's terms in its language. */
export interface TermPlace {
  concept: number;
  position: number;
}

export interface Glossary {
  concepts: Concept[];
  /** Every word of the terms of a language as written (plain form), for guessing a query's language. */
  words: Record<SearchLanguage, Set<string>>;
  /** Look-up key → the concepts having a term with that key in the language (the first place per concept). */
  keys(lang: SearchLanguage): Map<string, TermPlace[]>;
}

/** Parses the glossary text; throws with the line number on a malformed line. */
export function parseGlossary(text: string): Glossary {
  const concepts: Concept[] = [];
  const words: Record<SearchLanguage, Set<string>> = { de: new Set(), en: new Set(), nl: new Set() };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const columns = line.split('|');
    if (columns.length !== 3) throw new Error(`glossary line ${i + 1}: expected "German | English | Dutch", got ${columns.length} columns`);
    const terms = {} as Record<SearchLanguage, string[]>;
    LANGS.forEach((lang, c) => {
      terms[lang] = [...new Set(columns[c].split(';').map(normaliseTerm).filter(Boolean))];
      for (const term of terms[lang]) for (const w of splitWords(term)) words[lang].add(plainForm(w));
    });
    if (!terms.de.length) throw new Error(`glossary line ${i + 1}: no German term`);
    concepts.push({ line: i + 1, terms });
  });
  // Stemming is the costly part of loading: each language's keys are made when first needed.
  const byKey = new Map<SearchLanguage, Map<string, TermPlace[]>>();
  const keys = (lang: SearchLanguage) => {
    let map = byKey.get(lang);
    if (!map) {
      map = new Map();
      // Many words recur (Antrag, Daten …): stem each once.
      const stems = new Map<string, string>();
      concepts.forEach((c, concept) => {
        c.terms[lang].forEach((term, position) => {
          const key = lexiconKey(term, lang, stems);
          const list = map!.get(key) ?? [];
          if (!list.some((p) => p.concept === concept)) list.push({ concept, position });
          map!.set(key, list);
        });
      });
      byKey.set(lang, map);
    }
    return map;
  };
  return { concepts, words, keys };
}

let glossaryCache: Glossary | undefined;

export function glossary(): Glossary {
  glossaryCache ??= parseGlossary(readFileSync(`${LEXICON_DIR}glossary.tsv`, 'utf8'));
  return glossaryCache;
}

/** Loads the glossary, its look-up keys and all six dictionaries now rather than on first use (e.g. at start-up). */
export function loadTranslations(): void {
  const g = glossary();
  for (const from of LANGS) {
    g.keys(from);
    for (const to of LANGS) if (from !== to) dictionary(from, to).load();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Weights: the query's own words weigh 1; glossary terms 0.9 down to 0.7, dictionary terms 0.65 down to 0.3.

/** A glossary synonym in the query's own language weighs this share of a translation's weight (0.72 down to 0.56). */
export const SYNONYM_FACTOR = 0.8;

const round = (w: number) => Math.round(w * 100) / 100;

/** Weight of the i-th term of a glossary concept, lower when the query term belongs to several concepts. */
function glossaryWeight(position: number, concepts: number): number {
  return round(Math.max(0.7, 0.9 - 0.05 * position) * (concepts > 1 ? Math.max(0.8, 1 - 0.07 * (concepts - 1)) : 1));
}

/** Weight of the i-th translation of a dictionary headword with the given number of senses. */
export function dictionaryWeight(position: number, senses: number): number {
  const ambiguity = Math.max(0.55, 1 - 0.06 * (senses - 1));
  return round(Math.max(0.3, (0.65 - 0.05 * position) * ambiguity));
}

function addTranslation(list: Translation[], t: Translation): void {
  const same = list.find((x) => x.lang === t.lang && x.text === t.text);
  if (!same) list.push(t);
  else if (t.weight > same.weight) Object.assign(same, t);
}

/** Glossary translations of a key in one source language. */
function fromGlossary(key: string, from: SearchLanguage): Translation[] {
  const g = glossary();
  const places = g.keys(from).get(key) ?? [];
  const out: Translation[] = [];
  for (const { concept, position } of places) {
    for (const to of LANGS) {
      // Synonyms are mostly listed in parallel ("Betrug; Sozialbetrug | fraud; benefit fraud"): the term in the same
      // place as the query's weighs as much as the preferred one. In the query's own language the concept's other
      // terms are synonyms ("school dropout" → "early school leaving"), weighing less than a translation.
      g.concepts[concept].terms[to].forEach((text, i) => {
        if (to === from && i === position) return;
        const weight = glossaryWeight(i === position ? 0 : i, places.length) * (to === from ? SYNONYM_FACTOR : 1);
        addTranslation(out, { text, lang: to, weight: round(weight), source: 'glossary' });
      });
    }
  }
  return out;
}

/**
 * Dictionary translations of a key: the headword written like the query, or else like its singular or base form
 * ("routes" → "routes", not "rout"); other headwords with the same stem count less.
 */
function fromDictionaries(key: string, form: string, from: SearchLanguage, targets: SearchLanguage[]): Translation[] {
  const out: Translation[] = [];
  const forms = baseForms(form);
  for (const to of targets) {
    const lines = dictionary(from, to).lookup(key);
    if (!lines.length) continue;
    const closest = forms.find((f) => lines.some((l) => l.form === f));
    const chosen = closest ? lines.filter((l) => l.form === closest) : lines.slice(0, 2);
    const factor = closest ? 1 : 0.85;
    for (const l of chosen) {
      l.translations.forEach((text, i) => addTranslation(out, { text, lang: to, weight: round(Math.max(0.3, dictionaryWeight(i, l.senses) * factor)), source: 'dictionary' }));
    }
  }
  // The English–Dutch dictionaries are small: a word they miss goes through German (the large Ding dictionaries).
  for (const to of targets) {
    if (to === 'de' || from === 'de' || out.some((t) => t.lang === to)) continue;
    const viaGerman = targets.includes('de') ? out.filter((t) => t.lang === 'de') : fromDictionaries(key, form, from, ['de']);
    for (const middle of viaGerman.slice(0, 2)) {
      for (const t of fromDictionaries(lexiconKey(middle.text, 'de'), plainForm(middle.text), 'de', [to]).slice(0, 3)) {
        addTranslation(out, { ...t, weight: round(Math.max(0.3, t.weight * middle.weight * 1.2)) });
      }
    }
  }
  return out;
}

/** Best first: glossary before dictionary at equal weight; at most a few per target language. */
function best(list: Translation[]): Translation[] {
  const sorted = [...list].sort((a, b) => b.weight - a.weight || (a.source === b.source ? 0 : a.source === 'glossary' ? -1 : 1));
  const perLang: Record<SearchLanguage, number> = { de: 0, en: 0, nl: 0 };
  return sorted.filter((t) => perLang[t.lang]++ < MAX_PER_LANGUAGE);
}

/** Translations of one key; where the glossary has terms in a language, the dictionary adds none (they are noisier). */
function lookupKey(key: string, form: string, from: SearchLanguage): Translation[] {
  let list = fromGlossary(key, from);
  // The German and Dutch stemmers keep some plural endings ("Hitzeinseln"): a single word the glossary misses is
  // looked up once more in its base forms ("Hitzeinsel").
  if (!list.length && from !== 'en' && !key.includes(' ')) {
    for (const base of baseForms(form).slice(1)) {
      list = fromGlossary(wordKey(base, from), from);
      if (list.length) break;
    }
  }
  const targets = LANGS.filter((to) => to !== from && !list.some((t) => t.lang === to));
  if (targets.length) for (const t of fromDictionaries(key, form, from, targets)) addTranslation(list, t);
  return list;
}

const lexicons = new Map<SearchLanguage, Lexicon>();
/**
 * Known words of a language for splitting compounds with the analyser's decompound(): glossary terms and dictionary
 * headwords of four letters or more.
 */
export function lexiconOf(lang: SearchLanguage): Lexicon {
  let lexicon = lexicons.get(lang);
  if (!lexicon) {
    const other = lang === 'en' ? 'de' : 'en';
    lexicon = {
      // decompound() asks for the part and for its German stem; stemming again is harmless.
      has: (word: string) => word.length >= 4 && (glossary().keys(lang).has(stem(word, lang)) || dictionary(lang, other).has(stem(word, lang))),
    };
    lexicons.set(lang, lexicon);
  }
  return lexicon;
}

/**
 * The German and Dutch words a word of the dictionaries may be split into: those of lexiconOf(), and the glossary's
 * words of three letters ("Bot" of "Chatbot"; the dictionaries' short headwords are too often fragments).
 */
export const compoundParts: Lexicon = {
  has: (word: string) => lexiconOf('de').has(word) || lexiconOf('nl').has(word)
    || (word.length === 3 && (['de', 'nl'] as const).some((lang) => glossary().keys(lang).has(stem(word, lang)))),
};

/**
 * Whether a word is a headword of the glossary or the dictionaries in one of the three languages, as written (in any
 * inflection): "email", "realtime", "chatbot" are; "aienabled" or "speechtotext" are not.
 */
export function isKnownWord(word: string): boolean {
  if (word.length < 4) return false;
  return LANGS.some((lang) => {
    const key = stemOf(word, lang);
    return glossary().keys(lang).has(key) || dictionary(lang, lang === 'en' ? 'de' : 'en').has(key);
  });
}

/** Longest phrase built from a compound's parts, in words. */
const MAX_PHRASE_WORDS = 4;

/**
 * Translations of a German or Dutch compound that neither source knows, from its parts: first the parts as a phrase
 * ("Kitaplätze" → "Kita-Platz"), else part by part ("Schlaglochmeldung" → "pothole report").
 */
function fromCompound(folded: string, from: SearchLanguage): Translation[] {
  const parts = decompound(folded, lexiconOf(from));
  if (parts.length < 2) return [];
  const asPhrase = lookupKey(parts.map((p) => wordKey(p, from)).join(' '), plainForm(parts.join(' ')), from);
  if (asPhrase.length) return asPhrase;
  const partTranslations = parts.map((p) => best(lookupKey(wordKey(p, from), plainForm(p), from)));
  const out: Translation[] = [];
  for (const to of LANGS) {
    if (to === from) continue;
    const perPart = partTranslations.map((list) => list.filter((t) => t.lang === to).slice(0, 2));
    if (perPart.some((p) => p.length === 0)) continue;
    // Combinations of the first two translations of the last part (the compound's head) with the best of the others.
    const head = perPart[perPart.length - 1];
    const modifiers = perPart.slice(0, -1).map((p) => p[0]);
    for (const h of head) {
      const phrase = [...modifiers, h];
      const text = phrase.map((t) => t.text).join(' ');
      if (text.split(' ').length > MAX_PHRASE_WORDS) continue;
      const weight = round(Math.max(0.3, phrase.reduce((w, t) => w * t.weight, 1) ** (1 / phrase.length) * 0.85));
      const source = phrase.every((t) => t.source === 'glossary') ? 'glossary' : 'dictionary';
      addTranslation(out, { text, lang: to, weight, source });
      // The head alone names what the compound is ("Wohnungseinbrüche" is about burglaries, whatever the dwelling is
      // called in the other language), at a lower weight than the whole phrase.
      addTranslation(out, { text: h.text, lang: to, weight: round(Math.max(0.3, weight * 0.8)), source: h.source });
    }
  }
  return out;
}

/**
 * Translations of the query's words into the other two languages. Multi-word glossary/dictionary terms are matched
 * longest first over consecutive words ("leichte sprache", "speech to text"); span = [start, end) word indexes of the
 * query. Pass the query's words as typed, stop words included (phrases may contain them); a stop word alone is not
 * translated.
 */
export function translateQuery(words: string[], from: SearchLanguage): TranslatedSpan[] {
  // A typed word may hold hyphenated parts ("KI-gestützte"): match over the parts, report spans over the typed words.
  const tokens: string[] = [];
  const origin: number[] = [];
  words.forEach((w, i) => {
    for (const part of splitWords(w)) {
      tokens.push(part);
      origin.push(i);
    }
  });
  const stop = tokens.map((w) => isStopWord(fold(w)));
  const spans: TranslatedSpan[] = [];
  const emit = (first: number, last: number, translations: Translation[]) => {
    const start = origin[first];
    const end = origin[last] + 1;
    const same = spans.find((s) => s.start === start && s.end === end);
    if (same) {
      for (const t of translations) addTranslation(same.translations, t);
      same.translations = best(same.translations);
    } else spans.push({ start, end, translations });
  };
  for (let start = 0; start < tokens.length; ) {
    let matched = 0;
    // A phrase may hold stop words ("speech to text") but does not end with one. It begins with one only where the
    // glossary has the whole phrase ("IT-Sicherheit", "on-demand transport", "by-law"), not where a dictionary has an
    // idiom ("im Netz" as "online" would hide "Netz" as "network"); a stop word alone is not translated.
    for (let n = Math.min(MAX_SPAN, tokens.length - start); n >= (stop[start] ? 2 : 1); n--) {
      if (stop[start + n - 1]) continue;
      const slice = tokens.slice(start, start + n);
      const key = slice.map((w) => wordKey(w, from)).join(' ');
      const found = stop[start] ? fromGlossary(key, from) : lookupKey(key, plainForm(slice.join(' ')), from);
      if (!found.length) continue;
      emit(start, start + n - 1, best(found));
      matched = n;
      break;
    }
    if (!matched && stop[start]) {
      start++;
      continue;
    }
    if (!matched) {
      const compound = from === 'en' ? [] : fromCompound(fold(tokens[start]), from);
      if (compound.length) emit(start, start, best(compound));
      matched = 1;
    }
    start += matched;
  }
  return spans;
}

// ---------------------------------------------------------------------------------------------------------------
// Language guess.

const STOP_WORDS: Record<SearchLanguage, Set<string>> = {
  de: new Set(['der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einer', 'und', 'oder', 'mit', 'von', 'für', 'fuer', 'zur', 'zum', 'im', 'auf', 'bei', 'ist', 'nicht', 'wie', 'was', 'über', 'ueber', 'nach', 'durch', 'aus']),
  en: new Set(['the', 'a', 'an', 'and', 'or', 'of', 'to', 'for', 'on', 'with', 'is', 'are', 'how', 'what', 'by', 'from', 'in', 'at', 'into', 'using']),
  nl: new Set(['de', 'het', 'een', 'en', 'of', 'van', 'voor', 'op', 'met', 'bij', 'is', 'zijn', 'hoe', 'wat', 'door', 'naar', 'uit', 'aan', 'in', 'om']),
};

/** Letter patterns typical of one language (applied to the lower-case word as typed). */
const LETTERS: [SearchLanguage, RegExp, number][] = [
  ['de', /[äöüß]/, 3],
  ['de', /(?:ung|keit|heit|schaft|lich|isch)(?:en|e|s)?$/, 1.5],
  ['de', /^(?:ge|be|ver|zer|ent)?\p{L}*(?:tz|pf|chs)/u, 0.5],
  ['nl', /ij/, 2],
  ['nl', /(?:aa|uu|oe|ui|eu|ou)/, 0.75],
  ['nl', /(?:ing|tie|heid|lijk|isch)(?:en|s)?$/, 0.5],
  ['nl', /^(?:ge|be|ver|ont)\p{L}+(?:d|t|en)$/u, 0.25],
  ['en', /(?:tion|ment|ness|ity|ing|ed|th|w)s?$/, 1],
  ['en', /^(?:th|wh)/, 0.75],
  ['en', /(?:ee|oo|ea|ou)/, 0.25],
];

/** Guess the language of a short query ('de' | 'en' | 'nl') from the dictionaries' headwords, stop words and letters (ä ö ü ß, ij …). */
export function guessQueryLanguage(words: string[]): SearchLanguage {
  const score: Record<SearchLanguage, number> = { de: 0.1, en: 0, nl: 0 };
  const g = glossary();
  for (const raw of words) {
    const lower = normaliseTerm(raw);
    if (!lower) continue;
    for (const lang of LANGS) if (STOP_WORDS[lang].has(lower)) score[lang] += 1.5;
    for (const [lang, pattern, w] of LETTERS) if (pattern.test(lower)) score[lang] += w;
    if (lower.length < 3) continue;
    const form = plainForm(lower);
    for (const lang of LANGS) {
      const key = wordKey(lower, lang);
      // A glossary word as written counts ("fraude" is Dutch though its English stem is "fraud").
      if (g.words[lang].has(form)) score[lang] += 2;
      const other = lang === 'en' ? 'de' : 'en';
      const lines = dictionary(lang, other).lookup(key);
      if (lines.some((l) => l.form === form)) score[lang] += 1.5;
      else if (lines.length) score[lang] += 0.5;
    }
    // Closed compounds are German or Dutch: a split into known parts speaks for that language.
    for (const lang of ['de', 'nl'] as const) if (decompound(fold(lower), lexiconOf(lang)).length) score[lang] += 1;
  }
  return LANGS.reduce((a, b) => (score[b] > score[a] ? b : a));
}
