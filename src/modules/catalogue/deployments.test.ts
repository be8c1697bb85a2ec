import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { makeSolution, viewerOf } from '../../../test/support/catalogue.js';
import { completeSetup, createUser, organisationId, signedIn } from '../../../test/support/factories.js';
import { errorSummary, flash, pageText } from '../../../test/support/page.js';
import { translatorFor } from '../../platform/i18n/index.js';
import { notificationText } from '../notifications/service.js';
import { normaliseMonth, monthProblem } from './deployments.js';

const db = (t: TestApp) => t.database.db;

/** The lines of the "Im Einsatz bei" list of a solution page, as read. */
function runsAt(html: string): string[] {
  const list = /<h2 id="runs-at">[\s\S]*?(<ul class="deployments">([\s\S]*?)<\/ul>|<p>[^<]*<\/p>)/.exec(html);
  if (!list) return [];
  if (!list[2]) return [pageText(list[1]).trim()];
  return [...list[2].matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((m) => pageText(m[1].replace(/<p[\s\S]*?<\/p>/g, '')).trim());
}

/** The figures of the home page: label → value. */
function homeFigures(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/<div class="figure"><dt>([^<]*)<\/dt><dd>([^<]*)<\/dd><\/div>/g)].map((m) => [m[1], m[2]]));
}

/** Walks a self-check to its report, answering as the map says ("no" elsewhere). */
async function answerThrough(visitor: Visitor, checkId: number, answers: Record<string, string>): Promise<void> {
  let res = await visitor.get(`/selbstcheck/${checkId}`);
  for (let steps = 0; res.statusCode === 303 && String(res.headers.location).includes('/schritt/'); steps++) {
    assert.ok(steps < 60, 'the questionnaire ends');
    const url = String(res.headers.location);
    const page = await visitor.get(url);
    const id = /<input type="hidden" name="question" value="([^"]+)"/.exec(page.body)![1];
    const step = /<input type="hidden" name="step" value="([^"]+)"/.exec(page.body)![1];
    const posted = await visitor.post(url, { step, question: id, answer: answers[id] ?? 'no' });
    assert.equal(posted.statusCode, 303, errorSummary(posted.body));
    res = String(posted.headers.location) === `/selbstcheck/${checkId}` ? await visitor.get(String(posted.headers.location)) : posted;
  }
  // Every question answered: the result is stored from the review page.
  assert.equal(res.headers.location, `/selbstcheck/${checkId}/pruefen`);
  await visitor.get(`/selbstcheck/${checkId}/pruefen`);
  const saved = await visitor.post(`/selbstcheck/${checkId}/pruefen`);
  assert.equal(saved.statusCode, 303, errorSummary(saved.body));
  res = await visitor.get(String(saved.headers.location));
  assert.equal(res.statusCode, 200, 'the report');
}

describe('months as people write them', () => {
  it('reads "09/2025", "9/2025" and "2025-09" as one month and refuses months before 2000 or in the future', () => {
    assert.deepEqual(['09/2025', '9/2025', '2025-09', '2025-9'].map(normaliseMonth), ['2025-09', '2025-09', '2025-09', '2025-09']);
    assert.deepEqual(['13/2025', '2025-00', 'März 2025', '2025/09'].map(normaliseMonth), [null, null, null, null]);
    const now = '2026-12-07T10:00:00.000Z';
    assert.equal(monthProblem('12/2026', now), null);
    assert.equal(monthProblem('01/2027', now), 'deployments.errors.monthFuture');
    assert.equal(monthProblem('12/1999', now), 'deployments.errors.monthTooEarly');
    assert.equal(monthProblem('', now), null);
    // The month of Berlin: late on 31 December in UTC it is January already.
    assert.equal(monthProblem('01/2027', '2026-12-31T23:30:00.000Z'), null);
  });
});

