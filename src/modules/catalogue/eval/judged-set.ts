import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from '../../../platform/config.js';
import type { Grade } from './metrics.js';

/** The judged query set measured by `npm run eval:search`; see README "Search quality". */
export const JUDGED_SET_FILE = resolve(projectRoot, 'src/modules/catalogue/eval/judgments.json');

export interface JudgedQuery {
  id: string;
  language: 'de' | 'en';
  /** The part of municipal work the query comes from (Bürgerservice, Bauamt …). */
  area: string;
  /** What a person would type. */
  query: string;
  /** What the person wants, in a sentence or two: the yardstick for the grades. */
  need: string;
  /** The id of the query in the other language that asks for the same need (and has the same judgments). */
  sameNeedAs?: string;
  /** PSTW ID → grade; entries not listed count as 0. */
  judgments: Record<string, Grade>;
}

export interface JudgedSet {
  queries: JudgedQuery[];
}

/**
 * Reads and checks a judged set, so that a slip in the file is reported with its query id
 * instead of showing up as a wrong figure.
 */
export function readJudgedSet(file = JUDGED_SET_FILE): JudgedSet {
  const data = JSON.parse(readFileSync(file, 'utf8')) as JudgedSet;
  if (!Array.isArray(data.queries)) throw new Error(`${file}: "queries" is missing`);
  const ids = new Set<string>();
  for (const q of data.queries) {
    if (!q.id || ids.has(q.id)) throw new Error(`${file}: query id "${q.id}" is missing or repeated`);
    ids.add(q.id);
    if (q.language !== 'de' && q.language !== 'en') throw new Error(`${file}: ${q.id} has the language "${q.language}"`);
    if (!q.query?.trim() || !q.need?.trim() || !q.area?.trim()) throw new Error(`${file}: ${q.id} lacks its query, need or area`);
    for (const [entry, grade] of Object.entries(q.judgments ?? {})) {
      if (!/^PSTW-\d+$/.test(entry)) throw new Error(`${file}: ${q.id} judges "${entry}", which is not a PSTW ID`);
      if (grade !== 0 && grade !== 1 && grade !== 2) throw new Error(`${file}: ${q.id} grades ${entry} with ${grade}`);
    }
    if (!Object.values(q.judgments ?? {}).some((g) => g > 0)) throw new Error(`${file}: ${q.id} has no entry judged relevant`);
  }
  const byId = new Map(data.queries.map((q) => [q.id, q]));
  for (const q of data.queries) {
    if (q.sameNeedAs === undefined) continue;
    const other = byId.get(q.sameNeedAs);
    if (!other || other.language === q.language || other.sameNeedAs !== q.id) {
      throw new Error(`${file}: ${q.id} names "${q.sameNeedAs}" as the same need, which is not a query in the other language naming it back`);
    }
    if (JSON.stringify(Object.entries(q.judgments).sort()) !== JSON.stringify(Object.entries(other.judgments).sort())) {
      throw new Error(`${file}: ${q.id} and ${other.id} ask for the same need but are judged differently`);
    }
  }
  return data;
}
