import { readFileSync } from 'node:fs';
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
export async function loadRegion(db: Db, files: { districtsCsv: string; municipalitiesCsv: string }): Promise<{ districts: number; municipalities: number }> {
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
  return { districts: districts.length, municipalities: municipalities.length };
}
