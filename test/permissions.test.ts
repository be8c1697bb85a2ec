import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../src/platform/db/schema.js';
import { can, type CurrentUser } from '../src/platform/policy.js';
import { Visitor } from './support/client.js';
import { completeSetup, createUser, organisationId } from './support/factories.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { createSolution, parseSolution } from '../src/modules/catalogue/service.js';
import { loadCurrentUser } from '../src/platform/http/current-user.js';
import { createApiToken } from '../src/modules/members/tokens.js';
import { createMeeting, parseMeeting } from '../src/modules/meetings/service.js';
import { meetingForm } from './support/meetings.js';
import { answerQuestion, askQuestion } from '../src/modules/questions/service.js';
import { createInitiative, parseInitiative } from '../src/modules/procurement/service.js';
import { initiativeForm } from './support/procurement.js';

type Who = 'anonymous' | Role;
const WHO: Who[] = ['anonymous', 'member', 'moderator', 'admin'];

/**
 * The intended permission of every route: the least role that may use it.
 * A new route must be added here, so each permission is a deliberate decision.
 */
const MATRIX: Record<string, Who> = {
  'GET /': 'anonymous',
  'GET /healthz': 'anonymous',
  // Readiness is open; /metrics answers only with its token (404 otherwise), which is its own check.
  'GET /readyz': 'anonymous',
  'GET /metrics': 'anonymous',
  'GET /robots.txt': 'anonymous',
  'GET /sitemap.xml': 'anonymous',
  'GET /favicon.ico': 'anonymous',
  'GET /sprache/:lang': 'anonymous',
  'GET /static/*': 'anonymous',
  'GET /einrichtung': 'anonymous',
  'POST /einrichtung': 'anonymous',
  'GET /mitmachen': 'anonymous',
  'POST /mitmachen': 'anonymous',
  'GET /mitmachen/danke': 'anonymous',
  'GET /anmelden': 'anonymous',
  'POST /anmelden': 'anonymous',
  'GET /anmelden/code': 'anonymous',
  'POST /anmelden/code': 'anonymous',
  'POST /abmelden': 'member',
  // Single sign-on: starting and returning are open (an unknown provider is 404); removing a link is the administrators'.
  'GET /anmelden/sso/:provider': 'anonymous',
  'GET /anmelden/sso/:provider/rueckkehr': 'anonymous',
  'POST /verwaltung/konten/:id/sso/:provider/entfernen': 'admin',
  'GET /passwort-vergessen': 'anonymous',
  'POST /passwort-vergessen': 'anonymous',
  'GET /passwort-setzen/:token': 'anonymous',
  'POST /passwort-setzen/:token': 'anonymous',
  'GET /profil': 'member',
  'GET /willkommen': 'member',
  'POST /profil': 'member',
  'POST /profil/passwort': 'member',
  'POST /profil/e-mail': 'member',
  'GET /profil/zwei-faktor': 'member',
  'POST /profil/zwei-faktor': 'member',
  'POST /profil/zwei-faktor/neue-codes': 'member',
  'POST /profil/zwei-faktor/ausschalten': 'member',
  'GET /e-mail-bestaetigen/:token': 'anonymous',
  'POST /e-mail-bestaetigen/:token': 'anonymous',
  // Own data: each signed-in person downloads and deletes only their own (no address names anyone else).
  'GET /profil/daten.json': 'member',
  'GET /profil/konto-loeschen': 'member',
  'POST /profil/konto-loeschen': 'member',
  'GET /mitglieder': 'member',
  'GET /organisationen': 'anonymous',
  'GET /organisationen/:slug': 'anonymous',
  'GET /impressum': 'anonymous',
  'GET /datenschutz': 'anonymous',
  'GET /impressum/bearbeiten': 'admin',
  'POST /impressum/bearbeiten': 'admin',
  'GET /datenschutz/bearbeiten': 'admin',
  'POST /datenschutz/bearbeiten': 'admin',
  'GET /verwaltung': 'admin',
  'GET /verwaltung/anfragen': 'admin',
  'POST /verwaltung/anfragen/:id/annehmen': 'admin',
  'POST /verwaltung/anfragen/:id/ablehnen': 'admin',
  'GET /verwaltung/einladen': 'admin',
  'POST /verwaltung/einladen': 'admin',
  'GET /verwaltung/konten': 'admin',
  'POST /verwaltung/konten/:id/rolle': 'admin',
  'GET /verwaltung/sicherheit': 'admin',
  'POST /verwaltung/sicherheit': 'admin',
  'GET /verwaltung/konten/:id': 'admin',
  'POST /verwaltung/konten/:id/deaktivieren': 'admin',
  'POST /verwaltung/konten/:id/reaktivieren': 'admin',
  'POST /verwaltung/konten/:id/organisation': 'admin',
  'POST /verwaltung/konten/:id/einladung': 'admin',
  'POST /verwaltung/konten/:id/loeschen': 'admin',
  'GET /verwaltung/postausgang': 'admin',
  'GET /verwaltung/protokoll': 'admin',
  'GET /verwaltung/registerimport': 'admin',
  'POST /verwaltung/registerimport': 'admin',
  'GET /verwaltung/registerimport/:id': 'admin',
  'GET /loesungen': 'anonymous',
  'GET /loesungen/export.csv': 'anonymous',
  'GET /loesungen/export.json': 'anonymous',
  'GET /ueber-die-daten': 'anonymous',
  'GET /loesungen/neu': 'member',
  'POST /loesungen/neu': 'member',
  'GET /loesungen/:slug': 'anonymous',
  'GET /loesungen/:slug/bearbeiten': 'member',
  'POST /loesungen/:slug/bearbeiten': 'member',
  'GET /loesungen/:slug/versionen': 'anonymous',
  'GET /loesungen/:slug/einsatz': 'member',
  'POST /loesungen/:slug/einsatz': 'member',
  'POST /loesungen/:slug/einsatz/entfernen': 'member',
  'GET /verwaltung/beispiele': 'admin',
  'POST /verwaltung/beispiele/laden': 'admin',
  'POST /verwaltung/beispiele/entfernen': 'admin',
  'GET /profil/tokens': 'member',
  'POST /profil/tokens': 'member',
  'POST /profil/tokens/:id/widerrufen': 'member',
  // The API: signed-in roles send a bearer token (the session cookie does not count there).
  'GET /api/openapi.json': 'anonymous',
  'GET /api/v1/solutions': 'anonymous',
  'POST /api/v1/solutions': 'member',
  'GET /api/v1/solutions/:slug': 'anonymous',
  'PUT /api/v1/solutions/:slug': 'member',
  'GET /api/v1/solutions/:slug/deployments': 'anonymous',
  'POST /api/v1/solutions/:slug/deployments': 'member',
  'GET /api/v1/deployments/:id': 'anonymous',
  // Meetings: the page of a meeting as a whole is open (its own visibility is checked for the meeting at hand).
  'GET /treffen': 'anonymous',
  'GET /treffen/kalender.ics': 'anonymous',
  'GET /treffen/neu': 'moderator',
  'POST /treffen/neu': 'moderator',
  'GET /treffen/:slug': 'anonymous',
  'GET /treffen/:slug/kalender.ics': 'anonymous',
  'GET /treffen/:slug/bearbeiten': 'moderator',
  'POST /treffen/:slug/bearbeiten': 'moderator',
  'GET /treffen/:slug/absagen': 'moderator',
  'POST /treffen/:slug/absagen': 'moderator',
  'POST /treffen/:slug/anmelden': 'member',
  'POST /treffen/:slug/abmelden': 'member',
  'GET /treffen/:slug/anmeldungen': 'moderator',
  'POST /treffen/:slug/anmeldungen': 'moderator',
  'POST /treffen/:slug/nachricht': 'moderator',
  'GET /treffen/:slug/anmeldungen.csv': 'moderator',
  'GET /treffen/:slug/material': 'moderator',
  'POST /treffen/:slug/material/datei': 'moderator',
  'POST /treffen/:slug/material/link': 'moderator',
  'POST /treffen/:slug/material/loesung': 'moderator',
  'POST /treffen/:slug/protokoll': 'moderator',
  'POST /treffen/:slug/material/:id/entfernen': 'moderator',
  'GET /treffen/:slug/material/:id': 'anonymous',
  // Topics and agenda: members see and vote on topics; the agenda page is open (published for those who may see the meeting).
  'GET /treffen/:slug/themen': 'member',
  'POST /treffen/:slug/themen': 'member',
  'POST /treffen/:slug/themen/:id/stimme': 'member',
  'POST /treffen/:slug/themen/:id/stimme-zuruecknehmen': 'member',
  'POST /treffen/:slug/themen/:id/entfernen': 'moderator',
  'POST /treffen/:slug/themen/oeffnen': 'moderator',
  'POST /treffen/:slug/themen/schliessen': 'moderator',
  'POST /treffen/:slug/themen/stimmen': 'moderator',
  'POST /treffen/:slug/themen/uebertragen': 'moderator',
  'GET /treffen/:slug/programm': 'anonymous',
  'POST /treffen/:slug/programm': 'moderator',
  'POST /treffen/:slug/programm/thema/:id': 'moderator',
  'POST /treffen/:slug/programm/veroeffentlichen': 'moderator',
  'GET /treffen/:slug/programm/:id/bearbeiten': 'moderator',
  'POST /treffen/:slug/programm/:id/bearbeiten': 'moderator',
  'POST /treffen/:slug/programm/:id/entfernen': 'moderator',
  // Questions: each signed-in role works on a question and answer of its own (the asker's and author's rights are
  // checked for the post at hand); the page of a question as a whole is open.
  'GET /fragen': 'anonymous',
  'GET /fragen/feed.atom': 'anonymous',
  'GET /fragen/neu': 'member',
  'POST /fragen/neu': 'member',
  'GET /fragen/themen': 'member',
  'POST /fragen/themen': 'member',
  'POST /fragen/themen/entfernen': 'member',
  'GET /fragen/moderation': 'moderator',
  'POST /fragen/moderation/:type/:id/ausblenden': 'moderator',
  'POST /fragen/moderation/:type/:id/freigeben': 'moderator',
  'GET /fragen/:id': 'anonymous',
  'GET /fragen/:id/bearbeiten': 'member',
  'POST /fragen/:id/bearbeiten': 'member',
  'POST /fragen/:id/antworten': 'member',
  'POST /fragen/:id/antworten/:answerId/annehmen': 'member',
  'POST /fragen/:id/antworten/:answerId/hilfreich': 'member',
  'GET /fragen/:id/antworten/:answerId/bearbeiten': 'member',
  'POST /fragen/:id/antworten/:answerId/bearbeiten': 'member',
  'GET /fragen/:id/melden': 'member',
  'POST /fragen/:id/melden': 'member',
  'GET /fragen/:id/antworten/:answerId/melden': 'member',
  'POST /fragen/:id/antworten/:answerId/melden': 'member',
  // Notifications: each signed-in person manages their own; the unsubscribe link is signed and works without signing in.
  'GET /benachrichtigungen': 'member',
  'POST /benachrichtigungen/alle-gelesen': 'member',
  'GET /benachrichtigungen/:id': 'member',
  'POST /benachrichtigungen/:id/gelesen': 'member',
  'GET /benachrichtigungen/einstellungen': 'member',
  'POST /benachrichtigungen/einstellungen': 'member',
  'GET /abmelden/:token': 'anonymous',
  'POST /abmelden/:token': 'anonymous',
  'GET /loesungen/feed.atom': 'anonymous',
  'GET /treffen/feed.atom': 'anonymous',
  // Joint procurement: members only; the lead organisation's rights on an initiative are checked for the initiative at hand.
  'GET /beschaffung': 'member',
  'GET /beschaffung/neu': 'member',
  'POST /beschaffung/neu': 'member',
  'GET /beschaffung/wertgrenze': 'member',
  'POST /beschaffung/wertgrenze': 'member',
  'GET /beschaffung/:id': 'member',
  'GET /beschaffung/:id/bearbeiten': 'member',
  'POST /beschaffung/:id/bearbeiten': 'member',
  'POST /beschaffung/:id/status': 'member',
  'POST /beschaffung/:id/erklaerung': 'member',
  'POST /beschaffung/:id/erklaerung/aendern': 'member',
  'POST /beschaffung/:id/erklaerung/zurueckziehen': 'member',
  'GET /beschaffung/:id/export.csv': 'member',
  'GET /beschaffung/:id/druck': 'member',
  // EU AI Act self-check: members run checks (a solution's check only who may edit it, checked for the solution at hand);
  // the transparency register of an organisation and its exports are public.
  'GET /selbstcheck': 'member',
  'GET /selbstcheck/neu': 'member',
  'POST /selbstcheck/neu': 'member',
  'GET /loesungen/:slug/selbstcheck': 'member',
  'POST /loesungen/:slug/selbstcheck': 'member',
  'POST /loesungen/:slug/einsatz/selbstcheck': 'member',
  'POST /selbstcheck/:id/wiederholen': 'member',
  'GET /selbstcheck/:id': 'member',
  'GET /selbstcheck/:id/schritt/:step': 'member',
  'POST /selbstcheck/:id/schritt/:step': 'member',
  'GET /selbstcheck/:id/pruefen': 'member',
  'POST /selbstcheck/:id/pruefen': 'member',
  'GET /selbstcheck/:id/aendern/:question': 'member',
  'POST /selbstcheck/:id/aendern/:question': 'member',
  'GET /selbstcheck/:id/zurueckziehen': 'member',
  'POST /selbstcheck/:id/zurueckziehen': 'member',
  'GET /selbstcheck/:id/register': 'member',
  'POST /selbstcheck/:id/register': 'member',
  'GET /selbstcheck/:id/vorlagen/:file': 'member',
  'GET /organisationen/:slug/ki-register': 'anonymous',
  'GET /organisationen/:slug/ki-register.json': 'anonymous',
  'GET /organisationen/:slug/ki-register.csv': 'anonymous',
  // The community's figures: open; members-only content is counted for signed-in visitors only.
  'GET /zahlen': 'anonymous',
  'GET /zahlen/:chart.csv': 'anonymous',
  // The map of the region: open; members-only figures are counted for signed-in visitors only.
  'GET /karte': 'anonymous',
};

