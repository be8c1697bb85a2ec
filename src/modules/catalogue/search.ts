import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { dialectOf } from '../../platform/db/dialect.js';
import { fold, lexiconWords, lower, stem, stemOf, words, type Lexicon, type QueryGroup, type SearchLanguage } from '../../platform/search/analyser.js';
import {
  analyseQuery, documentTerms, idf100, matchingDocuments, queryLanguage, rankGroups, rankingSubquery, termsOf, translatedSpans, WEIGHT_SCALE, type AnalysedQuery, type RankField, type RankGroup,
} from '../../platform/search/ranking.js';
import { compoundParts, isKnownWord } from '../../platform/search/translations.js';
import { withNearbyTerms } from '../../platform/search/typos.js';
import { distance } from 'fastest-levenshtein';
import type { Visitor } from '../../platform/policy.js';
import { postingsVisibleTo } from './queries.js';
import { SEED_LEXICON } from './seed-lexicon.js';
import { catalogueVersion } from './version.js';

const seed = new Set(SEED_LEXICON.flatMap((w) => { const f = fold(w); return [f, stem(f, 'de')]; }));

/** Text of a solution as the index sees it. */
export interface IndexableSolution {
  id: number;
  title: string;
  summary: string;
  description: string;
  problem_goal: string;
  benefit: string;
  previous_process: string;
  vendor: string;
  source_org: string;
  language: string;
}

/**
 * The catalogue's BM25F fields: title, summary and the rest of the text, with typical lengths in words measured over
 * the 3,630 imported register entries (mean words without stop words: title 4.8, summary 24.0, text 65.8).
 */
export const FIELD_WEIGHTS = { title: 8, summary: 3, text: 1 };
const AVERAGE_LENGTH = { title: 5, summary: 24, text: 66 };
/** The region's own entries weigh this much more than imported register entries of equal relevance. */
export const OWN_BOOST = 1.1;

const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

function fieldsOf(s: IndexableSolution): RankField[] {
  return [
    { text: s.title, weight: FIELD_WEIGHTS.title, averageLength: AVERAGE_LENGTH.title },
    { text: s.summary, weight: FIELD_WEIGHTS.summary, averageLength: AVERAGE_LENGTH.summary },
    {
      text: [s.description, s.problem_goal, s.benefit, s.previous_process, s.vendor, s.source_org].join('\n'),
      weight: FIELD_WEIGHTS.text, averageLength: AVERAGE_LENGTH.text,
    },
  ];
}

function languageOf(s: { language: string }): SearchLanguage {
  return s.language === 'en' || s.language === 'nl' ? s.language : 'de';
}

const LEXICON_TTL_MS = 60_000;
const lexicons = new WeakMap<object, { words: Set<string>; loadedAt: number }>();

/**
 * The words known for splitting compounds, held in memory per database and reloaded every minute,
 * so words that another instance added are picked up.
 */
export async function currentLexicon(db: Db | Tx): Promise<Set<string>> {
  const key = rootOf(db);
  const cached = lexicons.get(key);
  if (cached && Date.now() - cached.loadedAt < LEXICON_TTL_MS) return cached.words;
  const rows = await db.selectFrom('search_lexicon').select('word').execute();
  const words = new Set(rows.map((r) => r.word));
  if (cached) for (const w of cached.words) words.add(w);
  lexicons.set(key, { words, loadedAt: Date.now() });
  return words;
}

/** A database and its transactions share one adapter object, and so one lexicon. */
function rootOf(db: Db | Tx): object {
  return db.getExecutor().adapter;
}

const trusted: Lexicon = { has: (w) => seed.has(w) || compoundParts.has(w) };

function lexiconOf(words: Set<string>): Lexicon {
  return { has: (w) => seed.has(w) || words.has(w), trusted };
}

/**
 * (Re)indexes one solution inside the caller's transaction. A preloaded lexicon (bulk imports)
 * saves the per-solution look-up; it is kept up to date with the words added here.
 */
