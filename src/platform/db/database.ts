import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type RawBuilder, type SqliteDatabase as SqliteDialectDatabase, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { checkPostgresUrl, DatabaseUrlError } from './connection-errors.js';
import type { DialectName } from './dialect.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

// int8 values (COUNT(*), bigint columns) arrive as strings from pg; all of ours fit a JS number.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface DatabaseHandle {
  db: Db;
  dialect: DialectName;
  /** The SQLite connection, for online backups; undefined on PostgreSQL. */
  sqlite?: SQLite.Database;
  /** The PostgreSQL connection pool, for its figures (/metrics); undefined on SQLite. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export function sqliteFile(config: Pick<Config, 'dataDir'>): string {
  return resolve(config.dataDir, 'ki-community.sqlite');
}

export function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): DatabaseHandle {
  const url = config.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    checkPostgresUrl(url);
    // A database that does not answer fails the start (or a request) after 30 s instead of waiting for ever; the
    // margin keeps requests that queue for a pooled connection under heavy load from failing.
    const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 30_000 });
    // A connection the server ends while it sits idle in the pool (database restarted) must not end the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', pool, close: () => db.destroy() };
  }
  if (url) throw new DatabaseUrlError(`DATABASE_URL must start with postgres:// (got "${url.split(':')[0]}:")`);
  const sqlite = new SQLite(sqliteFile(config));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  sqliteConnections.set(db, sqlite);
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}

const sqliteConnections = new WeakMap<Db, SQLite.Database>();

/**
 * The first column of every row of a query, as plain values. On SQLite they are read as such, without a row object
 * each (half the time for the tens of thousands of ids of a common search word), while holding the connection as any
 * query does, so no transaction of another request is open on it meanwhile.
 */
export async function firstColumn<T>(db: Db, query: RawBuilder<unknown>): Promise<T[]> {
  const compiled = query.compile(db);
  const sqlite = sqliteConnections.get(db);
  if (!sqlite) return (await db.executeQuery<Record<string, T>>(compiled)).rows.map((row) => Object.values(row)[0]);
  return db.connection().execute(async () => sqlite.prepare(compiled.sql).pluck().all(...compiled.parameters) as T[]);
}

/**
 * On SQLite, a function telling the state of the database's content: its value changes whenever anything is written,
 * by this connection (the count of rows it has changed, total_changes()) or by any other connection or process (PRAGMA
 * data_version). What was read under one value is still what the database holds while the value stays the same.
 * The function answers undefined while a transaction is open on the connection (a request between its statements):
 * its writes are not yet committed, and inside it other processes' commits would not show. Reading the value costs
 * half of the smallest look-up of a row, and needs no waiting for the connection. Undefined on PostgreSQL, whose
 * other connections' writes no such value shows.
 */
export function contentState(db: Db): (() => string | undefined) | undefined {
  const sqlite = sqliteConnections.get(db);
  if (!sqlite) return undefined;
  let read = contentStates.get(sqlite);
  if (!read) {
    const dataVersion = sqlite.prepare('pragma data_version').pluck();
    const changes = sqlite.prepare('select total_changes()').pluck();
    contentStates.set(sqlite, read = () => (sqlite.inTransaction ? undefined : `${dataVersion.get()}:${changes.get()}`));
  }
  return read;
}
const contentStates = new WeakMap<SQLite.Database, () => string | undefined>();

/** How many prepared statements an SQLite connection keeps; the platform's queries are far fewer distinct texts. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * The connection as Kysely sees it, preparing each distinct SQL text once: Kysely prepares a statement for every
 * query, and preparing costs more than running the small look-ups of a request (session, person, unread count).
 * A statement still being read by an iteration is busy; a second use of its text then gets a fresh one.
 */
export function withStatementCache(sqlite: SQLite.Database, size = STATEMENT_CACHE_SIZE): SqliteDialectDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const kept = statements.get(text);
      if (kept && !kept.busy) {
        // Most recently used last, so the least recently used is dropped first.
        statements.delete(text);
        statements.set(text, kept);
        return kept;
      }
      const statement = sqlite.prepare(text);
      if (kept) return statement;
      statements.set(text, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
