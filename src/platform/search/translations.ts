import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { decompound, fold, isStopWord, stem, words as splitWords, type Lexicon, type SearchLanguage } from './analyser.js';

/**
 * Cross-language search terms: a query's words in the other two catalogue languages (German, English, Dutch),
 * from the maintained glossary of administrative terms (lexicon/glossary.tsv) and the FreeDict dictionaries
 * (lexicon/freedict-*.tsv.gz, converted by scripts/convert-freedict.ts). Loaded on first use, then cached.
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
  return splitWords(word.normalize('NFKC')).map((w) => stem(fold(w), lang)).join(' ');
}

/** The look-up key of a term: its words' stems, so "Schlaglöcher" and "Schlagloch" meet. */
export function lexiconKey(term: string, lang: SearchLanguage): string {
  return splitWords(normaliseTerm(term)).map((w) => wordKey(w, lang)).join(' ');
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
// Dictionaries: one sorted file per pair, kept as bytes and searched by binary search, so loading is one gunzip.

interface DictionaryLine {
  /** The headword folded with plain vowels (plainForm). */
  form: string;
  senses: number;
  translations: string[];
}

export class SortedDictionary {
  private readonly starts: Int32Array;
  private readonly count: number;

  constructor(private readonly data: Buffer) {
    let n = 0;
    for (let i = 0; i < data.length; i++) if (data[i] === 10) n++;
    const starts = new Int32Array(n + 1);
    let line = 0;
    starts[line++] = 0;
    for (let i = 0; i < data.length; i++) if (data[i] === 10 && i + 1 < data.length) starts[line++] = i + 1;
    this.count = line;
    this.starts = starts;
  }

  get size(): number {
    return this.count;
  }

  private keyAt(i: number): Buffer {
    const s = this.starts[i];
    const tab = this.data.indexOf(9, s);
    return this.data.subarray(s, tab);
  }

  private lineAt(i: number): string {
    const s = this.starts[i];
    const e = this.data.indexOf(10, s);
    return this.data.toString('utf8', s, e < 0 ? this.data.length : e);
  }

  /** Every line with exactly this key. */
  lookup(key: string): DictionaryLine[] {
    const k = Buffer.from(key);
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (Buffer.compare(this.keyAt(mid), k) < 0) lo = mid + 1;
      else hi = mid;
    }
    const out: DictionaryLine[] = [];
    for (let i = lo; i < this.count && Buffer.compare(this.keyAt(i), k) === 0; i++) {
      const [key, form, senses, translations] = this.lineAt(i).split('\t');
      out.push({ form: form.startsWith('~') ? key + form.slice(1) : form, senses: Number(senses) || 1, translations: translations ? translations.split('|') : [] });
    }
    return out;
  }

  has(key: string): boolean {
    return this.lookup(key).length > 0;
  }
}

const dictionaries = new Map<string, SortedDictionary>();

/** The dictionary from one language into another, loaded on first use. */
export function dictionary(from: SearchLanguage, to: SearchLanguage): SortedDictionary {
  const pair = `${CODE[from]}-${CODE[to]}`;
  let d = dictionaries.get(pair);
  if (!d) {
    d = new SortedDictionary(gunzipSync(readFileSync(`${LEXICON_DIR}freedict-${pair}.tsv.gz`)));
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

export interface Glossary {
  concepts: Concept[];
  /** Per language: look-up key → indexes of the concepts having a term with that key. */
  byKey: Record<SearchLanguage, Map<string, number[]>>;
}

/** Parses the glossary text; throws with the line number on a malformed line. */
export function parseGlossary(text: string): Glossary {
  const concepts: Concept[] = [];
  const byKey: Record<SearchLanguage, Map<string, number[]>> = { de: new Map(), en: new Map(), nl: new Map() };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const columns = line.split('|');
    if (columns.length !== 3) throw new Error(`glossary line ${i + 1}: expected "German | English | Dutch", got ${columns.length} columns`);
    const terms = {} as Record<SearchLanguage, string[]>;
    LANGS.forEach((lang, c) => {
      terms[lang] = [...new Set(columns[c].split(';').map(normaliseTerm).filter(Boolean))];
    });
    if (!terms.de.length) throw new Error(`glossary line ${i + 1}: no German term`);
    const index = concepts.length;
    concepts.push({ line: i + 1, terms });
    for (const lang of LANGS) {
      for (const term of terms[lang]) {
        const key = lexiconKey(term, lang);
        const list = byKey[lang].get(key) ?? [];
        if (!list.includes(index)) list.push(index);
        byKey[lang].set(key, list);
      }
    }
  });
  return { concepts, byKey };
}

let glossaryCache: Glossary | undefined;

