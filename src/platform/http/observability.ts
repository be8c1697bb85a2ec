import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DatabaseHandle, Db } from '../db/database.js';
import type { PageCache } from './page-cache.js';

/** An X-Request-Id from a proxy is taken over when it is short and plain (letters, digits, . _ : -); otherwise a new id is made. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Fastify's genReqId: the proxy's X-Request-Id (so its log and ours name one id), else a random UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** The figures /metrics serves, one registry per running platform. */
export interface PlatformMetrics {
  registry: Registry;
  /** Counts a run of a background job, and its failure. */
  jobRun(job: string, failed: boolean): void;
}

/**
 * Prometheus figures of one instance: requests per route pattern (not the raw address) with their duration, the
 * database pool, the outbox (mails waiting and the age of the oldest), background job runs and failures, page-cache
 * hits and misses, and Node's own process figures. Values read from elsewhere are read when Prometheus asks.
 */
export function createMetrics(app: FastifyInstance, database: DatabaseHandle, pageCache: PageCache): PlatformMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { db, pool } = database;

  const requests = new Counter({
    name: 'http_requests_total', help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const, registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds', help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const, registers: [registry],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern (/treffen/:slug), so that every meeting counts as one route; addresses no route knows are one label.
    const route = request.is404 ? 'not_found' : request.routeOptions.url ?? 'not_found';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  new Gauge({
    name: 'db_pool_connections', help: 'Database connections of this instance by state (SQLite: one connection)',
    labelNames: ['state'] as const, registers: [registry],
    collect() {
      if (pool) {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      } else {
        this.set({ state: 'total' }, 1);
      }
    },
  });

  // Read when Prometheus asks; an unreachable database leaves a figure as it was (/readyz says why).
  new Gauge({
    name: 'outbox_pending_messages', help: 'Mails in the outbox waiting to be sent', registers: [registry],
    async collect() {
      const row = await db.selectFrom('outbox').where('status', '=', 'pending')
        .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst().catch(() => undefined);
      if (row) this.set(Number(row.n));
    },
  });
  new Gauge({
    name: 'outbox_oldest_pending_age_seconds', help: 'Age of the oldest mail waiting to be sent (0 when none waits)', registers: [registry],
    async collect() {
      const row = await db.selectFrom('outbox').where('status', '=', 'pending')
        .select((eb) => eb.fn.min('created_at').as('oldest')).executeTakeFirst().catch(() => undefined);
      if (row) this.set(row.oldest ? Math.max(0, (Date.now() - Date.parse(String(row.oldest))) / 1000) : 0);
    },
  });

  const jobRuns = new Counter({ name: 'job_runs_total', help: 'Runs of background jobs, by job', labelNames: ['job'] as const, registers: [registry] });
  const jobFailures = new Counter({ name: 'job_failures_total', help: 'Failed runs of background jobs, by job', labelNames: ['job'] as const, registers: [registry] });

  new Counter({
    name: 'page_cache_hits_total', help: 'Pages for visitors without a session answered from the page cache', registers: [registry],
    collect() { this.reset(); this.inc(pageCache.hits); },
  });
  new Counter({
    name: 'page_cache_misses_total', help: 'Cacheable pages that had to be rendered', registers: [registry],
    collect() { this.reset(); this.inc(pageCache.misses); },
  });

  return {
    registry,
    jobRun(job, failed) {
      jobRuns.inc({ job });
      if (failed) jobFailures.inc({ job });
    },
  };
}

/** Compares the bearer token with METRICS_TOKEN in constant time (as hashes, so the lengths need not match). */
function bearerMatches(request: FastifyRequest, token: string): boolean {
  const header = String(request.headers.authorization ?? '');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(m[1]), digest(token));
}

/** Why the instance cannot take requests, or null when it can. */
export async function notReadyReason(db: Db, migrationNames: string[]): Promise<{ reason: string; pending?: string[] } | null> {
  let applied: string[];
  try {
    await sql`select 1`.execute(db);
    const rows = await db.selectFrom('kysely_migration' as any).select('name').execute() as { name: string }[];
    applied = rows.map((r) => r.name);
  } catch {
    return { reason: 'database unreachable' };
  }
  const done = new Set(applied);
  const pending = migrationNames.filter((name) => !done.has(name));
  if (pending.length > 0) return { reason: 'migrations pending', pending };
  const unknown = applied.filter((name) => !migrationNames.includes(name));
  // A database migrated by a newer version of the platform: this (older) instance should not serve it.
  if (unknown.length > 0) return { reason: 'database is newer than this version', pending: unknown };
  return null;
}

/**
 * /readyz: 200 when the database answers and every migration this version knows is applied, else 503 with the
 * reason as JSON (for the proxy's or orchestrator's health check). /healthz stays "alive": the process answers.
 * /metrics: the Prometheus figures, only with METRICS_TOKEN as bearer token; without the token set, or with a
 * wrong one, the address does not exist (404).
 */
export function observabilityRoutes(app: FastifyInstance, options: { db: Db; migrationNames: string[]; metrics: PlatformMetrics; metricsToken: string | undefined }) {
  const { db, migrationNames, metrics, metricsToken } = options;
  app.get('/readyz', { config: { action: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    const problem = await notReadyReason(db, migrationNames);
    reply.header('cache-control', 'no-store');
    if (problem) return reply.status(503).send({ status: 'not ready', ...problem });
    return reply.send({ status: 'ready' });
  });
  app.get('/metrics', { config: { action: 'public' }, logLevel: 'warn' }, async (request, reply) => {
    if (!metricsToken || !bearerMatches(request, metricsToken)) return reply.callNotFound();
    const body = await metrics.registry.metrics();
    return reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(body);
  });
}
