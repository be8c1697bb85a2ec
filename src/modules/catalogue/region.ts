import { sql, type RawBuilder } from 'kysely';

/**
 * Whether a solution is the region's own content: described by a member organisation (not imported from a
 * public register) or run by one — any deployment but mere interest. `alias` names the solutions table in
 * the query; `deploymentVisibilities` limits which deployments count (a public figure counts public ones only).
 */
export function regionalSolution(alias: string, deploymentVisibilities?: readonly string[]): RawBuilder<boolean> {
  const visible = deploymentVisibilities ? sql` and rd.visibility in (${sql.join([...deploymentVisibilities])})` : sql``;
  return sql<boolean>`(${sql.ref(`${alias}.source`)} = 'own' or exists (select 1 from deployments rd where rd.solution_id = ${sql.ref(`${alias}.id`)} and rd.status <> 'interested'${visible}))`;
}

/** "region" or "registers" for a solution, as the catalogue's origin facet counts it. */
export function originOf(alias: string): RawBuilder<string> {
  return sql<string>`case when ${regionalSolution(alias)} then 'region' else 'registers' end`;
}

/** The statuses at which a solution counts as running (the home page, the charts). */
export const RUNNING = ['pilot', 'production'] as const;

/**
 * Solutions whose describing organisation runs them at their maturity without having marked a deployment of
 * its own (which would be counted as a deployment already): the implied deployments of the owners.
 */
export function impliedOwnerRunning(alias: string): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${alias}.organisation_id`)} is not null and ${sql.ref(`${alias}.maturity`)} in ('pilot', 'production')
    and not exists (select 1 from deployments od where od.solution_id = ${sql.ref(`${alias}.id`)} and od.organisation_id = ${sql.ref(`${alias}.organisation_id`)}))`;
}