describe('deployments of a solution', () => {
  let t: TestApp;
  let slug: string;
  let arnsbergId: number;
  let olpe: Visitor;
  let ownerMemberId: number;
  const rows = async () => db(t).selectFrom('deployments as d').innerJoin('solutions as s', 's.id', 'd.solution_id').selectAll('d').where('s.slug', '=', slug).orderBy('d.id').execute();

  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    arnsbergId = await organisationId(db(t), 'Arnsberg');
    const owner = await createUser(db(t), { organisation: 'Arnsberg' });
    ownerMemberId = owner.id;
    slug = (await makeSolution(db(t), await viewerOf(db(t), owner.id), {
      title: 'Chatbot im Bürgerbüro', summary: 'Beantwortet Fragen zu Terminen.', maturity: 'production', ai_act_class: 'minimal', contact_email: 'digital@arnsberg.example',
    })).slug;
    olpe = (await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' })).visitor;
  });
  after(() => t.close());

  it('counts the describing organisation as running its production solution, for everyone', async () => {
    const page = await new Visitor(t.app).get(`/loesungen/${slug}`);
    assert.deepEqual(runsAt(page.body), ['Arnsberg, produktiv (beschreibt die Lösung)']);
    assert.doesNotMatch(page.body, /Noch keine Kommune/);
  });

  it('asks for the status, with nothing chosen for another organisation and the solution\'s maturity chosen for the describing one', async () => {
    const page = await olpe.get(`/loesungen/${slug}`);
    assert.ok(pageText(page.body).includes('Wie setzt Olpe diese Lösung ein?'));
    assert.deepEqual([...page.body.matchAll(/name="status" value="([a-z_]+)"/g)].map((m) => m[1]), ['pilot', 'production', 'planned', 'interested']);
    assert.doesNotMatch(page.body, /name="status" value="[a-z_]+" checked/);
    const { visitor: owner } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    assert.match((await owner.get(`/loesungen/${slug}`)).body, /name="status" value="production" checked/);
  });

  it('refuses a deployment for an organisation one does not belong to, and months before 2000 or in the future, keeping what was typed', async () => {
    const refused = await olpe.post(`/loesungen/${slug}/einsatz`, { organisation: String(arnsbergId), status: 'pilot' });
    assert.equal(refused.statusCode, 422);
    assert.ok(errorSummary(refused.body).includes('Sie können einen Einsatz nur für Ihre eigene Organisation (Olpe) eintragen. Es wurde nichts geändert.'), errorSummary(refused.body));
    for (const [since, message] of [
      ['12/1999', 'Der Monat liegt vor dem Jahr 2000. Bitte prüfen Sie die Angabe.'],
      ['01/2099', 'Der Monat liegt in der Zukunft. Tragen Sie einen geplanten Einsatz mit dem Status „Geplant“ ohne Monat ein.'],
      ['März 2025', 'Bitte geben Sie den Monat als MM/JJJJ oder JJJJ-MM an, zum Beispiel 09/2025.'],
    ]) {
      const res = await olpe.post(`/loesungen/${slug}/einsatz`, { status: 'pilot', since, contact: 'Team IT Olpe', visibility: 'public' });
      assert.equal(res.statusCode, 422, since);
      assert.ok(errorSummary(res.body).includes(message), errorSummary(res.body));
      assert.ok(res.body.includes(`value="${since}"`) && res.body.includes('value="Team IT Olpe"'), `${since}: the form keeps what was typed`);
    }
    const noPeriod = await olpe.post(`/loesungen/${slug}/einsatz`, { status: 'pilot', cost_paid_eur: '4500', cost_period: '', visibility: 'public' });
    assert.equal(noPeriod.statusCode, 422);
    assert.ok(errorSummary(noPeriod.body).includes('Bitte wählen Sie, für welchen Zeitraum der Betrag gilt.'));
    assert.deepEqual(await rows(), [], 'nothing was stored');
  });

  it('accepts "09/2025", shows "seit 09/2025", and tells the owner organisation once', async () => {
    const res = await olpe.post(`/loesungen/${slug}/einsatz`, {
      organisation: String(await organisationId(db(t), 'Olpe')), status: 'pilot', since: '09/2025', contact: 'Team IT Olpe, it@olpe.example',
      cost_paid_eur: '4500', cost_period: 'year', cost_paid: 'inklusive Wartung', experience: 'Spart Telefonate.', visibility: 'public',
    });
    assert.equal(res.statusCode, 303, errorSummary(res.body));
    const page = await olpe.get(`/loesungen/${slug}`);
    assert.equal(flash(page.body), 'Eingetragen: Olpe – Pilot.');
    assert.deepEqual(runsAt(page.body), ['Arnsberg, produktiv (beschreibt die Lösung)', 'Olpe, Pilot seit 09/2025 – Team IT Olpe, it@olpe.example']);
    assert.equal((await rows())[0].since, '2025-09');
    // Marking again, with another status, and removing and marking once more: still one notice.
    await olpe.post(`/loesungen/${slug}/einsatz`, { status: 'production' });
    await olpe.post(`/loesungen/${slug}/einsatz/entfernen`, { confirm: 'yes' });
    await olpe.post(`/loesungen/${slug}/einsatz`, { status: 'pilot', since: '9/2025', contact: 'Team IT Olpe, it@olpe.example', cost_paid_eur: '4500', cost_period: 'year', visibility: 'public' });
    const notices = await db(t).selectFrom('notifications').selectAll().where('kind', '=', 'deployment').execute();
    // Every member of Arnsberg (the author and the one signed in above), once each.
    const arnsbergMembers = (await db(t).selectFrom('users').select('id').where('organisation_id', '=', arnsbergId).orderBy('id').execute()).map((u) => u.id);
    assert.ok(arnsbergMembers.includes(ownerMemberId));
    assert.deepEqual(notices.map((n) => [n.user_id, notificationText(translatorFor('de'), n), n.url]).sort((a, b) => Number(a[0]) - Number(b[0])),
      arnsbergMembers.map((id) => [id, 'Olpe setzt Ihre Lösung „Chatbot im Bürgerbüro“ als Pilot ein.', `/loesungen/${slug}`]));
  });

  it('shows the stored deployment with change and remove instead of the marking, and says when a status is replaced', async () => {
    const page = await olpe.get(`/loesungen/${slug}`);
    assert.ok(pageText(page.body).includes('Eintrag Ihrer Organisation: Olpe, Pilot seit 09/2025'));
    assert.doesNotMatch(page.body, /name="status"/, 'no marking while a status is stored');
    const form = await olpe.get(`/loesungen/${slug}/einsatz`);
    assert.match(form.body, /<option value="pilot" selected>/);
    assert.ok(pageText(form.body).includes('Bisher eingetragen: Olpe, Pilot seit 09/2025.'));
    assert.match(form.body, /name="since"[^>]*value="09\/2025"/);
    await olpe.post(`/loesungen/${slug}/einsatz`, { status: 'interested' });
    assert.equal(flash((await olpe.get(`/loesungen/${slug}`)).body), 'Geändert: Olpe – bisher „Pilot“, jetzt „Interesse“.');
    const [row] = await rows();
    assert.deepEqual([row.status, row.since, row.contact, row.cost_paid_eur, row.cost_period], ['interested', '2025-09', 'Team IT Olpe, it@olpe.example', 4500, 'year']);
    await olpe.post(`/loesungen/${slug}/einsatz`, { status: 'pilot' });
  });

  it('shows costs actually paid to members only, with their period, summed per period where several organisations report', async () => {
    for (const [organisation, amount, period] of [['Brilon', '3000', 'year'], ['Attendorn', '12000', 'once']]) {
      const { visitor } = await signedIn(t.app, db(t), 'member', { organisation });
      await visitor.get(`/loesungen/${slug}`);
      assert.equal((await visitor.post(`/loesungen/${slug}/einsatz`, { status: 'production', cost_paid_eur: amount, cost_period: period, visibility: 'public' })).statusCode, 303);
    }
    const text = pageText((await olpe.get(`/loesungen/${slug}`)).body);
    assert.ok(text.includes('Tatsächliche Kosten: 4.500 € pro Jahr'), text);
    assert.ok(text.includes('Gemeldete Kosten zusammen: 7.500 € pro Jahr (2 Organisationen); 12.000 € einmalig (eine Organisation)'), text);
    assert.doesNotMatch((await new Visitor(t.app).get(`/loesungen/${slug}`)).body, /Kosten:|4\.500/);
    // Brilon and Attendorn are two more occasions: one notice each for each of Arnsberg's two members.
    const notices = await db(t).selectFrom('notifications').selectAll().where('kind', '=', 'deployment').execute();
    assert.equal(notices.length, 6);
    assert.deepEqual([...new Set(notices.map((n) => notificationText(translatorFor('de'), n)))].sort(), [
      'Attendorn setzt Ihre Lösung „Chatbot im Bürgerbüro“ produktiv ein.', 'Brilon setzt Ihre Lösung „Chatbot im Bürgerbüro“ produktiv ein.',
      'Olpe setzt Ihre Lösung „Chatbot im Bürgerbüro“ als Pilot ein.',
    ]);
  });

  it('gives the adopting town\'s register entry its own self-check class and its own contact', async () => {
    const before = (await new Visitor(t.app).get('/organisationen/olpe/ki-register.json')).json() as { systems: Record<string, unknown>[] };
    assert.deepEqual(before.systems.map((s) => [s.name, s.ai_act_class, s.contact_email, s.deployment_contact]),
      [['Chatbot im Bürgerbüro', 'minimal', null, 'Team IT Olpe, it@olpe.example']]);
    const start = await olpe.post(`/loesungen/${slug}/einsatz/selbstcheck`);
    assert.equal(start.statusCode, 303);
    const checkId = Number(/^\/selbstcheck\/(\d+)$/.exec(String(start.headers.location))![1]);
    await answerThrough(olpe, checkId, { ai_system: 'yes', t_chatbot: 'yes' });

    const register = (await new Visitor(t.app).get('/organisationen/olpe/ki-register.json')).json() as { systems: Record<string, unknown>[] };
    assert.deepEqual(register.systems.map((s) => [s.name, s.status, s.begin_date, s.ai_act_class, s.contact_email, s.deployment_contact]),
      [['Chatbot im Bürgerbüro', 'in_gebruik', '2025-09', 'transparency', null, 'Team IT Olpe, it@olpe.example']]);
    const page = pageText((await new Visitor(t.app).get('/organisationen/olpe/ki-register')).body);
    assert.ok(page.includes('Transparenzpflicht (Art. 50)') && page.includes('Team IT Olpe, it@olpe.example'), page);
    assert.ok(!page.includes('digital@arnsberg.example') && !page.includes('keine Angabe'), page);
    // The describing organisation's entry keeps its own class and contact.
    const owner = (await new Visitor(t.app).get('/organisationen/arnsberg/ki-register.json')).json() as { systems: Record<string, unknown>[] };
    assert.deepEqual(owner.systems.map((s) => [s.name, s.status, s.ai_act_class, s.contact_email]), [['Chatbot im Bürgerbüro', 'in_gebruik', 'minimal', 'digital@arnsberg.example']]);
    assert.ok(runsAt((await new Visitor(t.app).get(`/loesungen/${slug}`)).body).includes('Olpe, Pilot seit 09/2025 · EU AI Act: Transparenzpflicht (Art. 50) (eigener Selbstcheck)'));
  });

  it('a withdrawn deployment check no longer gives the deployment its class; a withdrawn solution check does not take a deployment\'s', async () => {
    const deploymentCheck = (await db(t).selectFrom('ai_act_checks').select('id').where('deployment_id', 'is not', null).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    await olpe.get(`/selbstcheck/${deploymentCheck}/zurueckziehen`);
    assert.equal((await olpe.post(`/selbstcheck/${deploymentCheck}/zurueckziehen`)).statusCode, 303);
    const register = (await new Visitor(t.app).get('/organisationen/olpe/ki-register.json')).json() as { systems: Record<string, unknown>[] };
    assert.deepEqual(register.systems.map((s) => [s.name, s.ai_act_class]), [['Chatbot im Bürgerbüro', 'minimal']], 'the solution\'s class again');
    const lines = runsAt((await new Visitor(t.app).get(`/loesungen/${slug}`)).body);
    assert.ok(lines.some((l) => l.startsWith('Olpe')) && !lines.some((l) => l.includes('eigener Selbstcheck')), lines.join(' | '));

    // The describing organisation's check, then a newer one of Olpe's deployment; withdrawing the former leaves the solution without a class.
    const { visitor: owner } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    await owner.get(`/loesungen/${slug}/selbstcheck`);
    const own = Number(/^\/selbstcheck\/(\d+)$/.exec(String((await owner.post(`/loesungen/${slug}/selbstcheck`)).headers.location))![1]);
    await answerThrough(owner, own, { ai_system: 'yes' });
    const again = await olpe.post(`/loesungen/${slug}/einsatz/selbstcheck`);
    const olpeCheck = Number(/^\/selbstcheck\/(\d+)$/.exec(String(again.headers.location))![1]);
    await answerThrough(olpe, olpeCheck, { ai_system: 'yes', t_chatbot: 'yes' });
    await owner.get(`/selbstcheck/${own}/zurueckziehen`);
    assert.equal((await owner.post(`/selbstcheck/${own}/zurueckziehen`)).statusCode, 303);
    const solution = await db(t).selectFrom('solutions').select(['ai_act_class', 'ai_act_check_id']).where('slug', '=', slug).executeTakeFirstOrThrow();
    assert.deepEqual(solution, { ai_act_class: null, ai_act_check_id: null });
  });
});

