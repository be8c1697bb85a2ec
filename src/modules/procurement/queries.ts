import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import { forUpdate } from '../../platform/db/dialect.js';
import type { ProcurementDeclarationsTable, ProcurementInitiativesTable, ProcurementState } from '../../platform/db/schema.js';

export type InitiativeRow = Selectable<ProcurementInitiativesTable> & { lead_organisation_name: string };
export type DeclarationRow = Selectable<ProcurementDeclarationsTable> & { organisation_name: string };
export interface TierRow { initiative_id: number; min_quantity: number; unit_price_cents: number }

function initiatives(db: Db | Tx) {
  return db.selectFrom('procurement_initiatives as i').innerJoin('organisations as o', 'o.id', 'i.lead_organisation_id')
    .selectAll('i').select('o.name as lead_organisation_name');
}

export async function findInitiative(db: Db | Tx, id: number): Promise<InitiativeRow | undefined> {
  return initiatives(db).where('i.id', '=', id).executeTakeFirst();
}

/** Reads the initiative and, on PostgreSQL, locks it until the transaction ends: declarations and state changes queue up here. */
export async function lockInitiative(trx: Tx, id: number): Promise<Selectable<ProcurementInitiativesTable> | undefined> {
  return forUpdate(trx, trx.selectFrom('procurement_initiatives').selectAll().where('id', '=', id)).executeTakeFirst();
}

export async function insertInitiative(db: Tx, values: Insertable<ProcurementInitiativesTable>): Promise<number> {
  return (await db.insertInto('procurement_initiatives').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** Saves a change and raises the sequence; false when someone else changed the initiative in between. */
export async function updateInitiative(db: Tx, id: number, sequence: number, values: Updateable<ProcurementInitiativesTable>): Promise<boolean> {
  const res = await db.updateTable('procurement_initiatives').set({ ...values, sequence: sequence + 1 })
    .where('id', '=', id).where('sequence', '=', sequence).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Initiatives newest first; drafts only of the given organisation (all drafts when null). */
export async function listInitiatives(db: Db, draftsOf: number | 'all' | 'none') {
  let q = initiatives(db);
  if (draftsOf === 'none') q = q.where('i.state', '!=', 'draft');
  else if (draftsOf !== 'all') q = q.where((eb) => eb.or([eb('i.state', '!=', 'draft'), eb('i.lead_organisation_id', '=', draftsOf)]));
  return q.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').execute();
}

export async function initiativesInStates(db: Db, states: ProcurementState[]) {
  return db.selectFrom('procurement_initiatives').selectAll().where('state', 'in', states).orderBy('id').execute();
}

export async function tiersOf(db: Db | Tx, initiativeIds: number[]): Promise<TierRow[]> {
  if (initiativeIds.length === 0) return [];
  return db.selectFrom('procurement_tiers').selectAll().where('initiative_id', 'in', initiativeIds)
    .orderBy('initiative_id').orderBy('min_quantity').execute();
}

export async function replaceTiers(trx: Tx, initiativeId: number, tiers: { minQuantity: number; unitPriceCents: number }[]) {
  await trx.deleteFrom('procurement_tiers').where('initiative_id', '=', initiativeId).execute();
  if (tiers.length === 0) return;
  await trx.insertInto('procurement_tiers')
    .values(tiers.map((t) => ({ initiative_id: initiativeId, min_quantity: t.minQuantity, unit_price_cents: t.unitPriceCents }))).execute();
}

export async function declarationsOf(db: Db | Tx, initiativeIds: number[]): Promise<DeclarationRow[]> {
  if (initiativeIds.length === 0) return [];
  return db.selectFrom('procurement_declarations as d').innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .selectAll('d').select('o.name as organisation_name').where('d.initiative_id', 'in', initiativeIds)
    .orderBy('d.initiative_id').orderBy('d.id').execute();
}

export async function findDeclaration(db: Db | Tx, initiativeId: number, organisationId: number) {
  return db.selectFrom('procurement_declarations').selectAll()
    .where('initiative_id', '=', initiativeId).where('organisation_id', '=', organisationId).executeTakeFirst();
}

export async function insertDeclaration(trx: Tx, values: Insertable<ProcurementDeclarationsTable>) {
  await trx.insertInto('procurement_declarations').values(values).execute();
}

export async function updateDeclaration(trx: Tx, id: number, values: Updateable<ProcurementDeclarationsTable>) {
  await trx.updateTable('procurement_declarations').set(values).where('id', '=', id).execute();
}

export async function deleteDeclaration(trx: Tx, id: number) {
  await trx.deleteFrom('procurement_declarations').where('id', '=', id).execute();
}

export async function limitsOf(db: Db | Tx, organisationIds: number[]) {
  if (organisationIds.length === 0) return [];
  return db.selectFrom('procurement_limits as l').innerJoin('organisations as o', 'o.id', 'l.organisation_id')
    .select(['l.organisation_id', 'l.limit_cents', 'l.note', 'l.updated_at', 'o.name as organisation_name'])
    .where('l.organisation_id', 'in', organisationIds).execute();
}

export async function saveLimit(trx: Tx, organisationId: number, limitCents: number, note: string, by: number, at: string) {
  await trx.insertInto('procurement_limits').values({ organisation_id: organisationId, limit_cents: limitCents, note, updated_by: by, updated_at: at })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ limit_cents: limitCents, note, updated_by: by, updated_at: at })).execute();
}

export async function removeLimit(trx: Tx, organisationId: number) {
  await trx.deleteFrom('procurement_limits').where('organisation_id', '=', organisationId).execute();
}

export async function organisationName(db: Db | Tx, id: number): Promise<string | undefined> {
  return (await db.selectFrom('organisations').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

export async function organisationOptions(db: Db) {
  return db.selectFrom('organisations').select(['id', 'name']).orderBy('name').execute();
}

/** The people of the given organisations who take mail, for telling participants of a change. */
export async function mailRecipients(db: Tx, organisationIds: number[]) {
  if (organisationIds.length === 0) return [];
  return db.selectFrom('users').select(['id', 'name', 'email', 'organisation_id'])
    .where('organisation_id', 'in', organisationIds).where('active', '=', 1).where('notify_email', '=', 1).orderBy('id').execute();
}

export async function allLimits(db: Db) {
  return db.selectFrom('procurement_limits as l').innerJoin('organisations as o', 'o.id', 'l.organisation_id')
    .select(['l.organisation_id', 'l.limit_cents', 'l.note', 'l.updated_at', 'o.name as organisation_name']).orderBy('o.name').execute();
}
