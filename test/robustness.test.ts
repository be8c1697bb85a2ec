import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { startTestApp, type TestApp } from './support/harness.js';
import { completeSetup, signedIn } from './support/factories.js';
import { makeSolution, viewerOf } from './support/catalogue.js';
import { makeMeeting, organiser } from './support/meetings.js';
import { collectingInitiative, memberOf } from './support/procurement.js';
import { ask } from '../src/modules/questions/fixtures/support.js';
import type { Visitor } from './support/client.js';

/**
 * Thousands of generated malformed requests to every route, as an anonymous visitor and as a signed-in member
 * (with a valid CSRF token, so that the requests reach validation). No answer may be a 5xx or lack the security
 * headers, and the server must keep answering. ROBUSTNESS_SEED=<n> repeats a run; ROBUSTNESS_REQUESTS sets its size.
 */

const SEED = Number(process.env.ROBUSTNESS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REQUESTS = Number(process.env.ROBUSTNESS_REQUESTS ?? 3000);

/** mulberry32: small, seeded, good enough to pick cases. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <V,>(list: readonly V[]): V => list[int(list.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}

const GARBAGE_SEGMENTS = ['%00', '%01', '%7F', '%FF', '%E0%A4%A', '%', '%2e%2e', '..', '-1', '0', '99999999999999999999', '1.5', '1e9',
  '%E3%80%82', "'", '%22%3E%3Cscript%3E', '%20', 'null', 'undefined', 'a'.repeat(99), 'a'.repeat(150), '%C3%A4%C3%B6', '%F0%9F%98%80', '%ED%A0%80'];
const GARBAGE_VALUES = ['', ' ', 'x', '-1', '0', '-0', '1.5', 'NaN', 'Infinity', '1e309', '99999999999999999999999', '2026-02-30', '25:61',
  '\u0000', 'a\u0000b', '\u0001\u0002\u001b[31m', '\r\n', '\ud800', '\udfff\ud800', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'ä'.repeat(5000), 'x'.repeat(70_000),
  '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '%', '%%', '%E0%A4%A', 'true', 'null', '[]', '{}', 'on', '1', 'de', 'en',
  'https://evil.example/', '//evil.example', '/\\evil.example', 'person@example.org', 'kic_' + 'a'.repeat(43)];
const FIELD_NAMES = ['title', 'summary', 'description', 'body', 'q', 'seite', 'sort', 'email', 'password', 'passwordRepeat', 'name', 'value',
  'kind', 'tag', 'field', 'zurueck', 'weiter', 'organisation', 'organisationOther', 'jobFunction', 'message', 'consent', 'role', 'reason',
  'language', 'visibility', 'maturity', 'capacity_onsite', 'capacity_online', 'start_date', 'start_time', 'end_time', 'format', 'quantity',
  'mode', 'status', 'budget', 'answer', 'navigate', 'tags', 'solutions', 'field_of_action', 'cost_min_eur', 'cost_max_eur', 'frequency',
  'loesung', 'handlungsfeld', 'reife', 'district', 'technique', 'url', 'notes', 'position', 'attended', 'List-Unsubscribe', 'step', 'choice'];

/** Percent-encoding that takes lone surrogates too (as U+FFFD, like a browser). */
const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

interface Outcome { method: string; url: string; kind: string; status: number; problem: string }

function problemOf(res: { statusCode: number; headers: Record<string, unknown> }): string {
  if (res.statusCode >= 500) return `status ${res.statusCode}`;
  if (!res.headers['content-security-policy']) return 'no content-security-policy';
  if (res.headers['x-content-type-options'] !== 'nosniff') return 'no x-content-type-options';
  return '';
}

describe('robustness: generated malformed requests to every route', () => {
  let t: TestApp;
  let member: Visitor;
  let realValues: string[];

  before(async () => {
    t = await startTestApp();
    const { db } = t.database;
    await completeSetup(db);
    const by = await organiser(db);
    const solution = await makeSolution(db, await viewerOf(db, by.id), { title: 'Robuster Chatbot', summary: 'Beantwortet Fragen.' });
    const meeting = await makeMeeting(db, by);
    const lead = await memberOf(db, 'Olpe');
    const initiative = await collectingInitiative(db, lead);
    ({ visitor: member } = await signedIn(t.app, db, 'member'));
    const { id: question } = await ask(member, {});
    await member.get('/');
    realValues = [solution.slug, meeting.slug, 'arnsberg', 'hochsauerlandkreis', String(initiative), String(question), '1', '2', 'de', 'en',
      String(by.id), 'kalender', 'zahlen'];
  });
  after(() => t.close());

  it(`answers every request without a 5xx and with the security headers (seed ${SEED})`, { timeout: 120_000 }, async () => {
    const rnd = generator(SEED);
    const routes = t.app.policyRoutes.filter((r) => !(r.method === 'POST' && r.url === '/abmelden'));
    const failures: Outcome[] = [];
    const counts = { requests: 0, anonymous: 0, member: 0, byStatus: {} as Record<string, number> };

    const fillPath = (url: string, garbage: boolean) => url.split('/').map((segment) => {
      if (segment === '*') return garbage ? rnd.pick(GARBAGE_SEGMENTS) : 'styles.css';
      const m = /^:(\w+)(.*)$/.exec(segment);
      if (!m) return segment;
      return (garbage ? rnd.pick(GARBAGE_SEGMENTS) : encode(rnd.pick(realValues))) + m[2];
    }).join('/');

    const queryString = () => {
      const parts: string[] = [];
      for (let i = rnd.int(4); i > 0; i--) {
        const name = rnd.pick(FIELD_NAMES);
        const value = rnd.pick(GARBAGE_VALUES);
        parts.push(rnd.chance(0.2) ? `${name}=${value.slice(0, 3000)}` : `${encode(name)}=${encode(value.slice(0, 3000))}`);
        if (rnd.chance(0.2)) parts.push(`${encode(name)}=2`); // the same name twice: an array
      }
      if (rnd.chance(0.1)) parts.push(rnd.pick(['%', 'a[b]=1', 'a[]=1&a[]=2', '=', '&&', 'seite=-5', 'seite=1e9', 'q=%FF%FE']));
      return parts.length ? `?${parts.join('&')}` : '';
    };

    const formBody = (csrf: string | undefined) => {
      const params = new URLSearchParams();
      for (let i = rnd.int(8); i > 0; i--) params.append(rnd.pick(FIELD_NAMES), rnd.pick(GARBAGE_VALUES));
      if (csrf) params.set('_csrf', csrf);
      let body = params.toString();
      if (rnd.chance(0.1)) body += rnd.pick(['&title=%E0%A4%A', '&%=%', '&a', '&title[]=1&title[x]=2']);
      return body;
    };

    const jsonBody = () => rnd.pick<() => string>([
      () => '{}', () => '[]', () => 'null', () => '"text"', () => '123', () => '{"title":', () => '{"title": "x"}}',
      () => JSON.stringify({ title: { a: 1 }, summary: [1, 2], maturity: 12, visibility: null }),
      () => JSON.stringify({ title: rnd.pick(GARBAGE_VALUES), summary: rnd.pick(GARBAGE_VALUES), maturity: 'pilot', visibility: 'public', language: 'de' }),
      () => JSON.stringify({ status: rnd.pick(GARBAGE_VALUES), cost_min_eur: 1e308, note: 'a\u0000b' }),
      () => '{"a":'.repeat(2000) + '1' + '}'.repeat(2000),
      () => JSON.stringify({ __proto__: { admin: true }, constructor: { prototype: { x: 1 } } }),
      () => '{"title":"' + 'x'.repeat(1_100_000) + '"}',
    ])();

    const send = async (as: 'anonymous' | 'member', options: InjectOptions, kind: string) => {
      const headers = { ...(options.headers ?? {}) } as Record<string, string>;
      if (as === 'member') {
        headers.cookie = member.cookieHeader;
        if (member.csrf && rnd.chance(0.5)) headers['x-csrf-token'] = member.csrf;
      }
      let res: LightMyRequestResponse;
      try {
        res = await t.app.inject({ ...options, headers });
      } catch (err) {
        failures.push({ method: String(options.method), url: String(options.url).slice(0, 200), kind, status: 0, problem: `no answer: ${err}` });
        return;
      }
      counts.requests++;
      counts[as]++;
      const bucket = `${Math.floor(res.statusCode / 100)}xx`;
      counts.byStatus[bucket] = (counts.byStatus[bucket] ?? 0) + 1;
      const problem = problemOf(res);
      if (problem) {
        failures.push({ method: String(options.method), url: String(options.url).slice(0, 200), kind: `${kind} (${headers['content-type'] ?? 'no content type'}: ${String(options.payload ?? '').slice(0, 80)})`, status: res.statusCode, problem: `${problem}: ${res.body.slice(0, 120)}` });
      }
    };

    for (let n = 0; n < REQUESTS; n++) {
      const route = rnd.pick(routes);
      const as = rnd.chance(0.5) ? 'member' : 'anonymous';
      const garbage = rnd.chance(0.5);
      const url = fillPath(route.url, garbage) + queryString();
      const method = rnd.chance(0.05) ? rnd.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']) : route.method;
      const options: InjectOptions = { method: method as InjectOptions['method'], url };
      let kind = garbage ? 'garbage path' : 'real path';
      if (method !== 'GET' && method !== 'HEAD') {
        const csrf = as === 'member' ? member.csrf : undefined;
        const variant = rnd.int(10);
        if (variant < 5) {
          options.payload = formBody(csrf);
          options.headers = { 'content-type': 'application/x-www-form-urlencoded' };
          kind += ', form';
        } else if (variant < 7) {
          options.payload = jsonBody();
          options.headers = { 'content-type': rnd.pick(['application/json', 'application/json; charset=utf-16', 'application/problem+json']) };
          kind += ', json';
        } else if (variant < 8) {
          options.payload = formBody(csrf) + 'x'.repeat(300_000);
          options.headers = { 'content-type': 'application/x-www-form-urlencoded' };
          kind += ', oversized form';
        } else if (variant < 9) {
          options.payload = rnd.pick(['<a/>', 'hallo', '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nabc', '\u0000\u0001']);
          options.headers = { 'content-type': rnd.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'multipart/form-data', 'foo/bar; x=']) };
          kind += ', other content type';
        } else {
          kind += ', no body';
        }
      }
      await send(as, options, kind);
      // A request that ended the member's session (a changed password, a deleted account) is followed by a new sign-in.
      if (as === 'member' && n % 200 === 199 && (await member.get('/profil')).statusCode !== 200) {
        ({ visitor: member } = await signedIn(t.app, t.database.db, 'member'));
        await member.get('/');
      }
    }

    // Odd request targets and sizes that only a real connection can carry.
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;
    const rawCases = [
      'GET * HTTP/1.1', 'OPTIONS * HTTP/1.1', 'GET http://localhost/ HTTP/1.1', 'GET http://evil.example/loesungen HTTP/1.1',
      'GET https://localhost/api/v1/solutions HTTP/1.1', 'GET //evil.example HTTP/1.1', 'GET /loesungen/%E0%A4%A HTTP/1.1',
      `GET /loesungen/${'a'.repeat(500)} HTTP/1.1`, `GET /?q=${'a'.repeat(20_000)} HTTP/1.1`, 'GET / HTTP/1.0', 'GET / HTTP/2.0',
      'GET /\u0001 HTTP/1.1', 'get / HTTP/1.1', 'FOO / HTTP/1.1', 'GET', '\r\n\r\n', 'GET /%00 HTTP/1.1', 'GET /fragen?%FF%FE=%FF HTTP/1.1',
    ];
    for (const line of rawCases) {
      const answer = await rawExchange(port, `${line}\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      counts.requests++;
      const problem = answer.status === 0 ? 'no answer' : problemOf({ statusCode: answer.status, headers: answer.headers });
      if (problem) failures.push({ method: 'RAW', url: line.slice(0, 80), kind: 'raw request line', status: answer.status, problem });
    }
    const bigHeader = await rawExchange(port, `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`);
    counts.requests++;
    if (problemOf({ statusCode: bigHeader.status, headers: bigHeader.headers }) || bigHeader.status === 0) {
      failures.push({ method: 'RAW', url: '/', kind: 'oversized header', status: bigHeader.status, problem: 'no clean answer' });
    }
    const health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);

    console.log(`robustness seed ${SEED}: ${counts.requests} requests (${counts.anonymous} anonymous, ${counts.member} as a member), `
      + `answers ${JSON.stringify(counts.byStatus)}, ${failures.length} failures`);
    assert.equal(health, 200, 'the server stopped answering');
    assert.deepEqual(failures.slice(0, 25), [], `seed ${SEED}: ${failures.length} bad answers`);
  });
});

/** Sends one raw request and reads the answer's status and headers (status 0: no answer). */
function rawExchange(port: number, request: string): Promise<{ status: number; headers: Record<string, string> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.on('data', (d) => { text += d; });
    socket.on('error', () => {});
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('close', () => {
      const [head] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]) || 0, headers });
    });
  });
}
