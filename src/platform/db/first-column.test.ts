import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { backend, createTestDatabase } from '../../../test/support/harness.js';
import { firstColumn, openDatabase, type DatabaseHandle } from './database.js';

describe(`the first column of a query's rows (${backend})`, () => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  before(async () => {
    const made = await createTestDatabase();
    drop = made.drop;
    database = openDatabase({ databaseUrl: made.url, dataDir: made.dataDir });
    await sql`create table numbers (n integer not null)`.execute(database.db);
    await sql`insert into numbers (n) values (3), (1), (2)`.execute(database.db);
  });
  after(async () => {
    await database.close();
    await drop();
  });

  it('reads the values of every row, in order', async () => {
    assert.deepEqual(await firstColumn<number>(database.db, sql`select n from numbers order by n`), [1, 2, 3]);
    assert.deepEqual(await firstColumn<number>(database.db, sql`select n from numbers where n > ${5}`), []);
  });

  it('never reads what another request\'s open transaction has written and then rolled back', async () => {
    let read: Promise<number[]> | undefined;
    await assert.rejects(database.db.transaction().execute(async (trx) => {
      await sql`insert into numbers (n) values (99)`.execute(trx);
      read = firstColumn<number>(database.db, sql`select n from numbers order by n`);
      // Give the read every chance to run before the transaction ends.
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('rolled back');
    }), /rolled back/);
    assert.deepEqual(await read, [1, 2, 3]);
  });
});