export async function indexSolution(db: Db | Tx, s: IndexableSolution, preloaded?: Set<string>): Promise<void> {
  const fields = fieldsOf(s);
  const allText = fields.map((f) => f.text).join('\n');
  const known = preloaded ?? await currentLexicon(db);
  const newWords = lexiconWords(allText).filter((w) => !known.has(w));
  for (const part of chunk(newWords, 400)) {
    await db.insertInto('search_lexicon').values(part.map((word) => ({ word }))).onConflict((oc) => oc.column('word').doNothing()).execute();
  }
  for (const w of newWords) known.add(w);
  const lexicon = lexiconOf(known);
  // Who may see the solution travels with its postings; read from the row the caller has just written.
  const owner = await db.selectFrom('solutions').select(['visibility', 'organisation_id', 'source']).where('id', '=', s.id).executeTakeFirstOrThrow();
  const terms = documentTerms(fields, languageOf(s), lexicon, owner.source === 'own' ? OWN_BOOST : 1);
  await db.deleteFrom('search_terms').where('solution_id', '=', s.id).execute();
  const rows = [...terms].map(([term, weight]) => ({ term, solution_id: s.id, weight, visibility: owner.visibility, organisation_id: owner.organisation_id }));
  for (const part of chunk(rows, 300)) {
    await db.insertInto('search_terms').values(part).execute();
    await db.insertInto('search_vocabulary').values(part.map((r) => ({ term: r.term }))).onConflict((oc) => oc.column('term').doNothing()).execute();
  }
}

/**
 * Adds, for query words that appear nowhere in the index, the indexed terms within a small edit distance.
 * A term is known if some entry still has it; the candidates come from the vocabulary, which also keeps
 * terms of edited and removed entries, so only those some entry still uses are offered.
 */
async function forgiveTypos(db: Db, groups: QueryGroup[]): Promise<QueryGroup[]> {
  const inUse = (eb: ExpressionBuilder<Database, 'search_vocabulary'>) =>
    eb.exists(eb.selectFrom('search_terms').select('search_terms.term').whereRef('search_terms.term', '=', 'search_vocabulary.term'));
  return withNearbyTerms(
    groups,
    async (terms) => {
      const { df } = await termStatistics(db, terms);
      return new Set(terms.filter((t) => (df.get(t) ?? 0) > 0));
    },
    async ({ first, minLength, maxLength }) => (await db.selectFrom('search_vocabulary').select('term')
      .where('term', '>=', first).where('term', '<', first + '\uffff')
      .where(sql<number>`length(term)`, '>=', minLength).where(sql<number>`length(term)`, '<=', maxLength)
      .where(inUse)
      .execute()).map((r) => r.term),
    isKnownWord,
  );
}

const STATISTICS_MAX_TERMS = 50_000;
const statistics = new WeakMap<object, { version: string; total: number; df: Map<string, number> }>();

/**
 * How many solutions there are and how many contain each term (document frequency), for the idf weights and
 * for telling known words from typos. Counting a common term's postings grows with the catalogue, so the
 * figures are kept per database for as long as the catalogue version stays the same; any change to the
 * catalogue gives a new version and fresh counts.
 */
