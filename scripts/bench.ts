// Benchmark of the catalogue at 10,000 and 100,000 solutions: npm run bench
//
// A measurement, not a test: it prints ratios against baselines measured in the same run and always exits 0
// (1 only when it cannot run at all). See README.md ("Benchmark") for what it does and the variables it reads:
//   BENCH_SECONDS      load duration per target, default 10 (2–3 while developing)
//   BENCH_WARMUP       warm-up seconds per target, default 2 (1 when BENCH_SECONDS < 5); after the server starts,
//                      every page and ceiling also gets max(2, BENCH_WARMUP) s of unrecorded load first
//   BENCH_CONNECTIONS  concurrent connections, default 50
//   BENCH_SIZES        catalogue sizes, default 10000,100000
//   BENCH_SEARCH_RUNS  timed runs per query of the ranked search, default 7 (after one untimed run)
//   BENCH_FULL_RUNS    timed runs per query of the full searchCatalogue call, default 3 (after one untimed run)
//   BENCH_DATABASE_URL postgres://… to run on PostgreSQL (scratch databases are created next to it and dropped)
//   BENCH_KEEP=1       keep the built catalogues (their directories are printed)
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { scoredQuery } from '../src/modules/catalogue/search.js';
import { parseSearchParams, resultPage, searchCatalogue } from '../src/modules/catalogue/service.js';
import {
  copyBase, deriveCatalogue, importBase, openTarget, PgScratch, pickSolutionSlug, type BaseResult, type DeriveResult, type Target,
} from './bench/catalogue.js';
import type { CapturedPage, PageSpec, ServerMessage } from './bench/server.js';

const here = dirname(fileURLToPath(import.meta.url));

// -------------------------------------------------------------------------------------------------
// Settings

function intEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return n;
}

const SECONDS = intEnv('BENCH_SECONDS', 10);
const WARMUP = intEnv('BENCH_WARMUP', SECONDS < 5 ? 1 : 2, 0);
/** Load on each page and ceiling once after the server started, before anything is measured. */
const INITIAL_WARMUP = Math.max(2, WARMUP);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 50);
const SEARCH_RUNS = intEnv('BENCH_SEARCH_RUNS', 7);
const FULL_RUNS = intEnv('BENCH_FULL_RUNS', 3);
const SIZES = (process.env.BENCH_SIZES || '10000,100000').split(',').map((s) => Number(s.trim()));
if (SIZES.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_SIZES must be whole numbers, got "${process.env.BENCH_SIZES}"`);
const PG_URL = process.env.BENCH_DATABASE_URL || undefined;
if (PG_URL && !/^postgres(ql)?:\/\//.test(PG_URL)) throw new Error('BENCH_DATABASE_URL must start with postgres://');
const KEEP = process.env.BENCH_KEEP === '1';

/** The query of the search page that is put under load: common, with many hits. */
const SEARCH_PAGE_QUERY = 'chatbot';

/** The fixed query set of the in-process search timing; hits are those of the imported registers (EN/NL, few DE). */
const QUERIES: { q: string; kind: string }[] = [
  { q: 'chatbot', kind: 'en/de, common' },
  { q: 'Verkehr', kind: 'de' },
  { q: 'Bürgerservice', kind: 'de, rare' },
  { q: 'Schlaglocherkennung', kind: 'de compound' },
  { q: 'Künstliche Intelligenz', kind: 'de, two words' },
  { q: 'traffic', kind: 'en' },
  { q: 'housing', kind: 'en' },
  { q: 'camera', kind: 'en' },
  { q: 'translation', kind: 'en' },
  { q: 'fraud detection', kind: 'en, two words' },
  { q: 'facial recognition', kind: 'en, two words' },
  { q: 'predictive policing', kind: 'en, two words' },
  { q: 'earthquake', kind: 'en, rare' },
  { q: 'data', kind: 'en, very common' },
  { q: 'gemeente', kind: 'nl, very common' },
  { q: 'algoritme', kind: 'nl, very common' },
  { q: 'toeslagen', kind: 'nl' },
  { q: 'parkeren', kind: 'nl' },
  { q: 'afval', kind: 'nl' },
  { q: 'chatbott', kind: 'typo' },
];

/**
 * The targets per page: req/s at least this share of the same-bytes ceiling, p99 at most this multiple of the
 * ceiling's. Anonymous: list, solution, home, map and dashboard ≥ 50 %, search ≥ 30 %, p99 ≤ 3×. Signed in (m- a member
 * of an organisation without entries of its own, d- one whose organisation has drafts and members-only entries):
 * list, solution and search ≥ 30 %, p99 ≤ 5×. The signed-in home and question pages and the searches not asked
 * before are measured without a ratio target (the latter have the latency target below).
 */
const TARGETS: Record<string, { min: number; p99: number }> = {
  list: { min: 0.5, p99: 3 }, solution: { min: 0.5, p99: 3 }, search: { min: 0.3, p99: 3 }, home: { min: 0.5, p99: 3 },
  map: { min: 0.5, p99: 3 }, dashboard: { min: 0.5, p99: 3 },
  'm-list': { min: 0.3, p99: 5 }, 'm-solution': { min: 0.3, p99: 5 }, 'm-search': { min: 0.3, p99: 5 },
  'd-list': { min: 0.3, p99: 5 }, 'd-solution': { min: 0.3, p99: 5 }, 'd-search': { min: 0.3, p99: 5 },
};
/** A search not asked before (no page cache), with the facets, at the largest size: median and p99 in ms. */
const UNSEEN_MEDIAN_MS = 20;
const UNSEEN_P99_MS = 100;
/** The home page as sent compressed. */
const HOME_MAX_COMPRESSED_BYTES = 15 * 1024;
const MAX_SEARCH_GROWTH = 3;

// -------------------------------------------------------------------------------------------------
// Small helpers

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const percentile = (sorted: Float64Array, p: number): number => {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0)) : '–');
const secs = (x: number) => `${(x / 1000).toFixed(1)} s`;
const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const ratio = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)} %` : '–');
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const log = (s = '') => console.log(s);

