import { DateTime } from 'luxon';
import type { Db } from '../../src/platform/db/database.js';
import type { CurrentUser } from '../../src/platform/policy.js';
import { createMeeting, parseMeeting, type MeetingRow } from '../../src/modules/meetings/service.js';
import { viewerOf } from './catalogue.js';
export { pageText } from './page.js';
import { createUser } from './factories.js';

/** A local date in Europe/Berlin, some days from now (negative: in the past). */
export function berlinDate(daysFromNow: number): string {
  return DateTime.now().setZone('Europe/Berlin').plus({ days: daysFromNow }).toFormat('yyyy-LL-dd');
}

/** A complete, valid organiser form: an in-person meeting in 30 days, 18:00–20:00, 20 places. */
export function meetingForm(fields: Record<string, string> = {}): Record<string, string> {
  return {
    title: 'KI-Community Runde 2', description: 'Wir sprechen über **Chatbots** im Bürgerbüro.', series: 'KI-Community',
    start_date: berlinDate(30), start_time: '18:00', end_date: '', end_time: '20:00',
    format: 'in_person', address: 'Kreishaus Olpe, Westfälische Straße 75, 57462 Olpe', online_url: '',
    capacity_onsite: '20', capacity_online: '', opens_date: '', opens_time: '', closes_date: '', closes_time: '',
    visibility: 'public',
    ...fields,
  };
}

/** A new organiser (moderator) as the service sees them. */
export async function organiser(db: Db): Promise<CurrentUser> {
  return viewerOf(db, (await createUser(db, { role: 'moderator', name: 'Mona Moderation', organisation: 'Olpe' })).id);
}

/** Creates a meeting through the service, as the organiser's form would; returns its row. */
export async function makeMeeting(db: Db, by: CurrentUser, fields: Record<string, string> = {}): Promise<MeetingRow> {
  const { slug } = await createMeeting(db, by, parseMeeting(meetingForm(fields), {}));
  return db.selectFrom('meetings').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
}

/** Moves a meeting in time without going through the form (which would refuse a deadline in the past). */
export async function shiftMeeting(db: Db, slug: string, times: Partial<Pick<MeetingRow, 'starts_at' | 'ends_at' | 'registration_opens_at' | 'registration_closes_at'>>) {
  await db.updateTable('meetings').set(times).where('slug', '=', slug).execute();
}

export const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

export { viewerOf };
