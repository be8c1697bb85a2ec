import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FormError } from '../../platform/errors.js';
import { viewerOf } from '../../../test/support/catalogue.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { countRows } from '../../../test/support/members.js';
import { answer, ask, errorSummary, flash, listedTitles, notificationTexts, pageText } from './fixtures/support.js';
import { reportPost } from './moderation.js';

const db = (t: TestApp) => t.database.db;

async function hiddenState(t: TestApp, table: 'questions' | 'answers', id: number) {
  const row = await db(t).selectFrom(table).select(['hidden', 'hidden_reason']).where('id', '=', id).executeTakeFirstOrThrow();
  return { hidden: row.hidden, reason: row.hidden_reason };
}

async function auditActions(t: TestApp, targetType: string, targetId: number) {
  return (await db(t).selectFrom('audit_log').select(['action', 'actor_id']).where('target_type', '=', targetType).where('target_id', '=', String(targetId)).orderBy('id').execute());
}

/** A signed-in member who reports the post on its report page; returns the response. */
async function reportAs(t: TestApp, path: string, reason = 'Das ist Werbung für ein Produkt.', organisation = 'Olpe') {
  const { visitor } = await signedIn(t.app, db(t), 'member', { organisation });
  const page = await visitor.get(path);
  assert.equal(page.statusCode, 200, path);
  return { visitor, res: await visitor.post(path, { reason }) };
}