describe('the region first', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    const arnsberg = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Arnsberg' })).id);
    await makeSolution(db(t), arnsberg, { title: 'Posteingang sortieren', summary: 'Ordnet Post den Ämtern zu.', maturity: 'production', field_of_action: 'general_public_services' });
  });
  after(() => t.close());

  it('counts the region\'s own solutions on the home page and the figures page, with register entries apart', async () => {
    const home = await new Visitor(t.app).get('/');
    assert.deepEqual(homeFigures(home.body)['öffentliche Lösung aus der Region'], '1');
    assert.equal(homeFigures(home.body)['laufender Einsatz'], '1', 'the describing organisation runs it');
    assert.doesNotMatch(home.body, /Aus öffentlichen Registern/);

    // Three entries of the Dutch register; Olpe runs one of them as a pilot.
    const importer = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Brilon' })).id);
    const imported = [];
    for (const [i, title] of ['Parkeerhandhaving', 'Afvalroutes', 'Bijstandscontrole'].entries()) {
      imported.push((await makeSolution(db(t), importer, { title, summary: `${title}: een algoritme.`, maturity: 'production', language: 'nl' },
        { source: 'nl', source_id: `nl-${i}`, source_org: 'Gemeente Rotterdam', organisation_id: null })).slug);
    }
    const { visitor: olpe } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    await olpe.get(`/loesungen/${imported[0]}`);
    assert.equal((await olpe.post(`/loesungen/${imported[0]}/einsatz`, { status: 'pilot' })).statusCode, 303);

    const after = await new Visitor(t.app).get('/');
    assert.equal(homeFigures(after.body)['öffentliche Lösungen aus der Region'], '2');
    assert.equal(homeFigures(after.body)['laufende Einsätze'], '2');
    assert.ok(pageText(after.body).includes('Aus öffentlichen Registern: 2 Einträge'), pageText(after.body));
    assert.match(after.body, /<a href="\/loesungen\?origin=registers">Aus öffentlichen Registern: 2 Einträge<\/a>/);

    const figures = await new Visitor(t.app).get('/zahlen');
    assert.ok(pageText(figures.body).includes('Aus öffentlichen Registern: 2 Einträge'));
    // The field chart: the region's solution in its field, Olpe's register entry without a field; the others do not count.
    const table = figures.body.slice(figures.body.indexOf('loesungen-handlungsfeld-heading'));
    assert.match(table, /Allgemeine Verwaltung<\/th><td[^>]*>1<\/td>/);
    assert.match(table, /ohne Angabe<\/th><td[^>]*>1<\/td>/);

    // An imported entry says where it runs according to its register.
    assert.deepEqual(runsAt((await new Visitor(t.app).get(`/loesungen/${imported[1]}`)).body), ['Gemeente Rotterdam (laut Algoritmeregister)']);
    assert.deepEqual(runsAt((await new Visitor(t.app).get(`/loesungen/${imported[0]}`)).body), ['Gemeente Rotterdam (laut Algoritmeregister)', 'Olpe, Pilot']);
  });
});
