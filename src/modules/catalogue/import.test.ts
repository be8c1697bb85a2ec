import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup } from '../../../test/support/factories.js';
import { backend, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { projectRoot } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { SOURCE_INFO } from './fields.js';
import {
  cutAtWord, firstUrl, importRegister, mapAtrsRow, mapNlRow, mapPstwRow, pstwTechnique, readCsv, RegisterFileError, summaryOf,
  type ImportResult,
} from './import.js';
import { parseSearchParams, searchCatalogue } from './service.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The columns of a fixture row by name, as the mapping functions get them. */
function fixtureRow(name: string, index: number): Record<string, string> {
  const csv = readCsv(readFileSync(fixture(name), 'utf8'));
  return Object.fromEntries(csv.header.map((h, i) => [h, csv.records[index].fields[i]]));
}

const bySourceId = (db: Db, source: string, id: string) =>
  db.selectFrom('solutions').selectAll().where('source', '=', source).where('source_id', '=', id).executeTakeFirstOrThrow();

const count = async (db: Db, table: 'solutions' | 'solution_versions') =>
  Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

const counts = (r: ImportResult) => ({ created: r.created, updated: r.updated, unchanged: r.unchanged, skipped: r.skipped });

describe('register mapping', () => {
  it('cuts long titles at a word and marks the cut', () => {
    const row = fixtureRow('pstw_cases.csv', 4);
    assert.equal(row['Name'].trim().length, 126);
    const title = mapPstwRow(row).title;
    assert.equal(title, 'Assessment security properties of Symmetric Ciphers - Supporting assessment of security properties…');
    assert.ok(title.length <= 100);
    assert.equal(cutAtWord('one two three', 9), 'one two…');
    assert.equal(cutAtWord('one two three', 8), 'one two…');
    assert.equal(cutAtWord('abcdefghijkl', 6), 'abcde…');
    assert.equal(cutAtWord('short', 100), 'short');
  });

  it('takes the summary from the first whole sentences that fit in 350 characters', () => {
    const text = 'First sentence, e.g. with an abbreviation. ' + 'Second sentence is long. '.repeat(20);
    assert.equal(summaryOf(text), 'First sentence, e.g. with an abbreviation. ' + 'Second sentence is long. '.repeat(12).trim());
    assert.ok(summaryOf('x'.repeat(400)).length <= 350);
    assert.equal(summaryOf('  One line\nonly.  '), 'One line only.');
  });

  it('keeps the first absolute web address of a field', () => {
    assert.equal(firstUrl('https://a.example/x, https://b.example/'), 'https://a.example/x');
    assert.equal(firstUrl('https://a.example/one\nhttps://b.example/'), 'https://a.example/one');
    assert.equal(firstUrl('https://qualichain-project.eu/Proof of Concepts/x/'), 'https://qualichain-project.eu/Proof%20of%20Concepts/x/');
    assert.equal(firstUrl('/collection/public-sector-tech-watch/submit-your-case'), '');
    assert.equal(firstUrl(''), '');
  });

  it('derives the technique from the PSTW AI classification and keywords', () => {
    const row = (cls: string, keywords = '', name = 'Some system', sub = '') => ({
      'AI Classification (I)': cls, 'AI Keywords': keywords, Name: name, 'AI Classification Subdomain (II) (main)': sub,
    });
    assert.equal(pstwTechnique(row('Communication', 'chatbot')), 'generative');
    assert.equal(pstwTechnique(row('Communication', 'automatic translation')), 'machine_learning');
    assert.equal(pstwTechnique(row('Learning', '', 'PORO an LLM for Finland')), 'generative');
    assert.equal(pstwTechnique(row('Learning')), 'machine_learning');
    assert.equal(pstwTechnique(row('Perception')), 'machine_learning');
    assert.equal(pstwTechnique(row('Reasoning', '', 'x', 'Automated reasoning')), 'rule_based');
    assert.equal(pstwTechnique(row('Planning', '', 'x', 'Machine learning')), 'hybrid');
    assert.equal(pstwTechnique(row('Integration and Interaction')), null);
    assert.equal(pstwTechnique(row('')), null);
  });

  it('maps one row of each register', () => {
    const pstw = mapPstwRow(fixtureRow('pstw_cases.csv', 0));
    assert.equal(pstw.source_id, 'PSTW-1');
    assert.equal(pstw.maturity, 'retired');
    const nl = mapNlRow(fixtureRow('nl_algoritmeregister.csv', 2));
    assert.deepEqual([nl.source_id, nl.maturity, nl.legal_basis, nl.language], ['11373562', 'in_development', 'Jeugdwet', 'nl']);
    const atrs = mapAtrsRow(fixtureRow('uk_atrs_records.csv', 0));
    assert.deepEqual([atrs.source_id, atrs.source_org, atrs.maturity], ['hmrc-ask-hmrc-online', 'HMRC', 'production']);
  });

  it('numbers records by the physical line they start on, also with CR LF inside quoted fields', () => {
    const csv = readCsv('a,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n3,"p\nq\nr"\n4,s\n');
    assert.deepEqual(csv.records.map((r) => [r.line, r.fields[0]]), [[2, '1'], [5, '2'], [6, '3'], [9, '4']]);
    assert.equal(csv.records[0].fields[1], 'x\ny');
  });
});

describe('register import', () => {
  let t: TestApp;
  let db: Db;
  let tmp: string;
  before(async () => {
    t = await startTestApp();
    db = t.database.db;
    await completeSetup(db);
    tmp = mkdtempSync(join(tmpdir(), 'kic-import-test-'));
  });
  after(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await t.close();
  });

  it('imports the PSTW cases with their fields mapped onto the catalogue', async () => {
    const progress: [number, number][] = [];
    const result = await importRegister(db, 'pstw', fixture('pstw_cases.csv'), { onProgress: (done, total) => progress.push([done, total]), batchSize: 2 });
    assert.deepEqual(counts(result), { created: 5, updated: 0, unchanged: 0, skipped: 0 });
    assert.deepEqual(progress, [[2, 5], [4, 5], [5, 5]]);

    const ams = await bySourceId(db, 'pstw', 'PSTW-1');
    assert.equal(ams.title, 'AMS - public empolyment service');
    assert.equal(ams.maturity, 'retired');
    assert.equal(ams.field_of_action, 'social_protection');
    assert.equal(ams.process_type, 'public_services');
    assert.equal(ams.interaction, 'g2c');
    assert.equal(ams.technique, 'machine_learning');
    assert.equal(ams.source_org, 'Public Employment Service Austria');
    assert.equal(ams.source_country, 'Austria');
    assert.equal(ams.source_url, 'https://www.frontiersin.org/articles/10.3389/fdata.2020.00005/full');
    assert.equal(ams.licence, 'CC BY 4.0');
    assert.equal(ams.language, 'en');
    assert.equal(ams.visibility, 'public');
    assert.equal(ams.organisation_id, null);
    assert.equal(Number(ams.reuse_offered), 0);
    assert.equal(Number(ams.cooperation_wanted), 0);
    assert.equal(Number(ams.is_example), 0);
    assert.equal(ams.version, 1);
    assert.equal(ams.summary, 'As of 2020, the Public Employment Service Austria (AMS) makes use of algorithmic profiling of job seekers to increase the efficiency of its counseling process and the effectiveness of active labor market programs.');
    assert.equal(ams.description, fixtureRow('pstw_cases.csv', 0)['Description'].trim());
    assert.ok(ams.description.length > ams.summary.length);

    const mona = await bySourceId(db, 'pstw', 'PSTW-2');
    assert.deepEqual([mona.maturity, mona.technique, mona.field_of_action, mona.source_url], ['production', 'generative', 'general_public_services', 'https://chat.oesterreich.gv.at/']);
    const refugees = await bySourceId(db, 'pstw', 'PSTW-140');
    assert.deepEqual([refugees.maturity, refugees.technique, refugees.process_type, refugees.interaction], ['pilot', 'rule_based', 'analysis_monitoring', 'g2g']);
    const ciphers = await bySourceId(db, 'pstw', 'PSTW-183');
    assert.equal(ciphers.source_country, 'Germany');
    assert.ok(ciphers.title.length <= 100 && ciphers.title.endsWith('…'));

    const versions = await db.selectFrom('solution_versions').selectAll().where('solution_id', '=', ams.id).execute();
    assert.equal(versions.length, 1);
    assert.equal(versions[0].version, 1);
    assert.equal(versions[0].changed_by, null);
    assert.equal((JSON.parse(versions[0].data) as { maturity: string }).maturity, 'retired');
  });

  it('imports the Dutch Algoritmeregister entries', async () => {
    const result = await importRegister(db, 'nl', fixture('nl_algoritmeregister.csv'));
    assert.deepEqual(counts(result), { created: 6, updated: 0, unchanged: 0, skipped: 0 });
    const delft = await bySourceId(db, 'nl', '11234933');
    assert.equal(delft.title, 'Advisering datalekmelding');
    assert.equal(delft.maturity, 'production');
    assert.equal(delft.source_org, 'Gemeente Delft');
    assert.equal(delft.source_country, 'Netherlands');
    assert.equal(delft.source_url, 'https://algoritmes.overheid.nl/nl/algoritme/11234933');
    assert.match(delft.legal_basis, /^Vanuit de Algemene Verordening Persoonsgegevens/);
    assert.equal(delft.language, 'nl');
    assert.equal(delft.licence, 'CC0 1.0');
    assert.equal((await bySourceId(db, 'nl', '11373562')).maturity, 'in_development');
    assert.equal((await bySourceId(db, 'nl', '11631965')).maturity, 'retired');
    const noPurpose = await bySourceId(db, 'nl', '37454627');
    assert.deepEqual([noPurpose.summary, noPurpose.description], ['', '']);
  });

  it('imports the UK ATRS records, the id taken from the address', async () => {
    const result = await importRegister(db, 'atrs', fixture('uk_atrs_records.csv'));
    assert.deepEqual(counts(result), { created: 4, updated: 0, unchanged: 0, skipped: 0 });
    const hmrc = await bySourceId(db, 'atrs', 'hmrc-ask-hmrc-online');
    assert.equal(hmrc.title, 'Ask HMRC online');
    assert.equal(hmrc.summary, 'Digital (virtual) assistant chat (chatbot) and human HMRC adviser webchat.');
    assert.equal(hmrc.source_org, 'HMRC');
    assert.equal(hmrc.source_country, 'United Kingdom');
    assert.equal(hmrc.maturity, 'production');
    assert.equal(hmrc.licence, 'Open Government Licence v3.0');
    assert.equal(hmrc.source_url, 'https://www.gov.uk/algorithmic-transparency-records/hmrc-ask-hmrc-online');
    assert.equal((await bySourceId(db, 'atrs', 'trustid')).source_org, '');
  });

  it('running the import again creates no duplicates and reports every entry unchanged', async () => {
    const [solutions, versions] = [await count(db, 'solutions'), await count(db, 'solution_versions')];
    assert.equal(solutions, 15);
    const before = await bySourceId(db, 'pstw', 'PSTW-1');
    assert.deepEqual(counts(await importRegister(db, 'pstw', fixture('pstw_cases.csv'))), { created: 0, updated: 0, unchanged: 5, skipped: 0 });
    assert.deepEqual(counts(await importRegister(db, 'nl', fixture('nl_algoritmeregister.csv'))), { created: 0, updated: 0, unchanged: 6, skipped: 0 });
    assert.deepEqual(counts(await importRegister(db, 'atrs', fixture('uk_atrs_records.csv'))), { created: 0, updated: 0, unchanged: 4, skipped: 0 });
    assert.equal(await count(db, 'solutions'), solutions);
    assert.equal(await count(db, 'solution_versions'), versions);
    const again = await bySourceId(db, 'pstw', 'PSTW-1');
    assert.deepEqual([again.version, again.updated_at, again.slug], [before.version, before.updated_at, before.slug]);
  });

  it('a changed row updates its entry, adds a version and re-indexes it', async () => {
    const changed = join(tmp, 'pstw_changed.csv');
    const original = readFileSync(fixture('pstw_cases.csv'), 'utf8');
    const edited = original.replace('Mona - Public chatbot for companies', 'Mona - Public lighthouse chatbot for companies');
    const monaLine = edited.split('\n').find((l) => l.startsWith('PSTW-2,'))!;
    writeFileSync(changed, edited.replace(monaLine, monaLine.replace(',Implemented,', ',Not in use,')));
    const before = await bySourceId(db, 'pstw', 'PSTW-2');
    const versions = await count(db, 'solution_versions');

    const result = await importRegister(db, 'pstw', changed);
    assert.deepEqual(counts(result), { created: 0, updated: 1, unchanged: 4, skipped: 0 });
    const after = await bySourceId(db, 'pstw', 'PSTW-2');
    assert.equal(after.id, before.id);
    assert.equal(after.slug, before.slug);
    assert.equal(after.title, 'Mona - Public lighthouse chatbot for companies on the subject of the economy');
    assert.equal(after.maturity, 'retired');
    assert.equal(after.version, 2);
    assert.equal(after.updated_by, null);
    assert.equal(await count(db, 'solutions'), 15);
    assert.equal(await count(db, 'solution_versions'), versions + 1);
    const v2 = await db.selectFrom('solution_versions').selectAll().where('solution_id', '=', after.id).where('version', '=', 2).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(v2.changed_fields), ['title', 'maturity']);
    assert.equal(v2.changed_by, null);
    const found = await searchCatalogue(db, null, parseSearchParams({ q: 'lighthouses' }));
    assert.deepEqual(found.items.map((i) => i.slug), [after.slug]);

    // The register's own text again: the entry follows it, as version 3.
    assert.deepEqual(counts(await importRegister(db, 'pstw', fixture('pstw_cases.csv'))), { created: 0, updated: 1, unchanged: 4, skipped: 0 });
    const back = await bySourceId(db, 'pstw', 'PSTW-2');
    assert.deepEqual([back.title, back.maturity, back.version], [before.title, 'production', 3]);
    assert.equal((await searchCatalogue(db, null, parseSearchParams({ q: 'lighthouses' }))).total, 0);
  });

  it('finds an imported entry by a word of its title in its own language', async () => {
    const ams = await bySourceId(db, 'pstw', 'PSTW-1');
    const english = await searchCatalogue(db, null, parseSearchParams({ q: 'services' })); // the title says "service"
    assert.ok(english.items.some((i) => i.slug === ams.slug), 'PSTW-1 found by "services"');
    const refugees = await bySourceId(db, 'pstw', 'PSTW-140');
    const asylum = await searchCatalogue(db, null, parseSearchParams({ q: 'asylum seeker' }));
    assert.equal(asylum.items[0]?.slug, refugees.slug);

    const delft = await bySourceId(db, 'nl', '11234933');
    const dutch = await searchCatalogue(db, null, parseSearchParams({ q: 'datalekmeldingen' })); // plural of the title's "datalekmelding"
    assert.deepEqual(dutch.items.map((i) => i.slug), [delft.slug]);
    const prognose = await searchCatalogue(db, null, parseSearchParams({ q: 'prognosemodellen' }));
    assert.deepEqual(prognose.items.map((i) => i.slug), [(await bySourceId(db, 'nl', '11373562')).slug]);
  });

  it('shows the attribution of the source and a link to the original entry on the solution page', async () => {
    const v = new Visitor(t.app);
    for (const [source, id] of [['pstw', 'PSTW-2'], ['nl', '11234933'], ['atrs', 'hmrc-ask-hmrc-online']] as const) {
      const s = await bySourceId(db, source, id);
      const res = await v.get(`/loesungen/${s.slug}`);
      assert.equal(res.statusCode, 200, `${source} ${id}`);
      assert.ok(res.body.includes(SOURCE_INFO[source].attribution), `attribution of ${source}`);
      assert.ok(res.body.includes(SOURCE_INFO[source].licence), `licence of ${source}`);
      assert.match(res.body, new RegExp(`<a href="${s.source_url.replace(/[.?*+()[\]\\/]/g, '\\$&')}">Originaleintrag</a>`));
    }
  });

  it('shows the number of entries per source on the page about the data', async () => {
    const res = await new Visitor(t.app).get('/ueber-die-daten');
    assert.equal(res.statusCode, 200);
    const section = (source: string) => new RegExp(`id="src-${source}"[^]*?</section>`).exec(res.body)?.[0] ?? '';
    assert.match(section('pstw'), /\b5 Einträge/);
    assert.match(section('nl'), /\b6 Einträge/);
    assert.match(section('atrs'), /\b4 Einträge/);
  });
});

