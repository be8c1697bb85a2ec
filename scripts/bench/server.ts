// The benchmark's server process (started by scripts/bench.ts with child_process.fork): the platform on one port and,
// on another, a bare Fastify "ceiling" that serves from memory the very bytes the platform answered for each page,
// plus a hello-world route. Reports both ports and the captured pages over IPC, and closes on { type: 'stop' }.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { touchCatalogue } from '../../src/modules/catalogue/service.js';
import type { Db } from '../../src/platform/db/database.js';
import { completeSetup, organisationId, signedIn } from '../../test/support/factories.js';
import { configFor, type Target } from './catalogue.js';

/** Who asks: a visitor who is not signed in, a member of an organisation without own entries, or one with drafts and members-only entries. */
export type Asker = 'anonymous' | 'member' | 'drafts';

export interface PageSpec {
  name: string;
  path: string;
  as?: Asker;
  /** Each request asks something not asked before (a counter is appended to the path): no page cache. */
  unseen?: boolean;
}

/** The organisation of the member whose organisation has drafts and members-only entries in the catalogue. */
export const DRAFTS_ORGANISATION = 'Brilon';
/** The organisation of the member without own entries. */
export const PLAIN_ORGANISATION = 'Arnsberg';

export interface CapturedPage extends PageSpec {
  status: number;
  contentType: string;
  bytes: number;
  /** Path of the same bytes on the ceiling server. */
  ceilingPath: string;
  /** The first request: rendered from the database, as after a catalogue change (the page cache was empty). */
  firstMs: number;
  /** A second request, answered from the page cache. */
  secondMs: number;
  /** Whether the second answer had exactly the bytes of the first. */
  stable: boolean;
  setCookie: boolean;
  /** The page's size as sent to a browser that accepts brotli, and the encoding it came in. */
  compressedBytes: number;
  encoding: string;
  /** Whether the compressed answer decodes to exactly the uncompressed one (not so for a signed-in page: form tokens differ). */
  decodesSame: boolean;
}

export type ServerMessage =
  | { type: 'ready'; platformUrl: string; ceilingUrl: string; pages: CapturedPage[]; startMs: number; cookies: Record<Asker, string>; draftEntries: number }
  | { type: 'error'; message: string };

async function main() {
  const target = JSON.parse(process.env.BENCH_TARGET ?? 'null') as Target | null;
  const pages = JSON.parse(process.env.BENCH_PAGES ?? '[]') as PageSpec[];
  if (!target || !process.send) throw new Error('bench/server.ts is started by scripts/bench.ts');

  const t0 = performance.now();
  const { app, database } = await buildApp(configFor(target));
  const openedDb = database.db;
  const platformUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const startMs = performance.now() - t0;

  const db = openedDb;
  const { cookies, draftEntries, questionId } = await prepareMembers(app, db);
  const captured: CapturedPage[] = [];
  const bodies = new Map<string, { contentType: string; body: Buffer }>();
  for (const spec of pages) {
    const page = { ...spec, path: spec.path.replace('{question}', String(questionId)) };
    const headers = { cookie: cookies[page.as ?? 'anonymous'] };
    const first = page.unseen ? `${page.path}%200` : page.path;
    const t1 = performance.now();
    const res = await fetch(platformUrl + first, { redirect: 'manual', headers });
    const body = Buffer.from(await res.arrayBuffer());
    const firstMs = performance.now() - t1;
    const t2 = performance.now();
    const again = Buffer.from(await (await fetch(platformUrl + first, { redirect: 'manual', headers })).arrayBuffer());
    const secondMs = performance.now() - t2;
    // fetch would decode a compressed answer itself: node:http shows the bytes on the wire.
    const wire = await rawGet(platformUrl + first, { ...headers, 'accept-encoding': 'br, gzip' });
    const encoding = wire.encoding || 'identity';
    const decoded = encoding === 'br' ? brotliDecompressSync(wire.body) : encoding === 'gzip' ? gunzipSync(wire.body) : wire.body;
    const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
    const ceilingPath = `/page/${page.name}`;
    bodies.set(ceilingPath, { contentType, body });
    captured.push({
      ...page, status: res.status, contentType, bytes: body.length, ceilingPath, firstMs, secondMs,
      stable: again.equals(body), setCookie: res.headers.has('set-cookie'),
      compressedBytes: wire.body.length, encoding, decodesSame: decoded.equals(body),
    });
  }

  const ceiling = Fastify({ logger: false });
  for (const [path, { contentType, body }] of bodies) {
    ceiling.get(path, (_request, reply) => reply.header('content-type', contentType).send(body));
  }
  ceiling.get('/hello', (_request, reply) => reply.header('content-type', 'text/plain; charset=utf-8').send('hello world'));
  const ceilingUrl = await ceiling.listen({ host: '127.0.0.1', port: 0 });

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await ceiling.close();
    await app.close();
    process.exit(0);
  };
  process.on('message', (m: { type?: string }) => { if (m?.type === 'stop') void close(); });
  process.on('disconnect', () => void close());
  process.send({ type: 'ready', platformUrl, ceilingUrl, pages: captured, startMs, cookies, draftEntries } satisfies ServerMessage);
}