describe('moderation', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('hides a post after three reports until a moderator decides, and tells its author', async () => {
    const asker = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const { id } = await ask(asker.visitor, { title: 'Kaufen Sie unser KI-Produkt!' });
    const first = await reportAs(t, `/fragen/${id}/melden`);
    assert.equal(first.res.statusCode, 303);
    assert.equal(flash((await first.visitor.get(`/fragen/${id}`)).body), 'Danke, Ihre Meldung ist bei der Moderation.');
    await reportAs(t, `/fragen/${id}/melden`, 'Reine Werbung.', 'Siegen');
    assert.deepEqual(await hiddenState(t, 'questions', id), { hidden: 0, reason: null }, 'two reports do not hide');

    const third = await reportAs(t, `/fragen/${id}/melden`, 'Spam', 'Brilon');
    assert.equal(third.res.statusCode, 303);
    assert.equal(flash((await third.visitor.get('/fragen')).body), 'Danke, Ihre Meldung ist bei der Moderation. Der Beitrag ist jetzt ausgeblendet, bis sie entscheidet.');
    assert.deepEqual(await hiddenState(t, 'questions', id), { hidden: 1, reason: 'reports' });
    assert.deepEqual(await auditActions(t, 'question', id), [{ action: 'post.hidden_by_reports', actor_id: null }]);

    assert.equal((await third.visitor.get(`/fragen/${id}`)).statusCode, 404, 'gone for other members');
    assert.ok(!listedTitles((await third.visitor.get('/fragen')).body).includes('Kaufen Sie unser KI-Produkt!'));
    const own = await asker.visitor.get(`/fragen/${id}`);
    assert.equal(own.statusCode, 200, 'the author still sees it');
    assert.match(pageText(own.body), /Dieser Beitrag ist nach mehreren Meldungen ausgeblendet, bis die Moderation entscheidet\./);
    assert.deepEqual((await notificationTexts(db(t), asker.user.id)).map((n) => n.text),
      ['Ihr Beitrag zu „Kaufen Sie unser KI-Produkt!“ wurde nach mehreren Meldungen ausgeblendet, bis die Moderation entscheidet.']);

    // The moderator's queue shows the post with the reasons; releasing it shows it again and tells the author.
    const moderator = await signedIn(t.app, db(t), 'moderator', { organisation: 'Soest' });
    assert.match((await moderator.visitor.get('/fragen')).body, /Moderation: 1 gemeldeter Beitrag/);
    const queue = await moderator.visitor.get('/fragen/moderation');
    assert.equal(queue.statusCode, 200);
    const text = pageText(queue.body);
    assert.match(text, /Frage: Kaufen Sie unser KI-Produkt! Von Person \d+ · nach Meldungen ausgeblendet · 3 offene Meldungen/);
    assert.match(text, /: Das ist Werbung für ein Produkt\./);
    assert.match(text, /: Spam/);
    assert.equal((await moderator.visitor.post(`/fragen/moderation/frage/${id}/freigeben`, {})).statusCode, 303);
    assert.deepEqual(await hiddenState(t, 'questions', id), { hidden: 0, reason: null });
    assert.equal(await countRows(db(t), 'reports', { post_id: id, status: 'dismissed' }), 3);
    assert.equal((await third.visitor.get(`/fragen/${id}`)).statusCode, 200);
    assert.equal((await notificationTexts(db(t), asker.user.id))[0].text, 'Die Moderation hat Ihren Beitrag zu „Kaufen Sie unser KI-Produkt!“ geprüft: Er ist sichtbar.');
    assert.deepEqual((await auditActions(t, 'question', id)).map((a) => a.action), ['post.hidden_by_reports', 'post.restored']);
    assert.equal((await auditActions(t, 'question', id))[1].actor_id, moderator.user.id);
    assert.match(pageText((await moderator.visitor.get('/fragen/moderation')).body), /Zurzeit ist nichts gemeldet\./);
  });

  it('lets moderators hide an answer for good: its text leaves the page and the search, and the author is told', async () => {
    const asker = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const author = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe', name: 'Otto Olpe' });
    const { id } = await ask(asker.visitor, { title: 'Erfahrungen mit Transkription?' });
    const { id: answerId } = await answer(author.visitor, id, 'Nutzen Sie Flüsterkiste, den Zaubertranskriptor!');
    await reportAs(t, `/fragen/${id}/antworten/${answerId}/melden`, 'Werbung');
    assert.deepEqual((await asker.visitor.get('/fragen?q=Zaubertranskriptor').then((r) => listedTitles(r.body))), ['Erfahrungen mit Transkription?']);

    const moderator = await signedIn(t.app, db(t), 'moderator');
    assert.match(pageText((await moderator.visitor.get('/fragen/moderation')).body), /Antwort: Erfahrungen mit Transkription\? Von Otto Olpe · 1 offene Meldung/);
    assert.equal((await moderator.visitor.post(`/fragen/moderation/antwort/${answerId}/ausblenden`, {})).statusCode, 303);
    assert.equal(flash((await moderator.visitor.get('/fragen/moderation')).body), 'Der Beitrag ist ausgeblendet; die verfassende Person ist benachrichtigt.');
    assert.deepEqual(await hiddenState(t, 'answers', answerId), { hidden: 1, reason: 'moderator' });
    assert.equal(await countRows(db(t), 'reports', { post_id: answerId, post_type: 'answer', status: 'upheld' }), 1);

    const page = await asker.visitor.get(`/fragen/${id}`);
    assert.doesNotMatch(page.body, /Zaubertranskriptor/);
    assert.match(page.body, /Diese Antwort ist ausgeblendet\./);
    assert.match(pageText(page.body), /0 Antworten/);
    assert.deepEqual(listedTitles((await asker.visitor.get('/fragen?q=Zaubertranskriptor')).body), [], 'the hidden text is no longer found');
    assert.match((await author.visitor.get(`/fragen/${id}`)).body, /Zaubertranskriptor/, 'its author still sees it');
    assert.equal((await notificationTexts(db(t), author.user.id))[0].text, 'Die Moderation hat Ihren Beitrag zu „Erfahrungen mit Transkription?“ geprüft und ausgeblendet.');
    assert.deepEqual(await auditActions(t, 'answer', answerId), [{ action: 'post.hidden', actor_id: moderator.user.id }]);

    const accept = await asker.visitor.post(`/fragen/${id}/antworten/${answerId}/annehmen`, {});
    assert.equal(accept.statusCode, 422);
    assert.match(errorSummary(accept.body), /Diese Antwort ist ausgeblendet\. Es wurde nichts geändert\./);
  });

  it('refuses reporting the same post twice, or one\'s own, with a German message, and changes nothing', async () => {
    const asker = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const { id } = await ask(asker.visitor, { title: 'Eine harmlose Frage' });
    const { visitor, res } = await reportAs(t, `/fragen/${id}/melden`, 'Versehentlich gemeldet');
    assert.equal(res.statusCode, 303);
    await visitor.get(`/fragen/${id}/melden`);
    const twice = await visitor.post(`/fragen/${id}/melden`, { reason: 'Noch einmal' });
    assert.equal(twice.statusCode, 422);
    assert.equal(errorSummary(twice.body), 'Bitte korrigieren Sie die folgenden Angaben: Sie haben diesen Beitrag bereits gemeldet. Die Moderation kümmert sich darum; eine zweite Meldung ist nicht nötig.');
    assert.match(twice.body, />Noch einmal<\/textarea>/, 'what was typed is kept');
    assert.equal(await countRows(db(t), 'reports', { post_id: id, post_type: 'question' }), 1);

    await asker.visitor.get(`/fragen/${id}/melden`);
    const own = await asker.visitor.post(`/fragen/${id}/melden`, { reason: 'Selbstanzeige' });
    assert.equal(own.statusCode, 422);
    assert.match(errorSummary(own.body), /Den eigenen Beitrag können Sie nicht melden/);
    const empty = await visitor.post(`/fragen/${id}/melden`, { reason: '  ' });
    assert.equal(empty.statusCode, 422);
    assert.match(errorSummary(empty.body), /Bitte füllen Sie „Begründung“ aus\./);
    const long = await visitor.post(`/fragen/${id}/melden`, { reason: 'x'.repeat(1001) });
    assert.match(errorSummary(long.body), /„Begründung“ darf höchstens 1000 Zeichen lang sein\./);
    assert.equal(await countRows(db(t), 'reports', { post_id: id, post_type: 'question' }), 1);
    assert.deepEqual(await hiddenState(t, 'questions', id), { hidden: 0, reason: null });
  });

  it('keeps the queue and the moderation buttons for moderators', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member');
    const { id } = await ask(visitor, { title: 'Nur Mitglieder moderieren nicht' });
    const other = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    assert.equal((await other.visitor.get('/fragen/moderation')).statusCode, 403);
    await other.visitor.get(`/fragen/${id}`);
    assert.equal((await other.visitor.post(`/fragen/moderation/frage/${id}/ausblenden`, {})).statusCode, 403);
    assert.deepEqual(await hiddenState(t, 'questions', id), { hidden: 0, reason: null });
    assert.doesNotMatch((await other.visitor.get(`/fragen/${id}`)).body, /moderation\/frage/);
    const moderator = await signedIn(t.app, db(t), 'moderator');
    assert.match((await moderator.visitor.get(`/fragen/${id}`)).body, /action="\/fragen\/moderation\/frage\/\d+\/ausblenden"/);
    assert.equal((await moderator.visitor.post(`/fragen/moderation/beitrag/${id}/ausblenden`, {})).statusCode, 404);
  });

  it('counts reports arriving at once correctly: the post is hidden exactly once', async () => {
    const asker = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const { id } = await ask(asker.visitor, { title: 'Viele melden gleichzeitig' });
    const reporters = [];
    for (const organisation of ['Olpe', 'Siegen', 'Brilon', 'Soest', 'Werl', 'Lippstadt']) reporters.push(await viewerOf(db(t), (await createUser(db(t), { organisation })).id));
    const deps = { db: db(t), config: t.config };
    const outcomes = await Promise.allSettled(reporters.map((r) => reportPost(deps, r, 'question', id, 'Unpassend')));
    const refused = outcomes.filter((o) => o.status === 'rejected');
    assert.ok(refused.every((o) => (o as PromiseRejectedResult).reason instanceof FormError), 'late reports are refused with a message, never fail');
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled' && o.value.hidden).length, 1, 'exactly one report hid it');
    assert.equal(await countRows(db(t), 'reports', { post_id: id, post_type: 'question' }), 3);
    assert.equal(refused.length, 3);
    assert.deepEqual(await auditActions(t, 'question', id), [{ action: 'post.hidden_by_reports', actor_id: null }]);
    assert.equal((await notificationTexts(db(t), asker.user.id)).length, 1);
  });
});