const ACCOUNT_ACTIONS = ['deaktivieren', 'reaktivieren', 'organisation', 'einladung', 'loeschen'];

const rank: Record<Who, number> = { anonymous: 0, member: 1, moderator: 2, admin: 3 };
const allowed = (who: Who, route: string) => rank[who] >= rank[MATRIX[route]];

function asUser(who: Who): CurrentUser | null {
  return who === 'anonymous' ? null : { id: 1, name: 'x', email: 'x@example.org', role: who, organisationId: 1, organisationName: 'x' };
}

describe('permission matrix: every route × every role', () => {
  let t: TestApp;
  let routes: { method: string; url: string; action: string }[];
  let sample: Record<string, string>;

  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    routes = t.app.policyRoutes.filter((r) => r.method === 'GET' || r.method === 'POST' || r.method === 'PUT');
    const member = await createUser(t.database.db, { role: 'member' });
    const request = await t.database.db.insertInto('join_requests').values({
      name: 'Probe', email: 'probe@example.org', organisation_id: await organisationId(t.database.db), organisation_other: null,
      job_function: 'x', message: '', consent_at: new Date().toISOString(), status: 'pending', created_at: new Date().toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    sample = { ':slug': 'arnsberg', ':token': 'a'.repeat(43), ':lang': 'de', ':id': String(request.id), ':provider': 'keycloak', '*': 'styles.css' };
    sample[':id/rolle'] = String(member.id);
    // The administrators' account forms work on an account of their own, so the other requests keep their people.
    const managed = String((await createUser(t.database.db, { role: 'member' })).id);
    for (const action of ACCOUNT_ACTIONS) sample[`:id/${action}`] = managed;
    // Someone else's token: revoking it must not revoke the token the visitor itself calls the API with.
    sample[':id/widerrufen'] = String((await createApiToken(t.database.db, member.id, { name: 'Probe' }, {})).id);
    const author = await loadCurrentUser(t.database.db, member.id);
    const solution = await createSolution(t.database.db, author, parseSolution({ title: 'Probe-Lösung', summary: 'Zum Prüfen der Rechte.', maturity: 'pilot', language: 'de', visibility: 'public' }, {}));
    sample[':solution'] = solution.slug;
    sample[':chart'] = 'loesungen-reife';
    const meeting = await createMeeting(t.database.db, { ...author!, role: 'moderator' }, parseMeeting(meetingForm(), {}));
    sample[':meeting'] = meeting.slug;
    // An initiative led by Arnsberg, the organisation every visitor of this test belongs to.
    sample[':initiative'] = String((await createInitiative(t.database.db, author, parseInitiative(initiativeForm(), {}))).id);
    Object.assign(sample, await questionOf(author!));
  });
  after(() => t.close());

  /** A public question and an answer to it, both by the given person. */
  async function questionOf(person: CurrentUser) {
    const deps = { db: t.database.db, config: t.config };
    const { id } = await askQuestion(deps, person, { title: 'Probe-Frage', body: 'Zum Prüfen der Rechte.', tags: [], field_of_action: null, visibility: 'public', solutions: [] });
    return { ':question': String(id), ':answer': String((await answerQuestion(deps, person, id, 'Probe-Antwort')).id) };
  }

  it('names every route of the platform in the matrix', () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(keys.filter((k) => !(k in MATRIX)), [], 'routes missing from the matrix');
    assert.deepEqual(Object.keys(MATRIX).filter((k) => !keys.includes(k)), [], 'matrix entries without a route');
  });

  it('the policy layer decides each route as the matrix says', () => {
    for (const r of routes) {
      for (const who of WHO) {
        assert.equal(can(asUser(who), r.action), allowed(who, `${r.method} ${r.url}`), `${who} on ${r.method} ${r.url} (${r.action})`);
      }
    }
  });

  for (const who of WHO) {
    it(`requests as ${who} are let through or refused exactly as the matrix says`, async () => {
      // One visitor per role; signing out comes last so the session holds for every other route.
      const visitor = new Visitor(t.app);
      let bearer: Record<string, string> = {};
      let own = { ':question': sample[':question'], ':answer': sample[':answer'] };
      if (who !== 'anonymous') {
        const user = await createUser(t.database.db, { role: who });
        const res = await visitor.submit('/anmelden', { email: user.email, password: user.password });
        assert.equal(res.statusCode, 303);
        bearer = { authorization: `Bearer ${(await createApiToken(t.database.db, user.id, { name: 'Matrix' }, {})).token}` };
        own = await questionOf((await loadCurrentUser(t.database.db, user.id))!);
      } else {
        await visitor.get('/anmelden');
      }
      const ordered = [...routes].sort((a, b) => Number(a.url === '/abmelden') - Number(b.url === '/abmelden'));
      for (const r of ordered) {
        const key = `${r.method} ${r.url}`;
        if (r.method === 'POST') await visitor.get('/anmelden');
        const url = r.url.replace(new RegExp(`:id/(rolle|widerrufen|${ACCOUNT_ACTIONS.join('|')})$`), (p) => `${sample[p]}/${p.slice(4)}`).replace(/^(\/loesungen|\/api\/v1\/solutions)\/:slug/, (_, p) => `${p}/${sample[':solution']}`)
          .replace(/^\/treffen\/:slug/, `/treffen/${sample[':meeting']}`)
          .replace(/^\/beschaffung\/:id/, `/beschaffung/${sample[':initiative']}`)
          .replace(/^\/fragen\/moderation\/:type\/:id/, `/fragen/moderation/frage/${own[':question']}`)
          .replace(/^\/fragen\/:id/, `/fragen/${own[':question']}`).replace(':answerId', own[':answer'])
          .replace(/:[a-z]+|\*/g, (p) => sample[p]);
        const api = r.url.startsWith('/api/');
        const res = api ? await t.app.inject({ method: r.method as 'GET', url, headers: bearer, ...(r.method === 'GET' ? {} : { payload: {} }) })
          : r.method === 'GET' ? await visitor.get(url) : await visitor.post(url, {});
        const deniedAnon = who === 'anonymous' && (r.method === 'GET' && !api ? res.statusCode === 303 && String(res.headers.location).startsWith('/anmelden?weiter=') : res.statusCode === 401);
        const deniedUser = who !== 'anonymous' && res.statusCode === 403;
        const denied = deniedAnon || deniedUser;
        if (allowed(who, key)) {
          assert.ok(!denied && res.statusCode !== 401 && res.statusCode !== 403, `${who} should reach ${key}, got ${res.statusCode} ${res.headers.location ?? ''}`);
        } else {
          assert.ok(denied, `${who} must be refused at ${key}, got ${res.statusCode} ${res.headers.location ?? ''}`);
        }
      }
    });
  }
});

