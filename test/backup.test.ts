import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { migrations } from '../src/migrations/index.js';
import { projectRoot } from '../src/platform/config.js';
import { BackupRefused, backupDatabase, defaultBackupFile } from '../scripts/backup.js';
import { backend, startTestApp, type TestApp } from './support/harness.js';
import { completeSetup, createUser } from './support/factories.js';

/** Runs `npm run backup -- …args` as an operator would; resolves with exit code and output. */
function runBackupScript(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'backup', '--', ...args], {
      cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Keeps writing to the platform's database (new members, audit entries) until stopped. */
function startWriter(t: TestApp) {
  let stopped = false;
  let writes = 0;
  const done = (async () => {
    while (!stopped) {
      await createUser(t.database.db, { name: `Schreiber ${writes}` });
      await t.database.db.insertInto('audit_log').values({
        actor_id: null, action: 'test.write', target_type: 'test', target_id: String(writes), details: JSON.stringify({ filler: 'x'.repeat(2000) }), created_at: new Date().toISOString(),
      }).execute();
      writes++;
      // Let timers and the backup's steps run between writes, as requests would.
      await new Promise((r) => setImmediate(r));
    }
  })();
  return {
    get writes() { return writes; },
    async stop() { stopped = true; await done; return writes; },
  };
}

/** Opens a backup file on its own and checks it is a sound, complete database. */
function inspectCopy(file: string) {
  const copy = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = copy.pragma('integrity_check') as { integrity_check: string }[];
    const foreignKeys = copy.pragma('foreign_key_check') as unknown[];
    const organisations = (copy.prepare('select count(*) as n from organisations').get() as { n: number }).n;
    const districts = (copy.prepare("select count(*) as n from organisations where kind = 'kreis'").get() as { n: number }).n;
    const userIds = (copy.prepare('select id from users order by id').all() as { id: number }[]).map((r) => r.id);
    const audit = (copy.prepare("select count(*) as n from audit_log where action = 'test.write'").get() as { n: number }).n;
    const migrations = (copy.prepare('select count(*) as n from kysely_migration').get() as { n: number }).n;
    return { integrity, foreignKeys, organisations, districts, userIds, audit, migrations };
  } finally {
    copy.close();
  }
}