describe('register import of broken files', () => {
  let t: TestApp;
  let db: Db;
  let tmp: string;
  before(async () => {
    t = await startTestApp();
    db = t.database.db;
    await completeSetup(db);
    tmp = mkdtempSync(join(tmpdir(), 'kic-import-test-'));
  });
  after(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await t.close();
  });

  it('skips broken rows with their line number and imports the others', async () => {
    const reported: [number, string][] = [];
    const result = await importRegister(db, 'pstw', fixture('pstw_cases_broken.csv'), { onError: (line, message) => reported.push([line, message]) });
    assert.deepEqual(counts(result), { created: 5, updated: 0, unchanged: 0, skipped: 4 });
    assert.equal(result.rows, 9);
    assert.deepEqual(result.errors, [
      { line: 6, message: 'the id is missing (column "PSTW ID")' }, // a record on lines 6–7
      { line: 11, message: 'expected 56 columns but found 3' },
      { line: 12, message: 'the title is empty (column "Name")' },
      { line: 14, message: 'unknown value "Maybe later" in column "Status"' },
    ]);
    assert.deepEqual(reported, result.errors.map((e) => [e.line, e.message]));
    const ids = (await db.selectFrom('solutions').select('source_id').orderBy('id').execute()).map((r) => r.source_id);
    assert.deepEqual(ids, ['PSTW-1', 'PSTW-2', 'PSTW-13', 'PSTW-140', 'PSTW-183']);
  });

  it('reports an id that appears twice in a file and keeps the first', async () => {
    const file = join(tmp, 'twice.csv');
    const [header, ...rest] = readFileSync(fixture('pstw_cases.csv'), 'utf8').split('\n');
    const first = rest.find((l) => l.startsWith('PSTW-1,'))!;
    writeFileSync(file, [header, first, first.replace('AMS - public', 'AMS - other')].join('\n') + '\n');
    const result = await importRegister(db, 'pstw', file);
    assert.deepEqual(counts(result), { created: 0, updated: 0, unchanged: 1, skipped: 1 });
    assert.deepEqual(result.errors, [{ line: 3, message: 'the id "PSTW-1" appears again (first on line 2)' }]);
  });

  it('reports a row the database refuses and still saves the rest of its batch', async () => {
    // A trigger stands in for any failure of one row in the database.
    if (backend === 'postgres') {
      await sql`create function refuse_row() returns trigger language plpgsql as $$ begin raise exception 'refused by the test trigger'; end $$`.execute(db);
      await sql`create trigger refuse_row before insert on solutions for each row when (new.source_id = '11373562') execute function refuse_row()`.execute(db);
    } else {
      await sql`create trigger refuse_row before insert on solutions when new.source_id = '11373562' begin select raise(abort, 'refused by the test trigger'); end`.execute(db);
    }
    try {
      const result = await importRegister(db, 'nl', fixture('nl_algoritmeregister.csv'), { batchSize: 4 });
      assert.deepEqual(counts(result), { created: 5, updated: 0, unchanged: 0, skipped: 1 });
      assert.equal(result.errors.length, 1);
      assert.equal(result.errors[0].line, 4);
      assert.match(result.errors[0].message, /^could not be saved: .*refused by the test trigger/);
    } finally {
      await sql`drop trigger refuse_row${backend === 'postgres' ? sql` on solutions` : sql``}`.execute(db);
      if (backend === 'postgres') await sql`drop function refuse_row()`.execute(db);
    }
    assert.deepEqual(counts(await importRegister(db, 'nl', fixture('nl_algoritmeregister.csv'))), { created: 1, updated: 0, unchanged: 5, skipped: 0 });
    const saved = await bySourceId(db, 'nl', '11373562');
    const found = await searchCatalogue(db, null, parseSearchParams({ q: 'prognosemodel' }));
    assert.deepEqual(found.items.map((i) => i.slug), [saved.slug]);
  });

  it('refuses a file whose header lacks the required columns, and a file it cannot read', async () => {
    const before = await count(db, 'solutions');
    await assert.rejects(importRegister(db, 'pstw', fixture('nl_algoritmeregister.csv')), (err: Error) => {
      assert.ok(err instanceof RegisterFileError);
      assert.match(err.message, /nl_algoritmeregister\.csv is not the EU Public Sector Tech Watch cases file: its header lacks the columns "PSTW ID", "Name"/);
      return true;
    });
    await assert.rejects(importRegister(db, 'nl', join(tmp, 'missing.csv')), (err: Error) => err instanceof RegisterFileError && /missing\.csv cannot be read/.test(err.message));
    const empty = join(tmp, 'empty.csv');
    writeFileSync(empty, '');
    await assert.rejects(importRegister(db, 'atrs', empty), (err: Error) => err instanceof RegisterFileError && /is empty/.test(err.message));
    assert.equal(await count(db, 'solutions'), before);
  });

  it('npm run import: progress and a summary with the skipped lines, exit code 1 only for an unusable file', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import-registers.ts', ...args], {
      cwd: projectRoot, encoding: 'utf8',
      env: { ...process.env, DATA_DIR: t.config.dataDir, DATABASE_URL: t.config.databaseUrl ?? '', INIT_CWD: projectRoot, LOG_LEVEL: 'silent' },
    });
    const ok = run('atrs', fixture('uk_atrs_records.csv'), 'pstw', fixture('pstw_cases_broken.csv'));
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /4\/4 rows \(100 %\)/);
    assert.match(ok.stdout, /atrs: 4 rows in [\d.]+ s — 4 created, 0 updated, 0 unchanged, 0 skipped/);
    assert.match(ok.stdout, /pstw: 9 rows in [\d.]+ s — 0 created, 0 updated, 5 unchanged, 4 skipped\n  skipped line 6: the id is missing \(column "PSTW ID"\)\n  skipped line 11: expected 56 columns but found 3/);

    const wrong = run('pstw', fixture('nl_algoritmeregister.csv'), 'atrs', fixture('uk_atrs_records.csv'));
    assert.equal(wrong.status, 1);
    assert.match(wrong.stdout, /pstw: not imported — nl_algoritmeregister\.csv is not the EU Public Sector Tech Watch cases file/);
    assert.match(wrong.stdout, /atrs: 4 rows in [\d.]+ s — 0 created, 0 updated, 4 unchanged, 0 skipped/);

    const usage = run('pstw', fixture('pstw_cases.csv'), 'nonsense');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /"nonsense" is not a source/);
  });

  it('the page about the data counts the entries the command imported', async () => {
    const res = await new Visitor(t.app).get('/ueber-die-daten');
    assert.equal(res.statusCode, 200);
    assert.match(new RegExp('id="src-pstw"[^]*?</section>').exec(res.body)?.[0] ?? '', /\b5 Einträge/);
    assert.match(new RegExp('id="src-nl"[^]*?</section>').exec(res.body)?.[0] ?? '', /\b6 Einträge/);
    assert.match(new RegExp('id="src-atrs"[^]*?</section>').exec(res.body)?.[0] ?? '', /\b4 Einträge/);
  });
});