function table(head: string[], rows: string[][], right = head.map((_, i) => i > 0)): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// -------------------------------------------------------------------------------------------------
// Load generation

interface LoadResult {
  url: string;
  /** Average of the per-second request counts (autocannon's requests.average). */
  rps: number;
  requests: number;
  /** Latency percentiles of the 2xx answers in ms, from autocannon's per-response times (sub-millisecond). */
  p50: number;
  p99: number;
  /** autocannon's own percentiles (its histogram has whole milliseconds). */
  autocannonP50: number;
  autocannonP99: number;
  bytesPerResponse: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** Who asks (a session cookie) and, for searches not asked before, a counter appended to the query of each request. */
interface Asking {
  cookie?: string;
  unseen?: boolean;
}

let unseenCounter = 1;

function runAutocannon(url: string, seconds: number, latencies?: number[], asking: Asking = {}): Promise<autocannon.Result> {
  return new Promise((resolvePromise, reject) => {
    const target = new URL(url);
    const path = target.pathname + target.search;
    const options: autocannon.Options = { url, connections: CONNECTIONS, duration: seconds, headers: asking.cookie ? { cookie: asking.cookie } : {} };
    if (asking.unseen) {
      options.requests = [{ setupRequest: (req: any) => ({ ...req, path: `${path}%20${unseenCounter++}` }) }];
    }
    const instance = autocannon(options, (err, result) => (err ? reject(err) : resolvePromise(result)));
    if (latencies) {
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      });
    }
  });
}

/**
 * Waits until the server has worked off what a load run left in flight (up to one request per connection, each a
 * whole search when it was asked something new): the next run would otherwise measure that backlog.
 */
async function drain(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const t0 = performance.now();
    await fetch(url).then((r) => r.arrayBuffer()).catch(() => undefined);
    if (performance.now() - t0 < 20) return;
  }
}

let drainUrl = '';

