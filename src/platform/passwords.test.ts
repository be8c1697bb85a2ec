import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { weakPasswordReason } from './passwords.js';

const person = ['sina.sommer@sundern.example', 'Sina Sommer', 'KI-Community Südwestfalen'];

describe('the rule for a new password', () => {
  it('refuses common passwords as being on lists of common passwords', () => {
    for (const password of ['1234567890', 'password12', 'passwort123', 'Passwort1234', 'iloveyou123', '1q2w3e4r5t']) {
      assert.equal(weakPasswordReason(password, person), 'accountSecurity.passwordCommon', password);
    }
  });

  it('refuses only whitespace or one repeated character', () => {
    for (const password of [' '.repeat(10), '\t'.repeat(12), 'a'.repeat(12), '0'.repeat(40), 'ß'.repeat(10)]) {
      assert.equal(weakPasswordReason(password, person), 'accountSecurity.passwordRepeated', JSON.stringify(password));
    }
  });

  it("refuses the person's own e-mail address or name, and the platform's name", () => {
    for (const password of ['sina.sommer@sundern.example', 'SinaSommer', 'KI-Community Südwestfalen', 'Südwestfalen2026']) {
      assert.equal(weakPasswordReason(password, person), 'accountSecurity.passwordPersonal', password);
    }
    // The same e-mail address is a fine password for someone else (it is not on any list).
    assert.equal(weakPasswordReason('sina.sommer@sundern.example', ['otto@olpe.example', 'Otto Normal', 'KI-Community Südwestfalen']), null);
  });

  it('refuses keyboard patterns and sequences', () => {
    for (const password of ['qwertzuiop', 'asdfghjklö', 'abcdefghijkl']) {
      assert.ok(weakPasswordReason(password, person), password);
    }
  });

  it('accepts passphrases of several words, with spaces, umlauts and any characters, up to the maximum length', () => {
    for (const password of ['Pferd Batterie Heftklammer', 'hallo welt wie geht es', 'Fußball-ist-toll', 'Ölkännchen & Würfelzucker',
      'correct horse battery staple', 'richtig-langes-Passwort-1', '  Leerzeichen am Rand  zählen mit ', 'Ein langer Satz, '.repeat(11).slice(0, 200)]) {
      assert.equal(weakPasswordReason(password, person), null, password);
    }
  });

  it('decides within half a second even for the longest and most unusual passwords (typically 15 ms)', () => {
    weakPasswordReason('warm-up', person);
    const hard = ['1!a@3$4eo0il'.repeat(17).slice(0, 200), 'Ein langer Satz aus vielen Wörtern mit Zahlen 12345 und Zeichen !?§$%&/()=#+*~'.repeat(3).slice(0, 200), 'x'.repeat(199) + 'y'];
    for (const password of hard) {
      // Processor time, not wall-clock time: other processes on a busy machine do not count.
      const start = process.cpuUsage();
      weakPasswordReason(password, person);
      const used = process.cpuUsage(start);
      const ms = (used.user + used.system) / 1000;
      assert.ok(ms < 500, `${ms.toFixed(0)} ms for ${password.slice(0, 20)}…`);
    }
  });
});
