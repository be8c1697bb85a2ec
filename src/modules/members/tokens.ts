import { z } from 'zod';
import { recordAudit } from '../../platform/audit.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { FormError, notFound } from '../../platform/errors.js';
import { parseForm, text } from '../../platform/forms.js';
import { newApiToken } from '../../platform/http/api.js';
import './token-policy.js';

/** How many unrevoked tokens one person may hold at a time. */
export const MAX_ACTIVE_TOKENS = 20;

const tokenSchema = z.object({ name: text(100) });

export interface ApiTokenRow {
  id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The person's tokens, newest first; the hash never leaves the database. */
export async function listApiTokens(db: Db, userId: number): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId).orderBy('id', 'desc').execute();
}

/**
 * Creates a token for the person. The token itself is returned this once, for showing it;
 * only its SHA-256 hash is stored.
 */
export async function createApiToken(db: Db, userId: number, input: Record<string, string>, labels: Record<string, string>): Promise<{ id: number; name: string; token: string }> {
  const { name } = parseForm(tokenSchema, input, labels);
  const { token, hash } = newApiToken();
  return db.transaction().execute(async (trx) => {
    const active = await trx.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
    if (Number(active.n) >= MAX_ACTIVE_TOKENS) throw new FormError({ name: { key: 'tokens.tooMany', vars: { max: MAX_ACTIVE_TOKENS } } });
    const { id } = await trx.insertInto('api_tokens').values({ user_id: userId, name, token_hash: hash, created_at: nowIso(), last_used_at: null, revoked_at: null })
      .returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, { actorId: userId, action: 'token.created', targetType: 'api_token', targetId: id, details: { name } });
    return { id, name, token };
  });
}

/** Revokes one of the person's own tokens; someone else's token is "not found". Revoking twice changes nothing. */
export async function revokeApiToken(db: Db, userId: number, tokenId: number): Promise<{ name: string }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('api_tokens').select(['id', 'name', 'revoked_at'])
      .where('id', '=', tokenId).where('user_id', '=', userId).executeTakeFirst();
    if (!row) throw notFound();
    if (row.revoked_at === null) {
      await trx.updateTable('api_tokens').set({ revoked_at: nowIso() }).where('id', '=', row.id).execute();
      await recordAudit(trx, { actorId: userId, action: 'token.revoked', targetType: 'api_token', targetId: row.id, details: { name: row.name } });
    }
    return { name: row.name };
  });
}
