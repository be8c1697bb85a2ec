import type { Db, Tx } from '../../platform/db/database.js';
import type { AiActChecksTable } from '../../platform/db/schema.js';
import { forUpdate } from '../../platform/db/dialect.js';
import type { Insertable, Updateable } from 'kysely';

const CHECK_COLUMNS = [
  'c.id', 'c.solution_id', 'c.deployment_id', 'c.organisation_id', 'c.title', 'c.answers', 'c.status', 'c.rule_version', 'c.risk_class', 'c.result',
  'c.created_by', 'c.created_at', 'c.updated_at', 'c.completed_at', 'u.name as created_by_name', 'o.name as organisation_name',
  'c.withdrawn_at', 'c.register_published_at', 'c.register_purpose', 'c.register_contact', 'c.register_oversight', 'c.register_legal_basis',
  's.slug as solution_slug', 's.visibility as solution_visibility', 's.organisation_id as solution_organisation_id',
] as const;

function checks(db: Db | Tx) {
  return db.selectFrom('ai_act_checks as c').leftJoin('users as u', 'u.id', 'c.created_by').innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .leftJoin('solutions as s', 's.id', 'c.solution_id');
}

export async function findCheck(db: Db | Tx, id: number) {
  return checks(db).select([...CHECK_COLUMNS]).where('c.id', '=', id).executeTakeFirst();
}

/** The check row, locked until the transaction ends (PostgreSQL), so two answers to one draft are applied one after the other. */
export async function lockCheck(trx: Tx, id: number) {
  return forUpdate(trx, trx.selectFrom('ai_act_checks').selectAll().where('id', '=', id)).executeTakeFirst();
}

export async function insertCheck(db: Db | Tx, row: Insertable<AiActChecksTable>): Promise<number> {
  return (await db.insertInto('ai_act_checks').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateCheck(trx: Tx, id: number, set: Updateable<AiActChecksTable>) {
  await trx.updateTable('ai_act_checks').set(set).where('id', '=', id).execute();
}

/** Every check of a solution as its describing organisation runs it (not those of other organisations' deployments), newest first. */
export async function checksOfSolution(db: Db, solutionId: number) {
  return checks(db).select([...CHECK_COLUMNS]).where('c.solution_id', '=', solutionId).where('c.deployment_id', 'is', null).orderBy('c.id', 'desc').execute();
}

/** Every check of one organisation's deployment, newest first. */
export async function checksOfDeployment(db: Db, deploymentId: number) {
  return checks(db).select([...CHECK_COLUMNS]).where('c.deployment_id', '=', deploymentId).orderBy('c.id', 'desc').execute();
}

/** Every check an organisation ran, newest first, with the solution's address where there is one. */
export async function checksOfOrganisation(db: Db, organisationId: number) {
  return checks(db).select([...CHECK_COLUMNS])
    .where('c.organisation_id', '=', organisationId).orderBy('c.id', 'desc').execute();
}

/** Which check set a solution's risk class. */
export async function solutionCheckRef(trx: Tx, solutionId: number) {
  return trx.selectFrom('solutions').select(['ai_act_check_id']).where('id', '=', solutionId).executeTakeFirst();
}

/** The newest completed, not withdrawn check of a solution as its describing organisation ran it (not a deployment's). */
export async function latestValidCheck(trx: Tx, solutionId: number) {
  return trx.selectFrom('ai_act_checks').select(['id', 'risk_class', 'rule_version', 'result'])
    .where('solution_id', '=', solutionId).where('deployment_id', 'is', null).where('status', '=', 'complete').where('withdrawn_at', 'is', null)
    .orderBy('id', 'desc').executeTakeFirst();
}

/** Which check set a deployment's own risk class. */
export async function deploymentCheckRef(trx: Tx, deploymentId: number) {
  return trx.selectFrom('deployments').select(['ai_act_check_id']).where('id', '=', deploymentId).executeTakeFirst();
}

/** The newest completed, not withdrawn check of one organisation's deployment. */
export async function latestValidDeploymentCheck(trx: Tx, deploymentId: number) {
  return trx.selectFrom('ai_act_checks').select(['id', 'risk_class', 'rule_version', 'result'])
    .where('deployment_id', '=', deploymentId).where('status', '=', 'complete').where('withdrawn_at', 'is', null)
    .orderBy('id', 'desc').executeTakeFirst();
}

/** A deployment whose only check was withdrawn: it shows the solution's class again. */
export async function clearDeploymentCheck(trx: Tx, deploymentId: number, now: string) {
  await trx.updateTable('deployments')
    .set({ ai_act_class: null, ai_act_check_id: null, ai_act_checked_at: null, ai_act_rule_version: null, updated_at: now })
    .where('id', '=', deploymentId).execute();
}

/** A solution whose only check was withdrawn: no class from a check any more. */
export async function clearSolutionCheck(trx: Tx, solutionId: number, c: { version: number; userId: number; now: string }) {
  await trx.updateTable('solutions')
    .set({ ai_act_class: null, ai_act_check_id: null, ai_act_checked_at: null, ai_act_rule_version: null, version: c.version, updated_by: c.userId, updated_at: c.now })
    .where('id', '=', solutionId).execute();
}

/** An organisation's checks without a catalogue entry that it published to its transparency register. */
export async function registerEntriesOf(db: Db, organisationId: number) {
  return db.selectFrom('ai_act_checks').select([
    'id', 'title', 'risk_class', 'rule_version', 'completed_at', 'register_published_at', 'register_purpose', 'register_contact', 'register_oversight', 'register_legal_basis',
  ])
    .where('organisation_id', '=', organisationId).where('solution_id', 'is', null).where('status', '=', 'complete')
    .where('withdrawn_at', 'is', null).where('register_published_at', 'is not', null)
    .orderBy('title').orderBy('id').execute();
}
