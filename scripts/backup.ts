// A consistent copy of the database while the platform runs: npm run backup [-- <file>]
// SQLite: a copy of the database file, by default DATA_DIR/backups/ki-community-<timestamp>.sqlite.
// PostgreSQL (DATABASE_URL set): pg_dump in its custom format, by default DATA_DIR/backups/ki-community-<timestamp>.dump.
// Uploaded files (meeting materials) are stored in the database, so both kinds of backup include them.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { loadConfig, type Config } from '../src/platform/config.js';
import { sqliteFile } from '../src/platform/db/database.js';

/** The backup cannot be made this way (PostgreSQL); the message says what to do instead. */
export class BackupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefused';
  }
}

export const PG_DUMP_ADVICE =
  'DATABASE_URL is set, so the platform keeps its data in PostgreSQL, and pg_dump was not found. Install the PostgreSQL ' +
  'client programs of the server\'s major version (Debian: apt-get install postgresql-client) or run pg_dump elsewhere: ' +
  'pg_dump --format=custom --file=ki-community.dump "$DATABASE_URL"';

/** DATA_DIR/backups/ki-community-2026-11-27T12-05-00Z.sqlite (.dump for PostgreSQL): sortable, no characters file systems dislike. */
export function defaultBackupFile(config: Pick<Config, 'dataDir'>, now = new Date(), extension = 'sqlite'): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return resolve(config.dataDir, 'backups', `ki-community-${stamp}.${extension}`);
}

/** Runs a PostgreSQL client program; resolves with its exit code and what it wrote to stderr. */
export function runPgTool(program: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new BackupRefused(PG_DUMP_ADVICE.replace('pg_dump was', `${program} was`)) : err));
    child.on('exit', (code) => resolvePromise({ code, stderr }));
  });
}

/**
 * Dumps the PostgreSQL database with pg_dump in its custom format (compressed; pg_restore can restore it, also
 * table by table). pg_dump reads one consistent snapshot, so the platform may keep running and writing.
 */
async function dumpPostgres(databaseUrl: string, destination: string | undefined, config: Pick<Config, 'dataDir'>): Promise<{ file: string; bytes: number }> {
  const file = resolve(destination ?? defaultBackupFile(config, new Date(), 'dump'));
  if (existsSync(file)) throw new Error(`${file} already exists; choose another file so no earlier backup is overwritten.`);
  mkdirSync(dirname(file), { recursive: true });
  const { code, stderr } = await runPgTool('pg_dump', ['--format=custom', `--file=${file}`, `--dbname=${databaseUrl}`]);
  if (code !== 0) {
    rmSync(file, { force: true });
    throw new Error(`pg_dump failed (exit code ${code}): ${stderr.trim().split('\n').pop()}`);
  }
  return { file, bytes: statSync(file).size };
}

/** A backup of the platform's database, of either kind; pages for SQLite, bytes of the dump for PostgreSQL. */
export async function backup(config: Pick<Config, 'databaseUrl' | 'dataDir'>, destination?: string): Promise<{ file: string; pages?: number; bytes?: number }> {
  if (config.databaseUrl) return dumpPostgres(config.databaseUrl, destination, config);
  return backupDatabase(config, destination);
}

/**
 * Copies the live SQLite database with SQLite's online backup API. The copy is a complete database file
 * (no -wal file needed) and consistent even while the platform writes: a write during the copy makes SQLite
 * start the copy again, so the remaining pages are copied in one step to finish quickly.
 */
export async function backupDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, destination?: string): Promise<{ file: string; pages: number }> {
  if (config.databaseUrl) throw new BackupRefused('DATABASE_URL is set: the platform keeps its data in PostgreSQL; use backup() (pg_dump).');
  const source = sqliteFile(config);
  if (!existsSync(source)) throw new Error(`There is no database at ${source}; check DATA_DIR.`);
  const file = resolve(destination ?? defaultBackupFile(config));
  if (file === resolve(source)) throw new Error('The backup cannot overwrite the database itself; choose another file.');
  if (existsSync(file)) throw new Error(`${file} already exists; choose another file so no earlier backup is overwritten.`);
  mkdirSync(dirname(file), { recursive: true });

  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const { totalPages } = await db.backup(file, { progress: () => 0x7fffffff });
    return { file, pages: totalPages };
  } finally {
    db.close();
  }
}

async function main(): Promise<number> {
  await import('dotenv/config');
  // The backup needs no session secret; passing one keeps loadConfig from creating the secret file.
  const config = loadConfig(process.env, { sessionSecret: 'not-used-by-the-backup-script' });
  try {
    const { file, pages, bytes } = await backup(config, process.argv[2]);
    console.log(`Backup written to ${file} (${pages !== undefined ? `${pages} pages` : `${bytes} bytes`}).`);
    return 0;
  } catch (err) {
    console.error(err instanceof BackupRefused ? err.message : `Backup failed: ${(err as Error).message}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && existsSync(process.argv[1])
  && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) process.exitCode = await main();
