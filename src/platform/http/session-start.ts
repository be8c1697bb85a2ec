import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Lang } from '../i18n/index.js';

/**
 * The interface language lives in the `lang` cookie (read for every request in platform.tsx); a member's
 * mails follow users.language, which is set on the profile, on joining and whenever they switch.
 */
export function setLanguageCookie(reply: FastifyReply, lang: Lang): void {
  reply.setCookie('lang', lang, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 });
}

/**
 * Starts a signed-in session, the one way every sign-in does (password, link, single sign-on): a new session id,
 * the person's session generation (so that ending their sessions ends this one too), the time of the sign-in
 * (for steps that need a recent one: now, unless the caller knows better; null when it is not known) and their language.
 */
export async function startSession(request: FastifyRequest, reply: FastifyReply, who: { id: number; language: Lang; sessionGeneration: number },
  signedInAt: number | null = Date.now()): Promise<void> {
  await request.session.regenerate();
  request.session.set('userId', who.id);
  request.session.set('sessionGeneration', who.sessionGeneration);
  if (signedInAt !== null) request.session.set('signedInAt', signedInAt);
  setLanguageCookie(reply, who.language);
}