if (backend === 'sqlite') {
  describe('backup of the SQLite database', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp();
      await completeSetup(t.database.db);
      // Enough data that the copy takes several pages and steps.
      for (let i = 0; i < 20; i++) await createUser(t.database.db, { name: `Mitglied ${i}` });
      const filler = 'Südwestfalen '.repeat(300);
      await t.database.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 1500; i++) {
          await trx.insertInto('audit_log').values({ actor_id: null, action: 'test.filler', target_type: 'test', target_id: String(i), details: JSON.stringify({ filler }), created_at: new Date().toISOString() }).execute();
        }
      });
    });
    after(() => t.close());

    it('makes a consistent copy while the platform keeps writing', async () => {
      const usersBefore = (await t.database.db.selectFrom('users').select('id').execute()).length;
      const writer = startWriter(t);
      await new Promise((r) => setTimeout(r, 50));
      const writesAtStart = writer.writes;
      const file = join(t.config.dataDir, 'copies', 'live.sqlite');
      const result = await backupDatabase(t.config, file);
      const writesAtEnd = writer.writes;
      await new Promise((r) => setTimeout(r, 30));
      const total = await writer.stop();

      assert.equal(result.file, file);
      assert.ok(result.pages > 100, `a database of some size (${result.pages} pages)`);
      assert.ok(writesAtStart > 0 && writesAtEnd > writesAtStart && total >= writesAtEnd, `the platform wrote while the copy was made (${writesAtStart} → ${writesAtEnd})`);
      const copy = inspectCopy(file);
      assert.deepEqual(copy.integrity, [{ integrity_check: 'ok' }]);
      assert.deepEqual(copy.foreignKeys, []);
      assert.equal(copy.organisations, 66);
      assert.equal(copy.districts, 5);
      assert.equal(copy.migrations, Object.keys(migrations).length, 'the schema is complete');
      // Everything written before the backup started is in the copy; a snapshot has no gaps.
      assert.ok(copy.userIds.length >= usersBefore + writesAtStart, `users in the copy: ${copy.userIds.length}, before: ${usersBefore + writesAtStart}`);
      assert.ok(copy.userIds.length <= usersBefore + writesAtEnd + 1);
      assert.deepEqual(copy.userIds, copy.userIds.map((_, i) => copy.userIds[0] + i), 'user ids without gaps');
      // The writer adds a member, then an audit entry: a copy of one moment has both, or the member alone.
      const writerUsers = copy.userIds.length - usersBefore;
      assert.ok(copy.audit === writerUsers || copy.audit === writerUsers - 1, `members ${writerUsers}, audit entries ${copy.audit}`);
    });

    it('writes to DATA_DIR/backups/ki-community-<timestamp>.sqlite by default and never overwrites a backup', async () => {
      assert.equal(defaultBackupFile({ dataDir: '/srv/kic' }, new Date('2026-11-27T12:05:09.123Z')), '/srv/kic/backups/ki-community-2026-11-27T12-05-09Z.sqlite');
      const { file } = await backupDatabase(t.config);
      assert.equal(join(t.config.dataDir, 'backups'), file.slice(0, file.lastIndexOf('/')));
      assert.match(file.slice(file.lastIndexOf('/') + 1), /^ki-community-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.sqlite$/);
      assert.deepEqual(inspectCopy(file).integrity, [{ integrity_check: 'ok' }]);
      await assert.rejects(backupDatabase(t.config, file), /already exists/);
    });

    it('runs as `npm run backup -- <file>` from another process while the platform writes', async () => {
      const writer = startWriter(t);
      const file = join(t.config.dataDir, 'npm-backup.sqlite');
      const run = await runBackupScript({ DATA_DIR: t.config.dataDir, DATABASE_URL: '', SESSION_SECRET: '' }, [file]);
      const total = await writer.stop();
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Backup written to .*npm-backup\.sqlite/);
      assert.ok(total > 0);
      const copy = inspectCopy(file);
      assert.deepEqual(copy.integrity, [{ integrity_check: 'ok' }]);
      assert.equal(copy.organisations, 66);
      assert.ok(copy.userIds.length > 20);
      assert.ok(!existsSync(join(t.config.dataDir, 'session-secret')), 'the backup creates no session secret');
    });

    it('tells the operator when there is no database to copy, and creates none', async () => {
      const empty = join(t.config.dataDir, 'leer');
      await assert.rejects(backupDatabase({ databaseUrl: undefined, dataDir: empty }), /no database at .*ki-community\.sqlite; check DATA_DIR/i);
      assert.ok(!existsSync(join(empty, 'ki-community.sqlite')));
    });
  });
} else {
  describe('backup on PostgreSQL', () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(); });
    after(() => t.close());

    it('the SQLite copy refuses on PostgreSQL and points to pg_dump', async () => {
      await assert.rejects(backupDatabase(t.config), (err: Error) => {
        assert.ok(err instanceof BackupRefused);
        assert.match(err.message, /pg_dump/);
        assert.match(err.message, /PostgreSQL/);
        return true;
      });
      assert.ok(!existsSync(join(t.config.dataDir, 'backups')) || readdirSync(join(t.config.dataDir, 'backups')).length === 0);
    });

    it('runs pg_dump when run as `npm run backup`, writing a custom-format dump', async () => {
      const file = join(t.config.dataDir, 'sicherung.dump');
      const run = await runBackupScript({ DATA_DIR: t.config.dataDir, DATABASE_URL: t.config.databaseUrl ?? '' }, [file]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Backup written to .*sicherung\.dump \(\d+ bytes\)/);
      // pg_dump's custom format starts with "PGDMP".
      assert.equal(readFileSync(file).subarray(0, 5).toString(), 'PGDMP');
      const again = await runBackupScript({ DATA_DIR: t.config.dataDir, DATABASE_URL: t.config.databaseUrl ?? '' }, [file]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /already exists/);
    });
  });
}