async function termStatistics(db: Db, terms: string[]): Promise<{ total: number; df: Map<string, number> }> {
  const key = rootOf(db);
  const version = await catalogueVersion(db);
  let known = statistics.get(key);
  if (!known || known.version !== version || known.df.size > STATISTICS_MAX_TERMS) {
    const total = Number((await db.selectFrom('solutions').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    known = { version, total, df: new Map() };
    statistics.set(key, known);
  }
  const missing = terms.filter((t) => !known!.df.has(t));
  for (const part of chunk(missing, 500)) {
    const counted = new Map<string, number>();
    for (const r of await db.selectFrom('search_terms').select(['term', sql<number>`count(*)`.as('n')]).where('term', 'in', part).groupBy('term').execute()) {
      counted.set(r.term, Number(r.n));
    }
    for (const t of part) known.df.set(t, counted.get(t) ?? 0);
  }
  return { total: known.total, df: known.df };
}

export interface ScoredQuery {
  groups: RankGroup[];
  analysed: AnalysedQuery;
  /**
   * A subquery (solution_id, matched, score) of the solutions matching at least one word that the visitor may see,
   * or null for no query. It reads the postings only.
   */
  hits: RawBuilder<unknown> | null;
  /**
   * The same ranking reading at most POSTINGS_CAP postings of each very common term (see rankingSubquery), for the
   * first pages of a search without filters; equal to hits when no term is that common.
   */
  leading: RawBuilder<unknown> | null;
  /** leading may leave out entries holding only very common words: its count is not the number of hits. */
  leadingCapped: boolean;
  /**
   * The same entries as hits (solution_id, an entry once for each form of the query it holds), unranked: an entry is
   * a hit through the query's own words alone (those lent by the first results only reorder). For counting (facets).
   */
  matches: RawBuilder<unknown> | null;
  /** The language the query seems to be written in. */
  language: SearchLanguage;
  /** Entries in other languages were searched through translations of the query's words. */
  translated: boolean;
}

/**
 * Analyses a query and builds the ranking subquery for a visitor (see platform/search/ranking.ts). Scores are
 * integers, so both databases rank identically; ties are broken by id by the caller.
 */
export async function scoredQuery(db: Db, viewer: Visitor, q: string, { cap = POSTINGS_CAP }: { cap?: number } = {}): Promise<ScoredQuery> {
  const lexicon = lexiconOf(await currentLexicon(db));
  const analysed = analyseQuery(q.trim(), lexicon);
  const language = queryLanguage(analysed);
  if (analysed.groups.length === 0) return { groups: [], analysed, hits: null, leading: null, leadingCapped: false, matches: null, language, translated: false };
  const expanded = await forgiveTypos(db, analysed.groups);
  const all = rankGroups(analysed, expanded, translatedSpans(analysed, language));
  const { total, df } = await termStatistics(db, termsOf(all));
  const meaning = meaningFrequencies(all, df);
  const groups = withThemeWordsCommon(withoutCommonTranslations(all, total, df));
  const ranking = (rankGroups: RankGroup[], frequency: Map<string, number>, postingsCap?: number) => sql`(select doc_id as solution_id, matched, score from ${rankingSubquery({
    dialect: dialectOf(db), table: 'search_terms', idColumn: 'solution_id', groups: rankGroups,
    idf: (t) => idf100(total, Math.max(frequency.get(t) ?? 0, meaning.get(t) ?? 0)), df: (t) => frequency.get(t) ?? 0, where: postingsVisibleTo(viewer), cap: postingsCap,
  })} r)`;
  const capped = (rankGroups: RankGroup[], frequency: Map<string, number>) => termsOf(rankGroups).some((t) => (frequency.get(t) ?? 0) > cap);
  const translated = groups.some((g) => g.alternatives.some((a) => a.translated && a.terms.some((t) => (df.get(t) ?? 0) > 0)));
  // The first results lend their most telling words to a second, final ranking (pseudo-relevance feedback).
  const first = ranking(groups, df, capped(groups, df) ? cap : undefined);
  const feedback = await feedbackGroups(db, first, groups, total);
  const final = [...groups, ...feedback];
  const frequency = feedback.length ? (await termStatistics(db, termsOf(final))).df : df;
  const hits = ranking(final, frequency);
  const leadingCapped = capped(final, frequency);
  // The facets count the same entries as hits; finding them needs no scores.
  const matches = sql`(select doc_id as solution_id from ${matchingDocuments({ table: 'search_terms', idColumn: 'solution_id', groups, where: postingsVisibleTo(viewer) })} m)`;
  return { groups, analysed, hits, leading: leadingCapped ? ranking(final, frequency, cap) : hits, leadingCapped, matches, language, translated };
}

/** A translation weighing at least this much names the query word's meaning (the first terms of the glossary or a dictionary). */
const MEANING_WEIGHT = 0.85;

/**
 * How common the meaning of each of the query's own words is in the catalogue: a word is as common as the most common
 * of its translations that name its meaning. "KI" is rare in a catalogue written mostly in English, but "artificial
 * intelligence" is in a large part of it; weighed by its own rarity, "KI" ranked "Ki-67 in neuroendocrine tumours"
 * first. The figure replaces a term's document frequency for its idf where it is higher; a translated phrase counts as
 * common as its rarest word.
 */
function meaningFrequencies(groups: RankGroup[], df: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of groups) {
    const translations = g.alternatives.filter((a) => a.translated && a.factor >= MEANING_WEIGHT);
    if (translations.length === 0) continue;
    const best = Math.max(...translations.map((a) => Math.min(...a.terms.map((t) => df.get(t) ?? 0))));
    for (const a of g.alternatives) {
      if (a.translated || a.terms.length !== 1) continue;
      const t = a.terms[0];
      if (best > (df.get(t) ?? 0)) out.set(t, Math.max(out.get(t) ?? 0, best));
    }
  }
  return out;
}

/** Results read for feedback, words taken from them, and their weight relative to the query's own words. */
export const FEEDBACK = { documents: 10, terms: 8, weight: 0.3 };

/**
 * Pseudo-relevance feedback: the words that the first results share and the query does not name ("pupils",
 * "truancy" for "early school leaving"), as extra groups. Each weighs at most FEEDBACK.weight of a query word and
 * adds to the score of entries found through the query's words, neither making an entry a hit nor counting among the
 * words matched. A word counts if it is in at least two of those results and in more than one entry of the catalogue;
 * words are scored by their weights there times idf. Only when more entries match than are read for it.
 */
async function feedbackGroups(db: Db, ranking: RawBuilder<unknown>, groups: RankGroup[], total: number): Promise<RankGroup[]> {
  const first = (await sql<{ solution_id: number }>`select solution_id from ${ranking} h order by score desc, solution_id asc limit ${sql.lit(FEEDBACK.documents + 1)}`.execute(db)).rows
    .map((r) => r.solution_id);
  // Only where the first results are a choice: with fewer hits they would lend words of every hit alike.
  if (first.length <= FEEDBACK.documents) return [];
  const top = first.slice(0, FEEDBACK.documents);
  const rows = await db.selectFrom('search_terms').select(['term', 'solution_id', 'weight']).where('solution_id', 'in', top).execute();
  const own = new Set(termsOf(groups));
  const documents = new Map<string, number>();
  for (const r of rows) documents.set(r.term, (documents.get(r.term) ?? 0) + 1);
  // Only words of at least two of the first results are counted in the catalogue (a term has one posting per entry).
  const shared = new Set([...documents].filter(([t, n]) => n >= 2 && !own.has(t) && !/^\d+$/.test(t)).map(([t]) => t));
  const { df } = await termStatistics(db, [...shared]);
  const score = new Map<string, number>();
  for (const r of rows) {
    const d = df.get(r.term) ?? 0;
    if (d < 2 || !shared.has(r.term)) continue;
    score.set(r.term, (score.get(r.term) ?? 0) + (r.weight / WEIGHT_SCALE) * idf100(total, d));
  }
  const picked = [...score]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, FEEDBACK.terms);
  if (!picked.length) return [];
  const best = picked[0][1];
  return picked.map(([term, value]) => ({
    word: term, position: -1, alternatives: [{ terms: [term], factor: FEEDBACK.weight * (value / best), translated: false }], nearby: [], expansion: true,
  }));
}

