// Measures start-up and shutdown: node scripts/startup-time.mjs [runs] — for `npm start` (what it runs after the
// dependency check: tsx src/server.ts) and `npm run start:prod`
// (dist/, run `npm run build` first), each on the default SQLite database in a temporary DATA_DIR (created on the
// first run, reused by the next). Prints milliseconds to the first 200 from /healthz and from SIGTERM to exit.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 3);
const port = 3900 + Math.floor(Math.random() * 90);

async function once(command, args, dataDir) {
  const started = Date.now();
  const child = spawn(command, args, {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', RUN_JOBS: '0', SESSION_SECRET: 's'.repeat(40) },
    stdio: 'ignore', detached: true,
  });
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  let ready = 0;
  while (!ready) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) ready = Date.now() - started;
    } catch { /* not listening yet */ }
    if (!ready) await new Promise((r) => setTimeout(r, 20));
  }
  const stopping = Date.now();
  process.kill(-child.pid, 'SIGTERM');
  const code = await exited;
  return { ready, shutdown: Date.now() - stopping, code };
}

for (const [label, command, args] of [['npm start (tsx src/server.ts)', 'node_modules/.bin/tsx', ['src/server.ts']], ['npm run start:prod', 'npm', ['run', '--silent', 'start:prod']]]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kic-start-'));
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(command, args, dataDir));
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`${label}: first 200 from /healthz after ${results.map((r) => r.ready).join(', ')} ms (first run creates and migrates the database); SIGTERM to exit ${results.map((r) => r.shutdown).join(', ')} ms; exit codes ${results.map((r) => r.code).join(', ')}`);
}
