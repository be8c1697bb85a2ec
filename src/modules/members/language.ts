import type { FastifyReply } from 'fastify';
import type { Lang } from '../../platform/i18n/index.js';

/**
 * The interface language lives in the `lang` cookie (read for every request in platform.tsx); a member's
 * mails follow users.language, which is set on the profile, on joining and whenever they switch.
 */
export function setLanguageCookie(reply: FastifyReply, lang: Lang): void {
  reply.setCookie('lang', lang, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 });
}
