import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ndcgAt, recallAt, reciprocalRank, scoreQuery, summarise, type Judgments } from './metrics.js';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-6, `${actual} ≠ ${expected}`);

// a and c are exactly what was asked, b is related, d was judged and found irrelevant; x and y were never judged.
const judged: Judgments = { a: 2, b: 1, c: 2, d: 0 };
const ranked = ['x', 'a', 'd', 'b', 'y'];

describe('search measures', () => {
  it('nDCG@10 discounts each gain by log2(rank + 1) against the best order of all judged entries', () => {
    // DCG = 2/log2(3) + 1/log2(5) = 1.2618595 + 0.4306766; ideal [2, 2, 1] = 2 + 1.2618595 + 0.5.
    close(ndcgAt(ranked, judged), (2 / Math.log2(3) + 1 / Math.log2(5)) / (2 + 2 / Math.log2(3) + 0.5));
    close(ndcgAt(ranked, judged), 0.449920);
    close(ndcgAt(['a', 'c', 'b', 'x'], judged), 1);
    close(ndcgAt([], judged), 0);
  });

  it('only the first ten results count for nDCG@10 and Recall@10', () => {
    const late = [...Array.from({ length: 10 }, (_, i) => `n${i}`), 'a', 'b', 'c'];
    close(ndcgAt(late, judged), 0);
    close(recallAt(late, judged), 0);
    close(reciprocalRank(late, judged), 1 / 11);
  });

  it('Recall@10 is the share of entries judged 1 or 2 that were found', () => {
    close(recallAt(ranked, judged), 2 / 3);
    close(recallAt(['d', 'x'], judged), 0);
  });

  it('the reciprocal rank is that of the first relevant result, within the depth looked at', () => {
    close(reciprocalRank(ranked, judged), 1 / 2);
    close(reciprocalRank(ranked, judged, 1), 0);
    close(reciprocalRank(['d', 'x'], judged), 0);
  });

  it('the summary averages over queries and counts the queries without any result', () => {
    const found = scoreQuery(ranked, 5, judged);
    const nothing = scoreQuery([], 0, judged);
    assert.equal(nothing.noResult, true);
    const s = summarise([found, nothing]);
    assert.equal(s.queries, 2);
    close(s.ndcg10, 0.449920 / 2);
    close(s.recall10, 1 / 3);
    close(s.mrr, 1 / 4);
    close(s.noResult, 1 / 2);
  });
});
