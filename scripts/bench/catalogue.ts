// Builds the benchmark catalogues: the real register import once, then copies of it grown to the wanted size by
// cloning rows in SQL (solutions and their search_terms), so the clones are indexed exactly like the originals.
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { migrations } from '../../src/migrations/index.js';
import { importRegister, REGISTER_FILES, REGISTER_SOURCES } from '../../src/modules/catalogue/import.js';
import { touchCatalogue } from '../../src/modules/catalogue/service.js';
import { loadConfig, projectRoot, type Config } from '../../src/platform/config.js';
import { openDatabase, sqliteFile, type DatabaseHandle, type Db } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';

/** A fixed secret: the benchmark needs no real one, and passing it keeps loadConfig from writing a file. */
export const BENCH_SESSION_SECRET = 'benchmark-session-secret-not-used-for-anything-real';

/** Where one catalogue lives: a data directory (always, for the config) and, on PostgreSQL, a scratch database. */
export interface Target {
  name: string;
  dataDir: string;
  databaseUrl?: string;
}

export function configFor(target: Target): Config {
  return loadConfig({
    DATA_DIR: target.dataDir,
    DATABASE_URL: target.databaseUrl,
    LOG_LEVEL: 'silent',
    RUN_JOBS: '0',
    SESSION_SECRET: BENCH_SESSION_SECRET,
  });
}

export function openTarget(target: Target): DatabaseHandle {
  return openDatabase(configFor(target));
}

// -------------------------------------------------------------------------------------------------
// PostgreSQL scratch databases

/** Creates and drops the scratch databases next to the one BENCH_DATABASE_URL names (which is only used to connect). */
export class PgScratch {
  private readonly created: string[] = [];
  readonly prefix = `kic_bench_${process.pid}`;

  constructor(private readonly adminUrl: string) {}

  urlOf(name: string): string {
    const u = new URL(this.adminUrl);
    u.pathname = `/${name}`;
    return u.toString();
  }

  private async admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  /** A new empty database, or a copy of `template` (which must have no open connections). */
  async create(name: string, template?: string): Promise<string> {
    await this.admin(async (c) => {
      await c.query(`drop database if exists ${name}`);
      await c.query(`create database ${name}${template ? ` template ${template}` : ''}`);
    });
    this.created.push(name);
    return this.urlOf(name);
  }

  async drop(name: string): Promise<void> {
    await this.admin((c) => c.query(`drop database if exists ${name} with (force)`));
    const i = this.created.indexOf(name);
    if (i >= 0) this.created.splice(i, 1);
  }

  async dropAll(): Promise<void> {
    for (const name of [...this.created].reverse()) {
      try {
        await this.drop(name);
      } catch (err) {
        console.error(`could not drop scratch database ${name}: ${(err as Error).message}`);
      }
    }
  }
}

// -------------------------------------------------------------------------------------------------
// The real import

export interface BaseResult {
  solutions: number;
  searchTerms: number;
  ms: number;
  perSource: { source: string; created: number; skipped: number }[];
}

/** Migrates a fresh database and runs the real register import on reference/registers/*.csv. */
export async function importBase(target: Target): Promise<BaseResult> {
  const t0 = performance.now();
  const database = openTarget(target);
  try {
    await migrateToLatest(database.db, migrations);
    const perSource: BaseResult['perSource'] = [];
    for (const source of REGISTER_SOURCES) {
      const r = await importRegister(database.db, source, resolve(projectRoot, 'reference/registers', REGISTER_FILES[source]));
      perSource.push({ source, created: r.created, skipped: r.skipped });
    }
    const solutions = await countRows(database.db, 'solutions');
    const searchTerms = await countRows(database.db, 'search_terms');
    return { solutions, searchTerms, perSource, ms: performance.now() - t0 };
  } finally {
    await database.close();
  }
}

async function countRows(db: Db, table: 'solutions' | 'search_terms'): Promise<number> {
  return Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
}

/** A fresh copy of the imported base: the SQLite file copied, or a PostgreSQL database made from it as a template. */
export async function copyBase(base: Target, target: Target, scratch?: PgScratch): Promise<Target> {
  mkdirSync(target.dataDir, { recursive: true });
  if (!base.databaseUrl) {
    // The base handle is closed, so its WAL is checkpointed into the main file.
    copyFileSync(sqliteFile(base), sqliteFile(target));
    return target;
  }
  const url = await scratch!.create(target.name, base.name);
  return { ...target, databaseUrl: url };
}

// -------------------------------------------------------------------------------------------------
// Cloning

export interface DeriveResult {
  size: number;
  originals: number;
  clones: number;
  searchTerms: number;
  cloneSolutionsMs: number;
  cloneTermsMs: number;
  analyzeMs: number;
  ms: number;
}

/** Columns of solutions copied unchanged into a clone (everything but the ones a clone gets anew). */
const RENAMED = new Set(['id', 'slug', 'title', 'title_key', 'source_id']);

async function solutionColumns(db: Db, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const rows = dialect === 'sqlite'
    ? (await sql<{ name: string }>`select name from pragma_table_info('solutions')`.execute(db)).rows
    : (await sql<{ name: string }>`select column_name as name from information_schema.columns
        where table_schema = current_schema() and table_name = 'solutions' order by ordinal_position`.execute(db)).rows;
  return rows.map((r) => r.name).filter((c) => !RENAMED.has(c));
}

