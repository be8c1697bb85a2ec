// Runs the whole suite: type check, every test on SQLite and on PostgreSQL, then the browser tests.
// A part that cannot run (no PostgreSQL, no Chromium) fails the run; nothing is skipped.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PG_URL = process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const only = process.argv.slice(2);

function fail(message) {
  console.error(`\n✖ ${message}`);
  process.exit(1);
}

function find(dir, pattern, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, pattern, out);
    else if (pattern.test(name)) out.push(path);
  }
  return out.sort();
}

// Chromium: installed from Debian's packages when missing and we are allowed to.
if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() === 0) {
    console.log('Chromium is missing; installing it with apt-get …');
    try {
      execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
    } catch {
      fail('Chromium could not be installed (apt-get install -y chromium failed); the browser tests cannot run.');
    }
  }
  if (!existsSync(CHROMIUM)) fail(`Chromium not found at ${CHROMIUM}; install it with: apt-get install -y chromium`);
}

// PostgreSQL must answer; the suite creates and drops its own databases there.
const probe = spawnSync(process.execPath, ['--input-type=module', '-e',
  `import pg from 'pg'; const c = new pg.Client({ connectionString: ${JSON.stringify(PG_URL)}, connectionTimeoutMillis: 5000 }); await c.connect(); await c.query('select 1'); await c.end();`], { encoding: 'utf8' });
if (probe.status !== 0) fail(`PostgreSQL is not reachable at ${PG_URL}: ${probe.stderr.trim().split('\n').pop()}`);

console.log('▶ type check');
if (spawnSync('npx', ['tsc', '-p', '.'], { stdio: 'inherit' }).status !== 0) fail('type check failed');

// The production build: test/production-build.test.ts starts dist/server.js with plain node.
console.log('▶ production build (npm run build)');
if (spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0) fail('production build failed');

const unit = find('src', /\.test\.tsx?$/).concat(find('test', /\.test\.tsx?$/).filter((f) => !f.includes('browser')));
const browser = find('test/browser', /\.test\.tsx?$/);
const pick = (files) => (only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files);

const totals = { passed: 0, failed: 0 };
function run(label, files, env) {
  if (files.length === 0) return;
  console.log(`\n▶ ${label}: ${files.length} files`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
    env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  process.stdout.write(res.stdout);
  process.stderr.write(res.stderr);
  const pass = Number(/ℹ pass (\d+)/.exec(res.stdout)?.[1] ?? 0);
  const failed = Number(/ℹ fail (\d+)/.exec(res.stdout)?.[1] ?? 0) + (res.status !== 0 && !/ℹ fail [1-9]/.test(res.stdout) ? 1 : 0);
  totals.passed += pass;
  totals.failed += failed;
  console.log(`${label}: ${pass} passed, ${failed} failed`);
}

const started = Date.now();
run('SQLite', pick(unit), { TEST_DB: 'sqlite' });
run('PostgreSQL', pick(unit), { TEST_DB: 'postgres', TEST_PG_URL: PG_URL });
run('Browser (SQLite)', pick(browser), { TEST_DB: 'sqlite', CHROMIUM_PATH: CHROMIUM });
run('Browser (PostgreSQL)', pick(browser), { TEST_DB: 'postgres', TEST_PG_URL: PG_URL, CHROMIUM_PATH: CHROMIUM });
console.log(`\nWhole suite in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
