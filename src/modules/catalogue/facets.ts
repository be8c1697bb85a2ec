import { sql, type RawBuilder } from 'kysely';
import { firstColumn, type Db } from '../../platform/db/database.js';
import type { Visitor } from '../../platform/policy.js';
import { FACETS, type Facet } from './fields.js';
import { facetExpression, type Filters } from './queries.js';
import { catalogueVersion } from './version.js';

/**
 * The facet counts of the solution list and search, from a table of every solution's facet values held in memory
 * and built once per catalogue version (a few megabytes at 100,000 solutions). A search then needs one statement
 * for the ids of its hits instead of one ranking per facet; the list without a query counts from the table alone,
 * and keeps its counts per audience (public, members, members with one organisation's drafts, everyone) and filters
 * until the catalogue changes.
 */

const VISIBILITY_CODES: Record<string, number> = { public: 0, members: 1, draft: 2 };
/** Facets whose values are numbers: a filter value names the same number however it is written ("07" is 7). */
const NUMERIC: ReadonlySet<Facet> = new Set(['district', 'organisation', 'reuse_offered']);
/** How many filter combinations of the list without a query are kept per catalogue version. */
const KEPT_COUNTS = 500;

interface FacetTable {
  version: string;
  size: number;
  /** The row of each solution id (-1 for none), indexed by id. */
  rowOf: Int32Array;
  visibility: Uint8Array;
  /** The organisation of each row, -1 for none. */
  organisation: Int32Array;
  /** Per facet, in the order of FACETS: each row's value as a code into `values` (0 = no value). */
  codes: Uint32Array[];
  values: Record<Facet, string[]>;
  /** Counts of the list without a query, per audience and filters. */
  kept: Map<string, FacetResult>;
}

export interface FacetResult {
  facets: Record<Facet, { value: string; count: number }[]>;
  /** How many visible solutions match every filter. */
  total: number;
}

const tables = new WeakMap<object, { version: string; table: Promise<FacetTable> }>();

async function buildTable(db: Db, version: string): Promise<FacetTable> {
  const rows = await db.selectFrom('solutions as s').leftJoin('organisations as o', 'o.id', 's.organisation_id')
    .select(['s.id', 's.visibility', 's.organisation_id', ...FACETS.map((f) => facetExpression(f).as(`f_${f}`))] as any)
    .execute() as Record<string, unknown>[];
  const size = rows.length;
  const maxId = rows.reduce((max, r) => Math.max(max, Number(r.id)), 0);
  const table: FacetTable = {
    version, size, rowOf: new Int32Array(maxId + 1).fill(-1), visibility: new Uint8Array(size), organisation: new Int32Array(size),
    codes: FACETS.map(() => new Uint32Array(size)), values: {} as FacetTable['values'], kept: new Map(),
  };
  for (const f of FACETS) table.values[f] = [''];
  const codeOf = Object.fromEntries(FACETS.map((f) => [f, new Map<string, number>()])) as Record<Facet, Map<string, number>>;
  rows.forEach((r, i) => {
    table.rowOf[Number(r.id)] = i;
    table.visibility[i] = VISIBILITY_CODES[String(r.visibility)] ?? 2;
    table.organisation[i] = r.organisation_id === null ? -1 : Number(r.organisation_id);
    for (let k = 0; k < FACETS.length; k++) {
      const f = FACETS[k];
      const raw = r[`f_${f}`];
      if (raw === null || raw === undefined || raw === '') continue;
      const value = String(raw);
      let code = codeOf[f].get(value);
      if (code === undefined) {
        code = table.values[f].push(value) - 1;
        codeOf[f].set(value, code);
      }
      table.codes[k][i] = code;
    }
  });
  return table;
}

/** The table of the current catalogue version (read afresh for signed-in visitors, like their pages). */
async function tableFor(db: Db, viewer: Visitor): Promise<FacetTable> {
  const version = await catalogueVersion(db, viewer !== null);
  const key = db.getExecutor().adapter;
  const known = tables.get(key);
  if (known && known.version === version) return known.table;
  const table = buildTable(db, version);
  tables.set(key, { version, table });
  table.catch(() => { if (tables.get(key)?.table === table) tables.delete(key); });
  return table;
}

