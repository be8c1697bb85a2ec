// A consistent copy of the SQLite database while the platform runs: npm run backup [-- <file>]
// Without an argument the copy goes to DATA_DIR/backups/ki-community-<timestamp>.sqlite.
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
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
  'DATABASE_URL is set, so the platform keeps its data in PostgreSQL. This script only copies the SQLite database; ' +
  'back up PostgreSQL with pg_dump, for example: pg_dump --format=custom --file=ki-community.dump "$DATABASE_URL"';

/** DATA_DIR/backups/ki-community-2026-11-27T12-05-00Z.sqlite: sortable, no characters file systems dislike. */
export function defaultBackupFile(config: Pick<Config, 'dataDir'>, now = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return resolve(config.dataDir, 'backups', `ki-community-${stamp}.sqlite`);
}

/**
 * Copies the live SQLite database with SQLite's online backup API. The copy is a complete database file
 * (no -wal file needed) and consistent even while the platform writes: a write during the copy makes SQLite
 * start the copy again, so the remaining pages are copied in one step to finish quickly.
 */
export async function backupDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, destination?: string): Promise<{ file: string; pages: number }> {
  if (config.databaseUrl) throw new BackupRefused(PG_DUMP_ADVICE);
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
    const { file, pages } = await backupDatabase(config, process.argv[2]);
    console.log(`Backup written to ${file} (${pages} pages).`);
    return 0;
  } catch (err) {
    console.error(err instanceof BackupRefused ? err.message : `Backup failed: ${(err as Error).message}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && existsSync(process.argv[1])
  && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) process.exitCode = await main();
