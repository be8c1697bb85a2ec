import type { Db } from '../../platform/db/database.js';
import type { CurrentUser, Visitor } from '../../platform/policy.js';
import { fold, isStopWord, words } from '../../platform/search/analyser.js';
import * as catalogue from '../catalogue/service.js';

/** How many catalogue solutions a question is matched to, at most. */
export const MATCH_LIMIT = 5;
/** The most telling words of a question that are searched for. */
const QUERY_WORDS = 12;
/**
 * A match must score at least this share of the best one: a solution that shares one common word
 * with the question ("Verwaltung") is not "something similar".
 */
const MIN_SHARE_OF_BEST = 1 / 5;

/** Deployment states that count as running a solution. */
const RUNNING = new Set(['pilot', 'production']);

export interface MatchInput {
  title: string;
  tags: string[];
  body: string;
}

/**
 * The most telling words of a question for the catalogue's search: title first, then tags, then text;
 * no stop words, nothing shorter than four letters, each word once.
 */
export function matchQuery(input: MatchInput): string {
  const seen = new Set<string>();
  const picked: string[] = [];
  for (const w of words(`${input.title}\n${input.tags.join(' ')}\n${input.body}`)) {
    const f = fold(w);
    if (f.length < 4 || isStopWord(f) || /^\d+$/.test(f) || seen.has(f)) continue;
    seen.add(f);
    picked.push(w);
    if (picked.length === QUERY_WORDS) break;
  }
  return picked.join(' ');
}

export interface Match {
  id: number;
  slug: string;
  title: string;
  score: number;
}

/** The catalogue solutions most similar to a question, as the asker may see them, the best first. */
export async function findMatches(db: Db, asker: Visitor, input: MatchInput): Promise<Match[]> {
  const query = matchQuery(input);
  if (!query) return [];
  const items = await catalogue.matchSolutions(db, asker, query, MATCH_LIMIT);
  // The ranking puts more matched words first, so the best score is not always the first.
  const best = Math.max(0, ...items.map((s) => s.score ?? 0));
  return items.filter((s) => (s.score ?? 0) >= best * MIN_SHARE_OF_BEST).map((s) => ({ id: s.id, slug: s.slug, title: s.title, score: s.score ?? 0 }));
}

/**
 * The organisations that run the matched solutions: the solution's own organisation and every organisation with
 * a deployment in pilot or production. Each organisation is named with the best-matching solution it runs;
 * the asker's own organisation is left out.
 */
export async function organisationsRunning(db: Db, asker: CurrentUser, matches: Match[]): Promise<Map<number, Match>> {
  const out = new Map<number, Match>();
  const bySlug = new Map(matches.map((m) => [m.slug, m]));
  const solutions = await catalogue.solutionCards(db, asker, matches.map((m) => m.slug));
  const deployments = await catalogue.deploymentsOfSolutions(db, solutions.map((s) => s.id), asker);
  for (const solution of solutions) {
    const running = (deployments.get(solution.id) ?? []).filter((d) => RUNNING.has(d.status)).map((d) => d.organisation_id);
    for (const organisationId of [solution.organisation_id, ...running]) {
      if (organisationId === null || organisationId === asker.organisationId || out.has(organisationId)) continue;
      out.set(organisationId, bySlug.get(solution.slug)!);
    }
  }
  return out;
}

/** A matched solution as shown beside a question: who runs it and how to reach them. */
export interface MatchedSolution {
  slug: string;
  title: string;
  summary: string;
  /** The language the title and summary are written in (imported entries may be English or Dutch). */
  language: string;
  contactEmail: string;
  owner: { name: string; slug: string } | null;
  runners: { organisationName: string; organisationSlug: string; status: string; since: string | null; contact: string }[];
}

/** The stored matches (or linked solutions) of a question that the viewer may see, with the organisations running them. */
export async function solutionsWithRunners(db: Db, viewer: Visitor, slugs: string[]): Promise<MatchedSolution[]> {
  const solutions = await catalogue.solutionCards(db, viewer, slugs);
  const deployments = await catalogue.deploymentsOfSolutions(db, solutions.map((s) => s.id), viewer);
  return solutions.map((s) => ({
    slug: s.slug, title: s.title, summary: s.summary, language: s.language, contactEmail: s.contact_email,
    owner: s.organisation_name && s.organisation_slug ? { name: s.organisation_name, slug: s.organisation_slug } : null,
    runners: (deployments.get(s.id) ?? []).filter((d) => RUNNING.has(d.status))
      .map((d) => ({ organisationName: d.organisation_name, organisationSlug: d.organisation_slug, status: d.status, since: d.since, contact: d.contact })),
  }));
}
