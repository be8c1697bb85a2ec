import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { projectRoot } from '../src/platform/config.js';
import { redactDatabaseUrl } from '../src/platform/db/connection-errors.js';
import { backend } from './support/harness.js';

const pgAdminUrl = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Starts the platform as `npm start` does (without the dependency check) and waits for it to end. */
function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: projectRoot, env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', SESSION_SECRET: 's'.repeat(40), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', (code) => { clearTimeout(timer); resolvePromise({ code, stdout, stderr }); });
  });
}

// DATABASE_URL is PostgreSQL's; the cases need the PostgreSQL server of the suite, so they run in its run.
if (backend === 'postgres') {
  describe('a DATABASE_URL the platform cannot use stops the start with one line and exit code 1', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kic-start-'));
    after(() => rmSync(dataDir, { recursive: true, force: true }));
    const withUrl = (url: string) => start({ DATA_DIR: dataDir, DATABASE_URL: url });

    /** One line on stderr, no stack trace, no password; nothing listens. */
    function assertOneLine(run: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) {
      assert.equal(run.code, 1, run.stderr);
      const lines = run.stderr.trim().split('\n');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], /^Start aborted: /);
      assert.match(lines[0], pattern);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
      assert.doesNotMatch(run.stderr + run.stdout, /geheim/);
      assert.doesNotMatch(run.stdout, /Server listening/);
    }

    it('an address that is not a URL', async () => {
      assertOneLine(await withUrl('postgres://kic:geheim@@db host/kic'), /DATABASE_URL is not a valid address: "postgres:\/\/kic:\*\*\*@/);
    });

    it('a host that does not exist', async () => {
      assertOneLine(await withUrl('postgres://kic:geheim@db.invalid:5432/kic'), /PostgreSQL at db\.invalid:5432 .*host name is unknown/);
    });

    it('a database server that is down (nothing listens on the port)', async () => {
      assertOneLine(await withUrl('postgres://kic:geheim@127.0.0.1:1/kic'), /PostgreSQL at 127\.0\.0\.1:1 .*connection was refused.*Is PostgreSQL running/);
    });

    it('a user the server does not know, and a database that does not exist', async () => {
      const url = new URL(pgAdminUrl);
      url.username = 'kein_solcher_nutzer';
      url.password = 'geheim';
      assertOneLine(await withUrl(url.href), /refused the sign-in: .*kein_solcher_nutzer/);
      const missing = new URL(pgAdminUrl);
      missing.pathname = '/gibt_es_nicht';
      assertOneLine(await withUrl(missing.href), /database "gibt_es_nicht" does not exist\. Create it/);
    });

    it('hides the password in every form of address', () => {
      assert.equal(redactDatabaseUrl('postgres://kic:geh@im@db:5432/kic'), 'postgres://kic:***@db:5432/kic');
      assert.equal(redactDatabaseUrl('postgres://kic:geheim@db:5432/kic'), 'postgres://kic:***@db:5432/kic');
    });
  });
}
