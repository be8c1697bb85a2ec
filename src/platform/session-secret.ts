import { createHash } from 'node:crypto';
import type { Config } from './config.js';
import type { Db } from './db/database.js';

const KEY = 'session_secret_fingerprint';

/** A fingerprint of the secret (never the secret): SHA-256 of a fixed prefix and the secret. */
export function sessionSecretFingerprint(secret: string): string {
  return createHash('sha256').update(`ki-community session secret\n${secret}`).digest('hex');
}

/**
 * Several instances on one database must sign sessions with one secret, or a visitor signed in at one instance is
 * signed out at the next. The first start records a fingerprint of the secret in the database; an instance that
 * starts with another secret (a different SESSION_SECRET, or none, so that it generated its own) refuses to start,
 * naming the cause. SESSION_SECRET_ROTATE=1 replaces the recorded fingerprint deliberately.
 */
export async function checkSessionSecret(db: Db, config: Pick<Config, 'sessionSecret' | 'sessionSecretSource' | 'rotateSessionSecret'>): Promise<'recorded' | 'same' | 'rotated'> {
  const fingerprint = sessionSecretFingerprint(config.sessionSecret);
  const inserted = await db.insertInto('settings').values({ key: KEY, value: fingerprint })
    .onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return 'recorded';
  const stored = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirstOrThrow();
  if (stored.value === fingerprint) return 'same';
  if (config.rotateSessionSecret) {
    await db.updateTable('settings').set({ value: fingerprint }).where('key', '=', KEY).execute();
    return 'rotated';
  }
  const why = config.sessionSecretSource === 'environment'
    ? 'SESSION_SECRET differs from the secret the other instances of this database use'
    : `SESSION_SECRET is not set, so this instance uses a secret of its own (${config.sessionSecretSource === 'generated' ? 'generated now' : 'from DATA_DIR/session-secret'}), and it differs from the secret the other instances of this database use`;
  throw new Error(`${why}: sessions signed by one instance would not be valid at another. `
    + 'Give every instance the same SESSION_SECRET (e.g. in /etc/ki-community/env). To change the secret on purpose, '
    + 'set the new SESSION_SECRET together with SESSION_SECRET_ROTATE=1 for one start of every instance (everyone signs in again), '
    + 'then remove SESSION_SECRET_ROTATE (see README.md, "Mehrere Instanzen, Proxy und Monitoring").');
}
