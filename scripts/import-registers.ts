// Imports the public registers into the solution catalogue: npm run import [-- <source> [<file>] …]
// Without arguments all three files in reference/registers/ are imported (pstw, nl, atrs). A run again updates the
// entries whose row changed and leaves the others; broken rows are listed with their line and skipped.
// Exit code 0, also with skipped rows; 1 when a file cannot be read or is not the register it should be; 2 for wrong arguments.
import { existsSync, realpathSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrations } from '../src/migrations/index.js';
import { importRegister, RegisterFileError, REGISTER_FILES, REGISTER_SOURCES, type ImportResult, type RegisterSource } from '../src/modules/catalogue/import.js';
import { loadConfig, projectRoot } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';

const USAGE = `Usage: npm run import [-- <source> [<file>] …]
  <source> is one of ${REGISTER_SOURCES.join(', ')}; without <file> the file in reference/registers/ is used.
  Without arguments all three registers are imported.`;

/** Errors listed per source at most; the rest is counted. */
const MAX_LISTED = 200;

export class UsageError extends Error {}

/**
 * "pstw a.csv nl" → [pstw, a.csv], [nl, reference/registers/nl_algoritmeregister.csv]. A file given is taken relative
 * to the directory npm was called from (INIT_CWD), since npm runs the script in the project directory.
 */
export function parseArgs(args: string[], root = projectRoot, cwd = process.env.INIT_CWD || process.cwd()): { source: RegisterSource; file: string }[] {
  if (args.length === 0) return REGISTER_SOURCES.map((source) => ({ source, file: resolve(root, 'reference/registers', REGISTER_FILES[source]) }));
  const jobs: { source: RegisterSource; file: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const source = args[i] as RegisterSource;
    if (!REGISTER_SOURCES.includes(source)) throw new UsageError(`"${args[i]}" is not a source.`);
    const next = args[i + 1];
    if (next !== undefined && !REGISTER_SOURCES.includes(next as RegisterSource)) {
      jobs.push({ source, file: resolve(cwd, next) });
      i++;
    } else {
      jobs.push({ source, file: resolve(root, 'reference/registers', REGISTER_FILES[source]) });
    }
  }
  return jobs;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function summary(r: ImportResult, ms: number): string[] {
  const lines = [
    `${r.source}: ${r.rows} rows in ${seconds(ms)} — ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped} skipped`,
  ];
  for (const e of r.errors.slice(0, MAX_LISTED)) lines.push(`  skipped line ${e.line}: ${e.message}`);
  if (r.errors.length > MAX_LISTED) lines.push(`  … and ${r.errors.length - MAX_LISTED} more skipped rows`);
  return lines;
}

async function main(args: string[]): Promise<number> {
  let jobs: { source: RegisterSource; file: string }[];
  try {
    jobs = parseArgs(args);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  await import('dotenv/config');
  // The import needs no session secret; passing one keeps loadConfig from creating the secret file.
  const config = loadConfig(process.env, { sessionSecret: 'not-used-by-the-import-script' });
  const database = openDatabase(config);
  const summaries: string[] = [];
  let failed = false;
  const started = Date.now();
  try {
    await migrateToLatest(database.db, migrations);
    console.log(`Importing into ${database.dialect === 'postgres' ? 'PostgreSQL' : `SQLite in ${config.dataDir}`}.`);
    for (const { source, file } of jobs) {
      const t0 = Date.now();
      const shown = relative(process.cwd(), file);
      console.log(`\n${source}: ${shown && !shown.startsWith('..') ? shown : file}`);
      try {
        const result = await importRegister(database.db, source, file, {
          onProgress: (done, total) => console.log(`  ${String(done).padStart(String(total).length)}/${total} rows (${Math.round((100 * done) / total)} %)`),
        });
        const lines = summary(result, Date.now() - t0);
        console.log(lines[0]);
        summaries.push(...lines);
      } catch (err) {
        if (!(err instanceof RegisterFileError)) throw err;
        failed = true;
        console.error(`  ${err.message}`);
        summaries.push(`${source}: not imported — ${err.message}`);
      }
    }
  } finally {
    await database.close();
  }
  console.log(`\nSummary (${seconds(Date.now() - started)} in all):`);
  for (const line of summaries) console.log(line);
  return failed ? 1 : 0;
}

const invokedDirectly = process.argv[1] !== undefined && existsSync(process.argv[1])
  && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
