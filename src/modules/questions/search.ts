import { sql, type RawBuilder } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import { indexTerms, lexiconWords, queryGroups, type Lexicon, type QueryGroup } from '../../platform/search/analyser.js';
import { withNearbyTerms, type NearbyRange } from '../../platform/search/typos.js';

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
  const fields = [
    { text: question.title, weight: 5 },
    { text: question.tags.join('\n'), weight: 3 },
    { text: [question.body, ...question.answers].join('\n'), weight: 1 },
  ];
  const known = await knownWords(trx);
  const fresh = lexiconWords(fields.map((f) => f.text).join('\n')).filter((w) => !known.has(w));
  for (const part of chunk(fresh, 400)) {
    await trx.insertInto('question_lexicon').values(part.map((word) => ({ word }))).onConflict((oc) => oc.column('word').doNothing()).execute();
  }
  for (const w of fresh) known.add(w);
  const terms = indexTerms(fields, 'de', lexiconOf(known));
  await trx.deleteFrom('question_terms').where('question_id', '=', question.id).execute();
  const rows = [...terms].map(([term, weight]) => ({ term, question_id: question.id, weight }));
  for (const part of chunk(rows, 300)) await trx.insertInto('question_terms').values(part).execute();
}

export interface ScoredQuestions {
  groups: QueryGroup[];
  /** A subquery (question_id, score) of the questions matching every word of the query, or null for no query. */
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
 * Analyses a query and builds the scoring subquery: weight × idf × 1000 as integers, so both databases
 * rank identically; who may see which question is decided by the caller.
 */
export async function scoredQuestions(db: Db, query: string): Promise<ScoredQuestions> {
  const trimmed = query.trim();
  if (!trimmed) return { groups: [], hits: null };
  const analysed = queryGroups(trimmed, lexiconOf(await knownWords(db)));
  if (analysed.length === 0) return { groups: analysed, hits: null };
  // "Chatbott" finds "Chatbot": words no question uses take the nearby terms that questions do use.
  const df = await documentFrequencies(db, [...new Set(analysed.flatMap((g) => g.terms))]);
  const groups = await withNearbyTerms(analysed, async (terms) => new Set(terms.filter((t) => df.has(t))), (range) => nearbyTerms(db, range));
  const terms = [...new Set(groups.flatMap((g) => g.terms))];
  for (const [term, n] of await documentFrequencies(db, terms.filter((t) => !df.has(t)))) df.set(term, n);
  const total = Number((await db.selectFrom('questions').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const idf = (t: string) => Math.round(1000 * Math.log(1 + Math.max(1, total) / Math.max(1, df.get(t) ?? 0)));
  const idfCase = sql.join(terms.map((t) => sql`when ${t} then ${sql.lit(idf(t))}`), sql` `);
  const groupChecks = sql.join(groups.map((g) => sql`max(case when term in (${sql.join(g.terms)}) then 1 else 0 end)`), sql` + `);
  const hits = sql`(select question_id, sum(weight * case term ${idfCase} else 0 end) as score
    from question_terms where term in (${sql.join(terms)})
    group by question_id having ${groupChecks} >= ${sql.lit(groups.length)})`;
  return { groups, hits };
}
