// Measures the catalogue search against the judged query set: npm run eval:search [-- options]
// Imports the EU Public Sector Tech Watch register into a fresh temporary database, runs every judged query through
// the search of the solutions page (/loesungen?q=) as a visitor who is not signed in, and prints nDCG@10, Recall@10,
// MRR and the share of queries without any result: overall, per language and (with --verbose) per query.
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildApp, type App } from '../src/app.js';
import { resultSlugs } from '../test/support/catalogue.js';
import { JUDGED_SET_FILE, readJudgedSet, type JudgedQuery } from '../src/modules/catalogue/eval/judged-set.js';
import { scoreQuery, summarise, type QueryScores, type Summary } from '../src/modules/catalogue/eval/metrics.js';
import { importRegister, REGISTER_FILES, REGISTER_SOURCES, type RegisterSource } from '../src/modules/catalogue/import.js';
import { PAGE_SIZE, parseSearchParams, searchCatalogue } from '../src/modules/catalogue/service.js';
import { loadConfig, projectRoot } from '../src/platform/config.js';

const USAGE = `Usage: npm run eval:search [-- options]
  --verbose, -v          a table with every query's figures and its first results
  --json <file>          also write the figures (overall, per language, per query with its top 10) as JSON
  --all-registers        import the Dutch and UK registers too (their entries are not judged: they count as not relevant)
  --postgres [<url>]     use a temporary PostgreSQL database created through <url> (default: $EVAL_PG_URL, $TEST_PG_URL
                         or postgres://postgres@127.0.0.1:5432/postgres) instead of SQLite; it is dropped afterwards
  --judgments <file>     another judged set (default: src/modules/catalogue/eval/judgments.json)
  --only <text>          only the queries whose id or text contains <text> (repeatable)`;

/** MRR looks at the first result page, as far as a visitor sees without paging. */
const RR_DEPTH = PAGE_SIZE;

interface Options {
  verbose: boolean;
  json?: string;
  allRegisters: boolean;
  postgres?: string;
  judgments: string;
  only: string[];
}

class UsageError extends Error {}

