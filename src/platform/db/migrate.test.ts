import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildApp, type App } from '../../app.js';
import { migrations } from '../../migrations/index.js';
import { loadConfig, projectRoot, type Config } from '../config.js';
import { backend, createTestDatabase } from '../../../test/support/harness.js';
import { openDatabase, type DatabaseHandle } from './database.js';
import { migrateToLatest } from './migrate.js';

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

function configFor(database: TestDatabase): Config {
  return loadConfig({ DATA_DIR: database.dataDir, DATABASE_URL: database.url, LOG_LEVEL: 'silent', RUN_JOBS: '0' },
    { sessionSecret: 'test-secret-'.padEnd(64, 'x') });
}

async function count(handle: DatabaseHandle, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(handle.db);
  return Number(rows[0].n);
}

async function tableNames(handle: DatabaseHandle): Promise<string[]> {
  const tables = await handle.db.introspection.getTables();
  return tables.map((t) => t.name).sort();
}

describe('migrations', () => {
  it('are named by date (YYYY-MM-DD-…), run in name order, and every migration file is registered', () => {
    const names = Object.keys(migrations);
    assert.ok(names.length > 0);
    for (const name of names) {
      assert.match(name, /^\d{4}-\d{2}-\d{2}-/, name);
      const [y, m, d] = name.slice(0, 10).split('-').map(Number);
      const date = new Date(Date.UTC(y, m - 1, d));
      assert.equal(date.toISOString().slice(0, 10), name.slice(0, 10), `${name} starts with a real date`);
      assert.equal(typeof migrations[name].up, 'function', `${name} has up()`);
    }
    assert.deepEqual([...names].sort(), names, 'listed in the order they run');
    const files = readdirSync(join(projectRoot, 'src', 'migrations'))
      .filter((f) => /\.tsx?$/.test(f) && f !== 'index.ts' && !/\.test\.tsx?$/.test(f))
      .map((f) => f.replace(/\.tsx?$/, ''));
    assert.deepEqual(files.sort(), [...names].sort(), 'every file in src/migrations is in the list, and nothing else');
  });

  describe('on a fresh database', () => {
    let database: TestDatabase;
    let handle: DatabaseHandle;
    before(async () => {
      database = await createTestDatabase();
      handle = openDatabase({ databaseUrl: database.url, dataDir: database.dataDir });
    });
    after(async () => {
      await handle.close();
      await database.drop();
    });

    it('creates the schema on the first run and does nothing on the second', async () => {
      assert.deepEqual(await migrateToLatest(handle.db, migrations), Object.keys(migrations));
      const tablesAfterFirst = await tableNames(handle);
      for (const table of ['organisations', 'users', 'join_requests', 'tokens', 'sessions', 'rate_limits', 'outbox', 'audit_log', 'legal_pages', 'settings']) {
        assert.ok(tablesAfterFirst.includes(table), `table ${table} exists`);
      }
      await handle.db.insertInto('settings').values({ key: 'probe', value: 'bleibt' }).execute();

      assert.deepEqual(await migrateToLatest(handle.db, migrations), []);
      assert.deepEqual(await tableNames(handle), tablesAfterFirst);
      assert.equal(await count(handle, 'kysely_migration'), Object.keys(migrations).length);
      const probe = await handle.db.selectFrom('settings').select('value').where('key', '=', 'probe').executeTakeFirst();
      assert.equal(probe?.value, 'bleibt', 'data survives the second run');
    });
  });

  describe('two instances starting on the same empty database', () => {
    let database: TestDatabase;
    let apps: App[] = [];
    before(async () => { database = await createTestDatabase(); });
    after(async () => {
      for (const app of apps) await app.app.close();
      await database.drop();
    });

    if (backend === 'postgres') {
      it('both come up at the same moment; the migrator lock runs every migration once (PostgreSQL)', async () => {
        const config = configFor(database);
        const results = await Promise.allSettled([buildApp(config), buildApp(config)]);
        apps = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        const errors = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason?.stack ?? r.reason)] : []));
        assert.deepEqual(errors, [], 'both instances start');
        await assertSchemaOnce(apps);
      });
    } else {
      it('the second instance starting on the database of the first migrates nothing and loads nothing twice (SQLite: one instance at a time)', async () => {
        const config = configFor(database);
        apps.push(await buildApp(config));
        apps.push(await buildApp(config));
        await assertSchemaOnce(apps);
      });
    }
  });
});

async function assertSchemaOnce(apps: App[]) {
  assert.equal(apps.length, 2);
  const [first, second] = apps;
  assert.equal(await count(first.database, 'kysely_migration'), Object.keys(migrations).length);
  const { rows } = await sql<{ name: string; n: number }>`select name, count(*) as n from kysely_migration group by name`.execute(first.database.db);
  for (const row of rows) assert.equal(Number(row.n), 1, `${row.name} recorded once`);
  // The region was loaded, by both, without duplicates.
  assert.equal(await count(first.database, 'organisations'), 66);
  for (const { app } of apps) {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
  }
  assert.equal(await count(second.database, 'organisations'), 66);
}
