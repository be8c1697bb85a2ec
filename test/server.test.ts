import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { completeSetup, createUser } from './support/factories.js';
import { createTestDatabase, startAppOnDatabase } from './support/harness.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** `npm start` on the given database: the server process, its output so far, and its exit. */
async function startServer(database: { url: string | undefined; dataDir: string }) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: database.dataDir, DATABASE_URL: database.url ?? '', LOG_LEVEL: 'info', SESSION_SECRET: 'test-secret-'.padEnd(64, 'x') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = { port, child, output: '', exitCode: undefined as number | null | undefined, exited: undefined as unknown as Promise<number | null> };
  child.stdout!.on('data', (d) => { server.output += d; });
  child.stderr!.on('data', (d) => { server.output += d; });
  server.exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { server.exitCode = code; resolve(code); }));
  const start = Date.now();
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    assert.ok(Date.now() - start < 30_000, `no /healthz within 30 s:\n${server.output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return server;
}

describe('the server process', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  before(async () => { database = await createTestDatabase(); });
  after(() => database.drop());

  it('starts, answers /healthz, finishes an in-flight request on SIGTERM and exits cleanly', async () => {
    const server = await startServer(database);
    const { port, child } = server;
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json())).status, 'ok');

    // A form whose body is still arriving when the signal comes must still be answered. The setup form is open
    // before setup, so its body is read (a refused request would be answered before its body); without a form
    // token it is then refused with 403. The connection is kept alive, as a proxy keeps it: the stopping server
    // closes it after the answer instead of waiting for the proxy until its grace period ends.
    const body = 'name=' + 'x'.repeat(2000);
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let answer = '';
    socket.on('data', (d) => { answer += d; });
    socket.write(`POST /einrichtung HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`);
    socket.write(body.slice(0, 1000));
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.write(body.slice(1000));
    await new Promise((r) => socket.once('close', r));
    assert.match(answer, /^HTTP\/1\.1 403/, `in-flight request was not answered:\n${answer}`);
    assert.match(answer, /Formular/);
    assert.match(answer, /^connection: close\r$/im, 'the answer of a stopping server closes the connection');

    assert.equal(await server.exited, 0, server.output);
    assert.match(server.output, /shutting down/);
    assert.doesNotMatch(server.output, /killed by timeout/, 'the stop waited for its grace period');
  });
});

describe('the server process under hostile requests', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: Awaited<ReturnType<typeof startServer>>;
  let user: { email: string; password: string };
  before(async () => {
    database = await createTestDatabase();
    const seeding = await startAppOnDatabase({ config: { databaseUrl: database.url, dataDir: database.dataDir } as never });
    await completeSetup(seeding.database.db);
    user = await createUser(seeding.database.db);
    await seeding.close();
    server = await startServer(database);
  });
  after(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await database.drop();
  });

  it('keeps serving after sign-ins whose return address a header cannot carry', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    for (const weiter of ['/%01x', '/%E3%80%82', '/loesungen/%E3%80%82', '/%0d%0aSet-Cookie:%20x=1', '/%7F']) {
      const page = await fetch(`${base}/anmelden?weiter=${weiter}`);
      assert.equal(page.status, 200, weiter);
      const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      const res = await fetch(`${base}/anmelden`, {
        method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(5000),
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `email=${encodeURIComponent(user.email)}&password=${encodeURIComponent(user.password)}&_csrf=${encodeURIComponent(csrf)}&weiter=${weiter}`,
      }).catch((err) => assert.fail(`${weiter}: no answer (${err}); server exit code ${server.exitCode}\n${server.output.slice(-3000)}`));
      assert.equal(res.status, 303, weiter);
      assert.match(res.headers.get('location') ?? '', /^\/[\x21-\x7e]*$/, weiter);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(server.exitCode, undefined, `${weiter}: the server stopped\n${server.output.slice(-3000)}`);
      assert.equal((await fetch(`${base}/healthz`)).status, 200, weiter);
    }
  });
});
