import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backend, startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import type { Visitor } from '../../../test/support/client.js';
import { completeSetup, organisationId, signedIn } from '../../../test/support/factories.js';
import { errorMessages, pageText } from '../../../test/support/page.js';
import { collectingInitiative, initiativeForm, memberOf, passDeadline } from '../../../test/support/procurement.js';
import { FormError } from '../../platform/errors.js';
import type { CurrentUser } from '../../platform/policy.js';
import { createInitiative, parseInitiative, saveDeclaration } from './service.js';

const db = (t: TestApp) => t.database.db;

/** The messages of the error summary at the top of a page refused with 422, as one text. */
const summary = (html: string) => errorMessages(html).join(' ');

async function declarations(t: TestApp, id: number) {
  return db(t).selectFrom('procurement_declarations').selectAll().where('initiative_id', '=', id).orderBy('id').execute();
}

/** Loads the initiative page, then posts one of its forms. */
async function post(visitor: Visitor, id: number, path: string, fields: Record<string, string> = {}) {
  await visitor.get(`/beschaffung/${id}`);
  return visitor.post(`/beschaffung/${id}${path}`, fields);
}

/** Makes things one after the other (the test factories number people as they go). */
async function several<T>(count: number, make: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i++) out.push(await make());
  return out;
}

/** The message keys of the FormErrors among settled promises, and how many succeeded. */
function outcome(results: PromiseSettledResult<unknown>[]) {
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => {
    if (!(r.reason instanceof FormError)) throw r.reason;
    return r.reason.fields._?.key;
  });
  return { ok: results.filter((r) => r.status === 'fulfilled').length, refused };
}

