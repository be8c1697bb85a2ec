import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup } from '../../../test/support/factories.js';
import { commonGround } from '../../../test/support/community-data.js';
import { personaWithData, type Persona } from '../../../test/support/personal-data.js';
import { Visitor } from '../../../test/support/client.js';
import { recordAudit } from '../../platform/audit.js';

describe('downloading everything kept about me', () => {
  let t: TestApp;
  let anna: Persona;
  let bert: Persona;
  let body: string;
  let data: any;

  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    const common = await commonGround(t);
    anna = await personaWithData(t, 'Anna', common);
    bert = await personaWithData(t, 'Bert', common);
    const res = await anna.visitor.get('/profil/daten.json');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="meine-daten-\d{4}-\d{2}-\d{2}\.json"$/);
    assert.equal(res.headers['cache-control'], 'private, no-store');
    body = res.body;
    data = JSON.parse(body);
  });
  after(() => t.close());

  it('is linked from the profile and needs signing in', async () => {
    assert.match((await anna.visitor.get('/profil')).body, /href="\/profil\/daten.json"/);
    const res = await new Visitor(t.app).get('/profil/daten.json');
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/anmelden/);
  });

  it('holds the profile, organisation, sessions, links and tokens without secrets, and the consent given', () => {
    const { account } = data;
    assert.equal(account.profile.name, 'Anna Beispielperson');
    assert.equal(account.profile.email, anna.personal[1]);
    assert.equal(account.profile.jobFunction, 'Fachdienst Anna-Digital');
    assert.deepEqual(account.profile.expertise, ['Anna-Fachgebiet']);
    assert.equal(account.organisation.name, 'Arnsberg');
    assert.equal(account.sessions.length, 1);
    assert.ok(account.sessions[0].expiresAt);
    assert.deepEqual(account.links.map((l: any) => l.kind), ['invitation']);
    assert.deepEqual(account.apiTokens.map((tk: any) => tk.name), ['Schlüssel Anna']);
    assert.equal(account.consent.length, 1);
    assert.equal(account.consent[0].at, '2026-11-01T10:00:00.000Z');
    assert.equal(account.consent[0].request.message, 'Beitrittsnachricht von Anna');
    assert.ok(account.audit.some((a: any) => a.action === 'token.created' && a.byThisPerson));
    assert.deepEqual(data.signOn.links.map((l: any) => [l.provider, l.email]), [['keycloak', anna.personal[1]]]);
    assert.equal(account.twoFactor.recoveryCodes, 1);
    assert.ok(account.twoFactor.enabledAt);
    assert.deepEqual(account.emailChanges.map((c: any) => c.newEmail), [`neu.${anna.personal[1]}`]);
    // No secret of any kind: no session id, no token hash, no password hash, no second-factor key or code.
    assert.doesNotMatch(body, /hash-Anna|token_hash|password|"sid"|argon|scrypt|\$2[aby]\$|SECRETANNA|code-hash|change-Anna/i);
    const sessionId = /sessionId=([^;]+)/.exec(anna.visitor.cookieHeader)?.[1] ?? '';
    assert.ok(!sessionId || !body.includes(sessionId.split('.')[0]), 'the session id is not in the export');
  });

  it('holds each contribution with a link: solutions, deployments, questions, answers, marks, follows, reports', () => {
    const { catalogue, questions } = data;
    assert.deepEqual(catalogue.solutionsCreated.map((s: any) => s.title), ['Lösung Anna']);
    assert.match(catalogue.solutionsCreated[0].link, /^http:\/\/localhost:3000\/loesungen\/[a-z0-9-]+$/);
    assert.deepEqual(catalogue.deployments.map((d: any) => d.experience), ['Erfahrung Anna']);
    assert.deepEqual(questions.questions.map((q: any) => q.title), ['Frage Anna']);
    assert.match(questions.questions[0].link, /^http:\/\/localhost:3000\/fragen\/\d+$/);
    assert.deepEqual(questions.answers.map((a: any) => a.body), ['Antwort Anna']);
    assert.match(questions.answers[0].link, /#antwort-\d+$/);
    assert.equal(questions.helpfulMarks.length, 1);
    assert.deepEqual(questions.follows.map((f: any) => f.value), ['folgt-anna']);
    assert.deepEqual(questions.reports.map((r: any) => r.reason), ['Meldegrund Anna']);
  });

  it('holds registrations, topics, votes and materials of meetings, declarations, self-checks and notifications', () => {
    const { meetings, procurement, aiActChecks, notifications } = data;
    assert.deepEqual(meetings.registrations.map((r: any) => r.status), ['registered']);
    assert.deepEqual(meetings.topicsProposed.map((tp: any) => tp.title), ['Thema Anna']);
    assert.deepEqual(meetings.topicVotes.map((v: any) => v.topic), ['Gemeinsames Thema']);
    assert.deepEqual(meetings.materialsAdded.map((m: any) => m.title), ['Material Anna']);
    assert.deepEqual(procurement.initiativesStarted.map((i: any) => i.title), ['Beschaffung Anna']);
    assert.deepEqual(procurement.declarations.map((d: any) => d.quantity), [7]);
    assert.deepEqual(aiActChecks.map((c: any) => c.title), ['Selbstcheck Anna']);
    assert.ok(notifications.notifications.some((n: any) => n.text.includes('Hinweis Anna')), 'the notification is rendered in her language');
    assert.deepEqual(notifications.mailPreferences.map((p: any) => `${p.kind}:${p.frequency}`), ['answer:weekly']);
    assert.equal(notifications.digestsSent.length, 1);
  });

  it("contains nothing of the other person: no name, address, function or contribution of Bert", () => {
    for (const s of [...bert.personal, ...Object.values(bert.contents)]) {
      assert.ok(!body.toLowerCase().includes(s.toLowerCase()), `"${s}" must not be in Anna's export`);
    }
    assert.ok(!body.includes('Bert'), 'Bert appears nowhere');
  });

  it('what the person did to others is listed without details that name them', async () => {
    await recordAudit(t.database.db, { actorId: anna.user.id, action: 'join.approved', targetType: 'join_request', targetId: 99, details: { email: 'dritte@person.example' } });
    const own = (await anna.visitor.get('/profil/daten.json')).body;
    assert.ok(JSON.parse(own).account.audit.some((a: any) => a.action === 'join.approved' && a.byThisPerson));
    assert.ok(!own.includes('dritte@person.example'));
  });

  it("Bert's export is his own in the same way", async () => {
    const other = (await bert.visitor.get('/profil/daten.json')).body;
    assert.ok(other.includes('Lösung Bert'));
    assert.ok(!other.includes('Anna'), 'Anna appears nowhere in Bert\'s export');
  });
});