/** GET over node:http, which leaves a compressed body as it came. */
async function rawGet(url: string, headers: Record<string, string>): Promise<{ body: Buffer; encoding: string }> {
  const { get } = await import('node:http');
  return new Promise((resolvePromise, reject) => {
    get(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolvePromise({ body: Buffer.concat(parts), encoding: String(res.headers['content-encoding'] ?? '') }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * Two signed-in members (their session cookies): one of an organisation without entries of its own, one of an
 * organisation that has drafts and members-only entries (one solution in 100 each, turned into its own, postings
 * included); and a few questions, one of whose pages is measured.
 */
async function prepareMembers(app: Awaited<ReturnType<typeof buildApp>>['app'], db: Db) {
  await completeSetup(db);
  const drafts = await organisationId(db, DRAFTS_ORGANISATION);
  for (const [visibility, rest] of [['draft', 0], ['members', 1]] as const) {
    await sql`update solutions set visibility = ${visibility}, organisation_id = ${drafts} where id % 100 = ${rest}`.execute(db);
    await sql`update search_terms set visibility = ${visibility}, organisation_id = ${drafts} where solution_id % 100 = ${rest}`.execute(db);
  }
  await touchCatalogue(db);
  const draftEntries = Number((await sql<{ n: number }>`select count(*) as n from solutions where organisation_id = ${drafts} and visibility <> 'public'`.execute(db)).rows[0].n);
  const member = await signedIn(app, db, 'member', { organisation: PLAIN_ORGANISATION });
  const withDrafts = await signedIn(app, db, 'member', { organisation: DRAFTS_ORGANISATION });
  let questionId = 0;
  for (let n = 1; n <= 30; n++) {
    const res = await member.visitor.submit('/fragen/neu', {
      title: `Erfahrungen mit Chatbots im Bürgerservice, Frage ${n}`, body: 'Welche Kommune setzt einen Chatbot für Bürgeranfragen ein, und wie sind die Erfahrungen mit Datenschutz und Betrieb?',
      tags: 'chatbot', field_of_action: 'general_public_services', visibility: n % 3 ? 'public' : 'members', solutions: '',
    });
    const id = /\/fragen\/(\d+)/.exec(String(res.headers.location ?? ''))?.[1];
    if (res.statusCode !== 303 || !id) break; // the question pages then answer 404 and are left out
    questionId = Number(id);
  }
  return { cookies: { anonymous: '', member: member.visitor.cookieHeader, drafts: withDrafts.visitor.cookieHeader } as Record<Asker, string>, draftEntries, questionId };
}

main().catch((err: Error) => {
  process.send?.({ type: 'error', message: err.stack ?? err.message } satisfies ServerMessage);
  process.exit(1);
});
