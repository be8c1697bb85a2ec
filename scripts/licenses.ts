// The licences of the third-party packages the platform runs with (production dependencies, direct and indirect):
// npm run licenses writes THIRD-PARTY-LICENSES.md. The licence data comes from license-checker-rseidelsohn, which
// reads each installed package's package.json and licence file.
import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, type ModuleInfos } from 'license-checker-rseidelsohn';
import { projectRoot } from '../src/platform/config.js';

/**
 * Licences whose code may be combined with and distributed under the EUPL-1.2 (permissive licences, and the
 * MPL-2.0, which the EUPL names as compatible). Anything else needs a look by a person before it is added.
 */
export const ALLOWED_LICENCES = [
  'MIT', 'MIT-0', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', '0BSD', 'BlueOak-1.0.0', 'CC0-1.0',
  'CC-BY-4.0', 'Python-2.0', 'Unlicense', 'Zlib', 'MPL-2.0', 'EUPL-1.2',
];

/** Whether an SPDX expression ("MIT", "(MIT OR GPL-3.0-or-later)", "(MIT AND Zlib)") is allowed. */
export function licenceAllowed(expression: string, allowed: readonly string[] = ALLOWED_LICENCES): boolean {
  const plain = expression.replace(/[()]/g, '').trim();
  if (/ OR /.test(plain)) return plain.split(/ OR /).some((part) => licenceAllowed(part, allowed));
  if (/ AND /.test(plain)) return plain.split(/ AND /).every((part) => licenceAllowed(part, allowed));
  return allowed.includes(plain.replace(/\*$/, ''));
}

export interface PackageLicence {
  name: string;
  version: string;
  licence: string;
  repository: string | undefined;
}

/** Every installed production dependency (not the platform itself) with its licence, sorted by name. */
export function productionLicences(root = projectRoot): Promise<PackageLicence[]> {
  return new Promise((resolvePromise, reject) => {
    init({ start: root, production: true, excludePrivatePackages: true }, (err: Error | null, packages: ModuleInfos) => {
      if (err) return reject(err);
      const list = Object.entries(packages).map(([id, info]) => {
        const at = id.lastIndexOf('@');
        return {
          name: id.slice(0, at), version: id.slice(at + 1),
          licence: Array.isArray(info.licenses) ? info.licenses.join(' OR ') : String(info.licenses ?? 'UNKNOWN'),
          repository: info.repository,
        };
      });
      resolvePromise(list.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version)));
    });
  });
}

export function licencesMarkdown(packages: PackageLicence[]): string {
  const counts = new Map<string, number>();
  for (const p of packages) counts.set(p.licence, (counts.get(p.licence) ?? 0) + 1);
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '# Third-party licences',
    '',
    'The packages the platform runs with (production dependencies, direct and indirect), with the licence each',
    'declares. Written by `npm run licenses` (license-checker-rseidelsohn); the platform itself is licensed under the',
    'EUPL-1.2 (see LICENSE). The data the platform ships (reference/, the search lexicons) have their own licences,',
    'named in README.md and in src/platform/search/lexicon/SOURCES.md.',
    '',
    `${packages.length} packages: ${[...counts].sort((a, b) => b[1] - a[1]).map(([l, n]) => `${l} ${n}`).join(', ')}.`,
    '',
    '| Package | Version | Licence | Source |',
    '| --- | --- | --- | --- |',
    ...packages.map((p) => `| ${cell(p.name)} | ${p.version} | ${cell(p.licence)} | ${p.repository ?? ''} |`),
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  const packages = await productionLicences();
  const file = resolve(projectRoot, 'THIRD-PARTY-LICENSES.md');
  writeFileSync(file, licencesMarkdown(packages));
  const refused = packages.filter((p) => !licenceAllowed(p.licence));
  console.log(`${file}: ${packages.length} packages.`);
  for (const p of refused) console.error(`Not on the list of licences compatible with the EUPL-1.2: ${p.name}@${p.version} (${p.licence})`);
  return refused.length > 0 ? 1 : 0;
}

const invokedDirectly = process.argv[1] !== undefined && existsSync(process.argv[1])
  && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) process.exitCode = await main();
