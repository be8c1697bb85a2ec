import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../platform/db/database.js';
import { isoIn, nowIso } from '../../platform/clock.js';
import { recordAudit } from '../../platform/audit.js';
import { isUniqueViolation } from '../../platform/errors.js';
import { importRegister, RegisterFileError, REGISTER_FILES, REGISTER_SOURCES, type RegisterSource } from '../catalogue/import.js';

/**
 * The register import started from the administration. A run is a row in register_imports: the request that starts
 * it inserts the row (only one can be running, see the migration) and the import then runs in the background of this
 * process, writing its progress after every batch, so the page that shows the run can be reloaded while it goes.
 */

/** A run whose last sign of life is older than this is taken as broken off (its process ended). */
export const STALE_MS = 10 * 60 * 1000;
/** Rows per transaction; small, so the progress moves visibly. */
const BATCH = 25;
/** Skipped rows kept per register in the result. */
const KEPT_ERRORS = 100;

export interface RegisterFile { source: RegisterSource; file: string; present: boolean; bytes: number; modified: string | null }

/** The register files in the configured folder and whether each is there. */
export function registerFiles(dir: string): RegisterFile[] {
  return REGISTER_SOURCES.map((source) => {
    const file = join(dir, REGISTER_FILES[source]);
    try {
      const s = statSync(file);
      return { source, file, present: s.isFile(), bytes: s.size, modified: s.mtime.toISOString() };
    } catch {
      return { source, file, present: false, bytes: 0, modified: null };
    }
  });
}

export interface SourceResult {
  source: RegisterSource;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: { line: number; message: string }[];
  /** Set when the file could not be imported at all. */
  failed?: string;
}

export type ImportRun = Awaited<ReturnType<typeof listImportRuns>>[number];

export function parseResults(json: string): SourceResult[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as SourceResult[]) : [];
  } catch {
    return [];
  }
}

export function parseSources(json: string): RegisterSource[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((s): s is RegisterSource => REGISTER_SOURCES.includes(s as RegisterSource)) : [];
  } catch {
    return [];
  }
}

/** Marks a run that stopped giving signs of life as failed and frees the lock, so a new run can start. */
async function releaseStaleRuns(db: Db): Promise<void> {
  await db.updateTable('register_imports')
    .set({ status: 'failed', running_lock: null, message: 'stale', finished_at: nowIso() })
    .where('status', '=', 'running').where('heartbeat_at', '<', isoIn(-STALE_MS)).execute();
}

const selectRun = (db: Db) => db.selectFrom('register_imports')
  .leftJoin('users', 'users.id', 'register_imports.started_by')
  .select([
    'register_imports.id', 'register_imports.sources', 'register_imports.status', 'register_imports.current_source',
    'register_imports.sources_done', 'register_imports.rows_done', 'register_imports.rows_total', 'register_imports.created',
    'register_imports.updated', 'register_imports.unchanged', 'register_imports.skipped', 'register_imports.results',
    'register_imports.message', 'register_imports.started_at', 'register_imports.finished_at', 'users.name as started_by_name',
  ]);

export async function listImportRuns(db: Db, limit = 50) {
  await releaseStaleRuns(db);
  return selectRun(db).orderBy('register_imports.id', 'desc').limit(limit).execute();
}

export async function findImportRun(db: Db, id: number) {
  await releaseStaleRuns(db);
  return selectRun(db).where('register_imports.id', '=', id).executeTakeFirst();
}

/** Imports running in this process; awaited before the platform closes. */
const running = new Set<Promise<void>>();

export function runningImports(): Promise<void[]> {
  return Promise.all([...running]);
}

/**
 * Starts a run over the given registers. Returns its id, or 'busy' when a run is already going (on any instance).
 * The run itself goes on in the background; `done` resolves when it has ended (for tests and for closing).
 */
export async function startRegisterImport(db: Db, dir: string, sources: RegisterSource[], actorId: number): Promise<{ id: number; done: Promise<void> } | 'busy'> {
  await releaseStaleRuns(db);
  const now = nowIso();
  let id: number;
  try {
    const row = await db.insertInto('register_imports').values({
      sources: JSON.stringify(sources), status: 'running', running_lock: 'running', current_source: sources[0] ?? null,
      started_by: actorId, started_at: now, heartbeat_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    id = row.id;
  } catch (err) {
    if (isUniqueViolation(err)) return 'busy';
    throw err;
  }
  const done = runImport(db, id, dir, sources, actorId).finally(() => running.delete(done));
  running.add(done);
  return { id, done };
}

async function runImport(db: Db, id: number, dir: string, sources: RegisterSource[], actorId: number): Promise<void> {
  const results: SourceResult[] = [];
  const totals = { created: 0, updated: 0, unchanged: 0, skipped: 0 };
  try {
    for (const [index, source] of sources.entries()) {
      await db.updateTable('register_imports').set({ current_source: source, rows_done: 0, rows_total: 0, heartbeat_at: nowIso() })
        .where('id', '=', id).execute();
      try {
        let progress = { done: 0, total: 0 };
        const r = await importRegister(db, source, join(dir, REGISTER_FILES[source]), {
          batchSize: BATCH,
          onProgress: (done, total) => { progress = { done, total }; },
          // After each batch: the progress is written, and the requests that waited meanwhile are answered.
          betweenBatches: async () => {
            await db.updateTable('register_imports').set({ rows_done: progress.done, rows_total: progress.total, heartbeat_at: nowIso() })
              .where('id', '=', id).execute();
            await new Promise((resolve) => setImmediate(resolve));
          },
        });
        results.push({ source, rows: r.rows, created: r.created, updated: r.updated, unchanged: r.unchanged, skipped: r.skipped, errors: r.errors.slice(0, KEPT_ERRORS) });
        totals.created += r.created;
        totals.updated += r.updated;
        totals.unchanged += r.unchanged;
        totals.skipped += r.skipped;
      } catch (err) {
        if (!(err instanceof RegisterFileError)) throw err;
        results.push({ source, rows: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, errors: [], failed: err.message });
      }
      await db.updateTable('register_imports').set({ ...totals, sources_done: index + 1, results: JSON.stringify(results), heartbeat_at: nowIso() })
        .where('id', '=', id).execute();
    }
    const failed = results.length > 0 && results.every((r) => r.failed);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('register_imports').set({
        ...totals, status: failed ? 'failed' : 'done', running_lock: null, current_source: null, results: JSON.stringify(results),
        message: failed ? 'files' : null, finished_at: nowIso(),
      }).where('id', '=', id).execute();
      await recordAudit(trx, { actorId, action: 'registers.imported', targetType: 'register_import', targetId: id, details: { sources, ...totals } });
    });
  } catch (err) {
    await db.updateTable('register_imports').set({
      status: 'failed', running_lock: null, results: JSON.stringify(results), message: String((err as Error).message).slice(0, 500), finished_at: nowIso(),
    }).where('id', '=', id).execute().catch(() => undefined);
  }
}