/**
 * The first pages of a search without filters read at most this many postings of a term found in more entries
 * (its highest weights, and all its postings in entries that hold one of the query's rarer terms), so they take
 * about as long in a catalogue of 100,000 entries as in one of 10,000. Later pages, filters and other orders read
 * every posting. On the judged queries (npm run eval:search, also with --all-registers) the first ten results are
 * the same as with every posting read.
 */
export const POSTINGS_CAP = 500;

/**
 * A translated term in more than this share of the entries (and more than MIN_COMMON of them) is left out: it adds
 * little to the ranking (low idf) but would have every search read a large part of the index ("gemeente" →
 * "municipality"). The query's own words are always searched.
 */
export const MAX_TRANSLATION_SHARE = 0.1;
const MIN_COMMON = 500;

function withoutCommonTranslations(groups: RankGroup[], total: number, df: Map<string, number>): RankGroup[] {
  const limit = Math.max(MIN_COMMON, total * MAX_TRANSLATION_SHARE);
  return groups.map((g) => ({ ...g, alternatives: g.alternatives.filter((a) => !a.translated || a.terms.every((t) => (df.get(t) ?? 0) <= limit)) }));
}

/**
 * What every entry of the catalogue is about, as the terms of an alternative (stemmed as the query's words and their
 * translations are): a query word meaning one of these tells nothing about which AI solution is wanted.
 */
