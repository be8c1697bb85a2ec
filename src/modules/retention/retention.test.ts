import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../platform/db/database.js';
import type { RetentionPeriods } from '../../platform/config.js';
import { startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, createUser, organisationId } from '../../../test/support/factories.js';
import { Visitor } from '../../../test/support/client.js';
import { pageText } from '../../../test/support/page.js';
import { purgeExpiredData, runRetention, type RetentionResult } from './service.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-12-07T10:00:00.000Z');
/** A moment the given number of days (fractions allowed) before NOW; negative: after. */
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

let seedCounter = 0;

/**
 * One row of each kind just past its retention period and one just within it, plus rows no period applies to
 * (open requests, unsent mails however old). Returns a label for every row, to compare what is left.
 */
async function seed(db: Db, p: RetentionPeriods) {
  const n = ++seedCounter;
  const user = await createUser(db);
  const org = await organisationId(db);
  const rows: Record<string, { table: 'join_requests' | 'outbox' | 'sessions' | 'tokens' | 'api_tokens' | 'audit_log'; key: string | number; expired: boolean }> = {};

  const request = async (label: string, status: 'pending' | 'approved' | 'rejected', decidedDaysAgo: number | null, createdDaysAgo: number, expired: boolean) => {
    const { id } = await db.insertInto('join_requests').values({
      name: label, email: `${label}-${n}@olpe.example`, organisation_id: org, organisation_other: null, job_function: 'IT', message: '',
      consent_at: ago(createdDaysAgo), status, decided_by: decidedDaysAgo === null ? null : user.id, decided_at: decidedDaysAgo === null ? null : ago(decidedDaysAgo),
      reason: status === 'rejected' ? 'passt nicht' : null, user_id: null, created_at: ago(createdDaysAgo),
    }).returning('id').executeTakeFirstOrThrow();
    rows[label] = { table: 'join_requests', key: id, expired };
  };
  await request('rejected-old', 'rejected', p.rejectedJoinRequests + 1, p.rejectedJoinRequests + 5, true);
  await request('rejected-young', 'rejected', p.rejectedJoinRequests - 1, p.rejectedJoinRequests + 5, false);
  await request('pending-old', 'pending', null, 1000, false);
  await request('approved-old', 'approved', 1000, 1001, false);

  const mail = async (label: string, sentDaysAgo: number | null, createdDaysAgo: number, expired: boolean) => {
    const { id } = await db.insertInto('outbox').values({
      recipient: `${label}@olpe.example`, subject: label, body_text: 'Hallo', headers: '{}', dedupe_key: null,
      status: sentDaysAgo === null ? 'pending' : 'sent', attempts: sentDaysAgo === null ? 7 : 1, next_attempt_at: ago(createdDaysAgo),
      locked_until: null, last_error: sentDaysAgo === null ? 'connection refused' : null, created_at: ago(createdDaysAgo),
      sent_at: sentDaysAgo === null ? null : ago(sentDaysAgo),
    }).returning('id').executeTakeFirstOrThrow();
    rows[label] = { table: 'outbox', key: id, expired };
  };
  await mail('mail-sent-old', p.sentMail + 1, p.sentMail + 1, true);
  await mail('mail-sent-young', p.sentMail - 1, p.sentMail + 3, false);
  await mail('mail-unsent-old', null, 1000, false);

  const session = async (label: string, expiresDaysAgo: number, expired: boolean) => {
    const sid = `${label}-${n}`;
    await db.insertInto('sessions').values({ sid, data: '{}', expires_at: ago(expiresDaysAgo) }).execute();
    rows[label] = { table: 'sessions', key: sid, expired };
  };
  await session('session-expired', p.expiredSessions + 1 / 24, true);
  await session('session-running', -0.5, false);

  const link = async (label: string, expiresDaysAgo: number, usedDaysAgo: number | null, expired: boolean) => {
    const { id } = await db.insertInto('tokens').values({
      user_id: user.id, purpose: 'reset', token_hash: `${label}-${n}`, expires_at: ago(expiresDaysAgo),
      used_at: usedDaysAgo === null ? null : ago(usedDaysAgo), created_at: ago(expiresDaysAgo + 7),
    }).returning('id').executeTakeFirstOrThrow();
    rows[label] = { table: 'tokens', key: id, expired };
  };
  await link('link-expired-old', p.expiredLinks + 1, null, true);
  await link('link-used-old', -3, p.expiredLinks + 1, true);
  await link('link-expired-young', p.expiredLinks - 1, null, false);
  await link('link-open', -3, null, false);

  const apiKey = async (label: string, revokedDaysAgo: number | null, expired: boolean) => {
    const { id } = await db.insertInto('api_tokens').values({
      user_id: user.id, name: label, token_hash: `${label}-${n}`, created_at: ago(1000), last_used_at: null,
      revoked_at: revokedDaysAgo === null ? null : ago(revokedDaysAgo),
    }).returning('id').executeTakeFirstOrThrow();
    rows[label] = { table: 'api_tokens', key: id, expired };
  };
  await apiKey('key-revoked-old', p.expiredLinks + 1, true);
  await apiKey('key-revoked-young', p.expiredLinks - 1, false);
  await apiKey('key-active', null, false);

  const audit = async (label: string, daysAgo: number, expired: boolean) => {
    const { id } = await db.insertInto('audit_log').values({
      actor_id: user.id, action: 'legal.updated', target_type: 'legal_page', target_id: label, details: '{}', created_at: ago(daysAgo),
    }).returning('id').executeTakeFirstOrThrow();
    rows[label] = { table: 'audit_log', key: id, expired };
  };
  await audit('audit-old', p.audit + 1, true);
  await audit('audit-young', p.audit - 1, false);
  return rows;
}

