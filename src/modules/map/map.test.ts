import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { forgetDataVersion } from '../../platform/data-version.js';
import { translatorFor } from '../../platform/i18n/index.js';
import type { CurrentUser } from '../../platform/policy.js';
import { makeSolution, unescapeHtml, viewerOf } from '../../../test/support/catalogue.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import type { Visitor } from '../../../test/support/client.js';
import { markDeployment } from '../catalogue/service.js';
import { cachedCompactMap } from './cache.js';
import { projectRegion, readAreas, regionGeo } from './geo.js';
import { shadeClass } from './service.js';

type Audience = 'public' | 'members';
interface Area { ags: string; href: string | null; label: string; title: string; shade: string; d: string }
interface Row { ags: string; name: string; href: string | null; district: string; figure: string }

const GEOJSON = new URL('../../../reference/suedwestfalen/gemeinden.geojson', import.meta.url);
const geojson = JSON.parse(readFileSync(GEOJSON, 'utf8')) as { features: { properties: { level: string; ags: string } }[] };
const MUNICIPALITY_AGS = geojson.features.filter((f) => f.properties.level === 'gemeinde').map((f) => f.properties.ags).sort();

const svgParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['a', 'g', 'path'].includes(name) });

/** The map's SVG, parsed as XML (which also proves it well-formed): one entry per drawn municipality. */
function mapOf(html: string): { viewBox: number[]; areas: Area[]; districtPaths: number } {
  const m = /<svg [^>]*class="region-map-svg"[^>]*>[\s\S]*?<\/svg>/.exec(html);
  assert.ok(m, 'the page has a map');
  const svg = svgParser.parse(m[0]).svg;
  const [areasGroup, districtGroup] = svg.g as Record<string, any>[];
  assert.equal(areasGroup.class, 'map-areas');
  assert.equal(districtGroup['aria-hidden'], 'true', 'district boundaries are hidden from screen readers');
  assert.equal(districtGroup.a, undefined, 'district boundaries are not links');
  const linked = (areasGroup.a ?? []).map((a: any) => {
    assert.equal(a.path.length, 1, 'each link wraps exactly one shape');
    const p = a.path[0];
    return { ags: p['data-ags'], href: a.href, label: a['aria-label'], title: a.title, shade: p.class, d: p.d };
  });
  const unlinked = (areasGroup.g ?? []).map((g: any) => ({ ags: g.path[0]['data-ags'], href: null, label: g.title, title: g.title, shade: g.path[0].class, d: g.path[0].d }));
  return { viewBox: svg.viewBox.split(' ').map(Number), areas: [...linked, ...unlinked], districtPaths: districtGroup.path.length };
}

