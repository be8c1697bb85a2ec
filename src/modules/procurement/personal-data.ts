import type { Db } from '../../platform/db/database.js';
import type { PersonalDataPart, Person } from '../../platform/personal-data.js';

/**
 * Initiatives started and declarations made by the person. Both are their organisation's and stay on deletion:
 * the other participants rely on the bundled quantities.
 */
export const procurementPart: PersonalDataPart = {
  section: 'procurement',
  async collect(db: Db, person: Person, baseUrl: string) {
    const link = (id: number) => `${baseUrl}/beschaffung/${id}`;
    const initiatives = await db.selectFrom('procurement_initiatives').select(['id', 'title', 'state', 'created_at']).where('created_by', '=', person.id).orderBy('id').execute();
    const declarations = await db.selectFrom('procurement_declarations as d').innerJoin('procurement_initiatives as i', 'i.id', 'd.initiative_id')
      .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
      .select(['i.id', 'i.title', 'o.name as organisation', 'd.quantity', 'd.max_quantity', 'd.created_at', 'd.updated_at'])
      .where('d.declared_by', '=', person.id).orderBy('d.id').execute();
    const limits = await db.selectFrom('procurement_limits as l').innerJoin('organisations as o', 'o.id', 'l.organisation_id')
      .select(['o.name as organisation', 'l.limit_cents', 'l.note', 'l.updated_at']).where('l.updated_by', '=', person.id).execute();
    return {
      initiativesStarted: initiatives.map((i) => ({ title: i.title, state: i.state, link: link(i.id), createdAt: i.created_at })),
      declarations: declarations.map((d) => ({ initiative: d.title, link: link(d.id), organisation: d.organisation, quantity: d.quantity, maxQuantity: d.max_quantity, createdAt: d.created_at, updatedAt: d.updated_at })),
      valueLimitsEntered: limits.map((l) => ({ organisation: l.organisation, limitCents: l.limit_cents, note: l.note, updatedAt: l.updated_at })),
    };
  },
  async erase() {},
};
