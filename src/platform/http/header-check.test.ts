import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { headerChecker, replyHeaders } from './header-check.js';

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

  it('checks the headers Fastify writes with the status line, which Node would refuse only then', async () => {
    const app = Fastify();
    const seen: Record<string, unknown>[] = [];
    app.get('/', (_request, reply) => {
      reply.raw.setHeader('x-raw', 'checked by Node when set');
      reply.header('location', '/loesungen\r\nset-cookie: sid=x').header('content-type', 'text/html; charset=utf-8');
      seen.push({ ...replyHeaders(reply) });
      const check = headerChecker();
      seen.push({ invalid: check(replyHeaders(reply))?.name });
      reply.removeHeader('location');
      return 'ok';
    });
    const res = await app.inject('/');
    await app.close();
    assert.equal(res.statusCode, 200);
    assert.deepEqual(seen, [
      { location: '/loesungen\r\nset-cookie: sid=x', 'content-type': 'text/html; charset=utf-8' },
      { invalid: 'location' },
    ]);
  });
});
