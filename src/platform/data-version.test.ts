import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { backend, startAppOnDatabase, startTestApp, type TestApp } from '../../test/support/harness.js';
import { createUser } from '../../test/support/factories.js';
import { dataVersion, forgetDataVersion } from './data-version.js';

async function fresh(db: TestApp["database"]["db"]): Promise<string> {
  forgetDataVersion(db);
  return dataVersion(db);
}

describe(`data version (${backend})`, () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  test('every insert, update and delete of a watched table raises it; other tables do not', async () => {
    const v0 = await fresh(t.database.db);
    const user = await createUser(t.database.db);
    const v1 = await fresh(t.database.db);
    assert.notEqual(v1, v0, 'a new member changes the version');
    await t.database.db.updateTable('users').set({ name: 'Neu' }).where('id', '=', user.id).execute();
    const v2 = await fresh(t.database.db);
    assert.notEqual(v2, v1, 'an update changes the version');
    await t.database.db.insertInto('settings').values({ key: 'unrelated', value: 'x' }).execute();
    assert.equal(await fresh(t.database.db), v2, 'a table outside the figures leaves it alone');
  });

  test('a rolled-back transaction leaves it alone', async () => {
    const before = await fresh(t.database.db);
    await assert.rejects(t.database.db.transaction().execute(async (trx) => {
      await trx.updateTable('organisations').set({ population: 1 }).where('name', '=', 'Arnsberg').execute();
      throw new Error('abort');
    }));
    assert.equal(await fresh(t.database.db), before);
  });

  test('a change committed through another instance is seen after the remembered value is forgotten', async () => {
    const second = await startAppOnDatabase(t);
    try {
      const seen = await dataVersion(t.database.db);
      await second.database.db.updateTable('organisations').set({ population: 2 }).where('name', '=', 'Brilon').execute();
      assert.notEqual(await fresh(t.database.db), seen);
    } finally {
      await second.close();
    }
  });

  test('two writers that lock a row in opposite order to their writes do not deadlock on the counter', { skip: backend !== 'postgres' && 'SQLite has one writer at a time' }, async () => {
    const db = t.database.db;
    await db.insertInto('settings').values({ key: 'lock-probe', value: '0' }).execute();
    const start = Number(await fresh(db));
    let aLocked!: () => void; let bWrote!: () => void;
    const aLockedP = new Promise<void>((r) => (aLocked = r));
    const bWroteP = new Promise<void>((r) => (bWrote = r));
    const lockProbe = (trx: typeof db) => sql`select value from settings where key = 'lock-probe' for update`.execute(trx);
    // A holds the probe row and writes a watched table later; B writes a watched table first and then
    // waits for the probe row. Were the counter row taken at the write, each would wait for the other.
    const a = db.transaction().execute(async (trx) => {
      await lockProbe(trx);
      aLocked();
      await bWroteP;
      await new Promise((r) => setTimeout(r, 200));
      await trx.updateTable('organisations').set({ population: 11 }).where('name', '=', 'Olpe').execute();
    });
    const b = db.transaction().execute(async (trx) => {
      await aLockedP;
      await trx.updateTable('organisations').set({ population: 12 }).where('name', '=', 'Siegen').execute();
      bWrote();
      await lockProbe(trx);
    });
    await Promise.all([a, b]);
    assert.equal(Number(await fresh(db)), start + 2);
  });
});
