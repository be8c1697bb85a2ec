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
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh platform on a fresh database, in process (requests through inject). */
export async function startTestApp(env: Record<string, string> = {}, overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    DATA_DIR: database.dataDir,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    RUN_JOBS: '0',
    BASE_URL: 'http://localhost:3000',
    RATE_LIMIT_SIGN_IN: '1000', RATE_LIMIT_JOIN: '1000', RATE_LIMIT_RESET: '1000',
    ...env,
  }, { sessionSecret: 'test-secret-'.padEnd(64, 'x'), ...overrides });
  const built = await buildApp(config);
  return {
    ...built,
    config,
    close: async () => {
      await built.app.close();
      await database.drop();
    },
  };
}