const THEME = ([['AI', 'en'], ['KI', 'de'], ['artificial intelligence', 'en'], ['künstliche Intelligenz', 'de'], ['kunstmatige intelligentie', 'nl']] as const)
  .map(([text, lang]) => words(text).map((w) => stemOf(w, lang)).join(' '));

/**
 * Marks the query's words that name the catalogue's theme (THEME) as common: they still find entries, add to the score
 * and count among the words a result shows as matched, but not in the coordination factor, so "Röntgenbilder mit KI
 * auswerten" ranks the X-ray entries above any entry that merely names AI and an analysis. Not when every word of the
 * query names the theme ("KI", "künstliche Intelligenz"): those are ranked as any other words.
 */
function withThemeWordsCommon(groups: RankGroup[]): RankGroup[] {
  const theme = new Set(groups.filter((g) => g.alternatives.some((a) => (!a.translated || a.factor >= MEANING_WEIGHT) && THEME.includes(a.terms.join(' ')))).map((g) => g.position));
  if (groups.every((g) => theme.has(g.position))) return groups;
  return groups.map((g) => (theme.has(g.position) ? { ...g, common: true } : g));
}

/** Stems of the query words and their translations, to mark them in snippets. */
export function highlightTerms(groups: RankGroup[]): Set<string> {
  return new Set(termsOf(groups));
}

/** A term set for "similar solutions": the most telling words of a solution's title and summary. */
export function similarityQuery(s: { title: string; summary: string }): string {
  return [...new Set(words(`${s.title} ${s.summary}`).filter((w) => fold(w).length >= 4))].slice(0, 8).join(' ');
}

export type SnippetPart = { text: string; mark: boolean };

/**
 * A word as written and what it is compared by with the query's terms: folded, and its stems in the three catalogue
 * languages. Kept per word: the snippets of a result page look up the same words of long descriptions again and
 * again, and lowering, folding and stemming them took a large part of a search.
 */
const keptKeys = new Map<string, readonly string[]>();
const KEPT_WORDS = 50_000;
function keysOf(word: string): readonly string[] {
  let keys = keptKeys.get(word);
  if (!keys) {
    const l = lower(word);
    keys = [fold(l), stemOf(l, 'de'), stemOf(l, 'en'), stemOf(l, 'nl')];
    if (keptKeys.size >= KEPT_WORDS) keptKeys.clear();
    keptKeys.set(word, keys);
  }
  return keys;
}

/**
 * The sentence of a text that best matches the query, cut to about 240 characters,
 * as parts with the matching words marked.
 */