describe('moderation notices have their own mail setting', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ REPORTS_TO_HIDE: '1' });
    await completeSetup(db(t));
  });
  after(() => t.close());

  const mailsTo = async (email: string) =>
    (await db(t).selectFrom('outbox').select('subject').where('recipient', '=', email).execute()).map((r) => r.subject);
  const settings = (overrides: Record<string, string>) =>
    ({ answer: 'immediately', match: 'immediately', followed: 'weekly', meeting: 'weekly', catalogue: 'weekly', moderation: 'immediately', deployment: 'weekly', ...overrides });

  it('mails the decision to an author who turned answer mails off, and not to one who turned moderation mails off', async () => {
    const quiet = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const noModeration = await signedIn(t.app, db(t), 'member', { organisation: 'Soest' });
    for (const [who, overrides] of [[quiet, { answer: 'off' }], [noModeration, { moderation: 'off' }]] as const) {
      await who.visitor.get('/benachrichtigungen/einstellungen');
      const res = await who.visitor.submit('/benachrichtigungen/einstellungen', settings(overrides));
      assert.equal(res.statusCode, 303, 'settings saved');
    }
    const { id: first } = await ask(quiet.visitor, { title: 'Frage eins zur Moderation' });
    const { id: second } = await ask(noModeration.visitor, { title: 'Frage zwei zur Moderation' });
    await reportAs(t, `/fragen/${first}/melden`);
    await reportAs(t, `/fragen/${second}/melden`);

    assert.equal((await mailsTo(quiet.user.email)).length, 1, 'answer mails off: the moderation decision is still mailed');
    assert.deepEqual(await mailsTo(noModeration.user.email), [], 'moderation mails off: no mail');
    assert.equal((await notificationTexts(db(t), noModeration.user.id)).length, 1, 'the notice is in the app all the same');
  });
});

describe('moderation with REPORTS_TO_HIDE=1', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ REPORTS_TO_HIDE: '1' });
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('hides a post after the configured number of reports', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member');
    const { id } = await ask(visitor, { title: 'Eine Meldung genügt' });
    await reportAs(t, `/fragen/${id}/melden`);
    assert.deepEqual(await hiddenState(t, 'questions', id), { hidden: 1, reason: 'reports' });
  });
});