/**
 * Things addressed by a number in their address: what a visitor may not see must answer exactly as an id that
 * does not exist (404), on every route of that thing, so that ids cannot be walked to find drafts of others.
 */
const ID_ROUTES = /^\/(selbstcheck|beschaffung)\/:id|^\/api\/v1\/deployments\/:id/;

describe('hidden things answer like missing ones on every route addressed by their number', () => {
  let t: TestApp;
  let hidden: Record<string, number>;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    const db = t.database.db;
    const owner = (await loadCurrentUser(db, (await createUser(db, { organisation: 'Arnsberg' })).id))!;
    const draft = await createSolution(db, owner, parseSolution({ title: 'Verborgene Lösung', summary: 'Nur für Arnsberg.', maturity: 'pilot', language: 'de', visibility: 'draft' }, {}));
    const now = new Date().toISOString();
    const check = (solutionId: number | null, status: 'draft' | 'complete') => db.insertInto('ai_act_checks').values({
      solution_id: solutionId, organisation_id: owner.organisationId, title: 'Verborgene Lösung', answers: '{"ai_system":"no"}', status, rule_version: 'v',
      risk_class: status === 'complete' ? 'not_ai' : null, result: null, created_by: owner.id, updated_by: owner.id, created_at: now, updated_at: now,
      completed_at: status === 'complete' ? now : null,
    }).returning('id').executeTakeFirstOrThrow();
    const deployment = await db.insertInto('deployments').values({
      solution_id: draft.id, organisation_id: owner.organisationId, status: 'pilot', since: null, contact: '', cost_paid: '', experience: '',
      visibility: 'public', created_by: owner.id, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    hidden = {
      'checkOfDraftSolution': (await check(draft.id, 'complete')).id,
      'standaloneCheck': (await check(null, 'complete')).id,
      'draftCheck': (await check(null, 'draft')).id,
      'draftInitiative': (await createInitiative(db, owner, parseInitiative(initiativeForm({ title: 'Verborgene Lösung' }), {}))).id,
      'deploymentOfDraft': deployment.id,
    };
  });
  after(() => t.close());

  it('a member of another organisation gets 404 and nothing of the thing, as for an id that does not exist', async () => {
    const user = await createUser(t.database.db, { role: 'member', organisation: 'Olpe' });
    const visitor = new Visitor(t.app);
    assert.equal((await visitor.submit('/anmelden', { email: user.email, password: user.password })).statusCode, 303);
    const bearer = { authorization: `Bearer ${(await createApiToken(t.database.db, user.id, { name: 'Probe' }, {})).token}` };
    const routes = t.app.policyRoutes.filter((r) => ID_ROUTES.test(r.url) && (r.method === 'GET' || r.method === 'POST'));
    assert.ok(routes.length >= 10, `routes found: ${routes.length}`);
    const ids: Record<string, number[]> = {
      '/selbstcheck': [hidden.checkOfDraftSolution, hidden.standaloneCheck, hidden.draftCheck],
      '/beschaffung': [hidden.draftInitiative],
      '/api/v1/deployments': [hidden.deploymentOfDraft],
    };
    for (const r of routes) {
      const prefix = Object.keys(ids).find((p) => r.url.startsWith(`${p}/:id`))!;
      for (const id of [...ids[prefix], 999_999]) {
        const url = r.url.replace(':id', String(id)).replace(':step', '1');
        await visitor.get('/selbstcheck');
        const res = r.url.startsWith('/api/') ? await t.app.inject({ method: r.method as 'GET', url, headers: bearer })
          : r.method === 'GET' ? await visitor.get(url) : await visitor.post(url, { step: '1', question: 'ai_system', answer: 'yes', quantity: '1' });
        assert.equal(res.statusCode, 404, `${r.method} ${url}`);
        assert.ok(!res.body.includes('Verborgene Lösung'), `${r.method} ${url} shows nothing of it`);
      }
    }
  });
});

describe('the administration of a deleted or unknown account', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('answers 404 on every account route, as for an id that never existed', async () => {
    const db = t.database.db;
    const admin = await createUser(db, { role: 'admin' });
    const gone = await createUser(db, { role: 'member', name: 'Gelöschte Person' });
    const visitor = new Visitor(t.app);
    assert.equal((await visitor.submit('/anmelden', { email: admin.email, password: admin.password })).statusCode, 303);
    await visitor.get(`/verwaltung/konten/${gone.id}`);
    assert.equal((await visitor.post(`/verwaltung/konten/${gone.id}/loeschen`, { confirm: '1' })).statusCode, 303);
    for (const id of [gone.id, 999_999]) {
      assert.equal((await visitor.get(`/verwaltung/konten/${id}`)).statusCode, 404);
      for (const action of ACCOUNT_ACTIONS) {
        await visitor.get('/verwaltung/konten');
        const res = await visitor.post(`/verwaltung/konten/${id}/${action}`, { confirm: '1', organisation: String(await organisationId(db)), organisationOther: '' });
        assert.equal(res.statusCode, 404, `${action} on ${id}`);
        assert.ok(!res.body.includes('Gelöschte Person'));
      }
    }
  });
});