/** The indexes of a table other than its primary key's and unique constraints', with the statement that makes each. */
async function secondaryIndexes(db: Db, dialect: 'sqlite' | 'postgres', table: string): Promise<{ name: string; definition: string }[]> {
  const rows = dialect === 'sqlite'
    ? (await sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_master
        where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db)).rows
    : (await sql<{ name: string; definition: string }>`select i.indexname as name, i.indexdef as definition from pg_indexes i
        where i.schemaname = current_schema() and i.tablename = ${table}
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db)).rows;
  return rows;
}

/**
 * Grows the imported catalogue to `size` solutions: clone k of solution s gets the id max+n, the slug s.slug-vk,
 * the title "s.title · Variante k" and copies of all of s's search_terms rows. Everything else (field of action,
 * maturity, technique, language, source, visibility, texts …) is kept from the source row, so facets and ranking
 * look like those of the real data. The vocabulary and lexicon stay as they are: the clones have the same words.
 * Then the catalogue version is bumped, setup is marked complete and ANALYZE runs.
 */
export async function deriveCatalogue(target: Target, size: number): Promise<DeriveResult> {
  const t0 = performance.now();
  const database = openTarget(target);
  const { db, dialect } = database;
  try {
    if (database.sqlite) {
      // A scratch database: speed over durability while building (no journal, no foreign-key checks; the platform turns WAL on again).
      database.sqlite.pragma('journal_mode = OFF');
      database.sqlite.pragma('foreign_keys = OFF'); // the clones' references are copies of valid ones
      database.sqlite.pragma('synchronous = OFF');
      database.sqlite.pragma('temp_store = MEMORY');
      database.sqlite.pragma('cache_size = -2000000');
    }
    const stats = await db.selectFrom('solutions').select([sql<number>`count(*)`.as('n'), sql<number>`max(id)`.as('max')]).executeTakeFirstOrThrow();
    const originals = Number(stats.n);
    const maxId = Number(stats.max);
    const clones = size - originals;
    if (clones < 0) throw new Error(`the import alone has ${originals} solutions, more than the ${size} wanted`);
    const rounds = Math.max(1, Math.ceil(clones / originals));
    const cols = await solutionColumns(db, dialect);
    const list = sql.join(cols.map((c) => sql.ref(c)));
    const fromSource = sql.join(cols.map((c) => sql.ref(`s.${c}`)));
    const ks = sql.join(Array.from({ length: rounds }, (_, i) => sql`(${sql.lit(i + 1)})`));

    let cloneSolutionsMs = 0;
    let cloneTermsMs = 0;
    await db.transaction().execute(async (trx) => {
      const t1 = performance.now();
      // Which source row each clone copies: round k = 1, 2, … over all originals in id order, cut at the count wanted.
      await sql`create table bench_clone_map (new_id integer primary key, src integer not null, k integer not null)`.execute(trx);
      await sql`with ks(k) as (values ${ks})
        insert into bench_clone_map (new_id, src, k)
        select ${sql.lit(maxId)} + rn, src, k from (
          select s.id as src, ks.k as k, row_number() over (order by ks.k, s.id) as rn from solutions s cross join ks
        ) x where rn <= ${sql.lit(clones)}`.execute(trx);
      await sql`insert into solutions (id, slug, title, title_key, source_id, ${list})
        select m.new_id, s.slug || '-v' || m.k, s.title || ' · Variante ' || m.k, s.title_key || ' variante ' || m.k,
          case when s.source_id is null then null else s.source_id || '-v' || m.k end, ${fromSource}
        from bench_clone_map m join solutions s on s.id = m.src order by m.new_id`.execute(trx);
      const t2 = performance.now();
      cloneSolutionsMs = t2 - t1;
      // The secondary indexes are dropped and made again afterwards (one sort instead of millions of b-tree inserts).
      // The rows go in solution by solution, as the analyser writes them, so the table's physical order (which the
      // scoring query's look-ups depend on) is that of a catalogue that grew entry by entry.
      const indexes = await secondaryIndexes(trx, dialect, 'search_terms');
      for (const ix of indexes) await sql`drop index ${sql.ref(ix.name)}`.execute(trx);
      await sql`insert into search_terms (term, solution_id, weight, visibility, organisation_id)
        select t.term, m.new_id, t.weight, t.visibility, t.organisation_id from bench_clone_map m join search_terms t on t.solution_id = m.src
        order by m.new_id, t.term`.execute(trx);
      for (const ix of indexes) await sql.raw(ix.definition).execute(trx);
      cloneTermsMs = performance.now() - t2;
      await sql`drop table bench_clone_map`.execute(trx);
      if (dialect === 'postgres') {
        await sql`select setval(pg_get_serial_sequence('solutions', 'id'), (select max(id) from solutions))`.execute(trx);
      }
      await touchCatalogue(trx);
      // What the first administrator's sign-up would set; without it every page redirects to /einrichtung.
      await trx.insertInto('settings').values({ key: 'setup_completed', value: new Date().toISOString() })
        .onConflict((oc) => oc.column('key').doNothing()).execute();
    });
    const t3 = performance.now();
    await sql`analyze`.execute(db);
    const analyzeMs = performance.now() - t3;
    const searchTerms = await countRows(db, 'search_terms');
    const total = await countRows(db, 'solutions');
    if (total !== size) throw new Error(`built ${total} solutions instead of ${size}`);
    return { size, originals, clones, searchTerms, cloneSolutionsMs, cloneTermsMs, analyzeMs, ms: performance.now() - t0 };
  } finally {
    await database.close();
  }
}

/** The slug of a real imported solution for the solution page (read from the base, which has no clones): the first one about chatbots. */
export async function pickSolutionSlug(base: Target): Promise<string> {
  const database = openTarget(base);
  try {
    const row = await database.db.selectFrom('solutions').select('slug')
      .where(sql<string>`lower(title)`, 'like', '%chatbot%').orderBy('id').limit(1).executeTakeFirst()
      ?? await database.db.selectFrom('solutions').select('slug').orderBy('id').limit(1).executeTakeFirstOrThrow();
    return row.slug;
  } finally {
    await database.close();
  }
}
