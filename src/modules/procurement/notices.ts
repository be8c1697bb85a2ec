import type { Db, Tx } from '../../platform/db/database.js';
import type { NotificationKind, ProcurementState } from '../../platform/db/schema.js';
import { notify, onceForOccasion } from '../notifications/service.js';

/** Following this tag of the questions means following procurement: such people hear of every collection that starts. */
export const PROCUREMENT_TAG = 'beschaffung';

/** A deadline this close (and not passed) is announced once to everyone concerned. */
export const DEADLINE_NOTICE_DAYS = 3;

type Initiative = { id: number; title: string; product: string; deadline_at: string; lead_organisation_id: number; solution_slug: string | null };

/**
 * Who hears that an initiative collects demand: the active members who follow procurement (the tag
 * "beschaffung") or the field of action of the linked solution, and the member whose address is that
 * solution's contact.
 */
async function interestedIn(db: Db | Tx, i: Initiative): Promise<number[]> {
  const solution = i.solution_slug
    ? await db.selectFrom('solutions').select(['field_of_action', 'contact_email']).where('slug', '=', i.solution_slug).executeTakeFirst()
    : undefined;
  const field = solution?.field_of_action ?? null;
  const followers = await db.selectFrom('follows as f').innerJoin('users as u', 'u.id', 'f.user_id')
    .select('f.user_id').distinct().where('u.active', '=', 1)
    .where((eb) => eb.or([
      eb.and([eb('f.kind', '=', 'tag'), eb('f.value', '=', PROCUREMENT_TAG)]),
      ...(field ? [eb.and([eb('f.kind', '=', 'field'), eb('f.value', '=', field)])] : []),
    ])).execute();
  const ids = followers.map((r) => r.user_id);
  const contact = solution?.contact_email.trim().toLowerCase();
  if (contact) {
    const person = await db.selectFrom('users').select('id').where('active', '=', 1).where('email', '=', contact).executeTakeFirst();
    if (person) ids.push(person.id);
  }
  return ids;
}

/** The active members of the lead organisation and of every organisation that declared demand. */
async function participants(db: Db | Tx, i: Initiative): Promise<number[]> {
  const declared = await db.selectFrom('procurement_declarations').select('organisation_id').where('initiative_id', '=', i.id).execute();
  const organisations = [...new Set([i.lead_organisation_id, ...declared.map((d) => d.organisation_id)])];
  const rows = await db.selectFrom('users').select('id').where('organisation_id', 'in', organisations).where('active', '=', 1).execute();
  return rows.map((r) => r.id);
}

const STATE_NOTICES: Partial<Record<ProcurementState, { kind: NotificationKind; messageKey: string }>> = {
  collecting: { kind: 'procurement_started', messageKey: 'communityNotices.messages.procurementStarted' },
  binding: { kind: 'procurement_bound', messageKey: 'communityNotices.messages.procurementBound' },
  handed_over: { kind: 'procurement_handed_over', messageKey: 'communityNotices.messages.procurementHandedOver' },
  cancelled: { kind: 'procurement_withdrawn', messageKey: 'communityNotices.messages.procurementWithdrawn' },
};

/**
 * Tells the people concerned that an initiative moved on, in the transaction of the change: a collection that
 * starts reaches those interested in it, binding, hand-over and withdrawal the participating organisations.
 * Whoever made the change is left out.
 */
export async function noticeStateChange(trx: Tx, i: Initiative, to: ProcurementState, actorId: number): Promise<void> {
  const notice = STATE_NOTICES[to];
  if (!notice) return;
  const people = to === 'collecting' ? await interestedIn(trx, i) : await participants(trx, i);
  await notify(trx, {
    userIds: people.filter((id) => id !== actorId), kind: notice.kind, messageKey: notice.messageKey,
    params: { title: i.title, product: i.product, deadline: i.deadline_at },
    url: `/beschaffung/${i.id}`, dedupeKey: `procurement:${i.id}:${to}`,
  });
}

/**
 * Announces each collection whose deadline is at most three days away, once: to those interested and to the
 * participating organisations. Safe to run often, twice, or on several instances at once. Returns how many
 * initiatives were announced by this run.
 */
export async function sendDeadlineNotices(db: Db, now: Date = new Date()): Promise<number> {
  const from = now.toISOString();
  const until = new Date(now.getTime() + DEADLINE_NOTICE_DAYS * 24 * 3600_000).toISOString();
  const due = await db.selectFrom('procurement_initiatives')
    .select(['id', 'title', 'product', 'deadline_at', 'lead_organisation_id', 'solution_slug'])
    .where('state', '=', 'collecting').where('deadline_at', '>', from).where('deadline_at', '<=', until).orderBy('id').execute();
  let sent = 0;
  for (const i of due) {
    const done = await onceForOccasion(db, `procurement-deadline:${i.id}:${i.deadline_at}`, async (trx) => {
      const people = [...await interestedIn(trx, i), ...await participants(trx, i)];
      await notify(trx, {
        userIds: people, kind: 'procurement_deadline', messageKey: 'communityNotices.messages.procurementDeadline',
        params: { title: i.title, deadline: i.deadline_at }, url: `/beschaffung/${i.id}`, dedupeKey: `procurement:${i.id}:deadline:${i.deadline_at}`,
      });
    });
    if (done) sent++;
  }
  return sent;
}

/** Whether the person follows procurement (the tag "beschaffung"). */
export async function followsProcurement(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom('follows').select('user_id').where('user_id', '=', userId).where('kind', '=', 'tag').where('value', '=', PROCUREMENT_TAG).executeTakeFirst();
  return row !== undefined;
}
