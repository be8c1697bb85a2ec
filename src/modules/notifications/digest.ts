import { DateTime } from 'luxon';
import type { Db } from '../../platform/db/database.js';
import { nowIso } from '../../platform/clock.js';
import { translatorFor, type Lang } from '../../platform/i18n/index.js';
import { enqueueMail, mailText } from '../../platform/mail/outbox.js';
import { kindLabelKey, NOTIFICATION_KINDS, type DigestCadence, type NotificationKind } from './kinds.js';
import * as q from './queries.js';
import { frequenciesOf, mailFooter, notificationMailSettings, notificationText, unsubscribeHeaders, type NotificationMailSettings } from './service.js';
import { unsubscribeUrl } from './unsubscribe.js';

const ZONE = 'Europe/Berlin';
/** Digests go out from this hour (Europe/Berlin) of the first day of their period. */
export const DIGEST_HOUR = 6;
/** Items listed per kind; the rest are counted with a link to the notifications page. */
const ITEMS_PER_KIND = 20;
/** People looked up at a time. */
const CHUNK = 500;

export interface DigestPeriod {
  /** 2026-11-27 for a day, 2026-W48 for an ISO week, both in Europe/Berlin. */
  key: string;
  /** The period's first instant (UTC ISO): a digest takes only what arrived before it. */
  start: string;
  /** From when on the digest is sent. */
  sendFrom: Date;
}

/** The day or (Monday-based ISO) week in Europe/Berlin that contains the given instant. */
export function digestPeriod(cadence: DigestCadence, at: Date): DigestPeriod {
  const local = DateTime.fromJSDate(at, { zone: ZONE });
  const start = local.startOf(cadence === 'daily' ? 'day' : 'week');
  const key = cadence === 'daily' ? start.toISODate()! : `${start.weekYear}-W${String(start.weekNumber).padStart(2, '0')}`;
  // set(), not plus(): the digest hour is on the clock, also on the days the clocks change.
  return { key, start: new Date(start.toMillis()).toISOString(), sendFrom: start.set({ hour: DIGEST_HOUR }).toJSDate() };
}

/**
 * Sends each person at most one digest per period and cadence, with what they have neither read nor been
 * mailed, grouped by kind. Safe to run twice or on several instances at once: the digest row for
 * (person, cadence, period) is inserted first and is unique, and the outbox deduplicates the mail.
 */
export async function sendDigests(db: Db, now: Date = new Date()): Promise<{ sent: number }> {
  const settings = notificationMailSettings(db);
  let sent = 0;
  for (const cadence of ['daily', 'weekly'] as const) {
    const period = digestPeriod(cadence, now);
    if (now < period.sendFrom) continue;
    const pending = new Map<number, Set<NotificationKind>>();
    for (const row of await q.unmailedKinds(db, period.start)) {
      if (!pending.has(row.user_id)) pending.set(row.user_id, new Set());
      pending.get(row.user_id)!.add(row.kind);
    }
    if (pending.size === 0) continue;
    const done = new Set(await q.digestsSent(db, cadence, period.key));
    const candidates = [...pending.keys()].filter((id) => !done.has(id));
    for (let i = 0; i < candidates.length; i += CHUNK) {
      const people = (await q.activeRecipients(db, candidates.slice(i, i + CHUNK))).filter((p) => p.notify_email === 1);
      const frequencies = await frequenciesOf(db, people.map((p) => p.id));
      for (const person of people) {
        const wanted = frequencies.get(person.id)!;
        const kinds = NOTIFICATION_KINDS.filter((k) => pending.get(person.id)!.has(k) && wanted[k] === cadence);
        if (kinds.length && (await sendDigest(db, settings, person, cadence, period, kinds))) sent++;
      }
    }
  }
  return { sent };
}

async function sendDigest(
  db: Db, settings: NotificationMailSettings, person: { id: number; email: string; name: string; language: Lang },
  cadence: DigestCadence, period: DigestPeriod, kinds: NotificationKind[],
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const digestId = await q.claimDigest(trx, person.id, cadence, period.key, now);
    if (digestId === null) return false;
    const items = await q.digestItems(trx, person.id, kinds, period.start);
    if (items.length === 0) {
      // Read or mailed in the meantime: nothing to send, and the period stays open.
      await q.deleteDigest(trx, digestId);
      return false;
    }
    const included = NOTIFICATION_KINDS.filter((k) => items.some((i) => i.kind === k));
    // In the person's language, also the notifications themselves.
    const t = translatorFor(person.language);
    const lines = [t('notifications.mail.digestIntro', { count: items.length }), ''];
    for (const kind of included) {
      const ofKind = items.filter((i) => i.kind === kind);
      const heading = `${t(kindLabelKey(kind))} (${ofKind.length})`;
      lines.push(heading, '='.repeat(heading.length));
      for (const item of ofKind.slice(0, ITEMS_PER_KIND)) lines.push(`- ${notificationText(t, item)}`, `  ${settings.baseUrl}${item.url}`);
      if (ofKind.length > ITEMS_PER_KIND) {
        lines.push(t('notifications.mail.digestMore', { count: ofKind.length - ITEMS_PER_KIND, url: `${settings.baseUrl}/benachrichtigungen` }));
      }
      if (included.length > 1) {
        lines.push(t('notifications.mail.unsubscribeKind', { url: unsubscribeUrl(settings.baseUrl, settings.sessionSecret, person.id, [kind]) }));
      }
      lines.push('');
    }
    lines.push(t('notifications.mail.allNotifications', { url: `${settings.baseUrl}/benachrichtigungen` }));
    await enqueueMail(trx, {
      to: person.email,
      subject: t(cadence === 'daily' ? 'notifications.mail.digestDailySubject' : 'notifications.mail.digestWeeklySubject', { community: settings.communityName }),
      text: [mailText(t, settings.communityName, person.name, lines), '', ...mailFooter(t, settings, person.id, included)].join('\n'),
      headers: unsubscribeHeaders(settings, person.id, included),
      dedupeKey: `digest:${person.id}:${cadence}:${period.key}`,
    });
    await q.markMailed(trx, items.map((i) => i.id), now, digestId);
    await q.setDigestCount(trx, digestId, items.length);
    return true;
  });
}
