import { distance } from 'fastest-levenshtein';
import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import {
  fold, indexTerms, lexiconWords, queryGroups, stem, words, type Lexicon, type QueryGroup, type SearchLanguage,
} from '../../platform/search/analyser.js';
import { SEED_LEXICON } from './seed-lexicon.js';

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
  const rows = [...terms].map(([term, weight]) => ({ term, solution_id: s.id, weight }));
  for (const part of chunk(rows, 300)) {
    await db.insertInto('search_terms').values(part).execute();
    await db.insertInto('search_vocabulary').values(part.map((r) => ({ term: r.term }))).onConflict((oc) => oc.column('term').doNothing()).execute();
  }
}

/** How far a word may be mistyped and still be found. */
function allowedTypos(term: string): number {
  return term.length <= 4 ? 0 : term.length <= 8 ? 1 : 2;
}

/**
 * Adds, for query words that appear nowhere in the index, the indexed terms within a small edit distance,
 * so "Schlaglöscher" still finds "Schlaglöcher".
 */
async function forgiveTypos(db: Db, groups: QueryGroup[]): Promise<QueryGroup[]> {
  const all = [...new Set(groups.flatMap((g) => g.terms))];
  // The vocabulary keeps terms of edited and removed entries; only terms some entry still has count.
  const inUse = (eb: ExpressionBuilder<Database, 'search_vocabulary'>) =>
    eb.exists(eb.selectFrom('search_terms').select('search_terms.term').whereRef('search_terms.term', '=', 'search_vocabulary.term'));
  const present = new Set<string>();
  for (const part of chunk(all, 500)) {
    for (const r of await db.selectFrom('search_vocabulary').select('term').where('term', 'in', part).where(inUse).execute()) present.add(r.term);
  }
  const out: QueryGroup[] = [];
  for (const g of groups) {
    if (g.terms.some((t) => present.has(t))) {
      out.push(g);
      continue;
    }
    const base = g.terms[0];
    const max = allowedTypos(base);
    if (max === 0) {
      out.push(g);
      continue;
    }
    const candidates = await db.selectFrom('search_vocabulary').select('term')
      .where('term', '>=', base[0]).where('term', '<', base[0] + '\uffff')
      .where(sql<number>`length(term)`, '>=', base.length - max).where(sql<number>`length(term)`, '<=', base.length + max)
      .where(inUse)
      .execute();
    let best = max + 1;
    let found: string[] = [];
    for (const { term } of candidates) {
      const d = Math.min(...g.terms.map((t) => distance(t, term)));
      if (d < best) { best = d; found = [term]; } else if (d === best) found.push(term);
    }
    out.push(best <= max ? { word: g.word, terms: [...new Set([...g.terms, ...found.sort().slice(0, 5)])] } : g);
  }
  return out;
}

export interface ScoredQuery {
  groups: QueryGroup[];
  /** A subquery (solution_id, score) of the solutions matching every group, or null for no query. */
  hits: RawBuilder<unknown> | null;
}

/**
 * Analyses a query and builds the scoring subquery. Scores are integers (weight × idf × 1000),
 * so both databases rank identically; ties are broken by id by the caller.
 */
export async function scoredQuery(db: Db, q: string, mode: 'all' | 'any' = 'all'): Promise<ScoredQuery> {
  const trimmed = q.trim();
  if (!trimmed) return { groups: [], hits: null };
  const lexicon = lexiconOf(await currentLexicon(db));
  const groups = await forgiveTypos(db, queryGroups(trimmed, lexicon));
  if (groups.length === 0) return { groups, hits: null };
  const terms = [...new Set(groups.flatMap((g) => g.terms))];
  const total = Number((await db.selectFrom('solutions').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n) || 1;
  const df = new Map<string, number>();
  for (const r of await db.selectFrom('search_terms').select(['term', sql<number>`count(*)`.as('n')]).where('term', 'in', terms).groupBy('term').execute()) {
    df.set(r.term, Number(r.n));
  }
  const idf = (t: string) => Math.round(1000 * Math.log(1 + total / Math.max(1, df.get(t) ?? 0)));
  const idfCase = sql.join(terms.map((t) => sql`when ${t} then ${sql.lit(idf(t))}`), sql` `);
  const groupChecks = sql.join(groups.map((g) => sql`max(case when term in (${sql.join(g.terms)}) then 1 else 0 end)`), sql` + `);
  const hits = sql`(select solution_id, sum(weight * case term ${idfCase} else 0 end) as score
    from search_terms where term in (${sql.join(terms)})
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
