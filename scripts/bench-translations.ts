// Measures what loading the search translations costs: npx tsx scripts/bench-translations.ts
// Each case runs in a fresh process (the data are cached per process): time (wall and CPU) and memory added by
// the first call, then the time of a call once everything needed is loaded.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stem } from '../src/platform/search/analyser.js';
import { guessQueryLanguage, loadTranslations, translateQuery } from '../src/platform/search/translations.js';

const CASES: Record<string, () => void> = {
  'first German query': () => translateQuery(['Schlaglöcher', 'erkennen'], 'de'),
  'first English query': () => translateQuery(['pothole', 'detection'], 'en'),
  'language guess, then German query': () => {
    guessQueryLanguage(['Schlaglöcher', 'erkennen']);
    translateQuery(['Schlaglöcher', 'erkennen'], 'de');
  },
  'loadTranslations() (everything)': () => loadTranslations(),
};

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function measure(name: string): void {
  // The analyser's stemmers are loaded by the app anyway; only the translations' own cost is measured.
  stem('start', 'de');
  stem('start', 'en');
  stem('start', 'nl');
  const m0 = process.memoryUsage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  CASES[name]();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const m1 = process.memoryUsage();
  const t1 = performance.now();
  for (let i = 0; i < 200; i++) CASES[name]();
  const again = (performance.now() - t1) / 200;
  console.log(
    `${name.padEnd(36)} ${wall.toFixed(0).padStart(5)} ms wall ${((cpu.user + cpu.system) / 1000).toFixed(0).padStart(5)} ms CPU` +
      `  +${mib(m1.rss - m0.rss)} process, +${mib(m1.arrayBuffers - m0.arrayBuffers)} unpacked data` +
      `  then ${again.toFixed(2)} ms a call`,
  );
}

const only = process.argv[2];
if (only) measure(only);
else {
  for (const name of Object.keys(CASES)) {
    spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], { stdio: 'inherit' });
  }
}
