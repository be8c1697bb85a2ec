import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase } from './support/harness.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('the server process', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  before(async () => { database = await createTestDatabase(); });
  after(() => database.drop());

  it('starts, answers /healthz, finishes an in-flight request on SIGTERM and exits cleanly', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, PORT: String(port), DATA_DIR: database.dataDir, DATABASE_URL: database.url ?? '', LOG_LEVEL: 'info', SESSION_SECRET: ''.padEnd(40, 's') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const start = Date.now();
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      assert.ok(Date.now() - start < 30_000, `no /healthz within 30 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json())).status, 'ok');

    // A form whose body is still arriving when the signal comes must still be answered. The setup form is open
    // before setup, so its body is read (a refused request would be answered before its body); without a form
    // token it is then refused with 403.
    const body = 'name=' + 'x'.repeat(2000);
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let answer = '';
    socket.on('data', (d) => { answer += d; });
    socket.write(`POST /einrichtung HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
    socket.write(body.slice(0, 1000));
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.write(body.slice(1000));
    await new Promise((r) => socket.once('close', r));
    assert.match(answer, /^HTTP\/1\.1 403/, `in-flight request was not answered:\n${answer}`);
    assert.match(answer, /Formular/);

    assert.equal(await exited, 0, output);
    assert.match(output, /shutting down/);
  });
});
