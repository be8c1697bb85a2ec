// Production build: compiles src/ to plain JavaScript in dist/ (npm run build) and copies the data files the code
// reads next to itself at run time (the search lexicons), so that `npm run start:prod` needs no compiler.
// public/ and reference/ are read from the project folder (projectRoot), from src/ and dist/ alike.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const started = Date.now();
rmSync('dist', { recursive: true, force: true });
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

/** Every file below src/ that is not TypeScript, except test fixtures and evaluation sets. */
function dataFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'fixtures' && name !== 'eval') dataFiles(path, out);
    } else if (!/\.tsx?$/.test(name)) {
      out.push(path);
    }
  }
  return out;
}
const files = dataFiles('src');
for (const file of files) cpSync(file, join('dist', relative('src', file)));
console.log(`Built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (${files.length} data files copied).`);
