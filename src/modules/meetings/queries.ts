import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import { forUpdate } from '../../platform/db/dialect.js';
import type {
  AttendanceMode, MeetingMaterialsTable, MeetingRegistrationsTable, MeetingsTable, MeetingVisibility,
} from '../../platform/db/schema.js';

export type MeetingRow = Selectable<MeetingsTable>;
export type RegistrationRow = Selectable<MeetingRegistrationsTable>;

export async function findMeetingBySlug(db: Db | Tx, slug: string): Promise<MeetingRow | undefined> {
  return db.selectFrom('meetings').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Reads the meeting and, on PostgreSQL, locks it until the transaction ends: registrations for it queue up here. */
export async function lockMeeting(trx: Tx, id: number): Promise<MeetingRow | undefined> {
  return forUpdate(trx, trx.selectFrom('meetings').selectAll().where('id', '=', id)).executeTakeFirst();
}

/** Saves a change and raises the sequence; false when someone else changed the meeting in between. */
export async function updateMeeting(db: Tx, id: number, sequence: number, values: Updateable<MeetingsTable>): Promise<boolean> {
  const res = await db.updateTable('meetings').set({ ...values, sequence: sequence + 1 })
    .where('id', '=', id).where('sequence', '=', sequence).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Meetings a visitor may see, soonest first (upcoming) or latest first (past). */
export async function listMeetings(db: Db, opts: { visibilities: MeetingVisibility[]; from?: string; before?: string; limit: number }) {
  let q = db.selectFrom('meetings').selectAll().where('visibility', 'in', opts.visibilities);
  if (opts.from) q = q.where('ends_at', '>', opts.from);
  if (opts.before) q = q.where('ends_at', '<=', opts.before);
  return q.orderBy('starts_at', opts.before ? 'desc' : 'asc').orderBy('id', opts.before ? 'desc' : 'asc').limit(opts.limit).execute();
}

export async function meetingsInSeries(db: Db | Tx, series: string) {
  return db.selectFrom('meetings').selectAll().where('series', '=', series).orderBy('starts_at').orderBy('id').execute();
}

/** The next meeting of the same series that is not cancelled. */
export async function nextInSeries(db: Db | Tx, meeting: Pick<MeetingRow, 'id' | 'series' | 'starts_at'>): Promise<MeetingRow | undefined> {
  if (!meeting.series) return undefined;
  return db.selectFrom('meetings').selectAll()
    .where('series', '=', meeting.series).where('status', '!=', 'cancelled').where('id', '!=', meeting.id)
    .where((eb) => eb.or([eb('starts_at', '>', meeting.starts_at), eb.and([eb('starts_at', '=', meeting.starts_at), eb('id', '>', meeting.id)])]))
    .orderBy('starts_at').orderBy('id').executeTakeFirst();
}

export async function distinctSeries(db: Db) {
  return (await db.selectFrom('meetings').select('series').distinct().where('series', 'is not', null).orderBy('series').execute())
    .map((r) => r.series as string);
}

// Registrations ---------------------------------------------------------------------------------------

export type Counts = Record<AttendanceMode, { registered: number; waiting: number }>;

/** Registered and waiting people per attendance mode of each meeting. */
export async function registrationCounts(db: Db | Tx, meetingIds: number[]): Promise<Map<number, Counts>> {
  const result = new Map<number, Counts>();
  for (const id of meetingIds) result.set(id, { onsite: { registered: 0, waiting: 0 }, online: { registered: 0, waiting: 0 } });
  if (meetingIds.length === 0) return result;
  const rows = await db.selectFrom('meeting_registrations').select(['meeting_id', 'mode', 'status', sql<number>`count(*)`.as('n')])
    .where('meeting_id', 'in', meetingIds).where('status', '!=', 'cancelled')
    .groupBy(['meeting_id', 'mode', 'status']).execute();
  for (const r of rows) {
    const counts = result.get(r.meeting_id)!;
    counts[r.mode][r.status as 'registered' | 'waiting'] = Number(r.n);
  }
  return result;
}

export async function countRegistered(trx: Tx, meetingId: number, mode: AttendanceMode): Promise<number> {
  const row = await trx.selectFrom('meeting_registrations').select(sql<number>`count(*)`.as('n'))
    .where('meeting_id', '=', meetingId).where('mode', '=', mode).where('status', '=', 'registered').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The person's registration that is not cancelled, if any. */
export async function liveRegistration(db: Db | Tx, meetingId: number, userId: number): Promise<RegistrationRow | undefined> {
  return db.selectFrom('meeting_registrations').selectAll()
    .where('meeting_id', '=', meetingId).where('user_id', '=', userId).where('status', '!=', 'cancelled').executeTakeFirst();
}

export async function insertRegistration(trx: Tx, values: Insertable<MeetingRegistrationsTable>) {
  return trx.insertInto('meeting_registrations').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function cancelRegistrationRow(trx: Tx, id: number, at: string) {
  await trx.updateTable('meeting_registrations').set({ status: 'cancelled', cancelled_at: at }).where('id', '=', id).execute();
}

/** The longest-waiting person for a mode: first come, first served. */
export async function firstWaiting(trx: Tx, meetingId: number, mode: AttendanceMode) {
  return trx.selectFrom('meeting_registrations').selectAll()
    .where('meeting_id', '=', meetingId).where('mode', '=', mode).where('status', '=', 'waiting')
    .orderBy('id').executeTakeFirst();
}

export async function promote(trx: Tx, id: number, at: string) {
  await trx.updateTable('meeting_registrations').set({ status: 'registered', promoted_at: at }).where('id', '=', id).where('status', '=', 'waiting').execute();
}

/** 1 for the first person waiting for this mode, 2 for the second … */
export async function waitingPosition(db: Db | Tx, reg: Pick<RegistrationRow, 'id' | 'meeting_id' | 'mode'>): Promise<number> {
  const row = await db.selectFrom('meeting_registrations').select(sql<number>`count(*)`.as('n'))
    .where('meeting_id', '=', reg.meeting_id).where('mode', '=', reg.mode).where('status', '=', 'waiting').where('id', '<=', reg.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Everyone registered or waiting, with organisation, in order of registration. */
export async function registrationList(db: Db | Tx, meetingId: number) {
  return db.selectFrom('meeting_registrations as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['r.id', 'r.user_id', 'r.mode', 'r.status', 'r.attended', 'r.created_at', 'r.promoted_at', 'u.name', 'u.email', 'u.language', 'u.job_function', 'o.name as organisation_name'])
    .where('r.meeting_id', '=', meetingId).where('r.status', '!=', 'cancelled')
    .orderBy(sql`case r.status when 'registered' then 0 else 1 end`).orderBy('r.id')
    .execute();
}

export async function setAttended(trx: Tx, meetingId: number, attendedIds: number[]) {
  await trx.updateTable('meeting_registrations').set({ attended: 0 }).where('meeting_id', '=', meetingId).where('status', '=', 'registered').execute();
  if (attendedIds.length === 0) return;
  await trx.updateTable('meeting_registrations').set({ attended: 1 })
    .where('meeting_id', '=', meetingId).where('status', '=', 'registered').where('id', 'in', attendedIds).execute();
}

export async function userById(db: Db | Tx, id: number) {
  return db.selectFrom('users').select(['id', 'name', 'email', 'language']).where('id', '=', id).executeTakeFirst();
}

/** The visitor's own registrations, to mark the list of meetings. */
export async function registrationsOfUser(db: Db, userId: number, meetingIds: number[]) {
  if (meetingIds.length === 0) return [];
  return db.selectFrom('meeting_registrations').select(['meeting_id', 'status', 'mode'])
    .where('user_id', '=', userId).where('meeting_id', 'in', meetingIds).where('status', '!=', 'cancelled').execute();
}

// Materials ---------------------------------------------------------------------------------------------

const MATERIAL_COLUMNS = ['id', 'meeting_id', 'kind', 'title', 'url', 'solution_slug', 'file_name', 'content_type', 'size', 'created_at'] as const;

export async function materialsOf(db: Db | Tx, meetingId: number) {
  return db.selectFrom('meeting_materials').select([...MATERIAL_COLUMNS]).where('meeting_id', '=', meetingId).orderBy('id').execute();
}

export async function insertMaterial(db: Db | Tx, values: Insertable<MeetingMaterialsTable>) {
  return db.insertInto('meeting_materials').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function materialFile(db: Db, meetingId: number, id: number) {
  return db.selectFrom('meeting_materials').select(['id', 'file_name', 'content_type', 'size', 'content'])
    .where('meeting_id', '=', meetingId).where('id', '=', id).where('kind', '=', 'file').executeTakeFirst();
}

export async function deleteMaterial(db: Db | Tx, meetingId: number, id: number): Promise<boolean> {
  const res = await db.deleteFrom('meeting_materials').where('meeting_id', '=', meetingId).where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}
