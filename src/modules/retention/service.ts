import type { RetentionPeriods } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { purgeAuditEntries } from '../../platform/audit.js';
import { purgeExpiredSessions } from '../../platform/http/session-store.js';
import { purgeSentMail } from '../../platform/mail/outbox.js';
import { purgeRejectedJoinRequests, purgeSpentLinks } from '../members/service.js';
import { takeLease } from './queries.js';

const DAY = 24 * 60 * 60 * 1000;

/** How often the retention job runs; the lease keeps it to one instance per run. */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const LEASE_KEY = 'retention_lease';

/** The kinds of data with a retention period, in the order the privacy page lists them. */
export const RETENTION_KINDS = ['rejectedJoinRequests', 'sentMail', 'expiredSessions', 'expiredLinks', 'audit'] as const satisfies readonly (keyof RetentionPeriods)[];

/** How many rows of each kind a run deleted. */
export type RetentionResult = Record<keyof RetentionPeriods, number>;

const before = (now: number, days: number) => new Date(now - days * DAY).toISOString();

/**
 * Deletes whatever has outlived its period. Every delete names its rows by age alone, so it is idempotent:
 * two runs at once (or a run repeated after a crash) delete each row once and leave the same rows behind; on
 * PostgreSQL a delete waiting for a row the other run deletes skips it, without an error.
 */
export async function purgeExpiredData(db: Db, periods: RetentionPeriods, now = Date.now()): Promise<RetentionResult> {
  return {
    rejectedJoinRequests: await purgeRejectedJoinRequests(db, before(now, periods.rejectedJoinRequests)),
    sentMail: await purgeSentMail(db, before(now, periods.sentMail)),
    expiredSessions: await purgeExpiredSessions(db, before(now, periods.expiredSessions)),
    expiredLinks: await purgeSpentLinks(db, before(now, periods.expiredLinks)),
    audit: await purgeAuditEntries(db, before(now, periods.audit)),
  };
}

/**
 * The retention job as the job runner calls it on every instance: the instance that takes the lease deletes,
 * the others return null until the lease runs out, shortly before the next run is due.
 */
export async function runRetention(db: Db, periods: RetentionPeriods, now = Date.now()): Promise<RetentionResult | null> {
  const leased = await takeLease(db, LEASE_KEY, new Date(now).toISOString(), new Date(now + RETENTION_INTERVAL_MS - 5 * 60 * 1000).toISOString());
  if (!leased) return null;
  return purgeExpiredData(db, periods, now);
}

/** The configured periods in the order the privacy page lists them. */
export function retentionSchedule(periods: RetentionPeriods): { kind: (typeof RETENTION_KINDS)[number]; days: number }[] {
  return RETENTION_KINDS.map((kind) => ({ kind, days: periods[kind] }));
}