/** A warm-up run (not recorded), then the measured run. */
async function measure(url: string, asking: Asking = {}): Promise<LoadResult> {
  if (WARMUP > 0) await runAutocannon(url, WARMUP, undefined, asking);
  if (drainUrl) await drain(drainUrl);
  const latencies: number[] = [];
  const r = await runAutocannon(url, SECONDS, latencies, asking);
  if (drainUrl) await drain(drainUrl);
  const sorted = Float64Array.from(latencies).sort();
  return {
    url,
    rps: r.requests.average,
    requests: r.requests.total,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    autocannonP50: r.latency.p50,
    autocannonP99: r.latency.p99,
    bytesPerResponse: r['2xx'] ? r.throughput.total / r['2xx'] : 0,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

// -------------------------------------------------------------------------------------------------
// The server process

interface ServerHandle {
  child: ChildProcess;
  ready: Extract<ServerMessage, { type: 'ready' }>;
}

function startServer(target: Target, pages: PageSpec[]): Promise<ServerHandle> {
  const child = fork(resolve(here, 'bench/server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_TARGET: JSON.stringify(target), BENCH_PAGES: JSON.stringify(pages) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolvePromise, reject) => {
    child.once('message', (m: ServerMessage) => {
      if (m.type === 'ready') resolvePromise({ child, ready: m });
      else reject(new Error(`the server process failed:\n${m.message}`));
    });
    child.once('exit', (code) => reject(new Error(`the server process exited (code ${code}) before it was ready`)));
  });
}

function stopServer(handle: ServerHandle): Promise<void> {
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => handle.child.kill('SIGKILL'), 10_000);
    handle.child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    if (handle.child.connected) handle.child.send({ type: 'stop' });
    else handle.child.kill('SIGTERM');
  });
}

// -------------------------------------------------------------------------------------------------
// Per size

interface PageResult {
  name: string;
  path: string;
  capture: CapturedPage;
  page: LoadResult;
  ceiling: LoadResult;
  rpsRatio: number;
  p99Ratio: number;
}

interface QueryResult {
  q: string;
  kind: string;
  hits: number;
  /** Median of the ranked search (scoredQuery + resultPage for page 1, as the search page), ms. */
  rankedMs: number;
  rankedRunsMs: number[];
  /** Median of the whole searchCatalogue call (with the facet counts), ms. */
  fullMs: number;
  fullRunsMs: number[];
}

interface SizeResult {
  size: number;
  build: DeriveResult;
  serverStartMs: number;
  pages: PageResult[];
  hello: LoadResult;
  queries: QueryResult[];
  rankedMedianMs: number;
  fullMedianMs: number;
}

