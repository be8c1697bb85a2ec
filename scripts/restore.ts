// Restores a backup made by `npm run backup`: npm run restore -- <file>
// Stop every instance of the platform first; start them again afterwards (migrations then bring an older backup
// up to the current schema).
// SQLite: the backup file replaces DATA_DIR/ki-community.sqlite; the database it replaces is kept first as
//   DATA_DIR/backups/before-restore-<timestamp>.sqlite.
// PostgreSQL (DATABASE_URL set): pg_restore --clean --if-exists --single-transaction into that database, so a
//   failed restore changes nothing.
import { copyFileSync, existsSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { loadConfig, type Config } from '../src/platform/config.js';
import { sqliteFile } from '../src/platform/db/database.js';
import { backupDatabase, defaultBackupFile, runPgTool } from './backup.js';

/** Checks that a file is a sound SQLite database of this platform (it has the migrations table). */
function checkSqliteBackup(file: string): void {
  let copy: SQLite.Database;
  try {
    copy = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new Error(`${file} cannot be opened as an SQLite database: ${(err as Error).message}`);
  }
  try {
    const integrity = copy.pragma('integrity_check') as { integrity_check: string }[];
    if (integrity[0]?.integrity_check !== 'ok') throw new Error(`${file} is damaged (integrity check: ${integrity[0]?.integrity_check}); nothing was restored.`);
    const hasMigrations = copy.prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'kysely_migration'").get() as { n: number };
    if (hasMigrations.n === 0) throw new Error(`${file} is not a backup of this platform (it has no kysely_migration table); nothing was restored.`);
  } catch (err) {
    if ((err as Error).message.includes('file is not a database')) throw new Error(`${file} is not an SQLite database; nothing was restored.`);
    throw err;
  } finally {
    copy.close();
  }
}

/**
 * Puts an SQLite backup in place of the database. The current database is first copied (with the online backup,
 * so a -wal file is included) to DATA_DIR/backups/before-restore-<timestamp>.sqlite, then the backup is copied next
 * to the database and renamed over it, so the database file is never half-written.
 */
async function restoreSqlite(config: Pick<Config, 'dataDir'>, file: string): Promise<{ database: string; previous?: string }> {
  checkSqliteBackup(file);
  const database = sqliteFile(config);
  if (existsSync(database) && realpathSync(database) === realpathSync(file)) throw new Error('The backup is the database itself; choose a backup file.');
  let previous: string | undefined;
  if (existsSync(database)) {
    previous = defaultBackupFile(config).replace(/ki-community-([^/]+)\.sqlite$/, 'before-restore-$1.sqlite');
    await backupDatabase({ databaseUrl: undefined, dataDir: config.dataDir }, previous);
  }
  const incoming = `${database}.restoring`;
  copyFileSync(file, incoming);
  for (const suffix of ['-wal', '-shm']) rmSync(database + suffix, { force: true });
  renameSync(incoming, database);
  return { database, previous };
}

/** Restores a pg_dump custom-format file into DATABASE_URL's database, replacing the platform's tables. */
async function restorePostgres(databaseUrl: string, file: string): Promise<void> {
  const { code, stderr } = await runPgTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${databaseUrl}`, file]);
  if (code !== 0) throw new Error(`pg_restore failed (exit code ${code}), nothing was changed: ${stderr.trim().split('\n').pop()}`);
}

export async function restoreDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, backupFile: string): Promise<{ database: string; previous?: string }> {
  const file = resolve(backupFile);
  if (!existsSync(file)) throw new Error(`There is no backup at ${file}.`);
  if (config.databaseUrl) {
    await restorePostgres(config.databaseUrl, file);
    return { database: 'PostgreSQL (DATABASE_URL)' };
  }
  return restoreSqlite(config, file);
}

async function main(): Promise<number> {
  await import('dotenv/config');
  const file = process.argv[2];
  if (!file) {
    console.error('Usage: npm run restore -- <backup file>   (stop the platform first)');
    return 2;
  }
  const config = loadConfig(process.env, { sessionSecret: 'not-used-by-the-restore-script' });
  try {
    const { database, previous } = await restoreDatabase(config, file);
    console.log(`Restored ${resolve(file)} into ${database}.${previous ? ` The database it replaced is kept as ${previous}.` : ''} Start the platform again.`);
    return 0;
  } catch (err) {
    console.error(`Restore failed: ${(err as Error).message}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && existsSync(process.argv[1])
  && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) process.exitCode = await main();