export function parseArgs(args: string[]): Options {
  const o: Options = { verbose: false, allRegisters: false, judgments: JUDGED_SET_FILE, only: [] };
  const value = (i: number) => {
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${args[i]} needs a value.`);
    return v;
  };
  const cwd = process.env.INIT_CWD || process.cwd();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--all-registers') o.allRegisters = true;
    else if (a === '--json') o.json = resolve(cwd, value(i++));
    else if (a === '--judgments') o.judgments = resolve(cwd, value(i++));
    else if (a === '--only') o.only.push(value(i++).toLowerCase());
    else if (a === '--postgres') {
      const next = args[i + 1];
      if (next !== undefined && /^postgres(ql)?:\/\//.test(next)) { o.postgres = next; i++; }
      else o.postgres = process.env.EVAL_PG_URL || process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
    } else throw new UsageError(`Unknown option "${a}".`);
  }
  return o;
}

/**
 * The platform on a fresh database: SQLite in a temporary directory, or a new PostgreSQL database;
 * close() stops it and removes the database.
 */
async function freshPlatform(pgUrl: string | undefined): Promise<{ platform: App; label: string; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kic-eval-'));
  let url: string | undefined;
  let name = '';
  if (pgUrl) {
    name = `kic_eval_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(pgUrl);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const removeDatabase = async () => {
    if (pgUrl) {
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'silent', RUN_JOBS: '0' }, { sessionSecret: 'not-used-by-the-search-evaluation'.padEnd(40, '-') });
  let platform: App;
  try {
    platform = await buildApp(config);
  } catch (err) {
    await removeDatabase();
    throw err;
  }
  return {
    platform,
    label: pgUrl ? `PostgreSQL (temporary database ${name})` : `SQLite (temporary, ${dataDir})`,
    close: async () => {
      await platform.app.close();
      await removeDatabase();
    },
  };
}

/** The slugs of the results the page /loesungen?q=… lists for a visitor who is not signed in, in its order. */
async function pageResults(platform: App, q: string): Promise<string[]> {
  const res = await platform.app.inject({ method: 'GET', url: `/loesungen?q=${encodeURIComponent(q)}` });
  if (res.statusCode !== 200) throw new Error(`/loesungen?q=${q} answered ${res.statusCode}`);
  return resultSlugs(res.body);
}

interface QueryRun {
  query: JudgedQuery;
  scores: QueryScores;
  total: number;
  /** Register ids of the first page, in the page's order (entries of other registers as "nl:…", "atrs:…"). */
  top: string[];
  ms: number;
  /** The page lists the same entries in the same order. */
  sameAsPage: boolean;
}

const pct = (x: number) => x.toFixed(3);

function summaryLines(label: string, s: Summary): string {
  return `${label.padEnd(10)} ${String(s.queries).padStart(7)}  ${pct(s.ndcg10).padStart(7)}  ${pct(s.recall10).padStart(9)}  ${pct(s.mrr).padStart(5)}  ${(100 * s.noResult).toFixed(1).padStart(9)} %`;
}

function report(runs: QueryRun[], verbose: boolean): { overall: Summary; de: Summary; en: Summary; sameNeed?: { de: Summary; en: Summary } } {
  const overall = summarise(runs.map((r) => r.scores));
  const de = summarise(runs.filter((r) => r.query.language === 'de').map((r) => r.scores));
  const en = summarise(runs.filter((r) => r.query.language === 'en').map((r) => r.scores));
  if (verbose) {
    console.log('\nid      lang  nDCG@10  R@10   RR    found  judged≥1  unjudged in top 10  query');
    for (const r of runs) {
      const relevant = Object.values(r.query.judgments).filter((g) => g > 0).length;
      const unjudged = r.top.slice(0, 10).filter((id) => !(id in r.query.judgments)).length;
      console.log(`${r.query.id.padEnd(7)} ${r.query.language}    ${pct(r.scores.ndcg10)}  ${pct(r.scores.recall10)}  ${pct(r.scores.rr)}  ${String(r.total).padStart(5)}  ${String(relevant).padStart(8)}  ${String(unjudged).padStart(18)}  ${r.query.query}`);
      const marks = r.top.slice(0, 10).map((id) => `${id}${id in r.query.judgments ? `(${r.query.judgments[id]})` : ''}`);
      if (marks.length) console.log(`        top 10: ${marks.join(' ')}`);
    }
  }
  console.log('\n           queries  nDCG@10  Recall@10    MRR  no result');
  console.log(summaryLines('all', overall));
  console.log(summaryLines('German', de));
  console.log(summaryLines('English', en));
  // The needs asked in both languages show the gap between German and English queries directly.
  const paired = runs.filter((r) => r.query.sameNeedAs !== undefined && runs.some((o) => o.query.id === r.query.sameNeedAs));
  if (paired.length > 0) {
    const pairedDe = summarise(paired.filter((r) => r.query.language === 'de').map((r) => r.scores));
    const pairedEn = summarise(paired.filter((r) => r.query.language === 'en').map((r) => r.scores));
    console.log(`\nThe same ${pairedDe.queries} needs asked in both languages:`);
    console.log(summaryLines('German', pairedDe));
    console.log(summaryLines('English', pairedEn));
    return { overall, de, en, sameNeed: { de: pairedDe, en: pairedEn } };
  }
  return { overall, de, en };
}

async function main(args: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(args);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const set = readJudgedSet(options.judgments);
  const queries = set.queries.filter((q) => options.only.length === 0 || options.only.some((o) => q.id.toLowerCase().includes(o) || q.query.toLowerCase().includes(o)));
  const { platform, label, close } = await freshPlatform(options.postgres);
  let pageDiffers: string[] = [];
  try {
    const { db, dialect } = platform.database;
    const sources: RegisterSource[] = options.allRegisters ? [...REGISTER_SOURCES] : ['pstw'];
    const t0 = Date.now();
    for (const source of sources) {
      const result = await importRegister(db, source, resolve(projectRoot, 'reference/registers', REGISTER_FILES[source]));
      console.log(`${source}: ${result.created} entries imported (${result.skipped} rows skipped)`);
    }
    console.log(`Imported into ${label} in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
    // As after the setup page, so that /loesungen is shown rather than the way to the setup.
    await db.insertInto('settings').values({ key: 'setup_completed', value: new Date().toISOString() }).execute();

    // The register id of every entry, to name results the way the judgments do.
    const entries = await db.selectFrom('solutions').select(['id', 'slug', 'source', 'source_id']).execute();
    const registerIdOf = (r: { source: string; source_id: string | null }) => (r.source === 'pstw' ? String(r.source_id) : `${r.source}:${r.source_id}`);
    const registerId = new Map(entries.map((r) => [r.id, registerIdOf(r)]));
    const registerIdOfSlug = new Map(entries.map((r) => [r.slug, registerIdOf(r)]));

    const runs: QueryRun[] = [];
    const t1 = Date.now();
    for (const query of queries) {
      const started = performance.now();
      // The call and parameters of the page /loesungen?q=… for a visitor who is not signed in: its first page.
      const result = await searchCatalogue(db, null, parseSearchParams({ q: query.query }));
      const ms = performance.now() - started;
      const top = result.items.map((it) => registerId.get(it.id) ?? `id:${it.id}`);
      // And the page itself: the figures are only the page's if it lists the very same entries in the same order.
      const page = (await pageResults(platform, query.query)).map((slug) => registerIdOfSlug.get(slug) ?? `slug:${slug}`);
      const sameAsPage = page.join(' ') === top.join(' ');
      runs.push({ query, total: result.total, top, ms, sameAsPage, scores: scoreQuery(top, result.total, query.judgments, RR_DEPTH) });
    }
    const searchSeconds = (Date.now() - t1) / 1000;
    const figures = report(runs, options.verbose);
    console.log(`\n${runs.length} queries searched (and their pages checked) in ${searchSeconds.toFixed(1)} s; nDCG@10 and Recall@10 over the first 10 results, MRR over the first page (${RR_DEPTH}).`);
    pageDiffers = runs.filter((r) => !r.sameAsPage).map((r) => r.query.id);
    if (options.json) {
      writeFileSync(options.json, JSON.stringify({
        date: new Date().toISOString(),
        database: dialect,
        registers: sources,
        ...figures,
        queries: runs.map((r) => ({
          id: r.query.id, language: r.query.language, query: r.query.query, total: r.total, ...r.scores, ms: Math.round(r.ms),
          top10: r.top.slice(0, 10).map((id) => ({ id, grade: r.query.judgments[id] ?? null })),
        })),
      }, null, 2) + '\n');
      console.log(`Figures written to ${options.json}.`);
    }
  } finally {
    await close();
  }
  if (pageDiffers.length > 0) {
    console.error(`\nThe page /loesungen?q=… lists other results than searchCatalogue for ${pageDiffers.join(', ')}: these figures are not the page's.`);
    return 1;
  }
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && existsSync(process.argv[1])
  && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
