import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, organisationId, PASSWORD, publishLegalPages, signedIn } from '../../../test/support/factories.js';
import { errorSummary, flash, pageText } from '../../../test/support/page.js';
import { nowIso } from '../../platform/clock.js';
import { de } from '../../platform/i18n/de.js';
import { en } from '../../platform/i18n/en.js';
import { organisationOptions } from '../organisations/service.js';
import { loadOtherOrganisations } from '../organisations/region.js';
import { translatorFor } from '../../platform/i18n/index.js';
import { runningImports } from './register-import.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const FIXTURES = resolve(here, '../catalogue/fixtures');

/** The "Erledigt:"/"Offen:" state of each checklist item as the page shows it. */
function checklistState(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<li class="check-(?:done|open)" data-item="(\w+)"><span class="check-state">([^<]+)<\/span>/g)) out[m[1]] = m[2];
  return out;
}

describe('operator onboarding', () => {
  let t: TestApp;
  let admin: Visitor;
  before(async () => {
    t = await startTestApp({ REGISTERS_DIR: FIXTURES });
    await completeSetup(t.database.db);
    ({ visitor: admin } = await signedIn(t.app, t.database.db, 'admin', { name: 'Petra Schulte', organisation: 'Olpe' }));
  });
  after(() => t.close());

  it('shows a checklist on /verwaltung that ticks itself as the legal pages, invitations and the import are done', async () => {
    let page = await admin.get('/verwaltung');
    assert.equal(page.statusCode, 200);
    assert.deepEqual(checklistState(page.body), {
      imprint: 'Offen:', privacy: 'Offen:', mail: 'Offen:', baseUrl: 'Offen:', invitations: 'Offen:', registers: 'Offen:',
    });
    assert.match(pageText(page.body), /0 von 6 erledigt/);

    await publishLegalPages(t.database.db);
    const invited = await admin.submit('/verwaltung/einladen', { name: 'Jan Berg', email: 'jan@attendorn.example', organisation: String(await organisationId(t.database.db, 'Attendorn')), organisationOther: '', jobFunction: '', role: 'member' });
    assert.equal(invited.statusCode, 303);
    page = await admin.get('/verwaltung');
    assert.deepEqual(checklistState(page.body), {
      imprint: 'Erledigt:', privacy: 'Erledigt:', mail: 'Offen:', baseUrl: 'Offen:', invitations: 'Erledigt:', registers: 'Offen:',
    });
    assert.match(pageText(page.body), /3 von 6 erledigt/);
  });

  it('ticks mail delivery and the public address from the configuration', async () => {
    const other = await startTestApp({ SMTP_URL: 'smtp://127.0.0.1:2', BASE_URL: 'http://ki.example.de' });
    try {
      await completeSetup(other.database.db);
      const { visitor } = await signedIn(other.app, other.database.db, 'admin');
      const state = checklistState((await visitor.get('/verwaltung')).body);
      assert.equal(state.mail, 'Erledigt:');
      assert.equal(state.baseUrl, 'Erledigt:');
      const outbox = await visitor.get('/verwaltung/postausgang');
      assert.doesNotMatch(pageText(outbox.body), /Die Links zeigen auf diesen Rechner/);
    } finally {
      await other.close();
    }
  });

  it('without a mail server the outbox makes the invitation link clickable and copyable, warns about localhost, and says the mail was not sent', async () => {
    await admin.submit('/verwaltung/einladen', { name: 'Eva Kopie', email: 'eva@olpe.example', organisation: 'andere', organisationOther: 'Kreis-Volkshochschule', jobFunction: '', role: 'member' });
    const page = await admin.get('/verwaltung/postausgang');
    const text = pageText(page.body);
    assert.match(text, /Die Links zeigen auf diesen Rechner/);
    assert.match(text, /BASE_URL ist http:\/\/localhost:3000/);
    assert.match(text, /nicht versendet – kein Mailserver eingerichtet/);
    assert.doesNotMatch(text, /\bwartet\b/);
    const link = /http:\/\/localhost:3000\/passwort-setzen\/[A-Za-z0-9_-]+/.exec(page.body)?.[0];
    assert.ok(link, 'no invitation link in the outbox');
    assert.ok(page.body.includes(`<a href="${link}">${link}</a>`), 'the link is not clickable');
    assert.match(page.body, new RegExp(`<label for="(mail-\\d+-link-0)">Link kopieren</label>[\\s\\S]*?<input id="\\1" type="text" readonly value="${link}"`));
  });

  it('names the inviter, their organisation and the community in the invitation and says what one can do there', async () => {
    const mail = await t.database.db.selectFrom('outbox').selectAll().where('recipient', '=', 'jan@attendorn.example').executeTakeFirstOrThrow();
    assert.equal(mail.subject, `Einladung zur ${t.config.communityName} von Petra Schulte`);
    assert.match(mail.body_text, new RegExp(`Petra Schulte \\(Olpe\\) lädt Sie ein, bei der ${t.config.communityName} mitzumachen\\.`));
    assert.match(mail.body_text, /Was Sie dort tun können:\n– sehen, welche KI-Lösungen andere Kommunen einsetzen/);
    assert.match(mail.body_text, /Über diesen Link legen Sie Ihr Passwort fest \(gültig bis .+\):\nhttp:\/\/localhost:3000\/passwort-setzen\//);
  });

  it('welcomes an invited person after their first password with three next steps', async () => {
    const mail = await t.database.db.selectFrom('outbox').selectAll().where('recipient', '=', 'jan@attendorn.example').executeTakeFirstOrThrow();
    const path = /\/passwort-setzen\/[A-Za-z0-9_-]+/.exec(mail.body_text)![0];
    const jan = new Visitor(t.app);
    const res = await jan.submit(path, { password: PASSWORD, passwordRepeat: PASSWORD });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/willkommen');
    const welcome = await jan.get('/willkommen');
    const text = pageText(welcome.body);
    assert.match(text, /Schön, dass Sie dabei sind, Jan Berg\. .* Attendorn/);
    const steps = [...welcome.body.matchAll(/<ol class="welcome-steps">([\s\S]*?)<\/ol>/g)][0][1];
    assert.deepEqual([...steps.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]), [
      ['/profil', 'Profil vervollständigen'], ['/loesungen', 'Lösungen ansehen oder eintragen'], ['/treffen', 'An einem Treffen teilnehmen'],
    ]);
  });

  it('imports the registers from the administration, keeps each run with its result and ticks the checklist', async () => {
    const page = await admin.get('/verwaltung/registerimport');
    assert.match(pageText(page.body), /Es wurde noch kein Import aus der Verwaltung gestartet/);
    const res = await admin.post('/verwaltung/registerimport', { source_pstw: '1', source_nl: '1' });
    assert.equal(res.statusCode, 303);
    const runPath = res.headers.location as string;
    assert.match(runPath, /^\/verwaltung\/registerimport\/\d+$/);
    await runningImports();
    const run = await admin.get(runPath);
    assert.doesNotMatch(run.body, /http-equiv="refresh"/);
    const text = pageText(run.body);
    assert.match(text, /Status abgeschlossen/);
    assert.match(text, /EU Public Sector Tech Watch 5 5 0 0 0/);
    assert.match(text, /Algoritmeregister \(NL\) 6 6 0 0 0/);
    assert.equal(await t.database.db.selectFrom('solutions').select('id').where('source', '=', 'pstw').execute().then((r) => r.length), 5);

    // A second run changes nothing and is kept next to the first.
    await admin.get('/verwaltung/registerimport');
    await admin.post('/verwaltung/registerimport', { source_pstw: '1' });
    await runningImports();
    const history = await admin.get('/verwaltung/registerimport');
    const rows = [...history.body.matchAll(/<tr><td><a href="\/verwaltung\/registerimport\/\d+">/g)];
    assert.equal(rows.length, 2);
    assert.match(pageText(history.body), /abgeschlossen 0 0 5 0 .*abgeschlossen 11 0 0 0/);
    assert.equal(checklistState((await admin.get('/verwaltung')).body).registers, 'Erledigt:');
    const log = pageText((await admin.get('/verwaltung/protokoll')).body);
    assert.match(log, /Petra Schulte hat die öffentlichen Register importiert: 11 neu, 0 aktualisiert, 0 unverändert, 0 übersprungen\./);
  });

  it('shows a running import with its counters and reloads the page until it ends; a second start waits', async () => {
    const now = nowIso();
    const { id } = await t.database.db.insertInto('register_imports').values({
      sources: JSON.stringify(['pstw', 'nl']), status: 'running', running_lock: 'running', current_source: 'nl', sources_done: 1,
      rows_done: 400, rows_total: 1200, started_by: null, started_at: now, heartbeat_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    try {
      const run = await admin.get(`/verwaltung/registerimport/${id}`);
      assert.match(run.body, /<meta http-equiv="refresh" content="2"/);
      const text = pageText(run.body);
      assert.match(text, /Algoritmeregister \(NL\) \(Register 2 von 2\)/);
      assert.match(text, /400 von 1\.200 Zeilen verarbeitet \(33 %\)/);
      const overview = await admin.get('/verwaltung/registerimport');
      assert.match(overview.body, /<meta http-equiv="refresh"/);
      assert.doesNotMatch(overview.body, /Import starten/);
      const again = await admin.post('/verwaltung/registerimport', { source_pstw: '1' });
      assert.equal(again.statusCode, 303);
      assert.equal(flash((await admin.get(again.headers.location as string)).body), 'Es läuft bereits ein Import; warten Sie, bis er fertig ist.');
    } finally {
      await t.database.db.updateTable('register_imports').set({ status: 'failed', running_lock: null, finished_at: nowIso() }).where('id', '=', id).execute();
    }
  });

  it('asks for at least one register', async () => {
    await admin.get('/verwaltung/registerimport');
    const res = await admin.post('/verwaltung/registerimport', {});
    assert.equal(res.statusCode, 422);
    assert.match(errorSummary(res.body), /Bitte mindestens ein Register auswählen/);
  });

  it('says so on the page when the register files are not where the platform looks for them', async () => {
    const other = await startTestApp({ REGISTERS_DIR: join(FIXTURES, 'nicht-da') });
    try {
      await completeSetup(other.database.db);
      const { visitor } = await signedIn(other.app, other.database.db, 'admin');
      const page = await visitor.get('/verwaltung/registerimport');
      const text = pageText(page.body);
      assert.match(text, /Die Registerdateien fehlen/);
      assert.ok(text.includes(`Im Ordner ${join(FIXTURES, 'nicht-da')} liegt keine der Registerdateien`), text);
      assert.doesNotMatch(text, /Import starten/);
      const res = await visitor.post('/verwaltung/registerimport', { source_pstw: '1' });
      assert.equal(res.statusCode, 422);
    } finally {
      await other.close();
    }
  });

  it('writes the log in words', async () => {
    const jan = await t.database.db.selectFrom('users').select('id').where('email', '=', 'jan@attendorn.example').executeTakeFirstOrThrow();
    const { id: requestId } = await t.database.db.insertInto('join_requests').values({
      name: 'Maria Sommer', email: 'maria@soest.example', organisation_id: await organisationId(t.database.db, 'Soest'), organisation_other: null,
      job_function: '', message: '', consent_at: nowIso(), status: 'pending', decided_by: null, decided_at: null, reason: null, user_id: null,
      created_at: nowIso(), language: 'de',
    }).returning('id').executeTakeFirstOrThrow();
    await admin.get('/verwaltung/anfragen');
    assert.equal((await admin.post(`/verwaltung/anfragen/${requestId}/annehmen`)).statusCode, 303);
    const text = pageText((await admin.get('/verwaltung/protokoll')).body);
    assert.match(text, /Petra Schulte hat die Beitrittsanfrage von Maria Sommer angenommen\./);
    assert.match(text, /Petra Schulte hat Jan Berg eingeladen \(Rolle: Mitglied\)\./);
    assert.doesNotMatch(text, /[{}]/);
    assert.ok(text.includes('Jan Berg') && jan.id > 0);
  });

  it('has a sentence in both languages for every kind of log entry the platform records', () => {
    const root = resolve(here, '..');
    const kinds = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
          for (const m of readFileSync(path, 'utf8').matchAll(/recordAudit\([^{]*\{[^}]*?action: '([a-z_.]+)'/g)) kinds.add(m[1]);
        }
      }
    };
    walk(root);
    assert.ok(kinds.size >= 30, `only ${kinds.size} kinds found`);
    for (const [lang, catalogue] of [['de', de], ['en', en]] as const) {
      const sentences = catalogue.auditLog as Record<string, string>;
      for (const kind of kinds) assert.ok(sentences[kind] ?? sentences[`${kind}_other`], `${lang}: no sentence for ${kind}`);
    }
  });

  it('offers the region\'s IT provider from the reference data as an organisation, once, also when it is typed as "andere Organisation"', async () => {
    const options = await organisationOptions(t.database.db, translatorFor('de'));
    const sit = options.filter((o) => o.label === 'Südwestfalen-IT');
    assert.equal(sit.length, 1);
    assert.equal(sit[0].group, 'Andere Organisation');
    await loadOtherOrganisations(t.database.db, t.config.organisationsCsv);
    await admin.submit('/verwaltung/einladen', { name: 'Sven IT', email: 'sven@sit.example', organisation: 'andere', organisationOther: 'südwestfalen-it', jobFunction: '', role: 'member' });
    const rows = await t.database.db.selectFrom('organisations').select('id').where('name', '=', 'Südwestfalen-IT').execute();
    assert.equal(rows.length, 1);
    const sven = await t.database.db.selectFrom('users').select('organisation_id').where('email', '=', 'sven@sit.example').executeTakeFirstOrThrow();
    assert.equal(sven.organisation_id, rows[0].id);
  });
});
