import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isoIn, nowIso } from '../clock.js';
import type { Db } from '../db/database.js';
import { AppError, FormError } from '../errors.js';
import type { T } from '../i18n/index.js';
import type { CurrentUser } from '../policy.js';
import { hashLinkToken } from '../tokens.js';
import { loadCurrentUser } from './current-user.js';

/**
 * The machine interface under /api/: authenticated by personal access tokens (never by the session
 * cookie), answered in JSON, and on failure with RFC 9457 problem details instead of an HTML page.
 */

export const API_TOKEN_PREFIX = 'kic_';
const TOKEN_FORMAT = /^kic_[A-Za-z0-9_-]{43}$/;

/** A new personal access token: shown once to its owner; only the hash is stored. */
export function newApiToken(): { token: string; hash: string } {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashApiToken(token) };
}

export const hashApiToken = (token: string): string => hashLinkToken(token);

/** Whether the request is for the API: by the matched route, or by the path when no route matched. */
export function isApiRequest(request: FastifyRequest): boolean {
  return isApiPath(request.routeOptions?.url) || isApiPath(request.url.split('?')[0]);
}

const isApiPath = (path: string | undefined) => path !== undefined && (path === '/api' || path.startsWith('/api/'));

export const tokenInvalid = () => new AppError('TOKEN_INVALID', 401, 'api.tokenInvalid', 'api.unauthorizedTitle');

/** last_used_at is written at most once a minute per token, so reading the API does not mean a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The user of the bearer token of an API request; null when the request carries no Authorization header.
 * A header that is not a valid, unrevoked token of an active account is refused with 401.
 */
export async function bearerUser(db: Db, request: FastifyRequest): Promise<CurrentUser | null> {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!m || !TOKEN_FORMAT.test(m[1])) throw tokenInvalid();
  const row = await db.selectFrom('api_tokens').select(['id', 'user_id', 'revoked_at'])
    .where('token_hash', '=', hashApiToken(m[1])).executeTakeFirst();
  if (!row || row.revoked_at !== null) throw tokenInvalid();
  const user = await loadCurrentUser(db, row.user_id);
  if (!user) throw tokenInvalid();
  await db.updateTable('api_tokens').set({ last_used_at: nowIso() }).where('id', '=', row.id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', isoIn(-LAST_USED_RESOLUTION_MS))]))
    .execute();
  return user;
}

/** RFC 9457 problem details, as every API error is answered. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

/** API wording for errors whose page wording speaks of pages and signing in. */
const API_DETAIL: Record<string, string> = {
  NOT_FOUND: 'api.notFound',
  FORBIDDEN: 'api.forbidden',
  SIGN_IN_REQUIRED: 'api.tokenRequired',
};
const API_TITLE: Record<string, string> = {
  NOT_FOUND: 'api.notFoundTitle',
  SIGN_IN_REQUIRED: 'api.unauthorizedTitle',
};

const slug = (code: string) => code.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** Answers an error of an API request as application/problem+json; status, title and message as the page would show them. */
export function sendProblem(reply: FastifyReply, t: T, error: unknown, status: number, title: string, message: string): FastifyReply {
  const fastifyCode = String((error as { code?: unknown } | null)?.code ?? '');
  const code = error instanceof AppError ? error.code
    : error instanceof FormError ? 'VALIDATION_FAILED'
      : fastifyCode.startsWith('FST_CSRF') ? 'CSRF_INVALID'
        : status === 404 ? 'NOT_FOUND' : status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST';
  const problem: Problem = {
    type: `urn:ki-community:problem:${slug(code)}`,
    title: API_TITLE[code] ? t(API_TITLE[code]) : title,
    status,
    detail: API_DETAIL[code] ? t(API_DETAIL[code]) : message,
  };
  if (error instanceof FormError) {
    problem.detail = t('api.validationFailed');
    problem.errors = Object.entries(error.fields).map(([field, e]) => ({ field, message: t(e.key, e.vars ?? {}) }));
  }
  if (status === 401) reply.header('www-authenticate', `Bearer realm="api"${code === 'TOKEN_INVALID' ? ', error="invalid_token"' : ''}`);
  return reply.status(status).type('application/problem+json; charset=utf-8').header('cache-control', 'no-store').send(JSON.stringify(problem));
}
