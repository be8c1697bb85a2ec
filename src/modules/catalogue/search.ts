import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import {
  fold, indexTerms, lexiconWords, queryGroups, stem, words, type Lexicon, type QueryGroup, type SearchLanguage,
} from '../../platform/search/analyser.js';
import { withNearbyTerms } from '../../platform/search/typos.js';
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

const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

function fieldsOf(s: IndexableSolution) {
  return [
    { text: s.title, weight: 5 },
    { text: s.summary, weight: 3 },
    { text: [s.description, s.problem_goal, s.benefit, s.previous_process, s.vendor, s.source_org].join('\n'), weight: 1 },
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

function lexiconOf(words: Set<string>): Lexicon {
  return { has: (w) => seed.has(w) || words.has(w) };
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
  const terms = indexTerms(fields, languageOf(s), lexicon);
  await db.deleteFrom('search_terms').where('solution_id', '=', s.id).execute();
  // Who may see the solution travels with its postings; read from the row the caller has just written.
  const owner = await db.selectFrom('solutions').select(['visibility', 'organisation_id']).where('id', '=', s.id).executeTakeFirstOrThrow();
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
  groups: QueryGroup[];
  /**
   * A subquery (solution_id, score) of the solutions matching every group that the visitor may see,
   * or null for no query. It reads the postings only.
   */
  hits: RawBuilder<unknown> | null;
}

/**
 * Analyses a query and builds the scoring subquery for a visitor. Scores are integers (weight × idf × 1000),
 * so both databases rank identically; ties are broken by id by the caller.
 */
export async function scoredQuery(db: Db, viewer: Visitor, q: string, mode: 'all' | 'any' = 'all'): Promise<ScoredQuery> {
  const trimmed = q.trim();
  if (!trimmed) return { groups: [], hits: null };
  const lexicon = lexiconOf(await currentLexicon(db));
  const groups = await forgiveTypos(db, queryGroups(trimmed, lexicon));
  if (groups.length === 0) return { groups, hits: null };
  const terms = [...new Set(groups.flatMap((g) => g.terms))];
  const { total, df } = await termStatistics(db, terms);
  const idf = (t: string) => Math.round(1000 * Math.log(1 + Math.max(1, total) / Math.max(1, df.get(t) ?? 0)));
  const idfCase = sql.join(terms.map((t) => sql`when ${t} then ${sql.lit(idf(t))}`), sql` `);
  const groupChecks = sql.join(groups.map((g) => sql`max(case when term in (${sql.join(g.terms)}) then 1 else 0 end)`), sql` + `);
  const hits = sql`(select solution_id, sum(weight * case term ${idfCase} else 0 end) as score
    from search_terms where term in (${sql.join(terms)}) and ${postingsVisibleTo(viewer)}
    group by solution_id having ${groupChecks} >= ${sql.lit(mode === 'all' ? groups.length : 1)})`;
  return { groups, hits };
}

/** Stems of the query words, to mark them in snippets. */
export function highlightTerms(groups: QueryGroup[]): Set<string> {
  return new Set(groups.flatMap((g) => g.terms));
}

/** A term set for "similar solutions": the most telling words of a solution's title and summary. */
export function similarityQuery(s: { title: string; summary: string }): string {
  return [...new Set(words(`${s.title} ${s.summary}`).filter((w) => fold(w).length >= 4))].slice(0, 8).join(' ');
}

export type SnippetPart = { text: string; mark: boolean };

/**
 * The sentence of a text that best matches the query, cut to about 240 characters,
 * as parts with the matching words marked.
 */
export function snippet(text: string, marks: Set<string>, length = 240): SnippetPart[] {
  const plain = text.replace(/[#*_>`\[\]]/g, '').replace(/\s+/g, ' ').trim();
  if (!plain) return [];
  const matches = (w: string) => {
    const f = fold(w);
    return (['de', 'en', 'nl'] as const).some((l) => marks.has(stem(f, l))) || marks.has(f);
  };
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
