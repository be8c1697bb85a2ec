import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queryGroups, type Lexicon } from './analyser.js';
import { allowedTypos, withNearbyTerms, type NearbyRange } from './typos.js';

const noCompounds: Lexicon = { has: () => false };

/** An index holding these terms, answering both questions of withNearbyTerms and recording the ranges asked for. */
function index(terms: string[]) {
  const ranges: NearbyRange[] = [];
  return {
    ranges,
    indexed: async (asked: string[]) => new Set(asked.filter((t) => terms.includes(t))),
    candidatesFor: async (range: NearbyRange) => {
      ranges.push(range);
      return terms.filter((t) => t.startsWith(range.first) && t.length >= range.minLength && t.length <= range.maxLength);
    },
  };
}

const expand = async (query: string, terms: string[]) => {
  const idx = index(terms);
  const groups = await withNearbyTerms(queryGroups(query, noCompounds), idx.indexed, idx.candidatesFor);
  return { terms: groups.map((g) => g.terms), ranges: idx.ranges };
};

describe('forgiving typos', () => {
  it('allows no typo up to four letters, one up to eight, two beyond', () => {
    assert.deepEqual(['fto', 'lega', 'avatr', 'chatbott', 'datenschutz'].map(allowedTypos), [0, 0, 1, 1, 2]);
  });

  it('adds the closest indexed term to a word the index does not know', async () => {
    const { terms, ranges } = await expand('Chatbott', ['chatbot', 'chatgpt', 'datenschutz']);
    assert.deepEqual(terms, [['chatbott', 'chatbot']]);
    assert.deepEqual(ranges, [{ first: 'c', minLength: 7, maxLength: 9 }], 'only terms of the same first letter and a near length are fetched');
    assert.deepEqual((await expand('Datenshcutz', ['chatbot', 'datenschutz'])).terms, [['datenshcutz', 'datenschutz']], 'a transposed letter is two edits, allowed in long words');
  });

  it('leaves known words, short words and words without a near term alone', async () => {
    const known = await expand('Ampel', ['ampel', 'amsel']);
    assert.deepEqual(known.terms, [['ampel']]);
    assert.deepEqual(known.ranges, [], 'no candidates are fetched for a known word');
    assert.deepEqual((await expand('Lega', ['lego'])).terms, [['lega']]);
    assert.deepEqual((await expand('Chatbto', ['chatbot'])).terms, [['chatbto']], 'two edits in a seven-letter word are too many');
    assert.deepEqual((await expand('Blockchain', ['chatbot'])).terms, [['blockchain']]);
  });

  it('gives a word of the dictionaries only forms of itself: "Platz" does not become "plate", "beantworten" finds "beantwortet"', async () => {
    const dictionary = (word: string) => ['platz', 'beantworten'].includes(word);
    const expandKnown = async (query: string, terms: string[]) => {
      const idx = index(terms);
      return (await withNearbyTerms(queryGroups(query, noCompounds), idx.indexed, idx.candidatesFor, dictionary)).map((g) => g.terms);
    };
    assert.deepEqual(await expandKnown('Platz', ['plate', 'plato']), [['platz']]);
    assert.deepEqual(await expandKnown('beantworten', ['beantwortet', 'bearbeitet']), [['beantwort', 'beantworten', 'beantwortet']]);
    // A word the dictionaries do not know is still taken for a typo.
    assert.deepEqual(await expandKnown('Plotz', ['plate', 'platz']), [['plotz', 'platz']]);
  });

  it('takes only the nearest candidates, at most five, in alphabetical order', async () => {
    const { terms } = await expand('Kartex', ['kartea', 'karteb', 'kartec', 'karted', 'kartee', 'kartef', 'karte', 'kart']);
    assert.deepEqual(terms, [['kartex', 'karte', 'kartea', 'karteb', 'kartec', 'karted']]);
  });
});