describe(`declarations of demand (${backend})`, () => {
  let t: TestApp;
  let lead: CurrentUser;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    lead = await memberOf(db(t), 'Arnsberg');
  });
  after(() => t.close());

  const bad: { name: string; fields: Record<string, string>; message: RegExp }[] = [
    { name: 'a quantity of 0', fields: { quantity: '0' }, message: /Bitte geben Sie die Menge als ganze Zahl größer als 0 an\./ },
    { name: 'a negative quantity', fields: { quantity: '-5' }, message: /Menge als ganze Zahl größer als 0/ },
    { name: 'a quantity that is no number', fields: { quantity: 'viele' }, message: /Menge als ganze Zahl größer als 0/ },
    { name: 'a fractional quantity', fields: { quantity: '2,5' }, message: /Menge als ganze Zahl größer als 0/ },
    { name: 'no quantity', fields: { quantity: '' }, message: /Menge als ganze Zahl größer als 0/ },
    { name: 'a maximum below the quantity', fields: { quantity: '20', max_quantity: '10' }, message: /Die Höchstmenge darf nicht kleiner sein als die Menge \(20\)\./ },
    { name: 'a maximum that is no number', fields: { quantity: '20', max_quantity: 'mehr' }, message: /Höchstmenge als ganze Zahl größer als 0/ },
  ];
  for (const b of bad) {
    it(`refuses ${b.name} with a German message, keeps what was typed and records nothing`, async () => {
      const id = await collectingInitiative(db(t), lead);
      const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
      const res = await post(visitor, id, '/erklaerung', b.fields);
      assert.equal(res.statusCode, 422);
      assert.match(summary(res.body), b.message);
      if (b.fields.quantity) assert.match(res.body, new RegExp(`name="quantity"[^>]*value="${b.fields.quantity}"`));
      assert.deepEqual(await declarations(t, id), []);
    });
  }

  it('an organisation declares once; a colleague changes or withdraws it, a second declaration is refused', async () => {
    const id = await collectingInitiative(db(t), lead);
    const { visitor: first } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const { visitor: second } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    assert.equal((await post(first, id, '/erklaerung', { quantity: '12', max_quantity: '20' })).statusCode, 303);
    const again = await post(second, id, '/erklaerung', { quantity: '5' });
    assert.equal(again.statusCode, 422);
    assert.match(summary(again.body), /Olpe hat für diese Initiative schon Bedarf erklärt\. Jede Organisation erklärt einmal/);
    assert.deepEqual((await declarations(t, id)).map((d) => [d.quantity, d.max_quantity]), [[12, 20]]);

    const page = pageText((await second.get(`/beschaffung/${id}`)).body);
    assert.match(page, /Olpe hat 12 Lizenzen erklärt\./);
    assert.equal((await post(second, id, '/erklaerung/aendern', { quantity: '18', max_quantity: '' })).statusCode, 303);
    assert.deepEqual((await declarations(t, id)).map((d) => [d.quantity, d.max_quantity]), [[18, null]]);
    assert.equal((await post(first, id, '/erklaerung/zurueckziehen')).statusCode, 303);
    assert.deepEqual(await declarations(t, id), []);
    const none = await post(first, id, '/erklaerung/zurueckziehen');
    assert.equal(none.statusCode, 422);
    assert.match(summary(none.body), /Olpe hat für diese Initiative noch keinen Bedarf erklärt\./);
  });

  it('nobody declares for another organisation: a forged organisation field is refused and nothing is recorded', async () => {
    const id = await collectingInitiative(db(t), lead);
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const siegen = String(await organisationId(db(t), 'Siegen'));
    const forged = await post(visitor, id, '/erklaerung', { organisation: siegen, quantity: '50' });
    assert.equal(forged.statusCode, 422);
    assert.match(summary(forged.body), /Sie können Bedarf nur für Ihre eigene Organisation \(Olpe\) erklären\. Es wurde nichts gespeichert\./);
    assert.deepEqual(await declarations(t, id), []);

    // An administrator of another organisation is no exception; withdrawing someone else's declaration neither.
    const { visitor: siegenMember } = await signedIn(t.app, db(t), 'member', { organisation: 'Siegen' });
    await post(siegenMember, id, '/erklaerung', { organisation: siegen, quantity: '7' });
    const { visitor: admin } = await signedIn(t.app, db(t), 'admin', { organisation: 'Attendorn' });
    assert.equal((await post(admin, id, '/erklaerung/aendern', { organisation: siegen, quantity: '70' })).statusCode, 422);
    assert.equal((await post(admin, id, '/erklaerung/zurueckziehen', { organisation: siegen })).statusCode, 422);
    assert.deepEqual((await declarations(t, id)).map((d) => d.quantity), [7]);
  });

  it('refuses declarations, changes and withdrawals after the deadline, and before demand is collected', async () => {
    const id = await collectingInitiative(db(t), lead);
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    await post(visitor, id, '/erklaerung', { quantity: '3' });
    await passDeadline(db(t), id);
    for (const [path, fields] of [['/erklaerung', { quantity: '4' }], ['/erklaerung/aendern', { quantity: '4' }], ['/erklaerung/zurueckziehen', {}]] as const) {
      const res = await post(visitor, id, path, fields);
      assert.equal(res.statusCode, 422, path);
      assert.match(summary(res.body), /Die Frist für Bedarfserklärungen ist am \d\d\.\d\d\.\d{4}, \d\d:\d\d MES?Z abgelaufen\. Es wurde nichts gespeichert\./);
    }
    assert.deepEqual((await declarations(t, id)).map((d) => d.quantity), [3]);
    assert.match(pageText((await visitor.get(`/beschaffung/${id}`)).body), /Die Frist für Bedarfserklärungen ist abgelaufen\./);

    const { id: draft } = await createInitiative(db(t), lead, parseInitiative(initiativeForm(), {}));
    const early = await post(visitor, draft, '/erklaerung', { quantity: '4' });
    assert.equal(early.statusCode, 404, 'a draft does not even exist for other organisations');
    const own = await post((await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' })).visitor, draft, '/erklaerung', { quantity: '4' });
    assert.equal(own.statusCode, 422);
    assert.match(summary(own.body), /Für diese Initiative werden noch keine Bedarfe gesammelt\./);
    assert.deepEqual(await declarations(t, draft), []);
  });

  it('ten simultaneous declarations of one organisation leave exactly one', async () => {
    const id = await collectingInitiative(db(t), lead);
    const people = await several(10, () => memberOf(db(t), 'Olpe'));
    const results = await Promise.allSettled(people.map((p, n) => saveDeclaration(db(t), p, id, 'declare', { quantity: n + 1, max_quantity: null })));
    const { ok, refused } = outcome(results);
    assert.equal(ok, 1);
    assert.deepEqual(refused, Array(9).fill('procurement.errors.alreadyDeclared'));
    assert.equal((await declarations(t, id)).length, 1);
  });

  it('ten simultaneous requests over HTTP keep one declaration and answer the others with the clear message, not an error page', async () => {
    const id = await collectingInitiative(db(t), lead);
    const visitors = await several(10, async () => (await signedIn(t.app, db(t), 'member', { organisation: 'Siegen' })).visitor);
    for (const v of visitors) await v.get(`/beschaffung/${id}`);
    const responses = await Promise.all(visitors.map((v) => v.post(`/beschaffung/${id}/erklaerung`, { quantity: '9' })));
    assert.deepEqual(responses.map((r) => r.statusCode).sort(), [303, ...Array(9).fill(422)]);
    for (const r of responses.filter((x) => x.statusCode === 422)) assert.match(summary(r.body), /Siegen hat für diese Initiative schon Bedarf erklärt/);
    assert.equal((await declarations(t, id)).length, 1);
  });

  it('simultaneous declarations of different organisations all count', async () => {
    const id = await collectingInitiative(db(t), lead);
    const names = ['Arnsberg', 'Olpe', 'Siegen', 'Attendorn', 'Meschede', 'Lennestadt'];
    const people: CurrentUser[] = [];
    for (const n of names) people.push(await memberOf(db(t), n));
    await Promise.all(people.map((p) => saveDeclaration(db(t), p, id, 'declare', { quantity: 10, max_quantity: null })));
    assert.equal((await declarations(t, id)).length, names.length);
  });

  // SQLite lets one process write at a time and runs as one instance; PostgreSQL serves several instances behind a load balancer.
  it(backend === 'postgres' ? 'on two instances of the platform at once, one organisation still keeps exactly one declaration'
    : 'requests through one instance at once keep exactly one declaration per organisation', async () => {
    const second = backend === 'postgres' ? await startAppOnDatabase(t) : null;
    try {
      const id = await collectingInitiative(db(t), lead);
      const people = await several(10, () => memberOf(db(t), 'Attendorn'));
      const results = await Promise.allSettled(people.map((p, n) =>
        saveDeclaration(n % 2 && second ? second.database.db : db(t), p, id, 'declare', { quantity: 5, max_quantity: null })));
      const { ok, refused } = outcome(results);
      assert.equal(ok, 1);
      assert.equal(refused.length, 9);
      assert.ok(refused.every((k) => k === 'procurement.errors.alreadyDeclared'), String(refused));
      assert.equal((await declarations(t, id)).length, 1);
    } finally {
      await second?.close();
    }
  });
});