async function measureHttp(target: Target, pages: PageSpec[]): Promise<{ pages: PageResult[]; hello: LoadResult; serverStartMs: number }> {
  const server = await startServer(target, pages);
  try {
    const { platformUrl, ceilingUrl, cookies } = server.ready;
    drainUrl = `${ceilingUrl}/hello`;
    const asking = (c: CapturedPage): Asking => ({ cookie: cookies[c.as ?? 'anonymous'] || undefined, unseen: c.unseen });
    log(`  the member's organisation with drafts has ${int(server.ready.draftEntries)} drafts and members-only entries`);
    const answered = server.ready.pages.filter((c) => {
      if (c.status !== 200) log(`  !! ${c.name} ${c.path} answered ${c.status} instead of 200: not measured`);
      return c.status === 200;
    });
    if (answered.length < server.ready.pages.length && !answered.some((c) => c.name === 'list')) throw new Error('the solution list did not answer 200; the measurement would be meaningless');
    for (const c of answered) {
      log(`  ${c.name.padEnd(12)} ${c.path} — ${int(c.bytes)} bytes (${int(c.compressedBytes)} ${c.encoding}${c.decodesSame ? '' : ', decoded differs'}), first (uncached) render ${ms(c.firstMs)} ms, second ${c.unseen ? '(same query)' : '(page cache)'} ${ms(c.secondMs)} ms${c.stable ? '' : ', second answer differed'}${c.setCookie ? ', sets a cookie' : ''}`);
    }
    // A fresh process runs its first seconds of load at a fraction of its later speed (JIT, garbage from the first
    // renders), which the per-target warm-up alone does not cover: the first page measured would look worst.
    log(`  warming up the server (${INITIAL_WARMUP} s per page and per ceiling)`);
    for (const c of answered) {
      await runAutocannon(platformUrl + c.path, INITIAL_WARMUP, undefined, asking(c));
      await drain(drainUrl);
      await runAutocannon(ceilingUrl + c.ceilingPath, INITIAL_WARMUP);
    }
    const results: PageResult[] = [];
    for (const c of answered) {
      // Page and ceiling back to back, so both see the same machine.
      const page = await measure(platformUrl + c.path, asking(c));
      const ceiling = await measure(ceilingUrl + c.ceilingPath);
      const r: PageResult = { name: c.name, path: c.path, capture: c, page, ceiling, rpsRatio: page.rps / ceiling.rps, p99Ratio: page.p99 / ceiling.p99 };
      results.push(r);
      log(`  ${c.name.padEnd(12)} page ${int(page.rps)} req/s (p50 ${ms(page.p50)}, p99 ${ms(page.p99)} ms) · ceiling ${int(ceiling.rps)} req/s (p50 ${ms(ceiling.p50)}, p99 ${ms(ceiling.p99)} ms) · ${pct(r.rpsRatio)}   [load ${load()}]`);
      for (const [what, x] of [['page', page], ['ceiling', ceiling]] as const) {
        if (x.non2xx || x.errors) log(`  !! ${c.name} ${what}: ${x.non2xx} non-2xx answers, ${x.errors} errors (${x.timeouts} timeouts)`);
      }
    }
    const hello = await measure(ceilingUrl + '/hello');
    log(`  hello    ${int(hello.rps)} req/s (p50 ${ms(hello.p50)}, p99 ${ms(hello.p99)} ms)`);
    return { pages: results, hello, serverStartMs: server.ready.startMs };
  } finally {
    await stopServer(server);
  }
}

async function measureSearch(target: Target): Promise<QueryResult[]> {
  const database = openTarget(target);
  const { db } = database;
  try {
    const out: QueryResult[] = [];
    for (const { q, kind } of QUERIES) {
      const params = parseSearchParams({ q });
      // Exactly the result list of searchCatalogue, without the facets: scoring subquery, then page 1 with the total.
      const ranked = async () => (await resultPage(db, null, await scoredQuery(db, null, params.q), params)).total;
      const hits = await ranked(); // untimed: fills the lexicon cache and the database's page cache
      const rankedRunsMs: number[] = [];
      for (let i = 0; i < SEARCH_RUNS; i++) {
        const t0 = performance.now();
        await ranked();
        rankedRunsMs.push(performance.now() - t0);
      }
      out.push({ q, kind, hits, rankedMs: median(rankedRunsMs), rankedRunsMs, fullMs: NaN, fullRunsMs: [] });
    }
    for (const r of out) {
      const params = parseSearchParams({ q: r.q });
      await searchCatalogue(db, null, params);
      for (let i = 0; i < FULL_RUNS; i++) {
        const t0 = performance.now();
        await searchCatalogue(db, null, params);
        r.fullRunsMs.push(performance.now() - t0);
      }
      r.fullMs = median(r.fullRunsMs);
    }
    return out;
  } finally {
    await database.close();
  }
}

// -------------------------------------------------------------------------------------------------
// Verdicts and report

interface Verdict {
  ok: boolean;
  what: string;
  detail: string;
}

