import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { makeSolution, unescapeHtml } from '../../../test/support/catalogue.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { makeMeeting, organiser, shiftMeeting, hoursFromNow } from '../../../test/support/meetings.js';
import { collectingInitiative, memberOf, passDeadline } from '../../../test/support/procurement.js';
import { Visitor } from '../../../test/support/client.js';
import type { Db } from '../../platform/db/database.js';
import { translatorFor } from '../../platform/i18n/index.js';
import type { CurrentUser } from '../../platform/policy.js';
import { FIELDS_OF_ACTION, MATURITIES } from '../catalogue/fields.js';
import { markDeployment } from '../catalogue/service.js';
import { markAttendance, registerForMeeting, registrationsFor } from '../meetings/service.js';
import { changeState, communitySavings, saveDeclaration } from '../procurement/service.js';
import { acceptAnswer, answerQuestion, askQuestion } from '../questions/service.js';
import { hidePost } from '../questions/moderation.js';
import { isEmpty, rowTotal } from './charts.js';
import { CHART_IDS, chartData, dashboardVersion, homeFigures, quarterOf, shorten, type Audience, type ChartData, type ChartId } from './service.js';

const db = (t: TestApp) => t.database.db;
const VISIBLE: Record<Audience, ('public' | 'members')[]> = { public: ['public'], members: ['public', 'members'] };
const n = (v: unknown) => Number(v ?? 0);

/** The UTC instant at which a quarter ("2026-Q2") after the given one begins, in Berlin time. */
function nextQuarterStart(quarter: string): string {
  const [year, q] = quarter.split('-Q').map(Number);
  return DateTime.fromObject({ year, month: (q - 1) * 3 + 1, day: 1 }, { zone: 'Europe/Berlin' }).plus({ months: 3 }).toUTC().toISO()!;
}
function quarterStart(quarter: string): string {
  const [year, q] = quarter.split('-Q').map(Number);
  return DateTime.fromObject({ year, month: (q - 1) * 3 + 1, day: 1 }, { zone: 'Europe/Berlin' }).toUTC().toISO()!;
}

/** German numbers as a page writes them: "1.234" and "1.234,56 €" (as cents). */
function germanNumber(text: string, money: boolean): number {
  const plain = text.replace(/[^\d,-]/g, '');
  return money ? Math.round(Number(plain.replace(',', '.')) * 100) : Number(plain);
}

