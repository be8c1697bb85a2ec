import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/platform/config.js';

/** Which database this run of the suite uses: TEST_DB=sqlite (default) or TEST_DB=postgres. */
export const backend: 'sqlite' | 'postgres' = process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

const pgAdminUrl = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestApp extends App {
  config: Config;
  close(): Promise<void>;
}

/** Creates an empty database of the chosen kind; the returned function drops it again. */
export async function createTestDatabase(): Promise<{ url: string | undefined; dataDir: string; drop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kic-test-'));
  if (backend === 'sqlite') return { url: undefined, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const name = `kic_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      // pg's Pool.end() resolves before its connections have closed; wait for them (up to 2 s), so that
      // "with (force)" does not kill a closing connection whose error would then surface as an uncaught exception.
      for (let i = 0; i < 100; i++) {
        const { rows } = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function testConfig(database: { url: string | undefined; dataDir: string }, env: Record<string, string>, overrides: Partial<Config>): Config {
  return loadConfig({
    DATA_DIR: database.dataDir,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    RUN_JOBS: '0',
    BASE_URL: 'http://localhost:3000',
    RATE_LIMIT_SIGN_IN: '1000', RATE_LIMIT_SIGN_IN_ADDRESS: '1000', RATE_LIMIT_JOIN: '1000', RATE_LIMIT_RESET: '1000',
    ...env,
  }, { sessionSecret: 'test-secret-'.padEnd(64, 'x'), ...overrides });
}

/** A fresh platform on a fresh database, in process (requests through inject). */
export async function startTestApp(env: Record<string, string> = {}, overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  let config: Config;
  let built: App;
  try {
    config = testConfig(database, env, overrides);
    built = await buildApp(config);
  } catch (err) {
    // A platform that refuses to start (a test of a start error) leaves no database behind.
    await database.drop();
    throw err;
  }
  return {
    ...built,
    config,
    close: async () => {
      await built.app.close();
      await database.drop();
    },
  };
}

/**
 * Another instance of the platform on the database of a running test app, as a second server behind
 * a load balancer would be (same DATABASE_URL on PostgreSQL, same DATA_DIR on SQLite).
 * Its close() stops only this instance; the database stays until the first app's close() drops it.
 */
export async function startAppOnDatabase(existing: Pick<TestApp, 'config'>, env: Record<string, string> = {}, overrides: Partial<Config> = {}): Promise<TestApp> {
  const config = testConfig({ url: existing.config.databaseUrl, dataDir: existing.config.dataDir }, env, overrides);
  const built = await buildApp(config);
  return { ...built, config, close: () => built.app.close() };
}
