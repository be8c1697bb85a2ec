import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headerChecker } from './header-check.js';

describe('header check before an answer is written', () => {
  it('names the header Node would refuse, also after another value of that header was valid', () => {
    const check = headerChecker();
    assert.equal(check({ location: '/loesungen', 'content-type': 'text/html; charset=utf-8' }), null);
    assert.equal(check({ location: '/loesungen', 'content-type': 'text/html; charset=utf-8' }), null);
    assert.equal(check({ location: '/loesungen\r\nset-cookie: sid=x', 'content-type': 'text/html; charset=utf-8' })?.name, 'location');
    assert.equal(check({ 'x-list': ['a', 'b\n'] })?.name, 'x-list');
    assert.equal(check({ 'bad name': 'x' })?.name, 'bad name');
    assert.equal(check({ location: '/loesungen' }), null);
  });
});
