import type { Kysely } from 'kysely';

/**
 * A deployment's own details: the cost actually paid as an amount with its period (summed per solution), and
 * the adopting organisation's own AI Act self-check (its risk class, which check set it, when and under which
 * rules). A check remembers the deployment it was run for.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deployments').addColumn('cost_paid_eur', 'integer').execute();
  // 'once', 'year' or 'month'; null while no amount is given.
  await db.schema.alterTable('deployments').addColumn('cost_period', 'text').execute();
  await db.schema.alterTable('deployments').addColumn('ai_act_class', 'text').execute();
  await db.schema.alterTable('deployments').addColumn('ai_act_check_id', 'integer').execute();
  await db.schema.alterTable('deployments').addColumn('ai_act_checked_at', 'text').execute();
  await db.schema.alterTable('deployments').addColumn('ai_act_rule_version', 'text').execute();
  await db.schema.alterTable('ai_act_checks').addColumn('deployment_id', 'integer').execute();
  await db.schema.createIndex('ai_act_checks_deployment').on('ai_act_checks').columns(['deployment_id', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('The deployment details migration cannot be undone; restore a backup instead.');
}
