// The benchmark's server process (started by scripts/bench.ts with child_process.fork): the platform on one port and,
// on another, a bare Fastify "ceiling" that serves from memory the very bytes the platform answered for each page,
// plus a hello-world route. Reports both ports and the captured pages over IPC, and closes on { type: 'stop' }.
import Fastify from 'fastify';
import { buildApp } from '../../src/app.js';
import { configFor, type Target } from './catalogue.js';

export interface PageSpec {
  name: string;
  path: string;
}

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
}

export type ServerMessage =
  | { type: 'ready'; platformUrl: string; ceilingUrl: string; pages: CapturedPage[]; startMs: number }
  | { type: 'error'; message: string };

async function main() {
  const target = JSON.parse(process.env.BENCH_TARGET ?? 'null') as Target | null;
  const pages = JSON.parse(process.env.BENCH_PAGES ?? '[]') as PageSpec[];
  if (!target || !process.send) throw new Error('bench/server.ts is started by scripts/bench.ts');

  const t0 = performance.now();
  const { app } = await buildApp(configFor(target));
  const platformUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const startMs = performance.now() - t0;

  const captured: CapturedPage[] = [];
  const bodies = new Map<string, { contentType: string; body: Buffer }>();
  for (const page of pages) {
    const t1 = performance.now();
    const res = await fetch(platformUrl + page.path, { redirect: 'manual' });
    const body = Buffer.from(await res.arrayBuffer());
    const firstMs = performance.now() - t1;
    const t2 = performance.now();
    const again = Buffer.from(await (await fetch(platformUrl + page.path, { redirect: 'manual' })).arrayBuffer());
    const secondMs = performance.now() - t2;
    const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
    const ceilingPath = `/page/${page.name}`;
    bodies.set(ceilingPath, { contentType, body });
    captured.push({
      ...page, status: res.status, contentType, bytes: body.length, ceilingPath, firstMs, secondMs,
      stable: again.equals(body), setCookie: res.headers.has('set-cookie'),
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
  process.send({ type: 'ready', platformUrl, ceilingUrl, pages: captured, startMs } satisfies ServerMessage);
}

main().catch((err: Error) => {
  process.send?.({ type: 'error', message: err.stack ?? err.message } satisfies ServerMessage);
  process.exit(1);
});
