import { sql, type RawBuilder } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import { dialectOf } from '../../platform/db/dialect.js';
import { lexiconWords, type Lexicon } from '../../platform/search/analyser.js';
import {
  analyseQuery, documentTerms, idf100, queryLanguage, rankGroups, rankingSubquery, termsOf, translatedSpans, type RankGroup,
} from '../../platform/search/ranking.js';
import { withNearbyTerms, type NearbyRange } from '../../platform/search/typos.js';
import { isKnownWord } from '../../platform/search/translations.js';

/**
 * The questions' search index: the platform's analyser (the catalogue's) turns title, tags, text and answers
 * into terms with integer weights, stored in question_terms, so SQLite and PostgreSQL rank alike.
 */
export interface IndexableQuestion {
  id: number;
  title: string;
  body: string;
  tags: string[];
  /** The texts of the answers that are not hidden. */
  answers: string[];
}

const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

const LEXICON_TTL_MS = 60_000;
const lexicons = new WeakMap<object, { words: Set<string>; loadedAt: number }>();

/** A database and its transactions share one adapter object, and so one lexicon. */
const rootOf = (db: Db | Tx): object => db.getExecutor().adapter;

/** Words seen in questions, for splitting compounds; held per database and reloaded every minute. */
async function knownWords(db: Db | Tx): Promise<Set<string>> {
  const key = rootOf(db);
  const cached = lexicons.get(key);
  if (cached && Date.now() - cached.loadedAt < LEXICON_TTL_MS) return cached.words;
  const words = new Set((await db.selectFrom('question_lexicon').select('word').execute()).map((r) => r.word));
  if (cached) for (const w of cached.words) words.add(w);
  lexicons.set(key, { words, loadedAt: Date.now() });
  return words;
}

const lexiconOf = (words: Set<string>): Lexicon => ({ has: (w) => words.has(w) });

/** (Re)indexes one question inside the caller's transaction. */
export async function indexQuestion(trx: Tx, question: IndexableQuestion): Promise<void> {
  // BM25F fields as in the catalogue: title, tags, and the text with the answers (typical lengths in words).
  const fields = [
    { text: question.title, weight: 4, averageLength: 10 },
    { text: question.tags.join('\n'), weight: 2, averageLength: 3 },
    { text: [question.body, ...question.answers].join('\n'), weight: 1, averageLength: 150 },
  ];
  const known = await knownWords(trx);
  const fresh = lexiconWords(fields.map((f) => f.text).join('\n')).filter((w) => !known.has(w));
  for (const part of chunk(fresh, 400)) {
    await trx.insertInto('question_lexicon').values(part.map((word) => ({ word }))).onConflict((oc) => oc.column('word').doNothing()).execute();
  }
  for (const w of fresh) known.add(w);
  const terms = documentTerms(fields, 'de', lexiconOf(known));
  await trx.deleteFrom('question_terms').where('question_id', '=', question.id).execute();
  const rows = [...terms].map(([term, weight]) => ({ term, question_id: question.id, weight }));
  for (const part of chunk(rows, 300)) await trx.insertInto('question_terms').values(part).execute();
}

export interface ScoredQuestions {
  groups: RankGroup[];
  /**
   * A subquery (question_id, matched, score) of the questions matching any word of the query (or its translation),
   * or null for no query.
   */
  hits: RawBuilder<unknown> | null;
}

/** How many questions contain each of the terms (document frequency); terms no question has are left out. */
async function documentFrequencies(db: Db, terms: string[]): Promise<Map<string, number>> {
  const df = new Map<string, number>();
  for (const part of chunk(terms, 500)) {
    for (const r of await db.selectFrom('question_terms').select(['term', sql<number>`count(*)`.as('n')]).where('term', 'in', part).groupBy('term').execute()) {
      df.set(r.term, Number(r.n));
    }
  }
  return df;
}

/**
 * Indexed terms near a misspelt query word, for forgiving typos as the catalogue does. The postings are the
 * vocabulary: their key starts with the term, so the look-up is a range scan.
 */
async function nearbyTerms(db: Db, { first, minLength, maxLength }: NearbyRange): Promise<string[]> {
  const rows = await db.selectFrom('question_terms').select('term').distinct()
    .where('term', '>=', first).where('term', '<', first + '\uffff')
    .where(sql<number>`length(term)`, '>=', minLength).where(sql<number>`length(term)`, '<=', maxLength)
    .execute();
  return rows.map((r) => r.term);
}

/**
 * Analyses a query and builds the ranking subquery, as the catalogue does (platform/search/ranking.ts): every word
 * may match, more matched words first, integer scores; who may see which question is decided by the caller.
 */
export async function scoredQuestions(db: Db, query: string): Promise<ScoredQuestions> {
  const analysed = analyseQuery(query.trim(), lexiconOf(await knownWords(db)));
  if (analysed.groups.length === 0) return { groups: [], hits: null };
  // "Chatbott" finds "Chatbot": words no question uses take the nearby terms that questions do use.
  const df = await documentFrequencies(db, [...new Set(analysed.groups.flatMap((g) => g.terms))]);
  const expanded = await withNearbyTerms(analysed.groups, async (terms) => new Set(terms.filter((t) => df.has(t))), (range) => nearbyTerms(db, range), isKnownWord);
  const groups = rankGroups(analysed, expanded, translatedSpans(analysed, queryLanguage(analysed)));
  const terms = termsOf(groups);
  for (const [term, n] of await documentFrequencies(db, terms.filter((t) => !df.has(t)))) df.set(term, n);
  const total = Number((await db.selectFrom('questions').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const ranked = rankingSubquery({ dialect: dialectOf(db), table: 'question_terms', idColumn: 'question_id', groups, idf: (t) => idf100(total, df.get(t) ?? 0), df: (t) => df.get(t) ?? 0 });
  return { groups, hits: sql`(select doc_id as question_id, matched, score from ${ranked} r)` };
}
