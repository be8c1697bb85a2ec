/**
 * Measures of a ranked result list against graded judgments (0 = not relevant, 1 = related or partly useful,
 * 2 = exactly what was asked). Entries are named by their stable register id; an entry that was not judged
 * counts as 0. Pure functions, used by `npm run eval:search`.
 */

export type Grade = 0 | 1 | 2;
export type Judgments = Readonly<Record<string, Grade>>;

const gain = (judgments: Judgments, id: string): number => judgments[id] ?? 0;

/** Discounted cumulative gain of the first k gains: gain / log2(rank + 1), rank from 1. */
function dcg(gains: number[], k: number): number {
  let sum = 0;
  for (let i = 0; i < Math.min(k, gains.length); i++) sum += gains[i] / Math.log2(i + 2);
  return sum;
}

/**
 * nDCG@k with linear gains 0/1/2; the ideal ranking is made of all judged entries, best first.
 * 0 when nothing is judged relevant (such a query has no place in the judged set).
 */
export function ndcgAt(ranked: readonly string[], judgments: Judgments, k = 10): number {
  const ideal = dcg(Object.values(judgments).filter((g) => g > 0).sort((a, b) => b - a), k);
  if (ideal === 0) return 0;
  return dcg(ranked.map((id) => gain(judgments, id)), k) / ideal;
}

/** Share of the entries judged relevant (≥ 1) that appear among the first k results. */
export function recallAt(ranked: readonly string[], judgments: Judgments, k = 10): number {
  const relevant = Object.keys(judgments).filter((id) => judgments[id] > 0);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

/** 1 / rank of the first result judged relevant (≥ 1) within the first `depth` results; 0 when there is none. */
export function reciprocalRank(ranked: readonly string[], judgments: Judgments, depth = Infinity): number {
  const limit = Math.min(depth, ranked.length);
  for (let i = 0; i < limit; i++) if (gain(judgments, ranked[i]) > 0) return 1 / (i + 1);
  return 0;
}

export interface QueryScores {
  ndcg10: number;
  recall10: number;
  rr: number;
  /** The search found nothing at all. */
  noResult: boolean;
}

/** The scores of one query; `total` is the number of results the search reported. */
export function scoreQuery(ranked: readonly string[], total: number, judgments: Judgments, rrDepth = Infinity): QueryScores {
  return {
    ndcg10: ndcgAt(ranked, judgments, 10),
    recall10: recallAt(ranked, judgments, 10),
    rr: reciprocalRank(ranked, judgments, rrDepth),
    noResult: total === 0,
  };
}

export interface Summary {
  queries: number;
  ndcg10: number;
  recall10: number;
  mrr: number;
  /** Share of queries without any result. */
  noResult: number;
}

/** Means over queries (each query weighs the same). */
export function summarise(scores: readonly QueryScores[]): Summary {
  const n = scores.length;
  const mean = (f: (s: QueryScores) => number) => (n === 0 ? 0 : scores.reduce((sum, s) => sum + f(s), 0) / n);
  return {
    queries: n,
    ndcg10: mean((s) => s.ndcg10),
    recall10: mean((s) => s.recall10),
    mrr: mean((s) => s.rr),
    noResult: mean((s) => (s.noResult ? 1 : 0)),
  };
}
