import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Signer } from '@fastify/cookie';
import { rememberingSigner } from './cookie-signer.js';

const SECRET = 'a-session-secret-of-at-least-thirty-two-characters';

describe('the cookie signer that remembers checked cookies', () => {
  it('accepts what it signed, also when asked again, and refuses a changed value or signature every time', () => {
    const signer = rememberingSigner(SECRET, 2);
    const cookie = signer.sign('session-id');
    assert.equal(cookie, new Signer(SECRET, 'sha256').sign('session-id'), 'the same signature as the plain signer');
    for (let i = 0; i < 2; i++) assert.deepEqual({ ...signer.unsign(cookie) }, { valid: true, renew: false, value: 'session-id' });
    const [value, signature] = cookie.split('.');
    for (let i = 0; i < 2; i++) {
      assert.equal(signer.unsign(`other-id.${signature}`).valid, false, 'a value under another value\'s signature');
      assert.equal(signer.unsign(`${value}.${signature.slice(0, -1)}A`).valid, false, 'a changed signature');
      assert.equal(signer.unsign(new Signer('another-secret-of-at-least-thirty-two-chars', 'sha256').sign('session-id')).valid, false, 'another secret');
    }
  });
});
