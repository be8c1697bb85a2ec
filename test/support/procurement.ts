import { DateTime } from 'luxon';
import type { Db } from '../../src/platform/db/database.js';
import type { CurrentUser } from '../../src/platform/policy.js';
import { changeState, createInitiative, parseInitiative } from '../../src/modules/procurement/service.js';
import { viewerOf } from './catalogue.js';
import { createUser } from './factories.js';
import { berlinDate } from './meetings.js';

/**
 * A complete, valid initiative form: 36 months plus 12 months of options, declarations until in 14 days,
 * licences at 10,00 € from 1, 8,00 € from 50 and 6,50 € from 200 per month.
 */
export function initiativeForm(fields: Record<string, string> = {}): Record<string, string> {
  return {
    title: 'KI-Assistent für Bürgeranfragen', description: 'Gemeinsame Lizenzen für den **Chat-Assistenten**.',
    product: 'KI-Assistent, Cloud-Lizenz', vendor: 'Beispiel GmbH', solution: '',
    unit: 'licence', contract_kind: 'supplies_services', term_months: '36', option_months: '12',
    planned_start: '2027-03-01', deadline_date: berlinDate(14), deadline_time: '12:00', one_time_fee: '',
    tier_min_1: '1', tier_price_1: '10,00', tier_min_2: '50', tier_price_2: '8,00', tier_min_3: '200', tier_price_3: '6,50',
    ...fields,
  };
}

/** A member of the given organisation, as the service sees them. */
export async function memberOf(db: Db, organisation: string, role: 'member' | 'moderator' | 'admin' = 'member'): Promise<CurrentUser> {
  return viewerOf(db, (await createUser(db, { role, organisation, name: `Person aus ${organisation}` })).id);
}

/** Creates an initiative through the service and starts collecting demand; returns its id. */
export async function collectingInitiative(db: Db, lead: CurrentUser, fields: Record<string, string> = {}): Promise<number> {
  const { id } = await createInitiative(db, lead, parseInitiative(initiativeForm(fields), {}));
  await changeState(db, lead, id, 'collecting');
  return id;
}

/** Lets the deadline for declarations pass, as time would. */
export async function passDeadline(db: Db, id: number): Promise<void> {
  await db.updateTable('procurement_initiatives').set({ deadline_at: DateTime.utc().minus({ minutes: 1 }).toISO()! }).where('id', '=', id).execute();
}