function verdicts(sizes: SizeResult[]): Verdict[] {
  const out: Verdict[] = [];
  for (const s of sizes) {
    for (const p of s.pages) {
      const target = TARGETS[p.name];
      if (target) {
        out.push({ ok: p.rpsRatio >= target.min, what: `${int(s.size)} ${p.name}: req/s ≥ ${pct(target.min)} of ceiling`, detail: `${int(p.page.rps)} / ${int(p.ceiling.rps)} = ${pct(p.rpsRatio)}` });
        out.push({ ok: p.p99Ratio <= target.p99, what: `${int(s.size)} ${p.name}: p99 ≤ ${target.p99}× ceiling p99`, detail: `${ms(p.page.p99)} / ${ms(p.ceiling.p99)} ms = ${ratio(p.p99Ratio)}×` });
      }
      if (p.name === 'home') {
        out.push({ ok: p.capture.compressedBytes <= HOME_MAX_COMPRESSED_BYTES, what: `${int(s.size)} home: ≤ ${int(HOME_MAX_COMPRESSED_BYTES / 1024)} KB compressed`, detail: `${int(p.capture.compressedBytes)} bytes ${p.capture.encoding} (${int(p.capture.bytes)} uncompressed)` });
      }
      const bad = p.page.non2xx + p.page.errors + p.ceiling.non2xx + p.ceiling.errors;
      if (bad) out.push({ ok: false, what: `${int(s.size)} ${p.name}: only 2xx answers`, detail: `${bad} non-2xx answers or errors` });
    }
  }
  const small = sizes.find((s) => s.size === Math.min(...SIZES));
  const large = sizes.find((s) => s.size === Math.max(...SIZES));
  if (large) {
    const runs = Float64Array.from(large.queries.flatMap((q) => q.fullRunsMs)).sort();
    const [m, p99] = [percentile(runs, 50), percentile(runs, 99)];
    out.push({ ok: m <= UNSEEN_MEDIAN_MS, what: `${int(large.size)} search not asked before, with facets: median ≤ ${UNSEEN_MEDIAN_MS} ms`, detail: `${ms(m)} ms over ${runs.length} runs of ${large.queries.length} queries` });
    out.push({ ok: p99 <= UNSEEN_P99_MS, what: `${int(large.size)} search not asked before, with facets: p99 ≤ ${UNSEEN_P99_MS} ms`, detail: `${ms(p99)} ms` });
  }
  if (small && large && small !== large) {
    const growth = large.rankedMedianMs / small.rankedMedianMs;
    out.push({
      ok: growth <= MAX_SEARCH_GROWTH,
      what: `search median at ${int(large.size)} ≤ ${MAX_SEARCH_GROWTH}× at ${int(small.size)}`,
      detail: `${ms(large.rankedMedianMs)} / ${ms(small.rankedMedianMs)} ms = ${ratio(growth)}×`,
    });
  }
  return out;
}

