import { sql, type ColumnDefinitionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';

/** The few places where SQLite and PostgreSQL differ; everything else is plain Kysely. */
export type DialectName = 'sqlite' | 'postgres';

export function dialectOf(db: Kysely<any>): DialectName {
  const adapter = db.getExecutor().adapter.constructor.name;
  return adapter.startsWith('Postgres') ? 'postgres' : 'sqlite';
}

/** An auto-numbered primary key column. */
export function idColumnType(dialect: DialectName) {
  return dialect === 'postgres' ? sql`serial` : sql`integer`;
}

export function idColumn(dialect: DialectName) {
  return (col: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement();
}

/** A floating-point column (coordinates). */
export function floatType(dialect: DialectName) {
  return dialect === 'postgres' ? sql`double precision` : sql`real`;
}

/** A 64-bit integer column that both drivers hand back as a JavaScript number. */
export function bigIntType(dialect: DialectName) {
  return dialect === 'postgres' ? sql`bigint` : sql`integer`;
}

/** Byte-wise text ordering on both databases (PostgreSQL would otherwise use the locale's collation). */
export function binaryOrder(dialect: DialectName, column: string) {
  return dialect === 'postgres' ? sql`${sql.ref(column)} collate "C"` : sql`${sql.ref(column)}`;
}

/**
 * Locks the selected rows until the transaction ends, so that concurrent transactions on other
 * instances wait (PostgreSQL). SQLite needs no row lock: it lets one transaction write at a time.
 */
export function forUpdate<Q extends SelectQueryBuilder<any, any, any>>(db: Kysely<any>, query: Q): Q {
  return dialectOf(db) === 'postgres' ? (query.forUpdate() as Q) : query;
}

/** A column of raw bytes (uploaded files); both drivers hand it back as a Buffer. */
export function blobType(dialect: DialectName) {
  return dialect === 'postgres' ? sql`bytea` : sql`blob`;
}
