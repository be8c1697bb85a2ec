import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { translatorFor } from '../../platform/i18n/index.js';
import type { MeetingRow } from './queries.js';

const ZONE = 'Europe/Berlin';
const t = translatorFor('de');

export interface CalendarOptions {
  baseUrl: string;
  communityName: string;
  /** The online link goes only to people registered (their own .ics, their mails) and to organisers. */
  withOnlineLink: boolean;
  /** The subscribable feed of all public meetings (named, with a refresh interval) rather than one entry. */
  feed: boolean;
}

const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

/**
 * iCalendar text for meetings: times in Europe/Berlin with its VTIMEZONE, a UID that stays the same for
 * a meeting, and its sequence, so calendar clients replace their copy after every change.
 */
export function meetingCalendar(meetings: MeetingRow[], options: CalendarOptions): string {
  const host = new URL(options.baseUrl).hostname;
  const calendar = ical({
    prodId: { company: options.communityName, product: 'Treffen', language: 'DE' },
    method: options.feed ? null : ICalCalendarMethod.PUBLISH,
    name: options.feed ? t('meetings.calendarName', { community: options.communityName }) : null,
    url: options.feed ? `${options.baseUrl}/treffen` : null,
    ttl: options.feed ? 60 * 60 : null,
  });
  // No calendar-wide zone: the events carry TZID, while DTSTAMP, CREATED and LAST-MODIFIED stay in UTC as RFC 5545 wants.
  calendar.timezone({ name: null, generator: getVtimezoneComponent });
  for (const m of meetings) {
    const url = `${options.baseUrl}/treffen/${m.slug}`;
    const online = m.format !== 'in_person';
    const onsite = m.format !== 'online';
    const link = online ? (options.withOnlineLink ? m.online_url : t('meetings.onlineLinkLater')) : '';
    const location = onsite ? m.address : options.withOnlineLink ? m.online_url : t('meetings.formats.online');
    const description = [
      m.description.trim(),
      online ? `${t('meetings.onlineLink')}: ${link}` : '',
      `${t('meetings.page')}: ${url}`,
    ].filter(Boolean).join('\n\n');
    calendar.createEvent({
      id: `meeting-${m.id}@${host}`,
      sequence: m.sequence,
      start: utc(m.starts_at),
      end: utc(m.ends_at),
      timezone: ZONE,
      stamp: utc(m.updated_at).toJSDate(),
      created: utc(m.created_at).toJSDate(),
      lastModified: utc(m.updated_at).toJSDate(),
      summary: m.status === 'cancelled' ? t('meetings.cancelledSummary', { title: m.title }) : m.title,
      description,
      location,
      url,
      status: m.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
