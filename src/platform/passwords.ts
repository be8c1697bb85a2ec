import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as de from '@zxcvbn-ts/language-de';
import * as en from '@zxcvbn-ts/language-en';
import argon2 from 'argon2';
import { FormError } from './errors.js';

// OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
const options = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options);
}

let dummy: Promise<string> | undefined;

/** Verifies a password; with no hash it still spends the same time, so timing reveals no accounts. */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) {
    dummy ??= argon2.hash('no account has this password', options);
    await argon2.verify(await dummy, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}

// ---------------------------------------------------------------------------------------------
// The rule for a new password (BSI, NIST SP 800-63B): at least 10 characters (checked with the form), no
// composition rules, every character allowed (spaces too, up to 200 characters), and not easy to guess:
// not on lists of common passwords, not made of the person's name or address or the platform's name,
// not a keyboard pattern or sequence, and not only whitespace or one repeated character.

/** Only this many characters are analysed: the estimate grows steeply with length, and a strong start is enough. */
const ANALYSED_CHARACTERS = 48;
/** zxcvbn's score 3: at least 10^8 guesses, safe against online guessing with margin to spare. */
const MIN_SCORE = 3;

let dictionariesLoaded = false;

/** The dictionaries (common passwords, German and English words and names) load once, on the first check. */
function loadDictionaries(): void {
  if (dictionariesLoaded) return;
  zxcvbnOptions.setOptions({
    dictionary: { ...common.dictionary, ...de.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    // Fewer leetspeak variants: the default lets a 40-character password take half a second.
    l33tMaxSubstitutions: 10,
  });
  dictionariesLoaded = true;
}

/** The person's name, e-mail address and the platform's name, whole and in their parts, as words a guesser tries first. */
function personalWords(personal: string[]): string[] {
  const words = new Set<string>();
  for (const text of personal) {
    const lower = text.trim().toLowerCase();
    if (!lower) continue;
    words.add(lower);
    for (const part of lower.split(/[\s@.\-_+]+/)) if (part.length >= 3) words.add(part);
  }
  return [...words];
}

/**
 * Why a new password is too easy to guess, as a message key, or null when it is fine. personal: what a guesser
 * knows about the person (e-mail address, name) and the platform's name.
 */
export function weakPasswordReason(password: string, personal: string[]): string | null {
  if (/^\s*$/u.test(password) || /^(.)\1*$/su.test(password)) return 'accountSecurity.passwordRepeated';
  loadDictionaries();
  const result = zxcvbn(password.slice(0, ANALYSED_CHARACTERS), personalWords(personal));
  if (result.score >= MIN_SCORE) return null;
  const patterns = result.sequence;
  if (patterns.some((m) => m.dictionaryName === 'userInputs')) return 'accountSecurity.passwordPersonal';
  if (patterns.some((m) => m.dictionaryName === 'passwords')) return 'accountSecurity.passwordCommon';
  if (patterns.some((m) => m.pattern === 'repeat')) return 'accountSecurity.passwordRepeated';
  if (patterns.some((m) => ['spatial', 'sequence', 'date', 'regex'].includes(m.pattern))) return 'accountSecurity.passwordPattern';
  return 'accountSecurity.passwordWeak';
}

/** Refuses a new password that is easy to guess, as a message on the form's password field. */
export function requireStrongPassword(password: string, personal: string[]): void {
  const reason = weakPasswordReason(password, personal);
  if (reason) throw new FormError({ password: { key: reason } });
}