/** The rows of a chart's table on the page: label and the numbers of each series. */
function tableRows(html: string, id: ChartId, money = false): { label: string; values: number[] }[] {
  const m = new RegExp(`<table class="table" data-chart="chart-${id}">([\\s\\S]*?)</table>`).exec(html);
  assert.ok(m, `table of ${id} on the page`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(m[1])![1];
  return [...body.matchAll(/<tr><th scope="row">([^<]*)<\/th>([\s\S]*?)<\/tr>/g)].map((r) => ({
    label: unescapeHtml(r[1]),
    values: [...r[2].matchAll(/<td class="num">([^<]*)<\/td>/g)].map((c) => germanNumber(unescapeHtml(c[1]), money)),
  }));
}

/** The SVG of a chart on the page. */
function svgOf(html: string, id: ChartId): string {
  const m = new RegExp(`<svg[^>]*data-chart="chart-${id}"[\\s\\S]*?</svg>`).exec(html);
  assert.ok(m, `svg of ${id} on the page`);
  return m[0];
}

function csvRows(body: string): string[][] {
  return parse(body, { delimiter: ';', bom: true }) as string[][];
}

/** The numbers of a chart in the order of its table: one list per row, one number per series. */
const numbersOf = (data: ChartData) => data.rows.map((r) => ({ label: r.label, values: data.series.map((s) => Number(r[s.key])) }));

// Independent counts, straight from the database ---------------------------------------------------------

async function solutionsWhere(d: Db, audience: Audience, column: 'field_of_action' | 'maturity', value: string | null): Promise<number> {
  let q = d.selectFrom('solutions').select(sql<number>`count(*)`.as('n')).where('visibility', 'in', VISIBLE[audience]);
  q = value === null ? q.where(column, 'is', null) : q.where(column, '=', value);
  return n((await q.executeTakeFirst())?.n);
}

async function deploymentsBefore(d: Db, audience: Audience, instant: string): Promise<number> {
  const row = await d.selectFrom('deployments as d').innerJoin('solutions as s', 's.id', 'd.solution_id').select(sql<number>`count(*)`.as('n'))
    .where('d.status', 'in', ['pilot', 'production']).where('d.visibility', 'in', VISIBLE[audience]).where('s.visibility', 'in', VISIBLE[audience])
    // A month "2025-05" sorts before the instant a later month begins, and after the instant its own month begins.
    .where(sql`coalesce(d.since, d.created_at)`, '<', instant).executeTakeFirst();
  // The describing organisation runs its pilot or production solution unless it marked a deployment of its own.
  const implied = await d.selectFrom('solutions as s').select(sql<number>`count(*)`.as('n'))
    .where('s.maturity', 'in', ['pilot', 'production']).where('s.organisation_id', 'is not', null).where('s.visibility', 'in', VISIBLE[audience])
    .where(sql<boolean>`not exists (select 1 from deployments o where o.solution_id = s.id and o.organisation_id = s.organisation_id)`)
    .where('s.created_at', '<', instant).executeTakeFirst();
  return n(row?.n) + n(implied?.n);
}

async function membersBefore(d: Db, instant: string) {
  const members = await d.selectFrom('users').select(sql<number>`count(*)`.as('n')).where('active', '=', 1).where('created_at', '<', instant).executeTakeFirst();
  const firsts = d.selectFrom('users').select(['organisation_id', sql<string>`min(created_at)`.as('first')]).where('active', '=', 1).groupBy('organisation_id');
  const organisations = await d.selectFrom(firsts.as('f')).select(sql<number>`count(*)`.as('n')).where('f.first', '<', instant).executeTakeFirst();
  return [n(members?.n), n(organisations?.n)];
}

async function questionsIn(d: Db, audience: Audience, quarter: string) {
  const base = () => d.selectFrom('questions as q').select(sql<number>`count(*)`.as('n'))
    .where('q.hidden', '=', 0).where('q.visibility', 'in', VISIBLE[audience])
    .where('q.created_at', '>=', quarterStart(quarter)).where('q.created_at', '<', nextQuarterStart(quarter));
  const visibleAnswer = sql<boolean>`exists (select 1 from answers a where a.question_id = q.id and a.hidden = 0)`;
  const accepted = await base().where('q.accepted_answer_id', 'is not', null).executeTakeFirst();
  const answered = await base().where('q.accepted_answer_id', 'is', null).where(visibleAnswer).executeTakeFirst();
  const open = await base().where('q.accepted_answer_id', 'is', null).where(sql<boolean>`not ${visibleAnswer}`).executeTakeFirst();
  return [n(accepted?.n), n(answered?.n), n(open?.n)];
}

async function attendanceOf(d: Db, audience: Audience) {
  const meetings = await d.selectFrom('meetings').select(['id', 'title'])
    .where('status', '=', 'planned').where('ends_at', '<=', new Date().toISOString()).where('visibility', 'in', VISIBLE[audience])
    .orderBy('starts_at', 'desc').limit(12).execute();
  const out: { title: string; values: number[] }[] = [];
  for (const m of meetings.reverse()) {
    const count = async (attended: 0 | 1) => n((await d.selectFrom('meeting_registrations').select(sql<number>`count(*)`.as('n'))
      .where('meeting_id', '=', m.id).where('status', '=', 'registered').where('attended', '=', attended).executeTakeFirst())?.n);
    out.push({ title: m.title, values: [await count(1), await count(0)] });
  }
  return out;
}

/** What each chart must show for an audience, computed from the database row by row of the chart's own labels. */
async function expectedNumbers(d: Db, id: ChartId, audience: Audience, data: ChartData): Promise<number[][]> {
  const t = translatorFor('de');
  switch (id) {
    case 'loesungen-handlungsfeld': {
      const rows = await Promise.all(FIELDS_OF_ACTION.map(async (f) => [await solutionsWhere(d, audience, 'field_of_action', f)]));
      const none = await solutionsWhere(d, audience, 'field_of_action', null);
      assert.deepEqual(data.rows.map((r) => r.label).slice(0, FIELDS_OF_ACTION.length), FIELDS_OF_ACTION.map((f) => t(`catalogue.values.field_of_action.${f}`)));
      return none > 0 ? [...rows, [none]] : rows;
    }
    case 'loesungen-reife':
      assert.deepEqual(data.rows.map((r) => r.label), MATURITIES.map((m) => t(`catalogue.values.maturity.${m}`)));
      return Promise.all(MATURITIES.map(async (m) => [await solutionsWhere(d, audience, 'maturity', m)]));
    case 'einsaetze-verlauf':
      return Promise.all(data.rows.map(async (r) => [await deploymentsBefore(d, audience, nextQuarterStart(String(r.quarter)))]));
    case 'mitwirkende':
      return Promise.all(data.rows.map((r) => membersBefore(d, nextQuarterStart(String(r.quarter)))));
    case 'fragen-beantwortet':
      return Promise.all(data.rows.map((r) => questionsIn(d, audience, String(r.quarter))));
    case 'treffen-teilnahme': {
      const meetings = await attendanceOf(d, audience);
      assert.deepEqual(data.rows.map((r) => r.label.replace(/^\S+ /, '')), meetings.map((m) => shorten(m.title, 30)));
      return meetings.map((m) => m.values);
    }
    case 'beschaffung-einsparungen': {
      const bound = await d.selectFrom('procurement_initiatives').select(['title']).where('state', 'in', ['binding', 'handed_over']).orderBy('id').execute();
      if (audience === 'members') assert.deepEqual(data.rows.map((r) => r.label), bound.map((b) => b.title));
      // Savings are not counted in SQL; their sum is checked against the procurement module's own figure.
      return data.rows.map((r) => [Number(r.saving)]);
    }
  }
}

describe('community dashboard', () => {
  let t: TestApp;
  let arnsberg: CurrentUser;
  let olpe: CurrentUser;
  let brilon: CurrentUser;
  let member: Visitor;

  before(async () => {
    t = await startTestApp();
    const d = db(t);
    await completeSetup(d);
    arnsberg = await memberOf(d, 'Arnsberg');
    olpe = await memberOf(d, 'Olpe');
    brilon = await memberOf(d, 'Brilon');
    // Joined earlier: the time axes begin in 2025.
    await d.updateTable('users').set({ created_at: '2025-02-10T09:00:00.000Z' }).where('id', '=', arnsberg.id).execute();
    await d.updateTable('users').set({ created_at: '2025-08-20T09:00:00.000Z' }).where('id', '=', olpe.id).execute();
    const gone = await createUser(d, { organisation: 'Bestwig' });
    await d.updateTable('users').set({ active: 0 }).where('id', '=', gone.id).execute();

    // Solutions: public, members-only and drafts, in several fields and maturities, one without a field.
    const s = async (by: CurrentUser, title: string, fields: Record<string, string>) =>
      (await makeSolution(d, by, { title, summary: `${title}: kurz beschrieben.`, ...fields })).slug;
    const chatbot = await s(arnsberg, 'Bürger-Chatbot', { field_of_action: 'general_public_services', maturity: 'production' });
    const parking = await s(olpe, 'Parkraum-Analyse', { field_of_action: 'public_order_safety', maturity: 'pilot' });
    const mail = await s(arnsberg, 'Posteingang sortieren', { field_of_action: 'general_public_services', maturity: 'pilot' });
    await s(brilon, 'Idee Waldbrand', { field_of_action: 'environmental_protection', maturity: 'idea' });
    await s(brilon, 'Ohne Feld', { maturity: 'planned' });
    const internal = await s(olpe, 'Interner Übersetzer', { field_of_action: 'general_public_services', maturity: 'production', visibility: 'members' });
    await s(olpe, 'Schulnetz intern', { field_of_action: 'education', maturity: 'in_development', visibility: 'members' });
    await s(arnsberg, 'Entwurf Verteidigung', { field_of_action: 'defence', maturity: 'retired', visibility: 'draft' });

    // Deployments: running (pilot, production) count, interest does not; visibility of deployment and solution both matter.
    const deploy = (by: CurrentUser, slug: string, status: string, since: string, visibility = 'public') =>
      markDeployment(d, by, slug, { status, since, visibility }, {});
    await deploy(arnsberg, chatbot, 'production', '2025-03');
    await deploy(olpe, chatbot, 'pilot', '2025-11');
    await deploy(brilon, chatbot, 'pilot', '', 'members');
    await deploy(arnsberg, parking, 'production', '');
    await deploy(brilon, parking, 'interested', '2025-04');
    await deploy(olpe, internal, 'production', '2025-06');
    await deploy(arnsberg, mail, 'idea', '2025-01');

    // Questions: accepted, answered without acceptance, open, members-only, hidden; some asked in 2025.
    const qdeps = { db: d, config: t.config };
    const ask = async (by: CurrentUser, title: string, visibility: 'public' | 'members' = 'public') =>
      (await askQuestion(qdeps, by, { title, body: `${title} – wer hat Erfahrung?`, tags: [], field_of_action: null, visibility, solutions: [] })).id;
    const q1 = await ask(arnsberg, 'Chatbot und Datenschutz');
    const a1 = await answerQuestion(qdeps, olpe, q1, 'Wir haben eine Folgenabschätzung gemacht.');
    await acceptAnswer(qdeps, arnsberg, q1, a1.id);
    const q2 = await ask(olpe, 'Lizenzkosten Übersetzer');
    await answerQuestion(qdeps, brilon, q2, 'Etwa 2 € pro Arbeitsplatz.');
    await ask(brilon, 'Offene Frage zu Schulen');
    const q4 = await ask(olpe, 'Interne Frage', 'members');
    const a4 = await answerQuestion(qdeps, arnsberg, q4, 'Intern beantwortet.');
    await acceptAnswer(qdeps, olpe, q4, a4.id);
    const q5 = await ask(arnsberg, 'Ausgeblendete Frage');
    await hidePost(qdeps, { ...arnsberg, role: 'moderator' }, 'question', q5);
    await d.updateTable('questions').set({ created_at: '2025-05-05T08:00:00.000Z' }).where('id', 'in', [q1, q4]).execute();

    // Meetings: a public and a members-only one that took place, a cancelled one and one to come.
    const mona = await organiser(d);
    const mdeps = { db: d, config: t.config };
    const held = await makeMeeting(d, mona, { title: 'KI-Stammtisch Sauerland mit Erfahrungsberichten aus den Rathäusern' });
    const closed = await makeMeeting(d, mona, { title: 'Mitgliederrunde', visibility: 'members' });
    const cancelled = await makeMeeting(d, mona, { title: 'Abgesagtes Treffen' });
    await makeMeeting(d, mona, { title: 'Kommendes Treffen' });
    for (const person of [arnsberg, olpe, brilon]) {
      await registerForMeeting(mdeps, person, held.slug);
      await registerForMeeting(mdeps, person, cancelled.slug);
    }
    await registerForMeeting(mdeps, olpe, closed.slug);
    await shiftMeeting(d, held.slug, { starts_at: hoursFromNow(-50), ends_at: hoursFromNow(-48), registration_opens_at: null, registration_closes_at: null });
    await shiftMeeting(d, closed.slug, { starts_at: hoursFromNow(-26), ends_at: hoursFromNow(-24), registration_opens_at: null, registration_closes_at: null });
    await shiftMeeting(d, cancelled.slug, { starts_at: hoursFromNow(-30), ends_at: hoursFromNow(-29), registration_opens_at: null, registration_closes_at: null });
    await d.updateTable('meetings').set({ status: 'cancelled' }).where('slug', '=', cancelled.slug).execute();
    const registered = (await registrationsFor(d, mona, held.slug)).people;
    await markAttendance(d, mona, held.slug, registered.filter((p) => p.user_id !== brilon.id).map((p) => p.id));
    await markAttendance(d, mona, closed.slug, (await registrationsFor(d, mona, closed.slug)).people.map((p) => p.id));

    // Joint procurement: two initiatives bound with declarations (one handed over), one still collecting.
    const bind = async (lead: CurrentUser, title: string, declarations: [CurrentUser, number][]) => {
      const id = await collectingInitiative(d, lead, { title });
      for (const [who, quantity] of declarations) await saveDeclaration(d, who, id, 'declare', { quantity, max_quantity: null });
      await passDeadline(d, id);
      await changeState(d, lead, id, 'binding', true);
      return id;
    };
    const first = await bind(arnsberg, 'Lizenzen Chat-Assistent', [[arnsberg, 120], [olpe, 90], [brilon, 40]]);
    const second = await bind(olpe, 'Übersetzungsdienst gemeinsam', [[olpe, 30], [brilon, 30]]);
    await changeState(d, olpe, second, 'handed_over', true);
    await d.updateTable('procurement_initiatives').set({ bound_at: '2025-09-01T10:00:00.000Z' }).where('id', '=', first).execute();
    const open = await collectingInitiative(d, brilon, { title: 'Noch offene Sammlung' });
    await saveDeclaration(d, arnsberg, open, 'declare', { quantity: 500, max_quantity: null });

    member = (await signedIn(t.app, d, 'member', { organisation: 'Arnsberg' })).visitor;
  });
  after(() => t.close());

  for (const audience of ['public', 'members'] as const) {
    it(`every chart counts what ${audience === 'public' ? 'the public' : 'a member'} may see, alike in the data, the CSV and the page's table`, async () => {
      const visitor = audience === 'public' ? new Visitor(t.app) : member;
      const page = await visitor.get('/zahlen');
      assert.equal(page.statusCode, 200);
      for (const id of CHART_IDS) {
        const data = await chartData(db(t), id, audience);
        const money = Boolean(data.money);
        const expected = await expectedNumbers(db(t), id, audience, data);
        assert.ok(data.rows.length > 0 && !isEmpty(data.rows, data.series), `${id} has figures`);
        assert.deepEqual(numbersOf(data).map((r) => r.values), expected, `${id}: data`);

        const csv = await visitor.get(`/zahlen/${id}.csv`);
        assert.equal(csv.statusCode, 200);
        const [header, ...lines] = csvRows(csv.body);
        assert.deepEqual(header, [data.labelHeader, ...data.series.map((s) => s.label)]);
        assert.deepEqual(lines.map((l) => l[0]), data.rows.map((r) => r.label), `${id}: CSV labels`);
        assert.deepEqual(lines.map((l) => l.slice(1).map((c) => germanNumber(c, money))), expected, `${id}: CSV`);

        const table = tableRows(page.body, id, money);
        assert.deepEqual(table.map((r) => r.label), data.rows.map((r) => r.label), `${id}: table labels`);
        // Stacked charts add a total column; the series come first.
        assert.deepEqual(table.map((r) => r.values.slice(0, data.series.length)), expected, `${id}: table`);
        assert.match(page.body, new RegExp(`href="/zahlen/${id}\\.csv"`));
      }
    });
  }

  it('the public sees fewer than a member where members-only content exists, and drafts never count', async () => {
    const total = async (id: ChartId, audience: Audience) => {
      const data = await chartData(db(t), id, audience);
      return data.kind === 'line' ? rowTotal(data.rows[data.rows.length - 1], data.series) : data.rows.reduce((s, r) => s + rowTotal(r, data.series), 0);
    };
    for (const id of ['loesungen-handlungsfeld', 'loesungen-reife', 'einsaetze-verlauf', 'fragen-beantwortet', 'treffen-teilnahme'] as const) {
      assert.ok(await total(id, 'public') < await total(id, 'members'), `${id}: public below members`);
    }
    // The members-only meeting is not on the public chart at all.
    assert.ok(!(await chartData(db(t), 'treffen-teilnahme', 'public')).rows.some((r) => r.label.includes('Mitgliederrunde')));
    // The only solution in "Verteidigung" and the only retired one is a draft: zero even for a member of its organisation.
    const byField = await chartData(db(t), 'loesungen-handlungsfeld', 'members');
    assert.equal(byField.rows.find((r) => r.label === 'Verteidigung und Katastrophenschutz')?.solutions, 0);
    const byMaturity = await chartData(db(t), 'loesungen-reife', 'members');
    assert.equal(byMaturity.rows.find((r) => r.label === 'Eingestellt')?.solutions, 0);
    assert.equal(byField.rows.find((r) => r.label === 'ohne Angabe')?.solutions, 1);
    const page = await member.get('/zahlen');
    assert.doesNotMatch(page.body, /Entwurf Verteidigung/);
  });

  it('the savings add up to what the procurement module reports; the public sees them per quarter without titles', async () => {
    const { savingCents } = await communitySavings(db(t));
    assert.ok(savingCents > 0);
    const sum = (data: ChartData) => data.rows.reduce((s, r) => s + Number(r.saving), 0);
    const members = await chartData(db(t), 'beschaffung-einsparungen', 'members');
    const everyone = await chartData(db(t), 'beschaffung-einsparungen', 'public');
    assert.equal(sum(members), savingCents);
    assert.equal(sum(everyone), savingCents);
    assert.deepEqual(everyone.rows.map((r) => r.quarter), [quarterOf('2025-09-01T10:00:00.000Z'), quarterOf(new Date().toISOString())]);
    const page = await new Visitor(t.app).get('/zahlen');
    assert.doesNotMatch(page.body, /Lizenzen Chat-Assistent|Übersetzungsdienst gemeinsam/);
    assert.match((await member.get('/zahlen')).body, /Lizenzen Chat-Assistent/);
    assert.equal((await homeFigures(db(t))).savingCents, savingCents);
  });

  it('each chart is an image with a title and a summary, and draws one bar, part or point per value', async () => {
    const page = (await member.get('/zahlen')).body;
    for (const id of CHART_IDS) {
      const data = await chartData(db(t), id, 'members');
      const svg = svgOf(page, id);
      assert.match(svg, new RegExp(`role="img" aria-labelledby="chart-${id}-title chart-${id}-desc"`));
      assert.match(svg, new RegExp(`<title id="chart-${id}-title">[^<]+</title>`));
      const desc = new RegExp(`<desc id="chart-${id}-desc">([^<]+)</desc>`).exec(svg);
      assert.ok(desc && desc[1].length > 20, `${id} has a summary`);
      assert.match(svg, /viewBox="0 0 640 \d+" width="100%"/);
      const marks = [...svg.matchAll(/data-value="(-?\d+)"/g)].map((m) => Number(m[1]));
      const values = data.rows.flatMap((r) => data.series.map((s) => Number(r[s.key])));
      assert.deepEqual(marks.sort((a, b) => a - b), values.sort((a, b) => a - b), `${id}: one mark per value`);
    }
    // The summary names the largest field and the total.
    assert.match(page, /<desc id="chart-loesungen-handlungsfeld-desc">Insgesamt 7 Lösungen\. Die meisten, 3, gehören zum Handlungsfeld „Allgemeine Verwaltung“\.<\/desc>/);
  });

  it('serves each chart as a CSV file for German spreadsheets, and 404 for an unknown chart', async () => {
    const res = await new Visitor(t.app).get('/zahlen/fragen-beantwortet.csv');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="fragen-beantwortet\.csv"/);
    assert.ok(res.body.startsWith('\uFEFF'), 'byte order mark');
    const lines = res.body.slice(1).split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'Quartal;Beantwortet;Antworten, keine angenommen;Ohne Antwort');
    const data = await chartData(db(t), 'fragen-beantwortet', 'public');
    assert.equal(lines.length, data.rows.length + 1);
    const money = await new Visitor(t.app).get('/zahlen/beschaffung-einsparungen.csv');
    assert.match(money.body, /;\d+,\d{2}\r\n/, 'euros with a decimal comma');
    assert.equal((await new Visitor(t.app).get('/zahlen/gibt-es-nicht.csv')).statusCode, 404);
    assert.equal((await member.get('/zahlen/gibt-es-nicht.csv')).statusCode, 404);
  });

  it('serves the same bytes to anonymous visitors until the data changes, and then the new figures', async () => {
    const first = await new Visitor(t.app).get('/zahlen');
    const second = await new Visitor(t.app).get('/zahlen');
    assert.equal(first.statusCode, 200);
    assert.equal(second.body, first.body);
    const before = tableRows(first.body, 'loesungen-handlungsfeld').find((r) => r.label === 'Gesundheit')!.values[0];
    const membersBefore = tableRows((await member.get('/zahlen')).body, 'loesungen-handlungsfeld').find((r) => r.label === 'Gesundheit')!.values[0];

    // A new public solution, entered through the form.
    const author = (await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' })).visitor;
    const created = await author.submit('/loesungen/neu', {
      title: 'Pflegeplanung mit KI', summary: 'Dienstpläne in der Pflege vorschlagen.', field_of_action: 'health', maturity: 'pilot', language: 'de', visibility: 'public',
    });
    assert.equal(created.statusCode, 303);
    const after = await new Visitor(t.app).get('/zahlen');
    assert.notEqual(after.body, first.body);
    assert.equal(tableRows(after.body, 'loesungen-handlungsfeld').find((r) => r.label === 'Gesundheit')!.values[0], before + 1);
    assert.equal(tableRows((await member.get('/zahlen')).body, 'loesungen-handlungsfeld').find((r) => r.label === 'Gesundheit')!.values[0], membersBefore + 1);
  });

  it('counts only public content for the home page figures', async () => {
    const d = db(t);
    const count = async (q: { executeTakeFirst(): Promise<{ n: unknown } | undefined> }) => n((await q.executeTakeFirst())?.n);
    const figures = await homeFigures(d);
    assert.deepEqual(figures, {
      solutions: await count(d.selectFrom('solutions').select(sql<number>`count(*)`.as('n')).where('visibility', '=', 'public')),
      registerEntries: 0,
      deployments: await count(d.selectFrom('deployments as d').innerJoin('solutions as s', 's.id', 'd.solution_id').select(sql<number>`count(*)`.as('n'))
        .where('d.status', 'in', ['pilot', 'production']).where('d.visibility', '=', 'public').where('s.visibility', '=', 'public'))
        + await count(d.selectFrom('solutions as s').select(sql<number>`count(*)`.as('n')).where('s.visibility', '=', 'public').where('s.maturity', 'in', ['pilot', 'production'])
          .where(sql<boolean>`not exists (select 1 from deployments o where o.solution_id = s.id and o.organisation_id = s.organisation_id)`)),
      organisations: await count(d.selectFrom('organisations as o').select(sql<number>`count(*)`.as('n'))
        .where(sql<boolean>`exists (select 1 from users u where u.organisation_id = o.id and u.active = 1)`)),
      members: await count(d.selectFrom('users').select(sql<number>`count(*)`.as('n')).where('active', '=', 1)),
      questionsAnswered: await count(d.selectFrom('questions').select(sql<number>`count(*)`.as('n'))
        .where('visibility', '=', 'public').where('hidden', '=', 0).where('accepted_answer_id', 'is not', null)),
      savingCents: (await communitySavings(d)).savingCents,
    });
    assert.equal(figures.questionsAnswered, 1, 'the members-only answered question does not count');
    // Three marked (running, public, of public solutions) and two pilots of their describing organisations (Parkraum-Analyse, Pflegeplanung).
    assert.equal(figures.deployments, 5, 'running, public, of public solutions');
  });
});

describe('the dashboard version', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('moves on when a meeting ends or a quarter begins in Berlin, without any write, and stays put in between', async () => {
    const db = t.database.db;
    const meeting = await makeMeeting(db, await organiser(db));
    await shiftMeeting(db, meeting.slug, { starts_at: '2027-02-10T17:00:00.000Z', ends_at: '2027-02-10T19:00:00.000Z' });
    const at = (now: string) => dashboardVersion(db, now);

    const before = await at('2027-02-10T18:59:59.000Z');
    assert.equal(await at('2027-01-15T08:00:00.000Z'), before, 'nothing changed between the quarter\'s start and the meeting\'s end');
    const after = await at('2027-02-10T19:00:00.000Z');
    assert.notEqual(after, before, 'the meeting ended: it joins the attendance chart');
    assert.equal(await at('2027-03-31T21:59:59.000Z'), after, 'still the first quarter in Berlin');
    assert.notEqual(await at('2027-03-31T22:00:00.000Z'), after, 'midnight in Berlin (summer time): the second quarter begins');
    assert.notEqual(await at('2026-12-31T23:00:00.000Z'), await at('2026-12-31T22:59:59.000Z'), 'new year in Berlin (winter time)');
  });
});