/** The rows of one of the figure's tables (municipalities or districts). */
function tableOf(html: string, tableClass: string): Row[] {
  const m = new RegExp(`<table class="table ${tableClass}">[\\s\\S]*?</table>`).exec(html);
  assert.ok(m, `the page has the table ${tableClass}`);
  return [...m[0].matchAll(/<tr data-ags="(\d+)"><th scope="row">(?:<a href="([^"]+)">)?([^<]+)(?:<\/a>)?<\/th>(?:<td>([^<]*)<\/td>)?<td(?: class="num")?>([^<]*)<\/td><\/tr>/g)]
    .map((r) => ({ ags: r[1], href: r[2] ?? null, name: unescapeHtml(r[3]), district: unescapeHtml(r[4] ?? ''), figure: unescapeHtml(r[5]) }));
}

/** The absolute points of an SVG path of moves ("M x y") and relative lines ("l dx dy dx dy …"), closed by "z". */
function pointsOf(d: string): [number, number][] {
  const points: [number, number][] = [];
  for (const [, command, args] of d.matchAll(/([MlLz])([^MlLz]*)/g)) {
    const n = args.match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
    for (let i = 0; i < n.length; i += 2) {
      const last = points[points.length - 1] ?? [0, 0];
      points.push(command === 'l' ? [last[0] + n[i], last[1] + n[i + 1]] : [n[i], n[i + 1]]);
    }
  }
  return points;
}

describe('map of the region', () => {
  let t: TestApp;
  let db: Db;
  let member: Visitor;
  const slugs: Record<string, string> = {};

  /** The slug of each organisation with an AGS, and the AGS of the organisations the data is about. */
  let orgSlug: Map<string, string>;
  const ags: Record<string, string> = {};

  before(async () => {
    t = await startTestApp();
    db = t.database.db;
    await completeSetup(db);
    const people: Record<string, CurrentUser> = {};
    for (const o of ['Arnsberg', 'Olpe', 'Brilon', 'Soest', 'Altena', 'Attendorn', 'Hochsauerlandkreis']) {
      people[o] = await viewerOf(db, (await createUser(db, { organisation: o })).id);
    }
    const mark = (who: string, slug: string, status: string, visibility = 'public') => markDeployment(db, people[who], slug, { status, visibility }, {});
    const summary = 'Kurz beschrieben.';

    slugs.chatbot = (await makeSolution(db, people.Arnsberg, { title: 'Bürger-Chatbot', summary, field_of_action: 'general_public_services', maturity: 'pilot' })).slug;
    slugs.wildfire = (await makeSolution(db, people.Olpe, { title: 'Waldbrand-Früherkennung', summary, field_of_action: 'environmental_protection', maturity: 'production' })).slug;
    slugs.search = (await makeSolution(db, people.Soest, { title: 'Interne Wissenssuche', summary, field_of_action: 'general_public_services', maturity: 'production', visibility: 'members' })).slug;
    slugs.draft = (await makeSolution(db, people.Brilon, { title: 'Entwurf Bauantrag', summary, maturity: 'production', visibility: 'draft' })).slug;
    slugs.translation = (await makeSolution(db, people.Altena, { title: 'Übersetzungsdienst', summary, field_of_action: 'social_protection', maturity: 'idea' })).slug;
    slugs.retired = (await makeSolution(db, people.Altena, { title: 'Alte Parkplatzsuche', summary, maturity: 'retired' })).slug;

    await mark('Attendorn', slugs.chatbot, 'interested');
    await mark('Arnsberg', slugs.wildfire, 'production');
    await mark('Brilon', slugs.wildfire, 'pilot');
    await mark('Soest', slugs.wildfire, 'planned');
    await mark('Hochsauerlandkreis', slugs.wildfire, 'production');
    await mark('Arnsberg', slugs.search, 'production');
    await mark('Olpe', slugs.translation, 'production', 'members');
    await mark('Attendorn', slugs.translation, 'interested');
    await mark('Arnsberg', slugs.translation, 'in_development');
    await mark('Arnsberg', slugs.retired, 'production');
    // Nobody but Brilon may see its draft; a deployment of it is written directly.
    const draftId = (await db.selectFrom('solutions').select('id').where('slug', '=', slugs.draft).executeTakeFirstOrThrow()).id;
    const now = new Date().toISOString();
    await db.insertInto('deployments').values({
      solution_id: draftId, organisation_id: people.Arnsberg.organisationId, status: 'production', since: null, contact: '', cost_paid: '',
      experience: '', visibility: 'public', created_by: null, created_at: now, updated_at: now,
    }).execute();
    forgetDataVersion(db);

    const placed = await db.selectFrom('organisations').select(['ags', 'slug', 'name']).where('ags', 'is not', null).execute();
    orgSlug = new Map(placed.map((o) => [o.ags!, o.slug]));
    for (const o of placed) ags[o.name] = o.ags!;
    ({ visitor: member } = await signedIn(t.app, db, 'member'));
  });
  after(() => t.close());

  const anonymous = (url: string) => t.app.inject({ url });

  /**
   * Per organisation (by AGS) and solution, the furthest stage as a rank (interest 0 … production 5), from
   * deployments and from the solutions an organisation owns that run; drafts and retired never.
   */
  function stages(audience: Audience, field?: string) {
    const visible = audience === 'public' ? sql`('public')` : sql`('public', 'members')`;
    const fieldRule = field ? sql`and s.field_of_action = ${field}` : sql``;
    return sql`
      select o.ags as ags, s.slug as slug, max(t.stage_rank) as stage_rank
      from organisations o
      join (
        select d.organisation_id, d.solution_id,
          case d.status when 'interested' then 0 when 'idea' then 1 when 'planned' then 2 when 'in_development' then 3 when 'pilot' then 4 when 'production' then 5 end as stage_rank
        from deployments d join solutions s on s.id = d.solution_id
        where d.status <> 'retired' and s.maturity <> 'retired' and d.visibility in ${visible} and s.visibility in ${visible}
        union all
        select s.organisation_id, s.id, case s.maturity when 'pilot' then 4 else 5 end
        from solutions s
        where s.organisation_id is not null and s.maturity in ('pilot', 'production') and s.visibility in ${visible}
      ) t on t.organisation_id = o.id
      join solutions s on s.id = t.solution_id
      where o.ags is not null ${fieldRule}
      group by o.ags, s.slug`;
  }

  /** Expected counts per AGS: solutions in use, or (with a stage) solutions at that stage. */
  async function expectedCounts(audience: Audience, filters: { field?: string; stage?: number } = {}): Promise<Map<string, number>> {
    const which = filters.stage === undefined ? sql`stage_rank >= 4` : sql`stage_rank = ${filters.stage}`;
    const { rows } = await sql<{ ags: string; n: number }>`select ags, count(*) as n from (${stages(audience, filters.field)}) x where ${which} group by ags`.execute(db);
    return new Map(rows.map((r) => [r.ags, Number(r.n)]));
  }

  /** Expected state per AGS for one solution: runs, interested or (absent) neither. */
  async function expectedStates(audience: Audience, slug: string): Promise<Map<string, string>> {
    const { rows } = await sql<{ ags: string; stage_rank: number }>`select ags, stage_rank from (${stages(audience)}) x where slug = ${slug}`.execute(db);
    return new Map(rows.map((r) => [r.ags, Number(r.stage_rank) >= 4 ? 'runs' : 'interested']));
  }

  /** The map and the table agree with the expected counts, shade for shade and row for row. */
  function assertCounts(html: string, expected: Map<string, number>, titleWord = 'im Einsatz') {
    const { areas } = mapOf(html);
    const rows = new Map(tableOf(html, 'region-map-data').map((r) => [r.ags, r]));
    assert.equal(rows.size, MUNICIPALITY_AGS.length);
    for (const area of areas) {
      const count = expected.get(area.ags) ?? 0;
      assert.equal(area.shade, shadeClass(count), `shade of ${area.ags}`);
      assert.match(area.title, new RegExp(`: ${count} Lösung(en)? ${titleWord}`), `title of ${area.ags}`);
      assert.equal(area.label, area.title);
      assert.equal(rows.get(area.ags)!.figure, String(count), `table row of ${area.ags}`);
    }
  }

  it('draws one linked shape per municipality of the region file, each linking to its organisation', async () => {
    const res = await anonymous('/karte');
    assert.equal(res.statusCode, 200);
    const { areas, districtPaths } = mapOf(res.body);
    assert.deepEqual(areas.map((a) => a.ags).sort(), MUNICIPALITY_AGS);
    assert.equal(MUNICIPALITY_AGS.length, 59);
    for (const a of areas) assert.equal(a.href, `/organisationen/${orgSlug.get(a.ags)}`, `link of ${a.ags}`);
    // Each of the five districts as a white halo and a dark line.
    assert.equal(districtPaths, 10);
    assert.match(res.body, /<svg [^>]*viewBox="0 0 800 \d+" width="100%" role="group" aria-labelledby="region-map-title"/);
    assert.match(res.body, /<title id="region-map-title">Lösungen im Einsatz je Stadt und Gemeinde in Südwestfalen<\/title>/);
    assert.ok(res.body.includes('© GeoBasis-DE / BKG (Daten verändert), dl-de/by-2-0'), 'the attribution of the boundaries');
    const arnsberg = areas.find((a) => a.ags === ags.Arnsberg)!;
    assert.equal(arnsberg.title, 'Arnsberg: 2 Lösungen im Einsatz');
  });

  it('shades each municipality by the solutions in use the public may see; drafts and retired ones never count', async () => {
    const expected = await expectedCounts('public');
    // Arnsberg: its own chatbot and the wildfire detection; not the members-only search, the draft, the plan or the retired one.
    assert.equal(expected.get(ags.Arnsberg), 2);
    assertCounts((await anonymous('/karte')).body, expected);
  });

  it('counts members-only solutions and deployments for a signed-in member, drafts still not', async () => {
    const [forPublic, forMembers] = [await expectedCounts('public'), await expectedCounts('members')];
    assert.equal(forMembers.get(ags.Arnsberg), 3, 'Arnsberg also runs the members-only search');
    assert.equal(forMembers.get(ags.Olpe), 2, 'Olpe also runs the translation service, shown to members only');
    assert.equal(forPublic.get(ags.Olpe), 1);
    assert.equal(forMembers.get(ags.Brilon), 1, "Brilon's own draft does not count");
    const res = await member.get('/karte');
    assert.equal(res.statusCode, 200);
    assertCounts(res.body, forMembers);
  });

  it('narrows the count to a field of action and to a stage', async () => {
    const field = await expectedCounts('public', { field: 'general_public_services' });
    assert.equal(field.get(ags.Arnsberg), 1);
    assertCounts((await anonymous('/karte?handlungsfeld=general_public_services')).body, field);
    assertCounts((await member.get('/karte?handlungsfeld=general_public_services')).body, await expectedCounts('members', { field: 'general_public_services' }));

    const pilot = await expectedCounts('public', { stage: 4 });
    assert.deepEqual([...pilot.keys()].sort(), [ags.Arnsberg, ags.Brilon].sort());
    assertCounts((await anonymous('/karte?reife=pilot')).body, pilot, 'mit Reifegrad „Pilot“');

    const planned = await expectedCounts('public', { stage: 2 });
    assert.equal(planned.get(ags.Soest), 1, 'Soest plans the wildfire detection');
    const res = await anonymous('/karte?reife=planned');
    assertCounts(res.body, planned, 'mit Reifegrad „Geplant“');
    assert.match(res.body, /<option value="planned" selected>/);
  });

  it('with a solution chosen, shows in use, interested or neither for each municipality, in map and table alike', async () => {
    for (const [slug, visitor] of [[slugs.wildfire, null], [slugs.translation, null], [slugs.translation, member], [slugs.search, member]] as const) {
      const audience: Audience = visitor ? 'members' : 'public';
      const expected = await expectedStates(audience, slug);
      const res = visitor ? await visitor.get(`/karte?loesung=${slug}`) : await anonymous(`/karte?loesung=${slug}`);
      assert.equal(res.statusCode, 200, `${slug} for ${audience}`);
      const { areas } = mapOf(res.body);
      const rows = new Map(tableOf(res.body, 'region-map-data').map((r) => [r.ags, r]));
      const word = { runs: 'im Einsatz', interested: 'interessiert', neither: 'weder im Einsatz noch interessiert' } as Record<string, string>;
      for (const a of areas) {
        const state = expected.get(a.ags) ?? 'neither';
        assert.equal(a.shade, `state-${state}`, `${slug}: ${a.ags} for ${audience}`);
        assert.ok(a.title.endsWith(`: ${word[state]}`), a.title);
        assert.equal(rows.get(a.ags)!.figure, word[state]);
      }
    }
    const wildfire = await expectedStates('public', slugs.wildfire);
    assert.deepEqual(Object.fromEntries([...wildfire].filter(([key]) => !key.endsWith('000'))),
      { [ags.Arnsberg]: 'runs', [ags.Brilon]: 'runs', [ags.Olpe]: 'runs', [ags.Soest]: 'interested' });
    // The hatch that marks interest is defined, and the legend shows the three states.
    const page = (await anonymous(`/karte?loesung=${slugs.wildfire}`)).body;
    assert.ok(page.includes('<pattern id="region-map-hatch"'), 'the hatch pattern');
    assert.ok(page.includes('url(#region-map-hatch)" stroke="#1b1f24" stroke-width="1.2" stroke-dasharray="4 2"></rect></svg> interessiert'), 'the hatched swatch in the legend');
  });

  it('lists only solutions someone on the map uses or is interested in, as the audience may see them', async () => {
    const options = (html: string) => [...html.matchAll(/<option value="([^"]+)"[^>]*>/g)].map((m) => m[1]).filter((v) => Object.values(slugs).includes(v));
    assert.deepEqual(options((await anonymous('/karte')).body), [slugs.chatbot, slugs.translation, slugs.wildfire]);
    assert.deepEqual(options((await member.get('/karte')).body), [slugs.chatbot, slugs.search, slugs.translation, slugs.wildfire]);
  });

  it('lists the districts as organisations of their own', async () => {
    const res = await anonymous('/karte');
    const rows = tableOf(res.body, 'region-map-districts');
    assert.equal(rows.length, 5);
    const expected = await expectedCounts('public');
    for (const r of rows) {
      assert.equal(r.figure, String(expected.get(r.ags) ?? 0), r.name);
      assert.equal(r.href, `/organisationen/${orgSlug.get(r.ags)}`);
    }
    assert.equal(rows[0].name, 'Hochsauerlandkreis', 'the district running a solution comes first');
  });

  it('sorts the table by count, then by name, and names each municipality\'s district', async () => {
    const rows = tableOf((await anonymous('/karte')).body, 'region-map-data');
    const sorted = [...rows].sort((a, b) => Number(b.figure) - Number(a.figure) || a.name.localeCompare(b.name, 'de'));
    assert.deepEqual(rows.map((r) => r.ags), sorted.map((r) => r.ags));
    assert.equal(rows[0].name, 'Arnsberg');
    const { rows: districts } = await sql<{ ags: string; district: string }>`
      select o.ags as ags, k.name as district from organisations o join organisations k on k.id = o.district_id where o.kind = 'gemeinde'`.execute(db);
    for (const d of districts) assert.equal(rows.find((r) => r.ags === d.ags)?.district, d.district);
  });

  it('answers an unknown filter value with a German message and keeps the other choices', async () => {
    const res = await anonymous('/karte?handlungsfeld=health&reife=bald');
    assert.equal(res.statusCode, 422);
    assert.ok(res.body.includes('Den Reifegrad „bald“ gibt es hier nicht'), 'the message names the value');
    assert.match(res.body, /<option value="health" selected>/);
    assert.match(res.body, /<select id="f-reife" name="reife" aria-invalid="true"/);
    // The rest of the choice still applies: the map counts the field of action.
    assertCounts(res.body, await expectedCounts('public', { field: 'health' }));

    const unknown = await anonymous(`/karte?loesung=${slugs.search}&reife=pilot`);
    assert.equal(unknown.statusCode, 422, 'a members-only solution is unknown to the public');
    assert.ok(unknown.body.includes(`Die Lösung „${slugs.search}“ ist auf der Karte nicht zu finden`));
    assert.match(unknown.body, /<option value="pilot" selected>/);
    assert.equal((await anonymous('/karte?handlungsfeld=nirgends')).statusCode, 422);
  });

  it('keeps every municipality inside the viewBox, also for a file wound the RFC 7946 way', () => {
    const inside = (geo: { width: number; height: number; municipalities: { d: string }[]; districts: { d: string }[] }) => {
      for (const shape of [...geo.municipalities, ...geo.districts]) {
        assert.ok(shape.d.startsWith('M'), 'a drawn outline');
        for (const [x, y] of pointsOf(shape.d)) {
          assert.ok(x >= 0 && x <= geo.width && y >= 0 && y <= geo.height, `point ${x},${y}`);
        }
      }
    };
    const shipped = regionGeo(t.config.regionGeojson);
    inside(shipped);

    // The same region with every ring turned round, as a file following RFC 7946 would have it.
    const dir = mkdtempSync(join(tmpdir(), 'map-'));
    try {
      const data = JSON.parse(readFileSync(GEOJSON, 'utf8'));
      for (const f of data.features) f.geometry.coordinates = f.geometry.coordinates.map((ring: unknown[]) => [...ring].reverse());
      writeFileSync(join(dir, 'ccw.geojson'), JSON.stringify(data));
      const turned = projectRegion(readAreas(join(dir, 'ccw.geojson')));
      inside(turned);
      assert.equal(turned.height, shipped.height);

      // A file that cannot be drawn stops the start with a message.
      writeFileSync(join(dir, 'empty.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [] }));
      assert.throws(() => regionGeo(join(dir, 'empty.geojson')), /no features/);
      data.features[3].properties.ags = '';
      writeFileSync(join(dir, 'no-ags.geojson'), JSON.stringify(data));
      assert.throws(() => regionGeo(join(dir, 'no-ags.geojson')), /feature 4 has no ags/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('puts the legend classes at 0, 1, 2–3, 4–6 and 7 or more', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 6, 7, 100].map(shadeClass), ['shade-0', 'shade-1', 'shade-2', 'shade-2', 'shade-3', 'shade-3', 'shade-4', 'shade-4']);
  });

  it('offers a compact figure for the home page: tables folded away, a link to the full map', async () => {
    const geo = regionGeo(t.config.regionGeojson);
    const ctx = { t: translatorFor('de'), lang: 'de' as const, regionName: 'Südwestfalen' };
    const html = await cachedCompactMap(db, geo, 'public', ctx);
    assert.equal(await cachedCompactMap(db, geo, 'public', ctx), html);
    assert.equal(mapOf(html).areas.length, 59);
    assert.match(html, /<details class="region-map-tables"><summary>Daten als Tabelle<\/summary>/);
    assert.match(html, /<a href="\/karte">Karte mit Filtern<\/a>/);
    assert.ok(!html.includes('<form'), 'no filter form');
    assertCounts(html, await expectedCounts('public'));
  });

  it('serves the same page while nothing changes and redraws it after a new deployment', async () => {
    const first = await anonymous('/karte');
    const again = await anonymous('/karte');
    assert.equal(again.body, first.body, 'identical bytes from the cache');
    const before = mapOf(first.body).areas.find((a) => a.ags === ags.Olpe)!;
    assert.equal(before.shade, 'shade-1');

    const { visitor } = await signedIn(t.app, db, 'member', { organisation: 'Olpe' });
    const posted = await visitor.submit(`/loesungen/${slugs.chatbot}/einsatz`, { status: 'production', visibility: 'public' });
    assert.equal(posted.statusCode, 303);

    const after = await anonymous('/karte');
    assert.notEqual(after.body, first.body);
    const olpeAfter = mapOf(after.body).areas.find((a) => a.ags === ags.Olpe)!;
    assert.equal(olpeAfter.shade, 'shade-2');
    assert.equal(olpeAfter.title, 'Olpe: 2 Lösungen im Einsatz');
    assertCounts(after.body, await expectedCounts('public'));
  });
});

describe('map of another region', () => {
  let t: TestApp;
  let dir: string;

  before(async () => {
    // Another region's file of the same shape: here the district of Olpe alone, plus one municipality
    // whose AGS no organisation has.
    dir = mkdtempSync(join(tmpdir(), 'region-'));
    const all = JSON.parse(readFileSync(GEOJSON, 'utf8')) as { type: string; features: { properties: Record<string, unknown> }[] };
    const olpe = all.features.filter((f) => String(f.properties.ags).startsWith('05966'));
    const stranger = { ...olpe.find((f) => f.properties.name === 'Wenden')!, properties: { level: 'gemeinde', ags: '09999999', name: 'Anderswo' } };
    writeFileSync(join(dir, 'olpe.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [...olpe, stranger] }));
    t = await startTestApp({ REGION_GEOJSON: join(dir, 'olpe.geojson') });
    await completeSetup(t.database.db);
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws the municipalities of the file given, matched to the organisations by AGS', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/karte' });
    assert.equal(res.statusCode, 200);
    const { areas } = mapOf(res.body);
    const organisations = await t.database.db.selectFrom('organisations').select(['ags', 'slug']).where('ags', 'like', '05966%').where('kind', '=', 'gemeinde').execute();
    assert.equal(organisations.length, 7);
    assert.deepEqual(areas.filter((a) => a.href).map((a) => `${a.ags} ${a.href}`).sort(), organisations.map((o) => `${o.ags} /organisationen/${o.slug}`).sort());
    const unknown = areas.find((a) => a.ags === '09999999')!;
    assert.equal(unknown.href, null, 'an AGS without organisation is drawn without a link');
    assert.match(unknown.title, /^Anderswo: /);
  });
});
