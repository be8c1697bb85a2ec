import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { projectRoot } from '../src/platform/config.js';
import { backend } from './support/harness.js';
import { licenceAllowed, productionLicences } from '../scripts/licenses.js';

// ajv-formats is CommonJS with a default export; under ESM the function sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const read = (file: string) => readFileSync(resolve(projectRoot, file), 'utf8');

function publiccodeValidator(): { (data: unknown): boolean; errors?: ErrorObject[] | null } {
  const ajv = addFormats(new Ajv({ allErrors: true }));
  return ajv.compile(JSON.parse(read('test/support/publiccode.schema.json')));
}

// Files and installed packages only: the same on both databases, so checked in the SQLite run.
if (backend === 'sqlite') {
  describe('licence and public-sector metadata', () => {
    it('is published under the EUPL-1.2: the licence text, package.json and publiccode.yml say the same', () => {
      const licence = read('LICENSE');
      assert.match(licence, /^\s*EUROPEAN UNION PUBLIC LICENCE v\. 1\.2/);
      assert.match(licence, /'Compatible Licences' according to Article 5 EUPL are:/);
      assert.match(licence, /GNU Affero General Public License \(AGPL\) v\. 3/);
      assert.equal(JSON.parse(read('package.json')).license, 'EUPL-1.2');
      assert.equal(parse(read('publiccode.yml')).legal.license, 'EUPL-1.2');
    });

    it('publiccode.yml is valid by the schema, in German and English, with the version of package.json', () => {
      const validate = publiccodeValidator();
      const metadata: any = parse(read('publiccode.yml'));
      assert.ok(validate(metadata), JSON.stringify(validate.errors, null, 2));
      assert.deepEqual(Object.keys(metadata.description).sort(), ['de', 'en']);
      assert.deepEqual(metadata.localisation.availableLanguages, ['de', 'en']);
      assert.equal(metadata.softwareType, 'standalone/web');
      assert.equal(metadata.softwareVersion, JSON.parse(read('package.json')).version);
      // The schema catches what a catalogue would refuse: a short description over 150 characters, a wrong type.
      const broken: any = structuredClone(metadata);
      broken.description.de.shortDescription = 'x'.repeat(151);
      broken.softwareType = 'web';
      delete broken.legal.license;
      assert.equal(validate(broken), false);
      const paths = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
      assert.ok(paths.includes('/description/de/shortDescription maxLength'), paths.join('\n'));
      assert.ok(paths.includes('/softwareType enum'), paths.join('\n'));
      assert.ok(paths.includes('/legal required'), paths.join('\n'));
    });

    it('every production dependency has a licence compatible with the EUPL-1.2, and THIRD-PARTY-LICENSES.md lists the direct ones', async () => {
      const packages = await productionLicences();
      const direct = Object.keys(JSON.parse(read('package.json')).dependencies);
      assert.ok(packages.length > direct.length, `${packages.length} packages found`);
      const refused = packages.filter((p) => !licenceAllowed(p.licence)).map((p) => `${p.name}@${p.version}: ${p.licence}`);
      assert.deepEqual(refused, []);
      const listed = read('THIRD-PARTY-LICENSES.md');
      const missing = direct.filter((name) => !listed.includes(`| ${name} |`));
      assert.deepEqual(missing, [], 'run npm run licenses after adding a dependency');
    });

    it('reads licence expressions as SPDX means them', () => {
      assert.equal(licenceAllowed('(MIT OR GPL-3.0-or-later)'), true);
      assert.equal(licenceAllowed('(MIT AND Zlib)'), true);
      assert.equal(licenceAllowed('GPL-3.0-only'), false);
      assert.equal(licenceAllowed('(MIT AND GPL-3.0-only)'), false);
      assert.equal(licenceAllowed('UNKNOWN'), false);
    });
  });
}
