import type { MailFrequency, NotificationKind } from '../../platform/db/schema.js';

export type { DigestCadence, MailFrequency, NotificationKind } from '../../platform/db/schema.js';

/** Every kind, in the order the settings page and the digests show them. */
export const NOTIFICATION_KINDS = ['answer', 'match', 'followed', 'meeting', 'catalogue', 'moderation', 'deployment'] as const satisfies readonly NotificationKind[];

export const MAIL_FREQUENCIES = ['immediately', 'daily', 'weekly', 'off'] as const satisfies readonly MailFrequency[];

/** What a person gets before choosing: answers, matches and moderation decisions at once, everything else once a week. */
export const DEFAULT_FREQUENCY: Record<NotificationKind, MailFrequency> = {
  answer: 'immediately',
  match: 'immediately',
  followed: 'weekly',
  meeting: 'weekly',
  catalogue: 'weekly',
  moderation: 'immediately',
  // Another organisation has started to use (or is interested in) a solution of one's own organisation.
  deployment: 'weekly',
};

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(value);
}