/** Who counts which rows: the same rule as visibleTo in queries.ts. */
function audienceOf(viewer: Visitor): { key: string; sees: (table: FacetTable, row: number) => boolean } {
  if (!viewer) return { key: 'public', sees: (t, i) => t.visibility[i] === 0 };
  if (viewer.role === 'admin' || viewer.role === 'moderator') return { key: 'all', sees: () => true };
  const org = viewer.organisationId;
  return { key: `members+${org}`, sees: (t, i) => t.visibility[i] !== 2 || t.organisation[i] === org };
}

/**
 * Counts per value of every facet among the visible solutions (of the hits, when given), each facet ignoring its own
 * filter (so that a visitor sees what choosing another value would give), and the number matching every filter.
 */
function count(table: FacetTable, sees: (table: FacetTable, row: number) => boolean, rows: ArrayLike<number>, filters: Filters): FacetResult {
  // Facets by their position in FACETS: the loop below runs once per facet and hit, tens of thousands of times.
  const active = FACETS.flatMap((f, k) => (filters[f]?.length ? [k] : []));
  const allowed = active.map((k) => {
    const f = FACETS[k];
    const wanted = new Set(filters[f]!.map((v) => {
      if (!NUMERIC.has(f)) return v;
      const n = Number(v);
      return Number.isInteger(n) ? String(n) : '\u0000';
    }));
    return table.values[f].map((value, code) => code !== 0 && wanted.has(value));
  });
  const columns = table.codes;
  const counts = FACETS.map((f) => new Uint32Array(table.values[f].length));
  let total = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    if (!sees(table, i)) continue;
    let failed = -1;
    let failures = 0;
    for (let a = 0; a < active.length && failures < 2; a++) {
      if (!allowed[a][columns[active[a]][i]]) {
        failed = active[a];
        failures++;
      }
    }
    if (failures === 0) {
      total++;
      for (let k = 0; k < columns.length; k++) counts[k][columns[k][i]]++;
    } else if (failures === 1) {
      counts[failed][columns[failed][i]]++;
    }
  }
  const facets = {} as FacetResult['facets'];
  FACETS.forEach((f, k) => {
    const values = table.values[f];
    const list: { value: string; count: number }[] = facets[f] = [];
    const column = counts[k];
    for (let code = 1; code < column.length; code++) if (column[code] > 0) list.push({ value: values[code], count: column[code] });
  });
  return { facets, total };
}

/** Every row of a table, in order. */
function allRows(size: number): Int32Array {
  const rows = new Int32Array(size);
  for (let i = 0; i < size; i++) rows[i] = i;
  return rows;
}

/**
 * The facet counts of the list (hits = null) or of a search's hits (a relation of their solution_id, in which an id
 * may appear more than once, or their ids when already read), for a visitor, with the filters chosen.
 */
export async function facetCounts(db: Db, viewer: Visitor, hits: RawBuilder<unknown> | readonly number[] | null, filters: Filters): Promise<FacetResult> {
  const table = await tableFor(db, viewer);
  const audience = audienceOf(viewer);
  if (!hits) {
    const key = `${audience.key}|${JSON.stringify(FACETS.map((f) => filters[f] ?? []))}`;
    const kept = table.kept.get(key);
    if (kept) return kept;
    const result = count(table, audience.sees, allRows(table.size), filters);
    if (table.kept.size >= KEPT_COUNTS) table.kept.delete(table.kept.keys().next().value!);
    table.kept.set(key, result);
    return result;
  }
  const ids = Array.isArray(hits) ? hits as readonly number[]
    : await firstColumn<number>(db, sql`select h.solution_id as solution_id from ${hits as RawBuilder<unknown>} h`);
  const rows = new Int32Array(Math.min(ids.length, table.size));
  let found = 0;
  const seen = new Uint8Array(table.size);
  const rowOf = table.rowOf;
  for (let k = 0; k < ids.length; k++) {
    const n = Number(ids[k]);
    const row = n >= 0 && n < rowOf.length ? rowOf[n] : -1;
    // A solution added after the table was built is not counted until the next version's table.
    if (row >= 0 && !seen[row]) {
      seen[row] = 1;
      rows[found++] = row;
    }
  }
  return count(table, audience.sees, rows.subarray(0, found), filters);
}
