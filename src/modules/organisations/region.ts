import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { parse } from 'csv-parse/sync';
import type { Db } from '../../platform/db/database.js';
import { nowIso } from '../../platform/clock.js';
import { slugify } from '../../platform/slug.js';

interface DistrictRow { kreis_ags: string; name: string; population: string; lat: string; lon: string }
interface MunicipalityRow { ags: string; name: string; kreis_ags: string; population: string; lat: string; lon: string }

function readCsv<T>(file: string, required: string[]): T[] {
  // The columns are checked against the header line, so a file without rows is checked too.
  let header: string[] = [];
  const rows = parse(readFileSync(file, 'utf8'), { columns: (names: string[]) => (header = names), skip_empty_lines: true, bom: true, trim: true }) as Record<string, string>[];
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) throw new Error(`${file}: missing columns ${missing.join(', ')}`);
  return rows as unknown as T[];
}

const num = (v: string) => (v === '' || v === undefined ? null : Number(v));

/**
 * Loads the region's districts and municipalities (AGS, population, coordinates) from its CSV files.
 * Runs at every start; rows are matched by AGS, so a re-run updates instead of duplicating.
 */
export async function loadRegion(db: Db, files: { districtsCsv: string; municipalitiesCsv: string; organisationsCsv?: string }): Promise<{ districts: number; municipalities: number; others: number }> {
  const districts = readCsv<DistrictRow>(files.districtsCsv, ['kreis_ags', 'name', 'population', 'lat', 'lon']);
  const municipalities = readCsv<MunicipalityRow>(files.municipalitiesCsv, ['ags', 'name', 'kreis_ags', 'population', 'lat', 'lon']);
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const upsert = async (row: { ags: string; name: string; kind: 'gemeinde' | 'kreis'; district_id: number | null; population: number | null; lat: number | null; lon: number | null }) => {
      const existingSlug = await trx.selectFrom('organisations').select('id').where('slug', '=', slugify(row.name)).where('ags', '!=', row.ags).executeTakeFirst();
      const slug = existingSlug ? `${slugify(row.name)}-${row.ags}` : slugify(row.name);
      await trx.insertInto('organisations').values({ ...row, slug, created_at: now })
        .onConflict((oc) => oc.column('ags').doUpdateSet({ name: row.name, kind: row.kind, district_id: row.district_id, population: row.population, lat: row.lat, lon: row.lon }))
        .execute();
    };
    for (const d of districts) {
      await upsert({ ags: d.kreis_ags, name: d.name, kind: 'kreis', district_id: null, population: num(d.population), lat: num(d.lat), lon: num(d.lon) });
    }
    const districtIds = new Map((await trx.selectFrom('organisations').select(['id', 'ags']).where('kind', '=', 'kreis').execute()).map((r) => [r.ags, r.id]));
    for (const m of municipalities) {
      const districtId = districtIds.get(m.kreis_ags);
      if (districtId === undefined) throw new Error(`${files.municipalitiesCsv}: ${m.name} names unknown district ${m.kreis_ags}`);
      await upsert({ ags: m.ags, name: m.name, kind: 'gemeinde', district_id: districtId, population: num(m.population), lat: num(m.lat), lon: num(m.lon) });
    }
  });
  const others = files.organisationsCsv ? await loadOtherOrganisations(db, files.organisationsCsv) : 0;
  return { districts: districts.length, municipalities: municipalities.length, others };
}

/**
 * The region's further bodies (its IT provider, agencies, associations) from a CSV file with a column "name": each is
 * offered as an organisation to choose. An organisation of that name that someone typed before ("andere
 * Organisation") is the same one and stays as it is; a missing file offers none. Runs at every start.
 */
export async function loadOtherOrganisations(db: Db, file: string): Promise<number> {
  if (!existsSync(file)) return 0;
  const rows = readCsv<{ name: string }>(file, ['name']).filter((r) => r.name);
  const now = nowIso();
  for (const { name } of rows) {
    await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('organisations').select('id').where(sql`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
      if (existing) return;
      const taken = await trx.selectFrom('organisations').select('id').where('slug', '=', slugify(name)).executeTakeFirst();
      await trx.insertInto('organisations').values({
        slug: taken ? `${slugify(name)}-${rows.length}` : slugify(name), name, kind: 'andere', ags: null, district_id: null, population: null, lat: null, lon: null, created_at: now,
      }).onConflict((oc) => oc.column('slug').doNothing()).execute();
    });
  }
  return rows.length;
}
