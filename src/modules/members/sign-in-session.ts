import type { FastifyReply, FastifyRequest } from 'fastify';
import { startSession } from '../../platform/http/session-start.js';
import type { SignIn } from './service.js';

declare module 'fastify' {
  interface Session {
    /** Who passed the password step and still owes the code of the second step; nobody is signed in yet. */
    twoFactorPending?: { userId: number; sessionGeneration: number; language: SignIn['language']; next: string; until: number };
  }
}

/** How long the second step may wait after the password. */
const SECOND_STEP_MS = 5 * 60 * 1000;

/** Starts a session the way every sign-in does (see startSession); the interface switches to the member's language. */
export function signInAs(request: FastifyRequest, reply: FastifyReply, user: SignIn): Promise<void> {
  return startSession(request, reply, user);
}

/** The password was right and a second factor is on: a fresh session remembers that, without signing in. */
export async function awaitSecondStep(request: FastifyRequest, user: SignIn, next: string): Promise<void> {
  await request.session.regenerate();
  request.session.set('twoFactorPending', { userId: user.id, sessionGeneration: user.sessionGeneration, language: user.language, next, until: Date.now() + SECOND_STEP_MS });
}

/** Who is in the middle of the second step, or null when no one is (or the five minutes are over). */
export function pendingSecondStep(request: FastifyRequest) {
  const pending = request.session.get('twoFactorPending');
  return pending && pending.until > Date.now() ? pending : null;
}
