import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import { nowIso } from '../../platform/clock.js';
import { insertWithFreeSlug, slugify } from '../../platform/slug.js';

export async function listOrganisationsWithCounts(db: Db) {
  return db.selectFrom('organisations as o')
    .leftJoin('organisations as d', 'd.id', 'o.district_id')
    .select((eb) => [
      'o.id', 'o.slug', 'o.name', 'o.kind', 'o.ags', 'o.population', 'd.name as district_name',
      eb.selectFrom('users').select(sql<number>`count(*)`.as('n')).whereRef('users.organisation_id', '=', 'o.id').where('users.active', '=', 1).as('member_count'),
    ])
    .orderBy(sql`case o.kind when 'kreis' then 0 when 'gemeinde' then 1 else 2 end`)
    .orderBy('o.name')
    .execute();
}

/** Organisations for a choice list: districts and municipalities grouped by district, others last. */
export async function listOrganisationChoices(db: Db) {
  return db.selectFrom('organisations as o')
    .leftJoin('organisations as d', 'd.id', 'o.district_id')
    .select(['o.id', 'o.name', 'o.kind', 'd.name as district_name'])
    .orderBy('o.name').execute();
}

export async function findOrganisationBySlug(db: Db, slug: string) {
  return db.selectFrom('organisations as o')
    .leftJoin('organisations as d', 'd.id', 'o.district_id')
    .select(['o.id', 'o.slug', 'o.name', 'o.kind', 'o.ags', 'o.population', 'o.district_id', 'd.name as district_name', 'd.slug as district_slug'])
    .where('o.slug', '=', slug).executeTakeFirst();
}

export async function findOrganisationById(db: Db | Tx, id: number) {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listMunicipalitiesOf(db: Db, districtId: number) {
  return db.selectFrom('organisations').select(['slug', 'name', 'population']).where('district_id', '=', districtId).orderBy('name').execute();
}

export async function listActiveMembersOf(db: Db, organisationId: number) {
  return db.selectFrom('users').select(['id', 'name', 'job_function', 'expertise'])
    .where('organisation_id', '=', organisationId).where('active', '=', 1).orderBy('name').execute();
}

export async function countActiveMembersOf(db: Db, organisationId: number): Promise<number> {
  const row = await db.selectFrom('users').select(sql<number>`count(*)`.as('n'))
    .where('organisation_id', '=', organisationId).where('active', '=', 1).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Finds an organisation outside the reference data by name, or creates it. */
export async function findOrCreateOtherOrganisation(db: Db | Tx, name: string): Promise<number> {
  const existing = await db.selectFrom('organisations').select('id').where(sql`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
  if (existing) return existing.id;
  const row = await insertWithFreeSlug(db, 'organisations', slugify(name).slice(0, 74),
    (slug) => ({ slug, name, kind: 'andere' as const, ags: null, district_id: null, population: null, lat: null, lon: null, created_at: nowIso() }));
  return row.id;
}

/** An organisation named by its slug, its official key (AGS) or its name (any case). */
export async function findOrganisationByReference(db: Db | Tx, reference: string) {
  const ref = reference.trim();
  return db.selectFrom('organisations').select(['id', 'name', 'slug'])
    .where((eb) => eb.or([eb('slug', '=', ref), eb('ags', '=', ref), eb(sql`lower(name)`, '=', ref.toLowerCase())]))
    .orderBy('id').executeTakeFirst();
}
