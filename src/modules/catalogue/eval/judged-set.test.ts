import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../../platform/config.js';
import { readCsv, REGISTER_FILES } from '../import.js';
import { readJudgedSet } from './judged-set.js';

describe('judged query set', () => {
  it('judges only entries that exist in the PSTW register, with as many German as English queries', () => {
    const set = readJudgedSet();
    const csv = readCsv(readFileSync(resolve(projectRoot, 'reference/registers', REGISTER_FILES.pstw), 'utf8'));
    const idColumn = csv.header.indexOf('PSTW ID');
    const known = new Set(csv.records.map((r) => r.fields[idColumn].trim()));
    const unknown = set.queries.flatMap((q) => Object.keys(q.judgments).filter((id) => !known.has(id)).map((id) => `${q.id}: ${id}`));
    assert.deepEqual(unknown, []);
    const german = set.queries.filter((q) => q.language === 'de').length;
    assert.ok(german >= 22);
    assert.equal(set.queries.length - german, german);
  });

  it('a slip in the file is reported with the query it belongs to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kic-judged-'));
    try {
      const file = join(dir, 'judgments.json');
      const query = { id: 'en-99', language: 'en', area: 'Abfall', query: 'waste', need: 'Waste collection.', judgments: { 'PSTW-1': 3 } };
      writeFileSync(file, JSON.stringify({ queries: [query] }));
      assert.throws(() => readJudgedSet(file), /en-99 grades PSTW-1 with 3/);
      writeFileSync(file, JSON.stringify({ queries: [{ ...query, judgments: { 'PSTW-1': 0 } }] }));
      assert.throws(() => readJudgedSet(file), /en-99 has no entry judged relevant/);
      const german = { ...query, id: 'de-99', language: 'de', query: 'Abfall', sameNeedAs: 'en-99', judgments: { 'PSTW-1': 2 } };
      writeFileSync(file, JSON.stringify({ queries: [{ ...query, sameNeedAs: 'de-99', judgments: { 'PSTW-1': 1 } }, german] }));
      assert.throws(() => readJudgedSet(file), /en-99 and de-99 ask for the same need but are judged differently/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