function report(sizes: SizeResult[], checks: Verdict[]) {
  log('\n================================================================================');
  log(`Results (${SECONDS} s per target after ${WARMUP} s warm-up, ${CONNECTIONS} connections; latencies in ms)`);
  log('================================================================================\n');
  const rows: string[][] = [];
  for (const s of sizes) {
    for (const p of s.pages) {
      rows.push([
        `${int(s.size)} ${p.name}`, int(p.page.rps), ms(p.page.p50), ms(p.page.p99),
        int(p.ceiling.rps), ms(p.ceiling.p50), ms(p.ceiling.p99), pct(p.rpsRatio), `${ratio(p.p99Ratio)}×`,
        int(p.capture.bytes), `${int(p.capture.compressedBytes)} ${p.capture.encoding}`,
      ]);
    }
    rows.push([`${int(s.size)} hello-world`, int(s.hello.rps), ms(s.hello.p50), ms(s.hello.p99), '', '', '', '', '', '', '']);
  }
  log(table(['size page', 'req/s', 'p50', 'p99', 'ceil req/s', 'ceil p50', 'ceil p99', 'page/ceil', 'p99 ratio', 'bytes', 'sent compressed'], rows, [false, true, true, true, true, true, true, true, true, true, true]));
  log('  m- = signed-in member of an organisation without own entries, d- = member whose organisation has drafts and members-only entries;');
  log('  *-new = a search not asked before on every request (a counter appended to the query: no page cache; ratio for information only)');

  log('\nSearch, in process (no HTTP, no page cache): median ms per query');
  const qrows = QUERIES.map(({ q, kind }, i) => {
    const cells = [q, kind];
    for (const s of sizes) cells.push(int(s.queries[i].hits), ms(s.queries[i].rankedMs), ms(s.queries[i].fullMs));
    if (sizes.length > 1) cells.push(`${ratio(sizes[sizes.length - 1].queries[i].rankedMs / sizes[0].queries[i].rankedMs)}×`);
    return cells;
  });
  const qhead = ['query', 'kind'];
  for (const s of sizes) qhead.push(`hits ${int(s.size)}`, `ranked`, `full`);
  if (sizes.length > 1) qhead.push('ranked growth');
  log(table(qhead, qrows, qhead.map((_, i) => i > 1)));
  log('\n  ranked = scoredQuery + resultPage for page 1 (the result list of the search page; where a term is in more than 500 entries, the page reads a bounded ranking, whose hits the facets count, and "hits" shows only its first page)');
  log('  full   = the whole searchCatalogue call, with the facet counts (a search not asked before: see the targets)');
  for (const s of sizes) {
    log(`  median over the ${QUERIES.length} queries at ${int(s.size)}: ranked ${ms(s.rankedMedianMs)} ms, full searchCatalogue ${ms(s.fullMedianMs)} ms`);
  }
  if (sizes.length > 1) {
    const a = sizes[0];
    const b = sizes[sizes.length - 1];
    log(`  growth ${int(b.size)}/${int(a.size)}: ranked ${ratio(b.rankedMedianMs / a.rankedMedianMs)}×, full searchCatalogue ${ratio(b.fullMedianMs / a.fullMedianMs)}×`);
  }

  log('\nTargets');
  for (const c of checks) log(`  ${c.ok ? 'PASS' : '✖ FAIL'}  ${c.what}  (${c.detail})`);
  const failed = checks.filter((c) => !c.ok).length;
  log(failed ? `\n✖✖ ${failed} of ${checks.length} targets FAILED (a measurement: the exit code stays 0)` : `\nAll ${checks.length} targets passed.`);
}