/** The labels of the seeded rows still in the database. */
async function remaining(db: Db, rows: Awaited<ReturnType<typeof seed>>): Promise<string[]> {
  const left: string[] = [];
  for (const [label, { table, key }] of Object.entries(rows)) {
    const found = table === 'sessions'
      ? await db.selectFrom('sessions').select('sid').where('sid', '=', String(key)).executeTakeFirst()
      : await db.selectFrom(table).select('id').where('id', '=', Number(key)).executeTakeFirst();
    if (found) left.push(label);
  }
  return left.sort();
}

const kept = (rows: Awaited<ReturnType<typeof seed>>) => Object.entries(rows).filter(([, r]) => !r.expired).map(([label]) => label).sort();

const sum = (results: (RetentionResult | null)[]) => results.reduce((total, r) => total + (r ? Object.values(r).reduce((a, b) => a + b, 0) : 0), 0);

describe('retention periods on the privacy page', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ RETENTION_AUDIT_DAYS: '730', RETENTION_SENT_MAIL_DAYS: '1' });
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('lists the configured periods under "Aufbewahrungsfristen", in German and in English, also before a text is stored', async () => {
    const v = new Visitor(t.app);
    const de = await v.get('/datenschutz');
    assert.match(de.body, /<h2 id="retention-title">Aufbewahrungsfristen<\/h2>/);
    const text = pageText(de.body);
    for (const line of [
      'Abgelehnte Beitrittsanfragen, mit der Begründung: 90 Tage nach der Entscheidung',
      'Versendete E-Mails im Postausgang: 1 Tag nach dem Versand; noch nicht versendete E-Mails bleiben bis zu ihrem Versand',
      'Abgelaufene Anmeldungen (Sitzungen): unmittelbar nach ihrem Ablauf',
      'Einladungs- und Passwort-Links sowie widerrufene Zugriffsschlüssel: 7 Tage nach Ablauf, Verwendung oder Widerruf',
      'Einträge im Protokoll der Verwaltung: 730 Tage nach dem Eintrag',
    ]) assert.ok(text.includes(line), line);
    assert.doesNotMatch((await v.get('/impressum')).body, /Aufbewahrungsfristen/, 'only on the privacy page');

    await v.get('/sprache/en');
    const en = pageText((await v.get('/datenschutz')).body);
    assert.ok(en.includes('Retention periods'));
    assert.ok(en.includes('Entries in the administration’s audit log: 730 days after the entry'), en);
    assert.ok(en.includes('Sent e-mails in the outbox: 1 day after sending'), en);
  });
});

describe('retention of personal data', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('deletes what is older than its period and keeps younger data, open requests and mails not yet sent', async () => {
    const rows = await seed(t.database.db, t.config.retention);
    const deleted = await purgeExpiredData(t.database.db, t.config.retention, NOW);
    assert.deepEqual(await remaining(t.database.db, rows), kept(rows));
    assert.deepEqual(deleted, { rejectedJoinRequests: 1, sentMail: 1, expiredSessions: 1, expiredLinks: 3, audit: 1 });
    assert.deepEqual(await purgeExpiredData(t.database.db, t.config.retention, NOW), { rejectedJoinRequests: 0, sentMail: 0, expiredSessions: 0, expiredLinks: 0, audit: 0 },
      'a second run finds nothing more');
  });

  it('follows the configured periods, not the defaults', async () => {
    const periods = { rejectedJoinRequests: 10, sentMail: 3, expiredSessions: 2, expiredLinks: 1, audit: 60 };
    const rows = await seed(t.database.db, periods);
    await purgeExpiredData(t.database.db, periods, NOW);
    assert.deepEqual(await remaining(t.database.db, rows), kept(rows));
  });

  it('is safe when two instances run it at the same moment: the right rows stay, each is deleted once, no error', async () => {
    const rows = await seed(t.database.db, t.config.retention);
    const expected = Object.values(rows).filter((r) => r.expired).length;
    const second = await startAppOnDatabase(t);
    try {
      const results = await Promise.all([
        purgeExpiredData(t.database.db, t.config.retention, NOW),
        purgeExpiredData(second.database.db, t.config.retention, NOW),
      ]);
      assert.deepEqual(await remaining(t.database.db, rows), kept(rows));
      assert.equal(sum(results), expected, 'together the two runs deleted every expired row exactly once');
    } finally {
      await second.close();
    }
  });

  it('runs on one instance per hour: of two job runs at once one deletes, the other stands back', async () => {
    const rows = await seed(t.database.db, t.config.retention);
    const second = await startAppOnDatabase(t);
    try {
      const results = await Promise.all([runRetention(t.database.db, t.config.retention, NOW), runRetention(second.database.db, t.config.retention, NOW)]);
      assert.equal(results.filter((r) => r === null).length, 1, 'exactly one run held the lease');
      assert.equal(sum(results), Object.values(rows).filter((r) => r.expired).length);
      assert.deepEqual(await remaining(t.database.db, rows), kept(rows));

      assert.equal(await runRetention(second.database.db, t.config.retention, NOW + 30 * 60 * 1000), null, 'half an hour later the lease still holds');
      const rowsLater = await seed(t.database.db, t.config.retention);
      const nextHour = await runRetention(second.database.db, t.config.retention, NOW + 60 * 60 * 1000);
      assert.ok(nextHour, 'an hour later the next run takes the lease');
      assert.deepEqual(await remaining(t.database.db, rowsLater), kept(rowsLater));
    } finally {
      await second.close();
    }
  });
});
