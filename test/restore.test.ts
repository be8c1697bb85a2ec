import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/platform/config.js';
import { sqliteFile, type DatabaseHandle } from '../src/platform/db/database.js';
import { backup } from '../scripts/backup.js';
import { restoreDatabase } from '../scripts/restore.js';
import { backend, createTestDatabase } from './support/harness.js';
import { completeSetup } from './support/factories.js';
import { makeSolution, solutionForm } from './support/catalogue.js';
import { makeMeeting, organiser } from './support/meetings.js';

function configFor(database: { url: string | undefined; dataDir: string }): Config {
  return loadConfig({ DATA_DIR: database.dataDir, DATABASE_URL: database.url, LOG_LEVEL: 'silent', RUN_JOBS: '0', BASE_URL: 'http://localhost:3000' },
    { sessionSecret: 'restore-test-'.padEnd(64, 'x') });
}

/** A meeting with an uploaded file (its bytes live in the database) and a solution: what a restore must bring back. */
async function addContent(db: DatabaseHandle['db']) {
  await completeSetup(db);
  const by = await organiser(db);
  const meeting = await makeMeeting(db, by, { title: 'Treffen mit Material' });
  const bytes = randomBytes(300_000);
  const { id } = await db.insertInto('meeting_materials').values({
    meeting_id: meeting.id, kind: 'file', title: 'Protokoll', url: '', solution_slug: null, file_name: 'protokoll.pdf',
    content_type: 'application/pdf', size: bytes.length, content: bytes, created_by: by.id, created_at: new Date().toISOString(),
  }).returning('id').executeTakeFirstOrThrow();
  await makeSolution(db, by, solutionForm({ title: 'Vor der Sicherung angelegt' }));
  return { by, materialId: id, bytes };
}

async function snapshot(db: DatabaseHandle['db'], materialId: number) {
  const material = await db.selectFrom('meeting_materials').select(['file_name', 'content']).where('id', '=', materialId).executeTakeFirst();
  const solutions = (await db.selectFrom('solutions').select('title').orderBy('title').execute()).map((s) => s.title);
  const organisations = (await db.selectFrom('organisations').select('id').execute()).length;
  return { material, solutions, organisations };
}

describe(`restore of a backup (${backend})`, () => {
  it('brings back the data and the uploaded file as they were at the backup, and the platform starts on it', async () => {
    const source = await createTestDatabase();
    const target = backend === 'postgres' ? await createTestDatabase() : source;
    try {
      const config = configFor(source);
      let built = await buildApp(config);
      const { by, materialId, bytes } = await addContent(built.database.db);
      const before = await snapshot(built.database.db, materialId);
      assert.equal(before.material?.content?.length, bytes.length);

      // The backup is made while the platform runs (pg_dump, or SQLite's online backup).
      const file = join(source.dataDir, backend === 'postgres' ? 'sicherung.dump' : 'sicherung.sqlite');
      const made = await backup(config, file);
      assert.equal(made.file, file);

      // Afterwards the data changes: the file is removed, another solution added.
      await built.database.db.deleteFrom('meeting_materials').where('id', '=', materialId).execute();
      await makeSolution(built.database.db, by, solutionForm({ title: 'Nach der Sicherung angelegt' }));
      await built.app.close();

      // PostgreSQL: into a fresh, empty database. SQLite: over the changed database, with the platform stopped.
      const targetConfig = configFor(target);
      const result = await restoreDatabase(targetConfig, file);
      if (backend === 'sqlite') {
        assert.ok(result.previous && existsSync(result.previous), 'the replaced database is kept');
      }
      built = await buildApp(targetConfig);
      try {
        const after = await snapshot(built.database.db, materialId);
        assert.deepEqual(after.solutions, ['Vor der Sicherung angelegt']);
        assert.equal(after.organisations, before.organisations);
        assert.equal(after.material?.file_name, 'protokoll.pdf');
        assert.ok(after.material?.content && Buffer.compare(after.material.content, bytes) === 0, 'the uploaded file is back, byte for byte');
      } finally {
        await built.app.close();
      }
    } finally {
      if (target !== source) await target.drop();
      await source.drop();
    }
  });

  if (backend === 'sqlite') {
    it('refuses a file that is no backup of the platform and leaves the database as it was', async () => {
      const database = await createTestDatabase();
      try {
        const config = configFor(database);
        const built = await buildApp(config);
        await built.app.close();
        const junk = join(database.dataDir, 'kaputt.sqlite');
        writeFileSync(junk, 'kein SQLite'.repeat(100));
        await assert.rejects(restoreDatabase(config, junk), /not an SQLite database; nothing was restored/);
        await assert.rejects(restoreDatabase(config, join(database.dataDir, 'fehlt.sqlite')), /There is no backup at/);
        const again = await buildApp(config);
        assert.equal((await again.database.db.selectFrom('organisations').select('id').execute()).length, 66);
        await again.app.close();
        assert.ok(existsSync(sqliteFile(config)));
      } finally {
        await database.drop();
      }
    });
  }
});
