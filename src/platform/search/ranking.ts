import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from '../db/dialect.js';
import { decompound, fold, hyphenated, isStopWord, lower, stem, stemOf, words, type Lexicon, type QueryGroup, type SearchLanguage } from './analyser.js';
import { compoundParts, guessQueryLanguage, isKnownWord, translateQuery } from './translations.js';

/**
 * Ranked retrieval shared by every search of the platform (catalogue, questions, similar solutions, matching):
 * BM25F with per-field weights, term-frequency saturation and length normalisation, worked out per document when
 * it is indexed, so a query only sums integer posting weights times integer idf factors — the same on SQLite and
 * PostgreSQL. Every query word may match; an entry matching more of the query's words ranks first.
 */

/** BM25 saturation: the more a term is repeated, the less each repetition adds. */
export const K1 = 1.2;
/** BM25 length normalisation: how much a long field's terms are discounted (0 none, 1 fully). */
export const B = 0.75;
/** A stored posting weight is the saturated term weight times this (at most this times the boost). */
export const WEIGHT_SCALE = 1000;
/** The query reads this many words at most; the page says so when a query is cut. */
export const MAX_QUERY_WORDS = 32;
/** Words longer than this are neither indexed nor searched. */
export const MAX_TERM_LENGTH = 60;

export interface RankField {
  text: string;
  /** The field's weight in BM25F (title weighs more than the text). */
  weight: number;
  /** A typical length of this field in words, the reference for length normalisation. */
  averageLength: number;
}

/**
 * The terms of a document with integer BM25F weights: per term the field-weighted, length-normalised term
 * frequency, saturated (tf / (K1 + tf)), times WEIGHT_SCALE and the document's boost. The parts of a German
 * compound count half an occurrence. Every weight is at least 1.
 */