export function glossary(): Glossary {
  glossaryCache ??= parseGlossary(readFileSync(`${LEXICON_DIR}glossary.tsv`, 'utf8'));
  return glossaryCache;
}

// ---------------------------------------------------------------------------------------------------------------
// Weights: the query's own words weigh 1; glossary terms 0.9 down to 0.7, dictionary terms 0.65 down to 0.3.

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
  const ids = g.byKey[from].get(key) ?? [];
  const out: Translation[] = [];
  for (const id of ids) {
    for (const to of LANGS) {
      if (to === from) continue;
      g.concepts[id].terms[to].forEach((text, i) => addTranslation(out, { text, lang: to, weight: glossaryWeight(i, ids.length), source: 'glossary' }));
    }
  }
  return out;
}

/**
 * Dictionary translations of a key: the headword written like the query (umlauts folded) first; other headwords
 * with the same stem (meeting/meet) count less.
 */
function fromDictionaries(key: string, form: string, from: SearchLanguage): Translation[] {
  const out: Translation[] = [];
  for (const to of LANGS) {
    if (to === from) continue;
    const lines = dictionary(from, to).lookup(key);
    if (!lines.length) continue;
    const forms = baseForms(form);
    const exact = lines.filter((l) => forms.includes(l.form)).sort((a, b) => forms.indexOf(a.form) - forms.indexOf(b.form));
    const chosen = exact.length ? exact : lines.slice(0, 2);
    const factor = exact.length ? 1 : 0.85;
    for (const l of chosen) {
      l.translations.forEach((text, i) => addTranslation(out, { text, lang: to, weight: round(Math.max(0.3, dictionaryWeight(i, l.senses) * factor)), source: 'dictionary' }));
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

function lookupKey(key: string, form: string, from: SearchLanguage): Translation[] {
  const list = fromGlossary(key, from);
  for (const t of fromDictionaries(key, form, from)) addTranslation(list, t);
  return list;
}

/** Known German words for splitting compounds: glossary terms and dictionary headwords of four letters or more. */
const germanLexicon: Lexicon = {
  has(word: string): boolean {
    if (word.length < 4) return false;
    const key = stem(word, 'de');
    return glossary().byKey.de.has(key) || dictionary('de', 'en').has(key);
  },
};

/** Translations of a German compound that neither source knows, from its parts ("Schlaglochmeldung" → "pothole report"). */
function fromCompound(folded: string): Translation[] {
  const parts = decompound(folded, germanLexicon);
  if (parts.length < 2) return [];
  const partTranslations = parts.map((p) => best(lookupKey(wordKey(p, 'de'), plainForm(p), 'de')));
  const out: Translation[] = [];
  for (const to of ['en', 'nl'] as const) {
    const perPart = partTranslations.map((list) => list.filter((t) => t.lang === to && !t.text.includes(' ')).slice(0, 2));
    if (perPart.some((p) => p.length === 0)) continue;
    // Combinations of the first two translations of the last part (the compound's head) with the best of the others.
    const head = perPart[perPart.length - 1];
    const modifiers = perPart.slice(0, -1).map((p) => p[0]);
    for (const h of head) {
      const phrase = [...modifiers, h];
      const weight = round(Math.max(0.3, phrase.reduce((w, t) => w * t.weight, 1) ** (1 / phrase.length) * 0.85));
      const source = phrase.every((t) => t.source === 'glossary') ? 'glossary' : 'dictionary';
      addTranslation(out, { text: phrase.map((t) => t.text).join(' '), lang: to, weight, source });
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
    if (stop[start]) {
      start++;
      continue;
    }
    let matched = 0;
    for (let n = Math.min(MAX_SPAN, tokens.length - start); n >= 1; n--) {
      // A phrase may hold stop words ("speech to text") but neither begins nor ends with one.
      if (stop[start + n - 1]) continue;
      const slice = tokens.slice(start, start + n);
      const key = slice.map((w) => wordKey(w, from)).join(' ');
      const found = lookupKey(key, plainForm(slice.join(' ')), from);
      if (!found.length) continue;
      emit(start, start + n - 1, best(found));
      matched = n;
      break;
    }
    if (!matched) {
      const compound = from === 'de' ? fromCompound(fold(tokens[start])) : [];
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
  ['en', /^(?:th|wh|w)/, 0.75],
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
      if (g.byKey[lang].has(key)) score[lang] += 2;
      const other = lang === 'en' ? 'de' : 'en';
      const lines = dictionary(lang, other).lookup(key);
      if (lines.some((l) => l.form === form)) score[lang] += 1.5;
      else if (lines.length) score[lang] += 0.5;
    }
  }
  return LANGS.reduce((a, b) => (score[b] > score[a] ? b : a));
}