export function snippet(text: string, marks: Set<string>, length = 240): SnippetPart[] {
  const plain = text.replace(/[#*_>`\[\]]/g, '').replace(/\s+/g, ' ').trim();
  if (!plain) return [];
  const matches = (w: string) => keysOf(w).some((k) => marks.has(k));
  const sentences = plain.split(/(?<=[.!?])\s+/);
  let best = sentences[0];
  let bestHits = -1;
  for (const s of sentences) {
    const hits = words(s).filter(matches).length;
    if (hits > bestHits) { best = s; bestHits = hits; }
  }
  const cut = best.length > length ? best.slice(0, length).replace(/\s+\S*$/, '') + ' …' : best;
  const parts: SnippetPart[] = [];
  const re = /[\p{L}\p{N}]+/gu;
  let last = 0;
  for (const m of cut.matchAll(re)) {
    if (!matches(m[0])) continue;
    if (m.index! > last) parts.push({ text: cut.slice(last, m.index), mark: false });
    parts.push({ text: m[0], mark: true });
    last = m.index! + m[0].length;
  }
  if (last < cut.length) parts.push({ text: cut.slice(last), mark: false });
  return parts;
}

/**
 * "Meinten Sie …?": the query with each misspelt word (one that occurs nowhere but has near terms) replaced by the
 * closest word as entries spell it, or null when nothing was corrected.
 */
export async function suggestCorrection(db: Db, scored: ScoredQuery): Promise<string | null> {
  const corrected = [...scored.analysed.words];
  let changed = false;
  for (const g of scored.groups) {
    if (g.nearby.length === 0) continue;
    // A misspelt compound whose parts were corrected one by one has no single word to offer.
    if (scored.groups.filter((x) => x.position === g.position).length > 1) continue;
    const typed = scored.analysed.words[g.position];
    const found = await spelling(db, g.nearby, fold(typed));
    const word = found && typed[0] !== typed[0].toLowerCase() ? found[0].toUpperCase() + found.slice(1) : found;
    if (word) { corrected[g.position] = word; changed = true; }
  }
  return changed ? corrected.join(' ') : null;
}

/** The word of a few entries that has one of the terms as its stem and is closest to what was typed. */
async function spelling(db: Db, terms: string[], typed: string): Promise<string | null> {
  const ids = (await db.selectFrom('search_terms').select('solution_id').where('term', 'in', terms).orderBy('solution_id').limit(5).execute()).map((r) => r.solution_id);
  if (ids.length === 0) return null;
  const rows = await db.selectFrom('solutions').select(['title', 'summary', 'description']).where('id', 'in', ids).execute();
  const wanted = new Set(terms);
  let best: { word: string; d: number } | null = null;
  for (const r of rows) {
    for (const w of words(`${r.title} ${r.summary} ${r.description}`)) {
      const f = fold(w);
      if (!(['de', 'en', 'nl'] as const).some((l) => wanted.has(stemOf(w, l)))) continue;
      const d = distance(f, typed);
      const word = w.toLowerCase();
      if (!best || d < best.d || (d === best.d && word < best.word)) best = { word, d };
    }
  }
  return best?.word ?? null;
}

/** The query's words that no entry contains, in any form, translation or near spelling. */
export async function unknownWords(db: Db, scored: ScoredQuery): Promise<string[]> {
  if (scored.groups.length < 2) return [];
  const { df } = await termStatistics(db, termsOf(scored.groups));
  const found = new Set(scored.groups.filter((g) => g.alternatives.some((a) => a.terms.every((t) => (df.get(t) ?? 0) > 0))).map((g) => g.position));
  const unknown = [...new Set(scored.groups.map((g) => g.position))].filter((p) => !found.has(p));
  return unknown.length < new Set(scored.groups.map((g) => g.position)).size ? unknown.map((p) => scored.analysed.words[p]) : [];
}
