import type { Db } from '../../platform/db/database.js';
import { visibleFor, type Audience } from '../../platform/audience.js';

/** One organisation's tie to one solution, as stored: a deployment's status or, for its owner, the solution's maturity. */
export interface Tie {
  organisationId: number;
  solutionId: number;
  slug: string;
  title: string;
  titleKey: string;
  fieldOfAction: string | null;
  stage: string;
}

/**
 * Deployments and owned solutions the audience may see. A retired solution, a retired deployment and
 * an owned solution that is not yet running (its owner's plans are not a deployment) never count.
 */
export async function listTies(db: Db, audience: Audience): Promise<Tie[]> {
  const visible = visibleFor(audience);
  const [deployed, owned] = await Promise.all([
    db.selectFrom('deployments as d').innerJoin('solutions as s', 's.id', 'd.solution_id')
      .select(['d.organisation_id', 'd.solution_id', 'd.status as stage', 's.slug', 's.title', 's.title_key', 's.field_of_action'])
      .where('d.visibility', 'in', visible).where('s.visibility', 'in', visible)
      .where('d.status', '!=', 'retired').where('s.maturity', '!=', 'retired')
      .execute(),
    db.selectFrom('solutions as s')
      .select(['s.organisation_id', 's.id as solution_id', 's.maturity as stage', 's.slug', 's.title', 's.title_key', 's.field_of_action'])
      .where('s.organisation_id', 'is not', null).where('s.visibility', 'in', visible).where('s.maturity', 'in', ['pilot', 'production'])
      .execute(),
  ]);
  return [...deployed, ...owned].map((r) => ({
    organisationId: r.organisation_id!, solutionId: r.solution_id, slug: r.slug, title: r.title, titleKey: r.title_key,
    fieldOfAction: r.field_of_action, stage: r.stage,
  }));
}

/** Organisations with an AGS (municipalities and districts), with the name of their district. */
export function listPlacedOrganisations(db: Db) {
  return db.selectFrom('organisations as o').leftJoin('organisations as k', 'k.id', 'o.district_id')
    .select(['o.id', 'o.ags', 'o.slug', 'o.name', 'k.name as district_name'])
    .where('o.ags', 'is not', null)
    .execute();
}
