import type { Db, Tx } from '../../platform/db/database.js';
import type { T } from '../../platform/i18n/index.js';
import * as q from './queries.js';

export { loadRegion } from './region.js';

export const findOrganisation = (db: Db | Tx, id: number) => q.findOrganisationById(db, id);
export const findOrCreateOtherOrganisation = q.findOrCreateOtherOrganisation;
export const findOrganisationByReference = q.findOrganisationByReference;

/** Choices for an organisation field, grouped by district, with the other bodies in their own group. */
export async function organisationOptions(db: Db, t: T) {
  const rows = await q.listOrganisationChoices(db);
  return rows.map((r) => ({
    value: String(r.id),
    label: r.name,
    group: r.kind === 'kreis' ? t('organisations.districtsGroup') : r.kind === 'gemeinde' ? r.district_name ?? '' : t('kinds.andere'),
  })).sort((a, b) => a.group.localeCompare(b.group, 'de') || a.label.localeCompare(b.label, 'de'));
}

export async function organisationPage(db: Db, slug: string, withPeople: boolean) {
  const org = await q.findOrganisationBySlug(db, slug);
  if (!org) return null;
  const [memberCount, people, municipalities] = await Promise.all([
    q.countActiveMembersOf(db, org.id),
    withPeople ? q.listActiveMembersOf(db, org.id) : Promise.resolve([]),
    org.kind === 'kreis' ? q.listMunicipalitiesOf(db, org.id) : Promise.resolve([]),
  ]);
  return { org, memberCount, people, municipalities };
}

export const organisationDirectory = q.listOrganisationsWithCounts;
