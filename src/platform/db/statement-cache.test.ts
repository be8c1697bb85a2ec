import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { withStatementCache } from './database.js';

// SQLite alone: PostgreSQL's driver has no statements to keep.
describe('prepared statements kept per SQL text (SQLite)', () => {
  it('gives the same answers as preparing each time, after a streamed read, beyond its size and after a schema change', async () => {
    const sqlite = new SQLite(':memory:');
    const db = new Kysely<{ t: { n: number } }>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, 2) }) });
    await sql`create table t (n integer)`.execute(db);
    await db.insertInto('t').values([{ n: 1 }, { n: 2 }, { n: 3 }]).execute();
    const count = () => db.selectFrom('t').select((eb) => eb.fn.countAll<number>().as('c')).where('n', '>', 1).executeTakeFirstOrThrow();
    assert.equal((await count()).c, 2);
    await db.insertInto('t').values({ n: 4 }).execute();
    assert.equal((await count()).c, 3, 'a kept statement reads the current rows');

    // A streamed read left early leaves its statement usable for the next query of the same text.
    for await (const row of db.selectFrom('t').select('n').orderBy('n').stream()) {
      assert.equal(row.n, 1);
      break;
    }
    assert.deepEqual((await db.selectFrom('t').select('n').orderBy('n').execute()).map((r) => r.n), [1, 2, 3, 4]);

    // More texts than kept: the oldest is prepared again when asked for.
    for (let k = 0; k < 5; k++) assert.equal((await db.selectFrom('t').select('n').where('n', '=', k).execute()).length, k >= 1 && k <= 4 ? 1 : 0);
    await sql`alter table t add column m integer`.execute(db);
    assert.equal((await count()).c, 3, 'still right after the table changed');
    await db.destroy();
  });
});
