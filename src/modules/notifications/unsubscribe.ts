import { createHmac, timingSafeEqual } from 'node:crypto';
import { NOTIFICATION_KINDS, type NotificationKind } from './kinds.js';

/**
 * Unsubscribe links (RFC 8058): /abmelden/<user id>.<kinds>.<signature>. The signature is an HMAC of the
 * user id and the kinds under the platform's secret, so the link works without signing in and nobody
 * can make one for another person or for kinds the mail did not name.
 */

function signature(secret: string, userId: number, kinds: string): string {
  return createHmac('sha256', secret).update(`unsubscribe\n${userId}\n${kinds}`).digest('base64url');
}

/** The kinds in a fixed order, so the same set always gives the same link. */
function scopeOf(kinds: readonly NotificationKind[]): string {
  return NOTIFICATION_KINDS.filter((k) => kinds.includes(k)).join('-');
}

export function unsubscribeToken(secret: string, userId: number, kinds: readonly NotificationKind[]): string {
  const scope = scopeOf(kinds);
  return `${userId}.${scope}.${signature(secret, userId, scope)}`;
}

export function unsubscribeUrl(baseUrl: string, secret: string, userId: number, kinds: readonly NotificationKind[]): string {
  return `${baseUrl}/abmelden/${unsubscribeToken(secret, userId, kinds)}`;
}

/** The person and kinds a link stands for, or null when it was not made by this platform. */
export function readUnsubscribeToken(secret: string, token: string): { userId: number; kinds: NotificationKind[] } | null {
  const m = /^(\d{1,9})\.([a-z-]{1,100})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const userId = Number(m[1]);
  const kinds = m[2].split('-');
  if (!kinds.every((k): k is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(k))) return null;
  if (scopeOf(kinds) !== m[2]) return null;
  const expected = Buffer.from(signature(secret, userId, m[2]));
  const given = Buffer.from(m[3]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId, kinds };
}
