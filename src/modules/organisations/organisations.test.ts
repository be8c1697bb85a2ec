import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { buildApp } from '../../app.js';
import { loadConfig, projectRoot } from '../../platform/config.js';
import { createTestDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { Visitor } from '../../../test/support/client.js';
import { loadRegion } from './service.js';

const csv = (file: string) => parse(readFileSync(join(projectRoot, 'reference/suedwestfalen', file), 'utf8'), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
const municipalities = csv('gemeinden.csv');
const districts = csv('kreise.csv');
const de = (n: number) => new Intl.NumberFormat('de-DE').format(n);

/** The rows of the organisations table: slug, name, kind, district, population, members. */
function directoryRows(html: string) {
  const rows = [...html.matchAll(/<tr><th scope="row"><a href="\/organisationen\/([^"]+)">([^<]+)<\/a><\/th><td>([^<]*)<\/td><td>([^<]*)<\/td><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td><\/tr>/g)];
  return rows.map((m) => ({ slug: m[1], name: m[2], kind: m[3], district: m[4], population: m[5], members: m[6] }));
}

function unescapeHtml(s: string) {
  return s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

describe('organisations of the region', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('lists the 59 municipalities and 5 districts with their population on /organisationen, for everyone', async () => {
    assert.equal(municipalities.length, 59);
    assert.equal(districts.length, 5);
    const res = await new Visitor(t.app).get('/organisationen');
    assert.equal(res.statusCode, 200);
    const rows = directoryRows(res.body);
    // 59 municipalities, 5 districts and the region's two further bodies (reference/suedwestfalen/organisationen.csv).
    assert.equal(rows.length, 66);
    assert.equal(rows.filter((r) => r.kind === 'Stadt oder Gemeinde').length, 59);
    assert.equal(rows.filter((r) => r.kind === 'Kreis').length, 5);
    for (const d of districts) {
      const row = rows.find((r) => unescapeHtml(r.name) === d.name);
      assert.ok(row, `district ${d.name} is listed`);
      assert.equal(row.kind, 'Kreis');
      assert.equal(row.population, de(Number(d.population)), d.name);
    }
    for (const m of municipalities) {
      const row = rows.find((r) => unescapeHtml(r.name) === m.name);
      assert.ok(row, `municipality ${m.name} is listed`);
      assert.equal(row.population, de(Number(m.population)), m.name);
      assert.equal(unescapeHtml(row.district), m.kreis_name, `${m.name} lies in ${m.kreis_name}`);
    }
    assert.ok(rows.find((r) => r.name === 'Arnsberg' && r.population === '73.456'));
    // Districts first, then municipalities, each alphabetical.
    assert.deepEqual(rows.slice(0, 5).map((r) => r.kind), Array(5).fill('Kreis'));
  });

  it('shows the Hochsauerlandkreis with its 12 municipalities, each linked', async () => {
    const res = await new Visitor(t.app).get('/organisationen/hochsauerlandkreis');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Hochsauerlandkreis<\/h1>/);
    assert.match(res.body, /<dd>259\.777<\/dd>/);
    assert.match(res.body, /<dd>05958000<\/dd>/);
    const section = res.body.slice(res.body.indexOf('Städte und Gemeinden im Kreis'));
    const listed = [...section.matchAll(/<li><a href="\/organisationen\/([^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => unescapeHtml(m[2]));
    const expected = municipalities.filter((m) => m.kreis_ags === '05958000').map((m) => m.name);
    assert.equal(expected.length, 12);
    assert.deepEqual([...listed].sort(), [...expected].sort());

    for (const slug of [...section.matchAll(/href="(\/organisationen\/[^"]+)"/g)].map((m) => m[1])) {
      assert.equal((await t.app.inject({ method: 'GET', url: slug })).statusCode, 200, slug);
    }
    const arnsberg = await new Visitor(t.app).get('/organisationen/arnsberg');
    assert.match(arnsberg.body, /<a href="\/organisationen\/hochsauerlandkreis">Hochsauerlandkreis<\/a>/);
    assert.equal((await new Visitor(t.app).get('/organisationen/atlantis')).statusCode, 404);
  });

  it('shows the names of an organisation\'s members to members only', async () => {
    await createUser(t.database.db, { name: 'Greta Gemeinde', organisation: 'Brilon' });
    const anonymous = await new Visitor(t.app).get('/organisationen/brilon');
    assert.match(anonymous.body, /1 Mitglied auf der Plattform/);
    assert.doesNotMatch(anonymous.body, /Greta Gemeinde/);
    const { visitor } = await signedIn(t.app, t.database.db, 'member');
    const member = await visitor.get('/organisationen/brilon');
    assert.match(member.body, /Greta Gemeinde/);
  });

  it('updates instead of duplicating when the region is loaded again', async () => {
    const db = t.database.db;
    const before = await db.selectFrom('organisations').select(['id', 'ags', 'slug']).orderBy('id').execute();
    await db.updateTable('organisations').set({ population: 1, name: 'Arnsberg (alt)' }).where('ags', '=', '05958004').execute();

    const result = await loadRegion(db, t.config);
    assert.deepEqual(result, { districts: 5, municipalities: 59, others: 2 });
    const afterRows = await db.selectFrom('organisations').select(['id', 'ags', 'slug']).orderBy('id').execute();
    assert.deepEqual(afterRows, before, 'same rows, same ids and slugs');
    const arnsberg = await db.selectFrom('organisations').selectAll().where('ags', '=', '05958004').executeTakeFirstOrThrow();
    assert.equal(arnsberg.population, 73456);
    assert.equal(arnsberg.name, 'Arnsberg');

    await loadRegion(db, t.config);
    const { n } = await db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', 'in', ['gemeinde', 'kreis']).executeTakeFirstOrThrow();
    assert.equal(Number(n), 64);
  });
});

describe('another region', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kic-region-'));
    writeFileSync(join(dir, 'kreise.csv'), [
      'kreis_ags,kreis_key,name,gemeinden,population,area_km2,lat,lon',
      '09999000,09999,Landkreis Beispiel,2,45000,500.5,49.1,11.2',
    ].join('\n') + '\n');
    writeFileSync(join(dir, 'gemeinden.csv'), [
      'ags,name,kreis_ags,population,lat,lon',
      '09999001,Musterstadt,09999000,30000,49.11,11.21',
      '09999002,Beispieldorf,09999000,15000,49.12,11.22',
    ].join('\n') + '\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is just another pair of CSV files: its district and municipalities appear', async () => {
    const t = await startTestApp({
      REGION_DISTRICTS_CSV: join(dir, 'kreise.csv'), REGION_MUNICIPALITIES_CSV: join(dir, 'gemeinden.csv'),
      REGION_ORGANISATIONS_CSV: join(dir, 'keine-weiteren.csv'), REGION_NAME: 'Beispielland', COMMUNITY_NAME: 'KI-Community Beispielland',
    });
    try {
      await completeSetup(t.database.db);
      const res = await new Visitor(t.app).get('/organisationen');
      const rows = directoryRows(res.body);
      assert.deepEqual(rows.map((r) => [r.name, r.kind, r.district, r.population]), [
        ['Landkreis Beispiel', 'Kreis', '—', '45.000'],
        ['Beispieldorf', 'Stadt oder Gemeinde', 'Landkreis Beispiel', '15.000'],
        ['Musterstadt', 'Stadt oder Gemeinde', 'Landkreis Beispiel', '30.000'],
      ]);
      assert.match(res.body, /in Beispielland/);
      const district = await new Visitor(t.app).get('/organisationen/landkreis-beispiel');
      assert.equal(district.statusCode, 200);
      assert.match(district.body, /href="\/organisationen\/musterstadt">Musterstadt</);
      assert.match(district.body, /href="\/organisationen\/beispieldorf">Beispieldorf</);
      assert.equal((await new Visitor(t.app).get('/organisationen/arnsberg')).statusCode, 404);
    } finally {
      await t.close();
    }
  });

  it('fails start-up with a clear message naming the file and the missing column', async () => {
    const broken = join(dir, 'gemeinden-ohne-einwohner.csv');
    writeFileSync(broken, 'ags,name,kreis_ags,lat,lon\n09999001,Musterstadt,09999000,49.11,11.21\n');
    const database = await createTestDatabase();
    try {
      const config = loadConfig({
        DATA_DIR: database.dataDir, DATABASE_URL: database.url, LOG_LEVEL: 'silent', RUN_JOBS: '0',
        REGION_DISTRICTS_CSV: join(dir, 'kreise.csv'), REGION_MUNICIPALITIES_CSV: broken,
      }, { sessionSecret: 'test-secret-'.padEnd(64, 'x') });
      await assert.rejects(buildApp(config), (err: Error) => {
        assert.ok(err.message.includes(broken), `names the file: ${err.message}`);
        assert.match(err.message, /missing columns? .*\bpopulation\b/);
        return true;
      });
    } finally {
      await database.drop();
    }
  });

  it('checks the columns from the header line, even when the file has no rows yet', async () => {
    const headerOnly = join(dir, 'kreise-nur-kopfzeile.csv');
    writeFileSync(headerOnly, 'kreis_ags,name,lat,lon\n');
    const database = await createTestDatabase();
    try {
      const config = loadConfig({
        DATA_DIR: database.dataDir, DATABASE_URL: database.url, LOG_LEVEL: 'silent', RUN_JOBS: '0',
        REGION_DISTRICTS_CSV: headerOnly, REGION_MUNICIPALITIES_CSV: join(dir, 'gemeinden.csv'),
      }, { sessionSecret: 'test-secret-'.padEnd(64, 'x') });
      await assert.rejects(buildApp(config), (err: Error) => {
        assert.ok(err.message.includes(headerOnly), `names the file: ${err.message}`);
        assert.match(err.message, /missing columns? .*\bpopulation\b/);
        return true;
      });
    } finally {
      await database.drop();
    }
  });

  it('fails start-up when a municipality names a district the districts file does not have', async () => {
    const orphan = join(dir, 'gemeinden-fremder-kreis.csv');
    writeFileSync(orphan, 'ags,name,kreis_ags,population,lat,lon\n09888001,Irgendwo,09888000,100,49,11\n');
    const database = await createTestDatabase();
    try {
      const config = loadConfig({
        DATA_DIR: database.dataDir, DATABASE_URL: database.url, LOG_LEVEL: 'silent', RUN_JOBS: '0',
        REGION_DISTRICTS_CSV: join(dir, 'kreise.csv'), REGION_MUNICIPALITIES_CSV: orphan,
      }, { sessionSecret: 'test-secret-'.padEnd(64, 'x') });
      await assert.rejects(buildApp(config), /Irgendwo names unknown district 09888000/);
    } finally {
      await database.drop();
    }
  });
});