// -------------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  const runDir = mkdtempSync(join(tmpdir(), 'ki-community-bench-'));
  const scratch = PG_URL ? new PgScratch(PG_URL) : undefined;
  const targets: Target[] = [];
  log(`KI-Community benchmark — ${startedAt.toISOString()}`);
  log(`node ${process.version}, ${cpus().length} cores, load average ${load()}; database: ${PG_URL ? 'PostgreSQL' : 'SQLite'}; sizes ${SIZES.map(int).join(', ')}`);
  log(`${SECONDS} s per target after ${WARMUP} s warm-up, ${CONNECTIONS} connections; ${SEARCH_RUNS} ranked / ${FULL_RUNS} full runs per query`);
  log(`working directory ${runDir}\n`);

  const sizes: SizeResult[] = [];
  let base: BaseResult;
  const builds = new Map<number, { target: Target; build: DeriveResult }>();
  let slug: string;
  try {
    // 1. The real import once, then one copy per size grown by cloning.
    const baseTarget: Target = { name: scratch ? `${scratch.prefix}_base` : 'base', dataDir: join(runDir, 'base') };
    mkdirSync(baseTarget.dataDir, { recursive: true });
    if (scratch) baseTarget.databaseUrl = await scratch.create(baseTarget.name);
    log('Building the catalogues');
    base = await importBase(baseTarget);
    log(`  register import: ${int(base.solutions)} solutions, ${int(base.searchTerms)} search_terms rows in ${secs(base.ms)} (${base.perSource.map((p) => `${p.source} ${p.created}${p.skipped ? `, ${p.skipped} skipped` : ''}`).join('; ')})`);
    slug = await pickSolutionSlug(baseTarget);
    for (const size of SIZES) {
      const t0 = performance.now();
      const target = await copyBase(baseTarget, { name: scratch ? `${scratch.prefix}_${size}` : `n${size}`, dataDir: join(runDir, `n${size}`) }, scratch);
      targets.push(target);
      const build = await deriveCatalogue(target, size);
      build.ms = performance.now() - t0;
      builds.set(size, { target, build });
      log(`  ${int(size)}: ${int(build.clones)} clones, ${int(build.searchTerms)} search_terms rows in ${secs(build.ms)} (solutions ${secs(build.cloneSolutionsMs)}, search_terms ${secs(build.cloneTermsMs)}, ANALYZE ${secs(build.analyzeMs)})`);
    }
    if (scratch) await scratch.drop(baseTarget.name);
    rmSync(baseTarget.dataDir, { recursive: true, force: true });

    const solutionPath = `/loesungen/${encodeURIComponent(slug)}`;
    const searchPath = `/loesungen?q=${encodeURIComponent(SEARCH_PAGE_QUERY)}`;
    const pages: PageSpec[] = [
      { name: 'list', path: '/loesungen' },
      { name: 'solution', path: solutionPath },
      { name: 'search', path: searchPath },
      { name: 'home', path: '/' },
      { name: 'map', path: '/karte' },
      { name: 'dashboard', path: '/zahlen' },
      { name: 'search-new', path: searchPath, unseen: true },
      ...(['member', 'drafts'] as const).flatMap((as): PageSpec[] => {
        const p = as === 'member' ? 'm' : 'd';
        return [
          { name: `${p}-list`, path: '/loesungen', as },
          { name: `${p}-solution`, path: solutionPath, as },
          { name: `${p}-search`, path: searchPath, as },
          { name: `${p}-search-new`, path: searchPath, as, unseen: true },
        ];
      }),
      { name: 'm-home', path: '/', as: 'member' },
      { name: 'm-questions', path: '/fragen', as: 'member' },
      { name: 'm-question', path: '/fragen/{question}', as: 'member' },
    ];

    // 2.–4. Per size: HTTP load against the platform and its ceiling, then the search timing in this process.
    for (const size of SIZES) {
      const { target, build } = builds.get(size)!;
      log(`\n${int(size)} solutions — HTTP (load average ${load()})`);
      const http = await measureHttp(target, pages);
      log(`${int(size)} solutions — search in process (load average ${load()})`);
      const queries = await measureSearch(target);
      const result: SizeResult = {
        size, build, serverStartMs: http.serverStartMs, pages: http.pages, hello: http.hello, queries,
        rankedMedianMs: median(queries.map((q) => q.rankedMs)), fullMedianMs: median(queries.map((q) => q.fullMs)),
      };
      log(`  median ranked search ${ms(result.rankedMedianMs)} ms, full searchCatalogue ${ms(result.fullMedianMs)} ms`);
      sizes.push(result);
    }

    // 5. Report.
    const checks = verdicts(sizes);
    report(sizes, checks);
    const file = join(runDir, 'bench-results.json');
    writeFileSync(file, JSON.stringify({
      startedAt, finishedAt: new Date(), node: process.version, cores: cpus().length, loadAverageAtEnd: loadavg(),
      database: PG_URL ? 'postgres' : 'sqlite',
      settings: { seconds: SECONDS, warmup: WARMUP, connections: CONNECTIONS, searchRuns: SEARCH_RUNS, fullRuns: FULL_RUNS, sizes: SIZES, searchPageQuery: SEARCH_PAGE_QUERY },
      import: base, pages, sizes, targets: checks,
    }, null, 2));
    log(`\nResults as JSON: ${file}`);
  } finally {
    if (KEEP) {
      log(`Catalogues kept (BENCH_KEEP=1): ${targets.map((t) => t.databaseUrl ?? t.dataDir).join(', ')}`);
    } else {
      for (const dir of [join(runDir, 'base'), ...targets.map((t) => t.dataDir)]) rmSync(dir, { recursive: true, force: true });
      await scratch?.dropAll();
    }
  }
}

try {
  await main();
} catch (err) {
  console.error(`\nThe benchmark could not run: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
}
