import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../src/platform/config.js';
import { createTestDatabase } from './support/harness.js';

const serverJs = resolve(projectRoot, 'dist/server.js');
const version = JSON.parse(readFileSync(resolve(projectRoot, 'package.json'), 'utf8')).version as string;

interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the compiled platform as `npm run start:prod` does (plain node, NODE_ENV=production) on a free port. */
function startCompiled(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [serverJs], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'info', RUN_JOBS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return new Promise((resolvePromise, reject) => {
    const onData = (d: Buffer) => {
      output += d;
      const port = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (port) {
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (more) => { output += more; });
        resolvePromise({ child, port: Number(port), output: () => output, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d) => { output += d; });
    exited.then(({ code }) => reject(new Error(`the compiled server exited (${code}) before listening:\n${output}`)));
  });
}

/** A request whose body arrives slowly: it is in flight while the server is told to stop. */
function slowPost(port: number, path: string, body: string, pauseMs: number, onHeadersSent: () => void): Promise<{ status: number; ms: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, ms: Date.now() - started }));
    });
    req.on('error', reject);
    req.write(body.slice(0, 5));
    req.flushHeaders();
    setTimeout(onHeadersSent, 50);
    setTimeout(() => req.end(body.slice(5)), pauseMs);
  });
}

describe('the production build (dist/, run with plain node)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  before(async () => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run npm run build (npm test builds it before the suite)`);
    database = await createTestDatabase();
  });
  after(() => database?.drop());

  it('starts, answers /healthz with its version, and on SIGTERM finishes an in-flight request, closes the database and exits with 0', async () => {
    const started = Date.now();
    const server = await startCompiled({ DATA_DIR: database.dataDir, DATABASE_URL: database.url ?? '', SESSION_SECRET: 's'.repeat(40) });
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    const startMs = Date.now() - started;
    assert.equal(health.status, 200);
    const body = await health.json() as { status: string; version: string };
    assert.equal(body.status, 'ok');
    assert.equal(body.version, version);
    // Pages render from the compiled views; the data files copied beside them (the search lexicons) are found.
    const search = await fetch(`http://127.0.0.1:${server.port}/loesungen?q=Bürgerservice`);
    assert.equal(search.status, 200);
    assert.match(await search.text(), /<html lang="de">/);

    let signalledAt = 0;
    const inFlight = slowPost(server.port, '/anmelden', 'email=a%40b.de&password=x', 600, () => {
      signalledAt = Date.now();
      server.child.kill('SIGTERM');
    });
    const answer = await inFlight;
    const { code, signal } = await server.exited;
    const shutdownMs = Date.now() - signalledAt;
    assert.ok(answer.status > 0 && answer.status < 500, `the request begun before SIGTERM got its answer (${answer.status})`);
    assert.equal(signal, null);
    assert.equal(code, 0, server.output());
    assert.match(server.output(), /"signal":"SIGTERM".*shutting down/);
    if (!database.url) {
      // SQLite removes the write-ahead log when the last connection closes properly.
      assert.ok(!existsSync(join(database.dataDir, 'ki-community.sqlite-wal')), 'the database was closed');
    }
    console.log(`compiled start to first /healthz 200: ${startMs} ms; SIGTERM to exit with an in-flight request: ${shutdownMs} ms`);
  });
});