export function documentTerms(fields: RankField[], lang: SearchLanguage, lexicon: Lexicon, boost = 1): Map<string, number> {
  const pseudo = new Map<string, number>();
  for (const field of fields) {
    const counts = new Map<string, number>();
    const joinedCounts = new Map<string, number>();
    let length = 0;
    for (const w of words(field.text)) {
      const f = fold(w);
      if (isStopWord(f) || f.length > MAX_TERM_LENGTH) continue;
      length++;
      // English is stemmed as spelt ("issue", not "issü"); German and Dutch folded.
      const key = lang === 'en' ? lower(w) : f;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    if (length === 0) continue;
    // A word written with hyphens also counts joined where the joined form is a word ("e-mail" as "email", "real-time"
    // as "realtime", "chat-bot" as "chatbot"; not "AI-based"), as a form of its words, not as a word of the field's length.
    for (const { joined } of hyphenated(field.text)) {
      const f = fold(joined);
      if (isStopWord(f) || f.length > MAX_TERM_LENGTH || !translator.isKnownWord(joined)) continue;
      const key = lang === 'en' ? lower(joined) : f;
      joinedCounts.set(key, (joinedCounts.get(key) ?? 0) + 1);
    }
    const norm = 1 - B + B * (length / field.averageLength);
    const occurrences = new Map<string, number>();
    const add = (term: string, n: number) => {
      if (term.length < 2 || term.length > MAX_TERM_LENGTH) return;
      occurrences.set(term, (occurrences.get(term) ?? 0) + n);
    };
    for (const [key, n] of counts) {
      add(stemOf(key, lang), n);
      if (lang === 'de') for (const part of decompound(key, lexicon)) add(stem(part, 'de'), n / 2);
    }
    for (const [key, n] of joinedCounts) if (!counts.has(key)) add(stemOf(key, lang), n);
    for (const [term, n] of occurrences) pseudo.set(term, (pseudo.get(term) ?? 0) + (field.weight * n) / norm);
  }
  const terms = new Map<string, number>();
  for (const [term, tf] of pseudo) terms.set(term, Math.max(1, Math.round(WEIGHT_SCALE * boost * (tf / (K1 + tf)))));
  return terms;
}

/** One way of matching a query word: all of its terms must occur (a translated phrase has several). */
export interface Alternative {
  terms: string[];
  /** 1 for the query's own word; the translation's weight (below 1) for a translation. */
  factor: number;
  translated: boolean;
}

/** A word of the query (or a part of a compound) and the ways it may match; it counts once for "how many words matched". */
export interface RankGroup {
  word: string;
  /** The position of the word in the query, for translations spanning several words. */
  position: number;
  alternatives: Alternative[];
  /** Terms added because the word itself occurs nowhere (a typo). */
  nearby: string[];
  /**
   * A word lent by the first results (feedback): it adds to the score of an entry found through the query's own
   * words, but neither makes an entry a hit nor counts among the words matched.
   */
  expansion?: boolean;
  /**
   * The word names what every document is about ("KI" in a catalogue of AI solutions): it finds documents and adds to
   * their score, and counts among the words matched that a result shows, but not in the coordination factor.
   */
  common?: boolean;
}

/** A query split into the words the ranking uses. */
export interface AnalysedQuery {
  /** The query's words as typed (after the cut). */
  words: string[];
  groups: QueryGroup[];
  positions: number[];
  /** The query had more than MAX_QUERY_WORDS words. */
  cut: boolean;
  /** The query had words, but only stop words. */
  stopWordsOnly: boolean;
  /** The language the query seems to be written in (German when it has no words). */
  language: SearchLanguage;
}

/**
 * Splits a query into groups: each word's stems in German, English and Dutch; in a German or Dutch query a compound
 * becomes one group per part, each also satisfied by the whole compound (English writes its compounds apart, and an
 * English word would only fall into meaningless pieces: "monitoring" into "monitor" and "ing"). Stop words are left
 * out; words beyond MAX_QUERY_WORDS are cut.
 */
export function analyseQuery(query: string, lexicon: Lexicon): AnalysedQuery {
  const all = words(query);
  const kept = all.slice(0, MAX_QUERY_WORDS);
  const language = kept.length ? translator.guessQueryLanguage(kept) : 'de';
  const groups: QueryGroup[] = [];
  const positions: number[] = [];
  let stops = 0;
  kept.forEach((w, position) => {
    const f = fold(w);
    if (f.length > MAX_TERM_LENGTH) return;
    if (isStopWord(f)) { stops++; return; }
    // The index holds no one-letter terms ("E" of "E-Mail", "X" of "X-ray"): such a word could only ever match through
    // a translation of the whole ("email"), which its other part already counts.
    if (f.length < 2) return;
    const whole = [...new Set((['de', 'en', 'nl'] as const).map((l) => stemOf(w, l)))];
    // A word of the dictionaries as a whole ("digital", "Bürgerservice") is split only into parts that are words of the
    // dictionaries too, not into pieces that merely occur in some entry ("digi" + "tal", "bürgerser" + "vice").
    const splitWith = translator.isKnownWord(w) ? { has: (part: string) => lexicon.has(part) && (lexicon.trusted ?? compoundParts).has(part) } : lexicon;
    const parts = language === 'en' ? [] : decompound(f, splitWith);
    if (parts.length) {
      for (const part of parts) { groups.push({ word: part, terms: [...new Set([stem(part, 'de'), ...whole])] }); positions.push(position); }
    } else {
      groups.push({ word: f, terms: whole });
      positions.push(position);
    }
  });
  // A word typed with hyphens ("e-mail", "real-time") also matches where it is written as one word ("email",
  // "realtime"): each of its words is also satisfied by the joined form, where that is a word of the dictionaries.
  for (const { joined, first, count } of hyphenated(query.trim())) {
    if (first + count > kept.length) continue;
    if (joined.length > MAX_TERM_LENGTH || !translator.isKnownWord(joined)) continue;
    const forms = (['de', 'en', 'nl'] as const).map((l) => stemOf(joined, l));
    groups.forEach((g, i) => {
      if (positions[i] >= first && positions[i] < first + count) g.terms = [...new Set([...g.terms, ...forms])];
    });
  }
  return { words: kept, groups, positions, cut: all.length > MAX_QUERY_WORDS, stopWordsOnly: groups.length === 0 && stops > 0, language };
}

/** A translated word or phrase for a span of the query's words (end exclusive). */
export interface TranslatedSpan {
  start: number;
  end: number;
  translations: { text: string; lang: SearchLanguage; weight: number }[];
  /** Set for the translation of one part of a compound: it applies to that part's group only. */
  part?: string;
}

/**
 * The rank groups of an analysed query (after typo expansion): the own terms with factor 1, the nearby terms of a
 * typo, and the translations of the spans covering each word. A translation covering several words is shared among
 * their groups, each getting its share of the weight.
 */
export function rankGroups(analysed: AnalysedQuery, expanded: QueryGroup[], spans: TranslatedSpan[]): RankGroup[] {
  const out: RankGroup[] = expanded.map((g, i) => {
    const own = analysed.groups[i].terms;
    return {
      word: g.word,
      position: analysed.positions[i],
      alternatives: g.terms.map((t) => ({ terms: [t], factor: 1, translated: false })),
      nearby: g.terms.filter((t) => !own.includes(t)),
    };
  });
  for (const span of spans) {
    const covered = out.filter((g) => g.position >= span.start && g.position < span.end && (!span.part || g.word === span.part));
    if (covered.length === 0) continue;
    const words = new Set(covered.map((g) => g.position)).size;
    for (const tr of span.translations) {
      const terms = [...new Set(wordsOfTranslation(tr.text).map((w) => stemOf(w, tr.lang)))];
      if (terms.length === 0) continue;
      const factor = Math.min(1, Math.max(0, tr.weight)) / words;
      // A term of a span that is one of the span's own words ("fraud" for "welfare fraud", "park" for "parking
      // spaces") is that word, not the span's meaning: it does not stand for the other words.
      const ownWord = words > 1 && terms.length === 1 && covered.some((g) => analysed.groups[out.indexOf(g)].terms.includes(terms[0]));
      for (const g of covered) {
        const same = g.alternatives.find((a) => a.terms.length === terms.length && a.terms.every((t, i) => t === terms[i]));
        if (same) { same.factor = Math.max(same.factor, factor); continue; }
        if (ownWord) continue;
        g.alternatives.push({ terms, factor, translated: true });
      }
    }
  }
  return out;
}

/**
 * The words of a translation that are searched, as written. One-letter words ("X" of "X-ray", "E" of "E-Mail") are left
 * out as in the index, which holds none: kept, they would make the translation impossible to match.
 */
function wordsOfTranslation(text: string): string[] {
  return words(text).filter((w) => { const f = fold(w); return !isStopWord(f) && f.length >= 2 && f.length <= MAX_TERM_LENGTH; });
}

/** Translations of query words into the platform's other search languages (glossary and dictionaries). */
const translator = { translateQuery, guessQueryLanguage, isKnownWord };

/** The spans of the query translated, with the parts of compounds that have no translation as a whole. */
export function translatedSpans(analysed: AnalysedQuery, from: SearchLanguage): TranslatedSpan[] {
  if (analysed.groups.length === 0) return [];
  const spans: TranslatedSpan[] = translator.translateQuery(analysed.words, from).filter((s) => s.translations.length > 0);
  const covered = (p: number) => spans.some((s) => p >= s.start && p < s.end);
  analysed.groups.forEach((g, i) => {
    const p = analysed.positions[i];
    const compound = analysed.positions.filter((x) => x === p).length > 1;
    if (!compound || covered(p)) return;
    for (const part of translator.translateQuery([g.word], from)) {
      if (part.translations.length) spans.push({ start: p, end: p + 1, translations: part.translations, part: g.word });
    }
  });
  return spans;
}

/** The language a query seems to be written in (German when it has no words). */
export function queryLanguage(analysed: AnalysedQuery): SearchLanguage {
  return analysed.language;
}

/** Every distinct term of the groups. */
export function termsOf(groups: RankGroup[]): string[] {
  return [...new Set(groups.flatMap((g) => g.alternatives.flatMap((a) => a.terms)))];
}

/** BM25's inverse document frequency of a term found in df of total documents, times 100 as an integer. */
export function idf100(total: number, df: number): number {
  const n = Math.max(1, total);
  const d = Math.min(n, Math.max(0, df));
  return Math.round(100 * Math.log(1 + (n - d + 0.5) / (d + 0.5)));
}

function greatest(dialect: DialectName, parts: RawBuilder<unknown>[]): RawBuilder<unknown> {
  if (parts.length === 1) return parts[0];
  // SQLite's max() with several arguments is its greatest(); both ignore no argument, hence the coalesce by the caller.
  return dialect === 'postgres' ? sql`greatest(${sql.join(parts)})` : sql`max(${sql.join(parts)})`;
}

/**
 * The ranking subquery: per document its id (as `doc_id`), the number of the query's words it matches (`matched`; a
 * compound counts once, whether matched as a whole or through its parts) and its
 * integer score (`score`), for documents matching at least one group. A group scores the best of its alternatives;
 * an alternative the sum of its terms' posting weight × round(idf × 100 × factor / number of terms), or nothing when
 * one of its terms is missing. The score is the sum over the groups times the number of words matched (a coordination
 * factor), so matching more of the query's words weighs heavily without letting a few common words outrank the
 * entry that matches the rare, telling word many times.
 */
export function rankingSubquery(opts: {
  dialect: DialectName;
  table: string;
  idColumn: string;
  groups: RankGroup[];
  idf: (term: string) => number;
  /** How many documents contain a term, to read a phrase's common words only where its rarest word occurs. */
  df?: (term: string) => number;
  where?: RawBuilder<boolean>;
  /**
   * Read at most this many postings of a term found in more documents (its highest weights), besides its postings in
   * documents that contain one of the query's rarer terms; see postingSource. Unset: every posting is read.
   */
  cap?: number;
}): RawBuilder<unknown> {
  const { groups } = opts;
  const coefficient = (term: string, a: Alternative) => Math.max(1, Math.round((opts.idf(term) * a.factor) / a.terms.length));
  const columns = groups.map((g, i) => {
    // Single terms share one aggregate per group (the best coefficient per term); phrases need each of their terms.
    const singles = new Map<string, number>();
    for (const a of g.alternatives) if (a.terms.length === 1) singles.set(a.terms[0], Math.max(singles.get(a.terms[0]) ?? 0, coefficient(a.terms[0], a)));
    const parts: RawBuilder<unknown>[] = [];
    if (singles.size) {
      const cases = sql.join([...singles].map(([t, c]) => sql`when ${t} then weight * ${sql.lit(c)}`), sql` `);
      parts.push(sql`coalesce(max(case term ${cases} end), 0)`);
    }
    for (const a of g.alternatives.filter((x) => x.terms.length > 1)) {
      const sum = sql.join(a.terms.map((t) => sql`max(case when term = ${t} then weight * ${sql.lit(coefficient(t, a))} end)`), sql` + `);
      parts.push(sql`coalesce(${sum}, 0)`);
    }
    return sql`${greatest(opts.dialect, parts)} as ${sql.ref(`g${i}`)}`;
  });
  const g = (i: number) => sql.ref(`x.g${i}`);
  const counted = groups.map((grp, i) => ({ grp, i })).filter(({ grp }) => !grp.expansion);
  // A word of the query counts once, whether it matched as a whole or through one of its compound's parts.
  const wordsMatched = (which: typeof counted) => {
    const byWord = new Map<number, number[]>();
    for (const { grp, i } of which) byWord.set(grp.position, [...byWord.get(grp.position) ?? [], i]);
    return sql.join([...byWord.values()].map((is) => sql`case when ${sql.join(is.map((i) => g(i)), sql` + `)} > 0 then 1 else 0 end`), sql` + `);
  };
  const matched = wordsMatched(counted);
  const score = sql.join(groups.map((_, i) => g(i)), sql` + `);
  // Words lent by the first results only reorder: an entry is a hit through the query's own words.
  const own = sql.join(counted.map(({ i }) => g(i)), sql` + `);
  const id = sql.ref(opts.idColumn);
  // The coordination factor: the BM25F sum times the number of words matched (a 64-bit product on PostgreSQL). Common
  // words do not count there; the sum of an entry found through them alone is taken once, as if it matched one word.
  const telling = counted.filter(({ grp }) => !grp.common);
  const factor = telling.length > 0 && telling.length < counted.length ? greatest(opts.dialect, [sql`${wordsMatched(telling)}`, sql`1`]) : matched;
  const coordinated = opts.dialect === 'postgres' ? sql`cast(${score} as bigint) * (${factor})` : sql`(${score}) * (${factor})`;
  return sql`(select x.doc_id as doc_id, ${matched} as matched, ${coordinated} as score from (
      select ${id} as doc_id, ${sql.join(columns)} from ${postingSource(opts)}
      group by ${id}) x
    where ${own} > 0)`;
}

/**
 * The documents rankingSubquery finds, as `doc_id`, without scoring them (for counting: the facets). An id appears
 * once for each form of the query it holds (removing the repeats in the database took twice the time of reading them). A
 * document is found when it holds a term of a one-word alternative of one of the query's own groups (not the words
 * lent by the first results), or every term of a phrase alternative; every posting weighs more than nothing, so these
 * are exactly the documents whose own groups score above zero.
 */
export function matchingDocuments(opts: { table: string; idColumn: string; groups: RankGroup[]; where?: RawBuilder<boolean> }): RawBuilder<unknown> {
  const { table } = opts;
  const id = sql.ref(opts.idColumn);
  const visible = (condition: RawBuilder<unknown>) => (opts.where ? sql`${condition} and ${opts.where}` : condition);
  const alternatives = opts.groups.filter((g) => !g.expansion).flatMap((g) => g.alternatives).map((a) => [...new Set(a.terms)].sort());
  const singles = new Set(alternatives.filter((terms) => terms.length === 1).map((terms) => terms[0]));
  const phrases = new Map<string, string[]>();
  for (const terms of alternatives) {
    // A phrase holding a one-word alternative finds no document that word does not already find.
    if (terms.length > 1 && !terms.some((t) => singles.has(t))) phrases.set(terms.join(' '), terms);
  }
  const parts: RawBuilder<unknown>[] = [];
  if (singles.size) parts.push(sql`select ${id} as doc_id from ${sql.table(table)} where ${visible(sql`term in (${sql.join([...singles])})`)}`);
  let n = 0;
  for (const terms of phrases.values()) {
    const each = terms.map((t) => sql`select ${id} as doc_id from ${sql.table(table)} where ${visible(sql`term = ${t}`)}`);
    parts.push(sql`select doc_id from (${sql.join(each, sql` intersect `)}) ${sql.ref(`phrase${n++}`)}`);
  }
  if (parts.length === 0) return sql`(select ${id} as doc_id from ${sql.table(table)} where 1 = 0)`;
  return sql`(${sql.join(parts, sql` union all `)})`;
}

/** The postings the ranking reads, as a table expression with the columns term, the id column and weight. */
function postingSource(opts: { table: string; idColumn: string; groups: RankGroup[]; df?: (term: string) => number; where?: RawBuilder<boolean>; cap?: number }) {
  const { table, idColumn, groups, df, cap } = opts;
  const id = sql.ref(idColumn);
  const visible = (extra: RawBuilder<unknown>) => sql`${extra}${opts.where ? sql` and ${opts.where}` : sql``}`;
  const capped = cap && df ? termsOf(groups).filter((t) => df(t) > cap) : [];
  if (capped.length === 0) {
    return sql`${sql.table(table)} where ${visible(postingsToRead(groups, df, table, id))}`;
  }
  // A term in more than `cap` documents (in a large catalogue "data", "gemeente") is read in two parts: its `cap`
  // highest weights (where it is most telling), and its postings in the documents that contain one of the query's
  // other, rarer terms, so those are scored in full. Only documents holding nothing but common terms with low weights
  // are left out; the work stays bounded however large the catalogue grows.
  const common = new Set(capped);
  const rarer = groups.map((g) => ({ ...g, alternatives: g.alternatives.filter((a) => a.terms.every((t) => !common.has(t))) }))
    .filter((g) => g.alternatives.length > 0);
  const rareTerms = termsOf(rarer);
  const parts: RawBuilder<unknown>[] = [];
  const columns = sql`term, ${id}, weight`;
  if (rareTerms.length) parts.push(sql`select ${columns} from ${sql.table(table)} where ${visible(postingsToRead(rarer, df, table, id))}`);
  for (const term of capped) {
    parts.push(sql`select ${columns} from (select ${columns} from ${sql.table(table)} where ${visible(sql`term = ${term}`)}
      order by weight desc, ${id} desc limit ${sql.lit(cap!)}) top`);
    if (rareTerms.length) {
      parts.push(sql`select p.term, p.${id}, p.weight from (select distinct ${id} as d from ${sql.table(table)} where ${visible(sql`term in (${sql.join(rareTerms)})`)}) u
        cross join ${sql.table(table)} p where p.term = ${term} and p.${id} = u.d`);
    }
  }
  // A posting read by both parts counts once: every group takes the maximum per term.
  return sql`(${sql.join(parts, sql` union all `)}) postings`;
}

/**
 * Which postings the ranking reads. A term that matches on its own (a query word, a one-word translation) is read
 * wherever it occurs. A term that only occurs in translated phrases ("waste management") is read only in documents
 * that contain the phrase's rarest term: a phrase needs all its terms, so elsewhere it cannot match, and a common
 * word such as "management" would otherwise have every search read a large part of the index.
 */
function postingsToRead(groups: RankGroup[], df: ((term: string) => number) | undefined, table: string, id: RawBuilder<unknown>): RawBuilder<unknown> {
  const alternatives = groups.flatMap((g) => g.alternatives);
  const single = new Set(alternatives.filter((a) => a.terms.length === 1).map((a) => a.terms[0]));
  const rarest = new Set<string>();
  const dependent = new Set<string>();
  for (const a of alternatives.filter((x) => x.terms.length > 1)) {
    const driver = df ? [...a.terms].sort((x, y) => df(x) - df(y) || (x < y ? -1 : 1))[0] : a.terms[0];
    rarest.add(driver);
    for (const t of a.terms) if (t !== driver) dependent.add(t);
  }
  const following = [...dependent].filter((t) => !single.has(t) && !rarest.has(t));
  if (!df || following.length === 0) return sql`term in (${sql.join(termsOf(groups))})`;
  const driving = [...new Set([...single, ...rarest])];
  return sql`(term in (${sql.join(driving)}) or (term in (${sql.join(following)}) and ${id} in (select ${id} from ${sql.table(table)} where term in (${sql.join([...rarest])}))))`;
}
