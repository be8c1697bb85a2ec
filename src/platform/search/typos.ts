import { distance } from 'fastest-levenshtein';
import type { QueryGroup } from './analyser.js';

/** How far a word may be mistyped and still be found: short words not at all, long words by two letters. */
export function allowedTypos(term: string): number {
  return term.length <= 4 ? 0 : term.length <= 8 ? 1 : 2;
}

/**
 * Where to look for the word a typo meant: indexed terms with the same beginning and a length within the typos
 * allowed. Keeping the beginning lets an index on the term answer the look-up as a range scan.
 */
export interface NearbyRange {
  /** What every candidate starts with: the word's first letter, or a word of the dictionaries' whole first stem. */
  first: string;
  minLength: number;
  maxLength: number;
}

/** How many nearby terms a misspelt word may add at most, so a short query cannot fan out over the index. */
const MAX_NEARBY = 5;

/**
 * Adds, for query words none of whose terms is indexed, the indexed terms within a small edit distance,
 * so "Schlaglöscher" still finds "Schlaglöcher". Words with a known term are left alone, so a correctly spelt
 * word never pulls in its neighbours. A word of the dictionaries (`isWord`) is spelt right in some language and
 * found through its translations: it only gains forms of itself, terms beginning with its first stem ("beantworten"
 * finds "beantwortet"), not other words ("Platz" of "Kita-Platz" does not find "plate"). Only the closest candidates
 * are taken (ties in alphabetical order).
 *
 * `indexed` tells which of the given terms some entry of the index has; `candidatesFor` lists the indexed
 * terms in a range (each term once).
 */
export async function withNearbyTerms(
  groups: QueryGroup[],
  indexed: (terms: string[]) => Promise<Set<string>>,
  candidatesFor: (range: NearbyRange) => Promise<string[]>,
  isWord: (word: string) => boolean = () => false,
): Promise<QueryGroup[]> {
  const present = await indexed([...new Set(groups.flatMap((g) => g.terms))]);
  const out: QueryGroup[] = [];
  for (const g of groups) {
    const base = g.terms[0];
    const max = allowedTypos(base);
    if (max === 0 || g.terms.some((t) => present.has(t))) {
      out.push(g);
      continue;
    }
    const candidates = await candidatesFor({ first: isWord(g.word) ? base : base[0], minLength: base.length - max, maxLength: base.length + max });
    let best = max + 1;
    let found: string[] = [];
    for (const term of candidates) {
      const d = Math.min(...g.terms.map((t) => distance(t, term)));
      if (d < best) { best = d; found = [term]; } else if (d === best) found.push(term);
    }
    out.push(best <= max ? { word: g.word, terms: [...new Set([...g.terms, ...found.sort().slice(0, MAX_NEARBY)])] } : g);
  }
  return out;
}
