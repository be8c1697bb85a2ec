import { sql } from 'kysely';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { missingLegalPages } from '../legal/service.js';

/**
 * The first steps after setup, each ticked from the real state of the platform, not from a click:
 * the legal pages have text, mail leaves the platform, links in mails point to the public address,
 * someone besides the administrators of setup has an account, and the public registers are in the catalogue.
 */
export type ChecklistItem = 'imprint' | 'privacy' | 'mail' | 'baseUrl' | 'invitations' | 'registers';

export interface ChecklistEntry { item: ChecklistItem; done: boolean; href: string }

/** True when the address names this computer only: links in mails would lead nowhere for anyone else. */
export function isLocalAddress(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host.startsWith('127.') || host === '0.0.0.0';
  } catch {
    return true;
  }
}

export async function checklist(db: Db, config: Pick<Config, 'smtpUrl' | 'baseUrl'>): Promise<ChecklistEntry[]> {
  const missing = await missingLegalPages(db);
  const people = await db.selectFrom('users').select(sql<number>`count(*)`.as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  const imported = await db.selectFrom('solutions').select('id').where('source', '!=', 'own').limit(1).executeTakeFirst();
  return [
    { item: 'imprint', done: !missing.includes('impressum'), href: '/impressum/bearbeiten' },
    { item: 'privacy', done: !missing.includes('datenschutz'), href: '/datenschutz/bearbeiten' },
    { item: 'mail', done: Boolean(config.smtpUrl), href: '/verwaltung/postausgang' },
    { item: 'baseUrl', done: !isLocalAddress(config.baseUrl), href: '/verwaltung/postausgang' },
    { item: 'invitations', done: Number(people.n) > 1, href: '/verwaltung/einladen' },
    { item: 'registers', done: imported !== undefined, href: '/verwaltung/registerimport' },
  ];
}
