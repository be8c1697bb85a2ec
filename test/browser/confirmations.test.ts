import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runScheduledNotices } from '../../src/app.js';
import { expectAt, expectNoAxeViolations, launchBrowser, startListeningApp, type ListeningApp, type TestBrowser, signIn } from '../support/browser.js';
import { completeSetup, createUser } from '../support/factories.js';
import { makeMeeting, makeTopic } from '../support/topics.js';

/**
 * The topic vote's deadline and a confirmation step, in the browser: an organiser opens the vote with a deadline
 * after the meeting (refused, with the reason at the field and what was typed kept), then with a valid one; the
 * vote closes by itself; publishing the agenda asks first on a page of its own (also without JavaScript), going
 * back changes nothing, confirming publishes — with an axe scan of every page.
 */

let browser: TestBrowser;
let t: ListeningApp;
let organiser: { email: string; password: string };

before(async () => {
  [browser, t] = await Promise.all([launchBrowser(), startListeningApp()]);
  await completeSetup(t.database.db);
  organiser = await createUser(t.database.db, { role: 'moderator', name: 'Mona Moderation', organisation: 'Olpe', email: 'mona@confirm.example' });
});
after(async () => {
  await browser?.close();
  await t?.close();
});

describe('confirmations and the vote deadline in the browser', () => {
  it('opens the topic vote until a deadline, refusing one after the meeting starts; the vote closes by itself', async () => {
    const db = t.database.db;
    const m = await makeMeeting(db, { title: 'Frühjahrsrunde' });
    const page = await browser.newPage({ bypassCSP: true, axe: true });
    await signIn(page, t, organiser);
    await page.goto(t.url(`/treffen/${m.slug}/themen`));
    await page.getByRole('group', { name: 'Ende der Abstimmung (freiwillig)' }).waitFor();
    await expectNoAxeViolations(page, '/treffen/<slug>/themen (closed, with the deadline form)');

    await page.getByLabel('Tag, an dem die Abstimmung endet').fill('2027-03-19');
    await page.getByLabel('Uhrzeit, zu der die Abstimmung endet').fill('10:00');
    await page.getByRole('button', { name: 'Themenwahl öffnen' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('Die Abstimmung muss vor dem Beginn des Treffens (18.03.2027, 10:00 MEZ) enden. Bitte wählen Sie einen früheren Zeitpunkt.').waitFor();
    assert.equal(await page.getByLabel('Tag, an dem die Abstimmung endet').inputValue(), '2027-03-19', 'what was typed is kept');
    await expectNoAxeViolations(page, '/treffen/<slug>/themen/oeffnen (deadline refused)');
    // The error summary leads to the field.
    await alert.getByRole('link').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-close_date');

    await page.getByLabel('Tag, an dem die Abstimmung endet').fill('2027-03-10');
    await page.getByLabel('Uhrzeit, zu der die Abstimmung endet').fill('');
    await page.getByRole('button', { name: 'Themenwahl öffnen' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Themen sind geöffnet; die Abstimmung schließt von selbst am 10.03.2027, 23:59 MEZ.' }).waitFor();
    await page.getByText('Die Abstimmung schließt von selbst am 10.03.2027, 23:59 MEZ.', { exact: true }).waitFor();
    await expectNoAxeViolations(page, '/treffen/<slug>/themen (open until a deadline)');

    // The job runner closes the vote at its deadline.
    await t.database.db.updateTable('meetings').set({ topics_close_at: '2026-01-01T00:00:00.000Z' }).where('id', '=', m.id).execute();
    await runScheduledNotices(db);
    await page.reload();
    await page.getByRole('button', { name: 'Themenwahl öffnen' }).waitFor();
    await page.close();
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`publishes an agenda only after its confirmation page (${javaScriptEnabled ? 'with' : 'without'} JavaScript); going back changes nothing`, async () => {
      const db = t.database.db;
      const m = await makeMeeting(db, { title: `Herbstrunde ${javaScriptEnabled ? 'A' : 'B'}`, topics_open: 1 });
      await makeTopic(db, m.id, 'Sprachmodelle im Rat');
      await db.insertInto('agenda_items').values({
        meeting_id: m.id, starts_at: '2027-03-18T09:00:00.000Z', title: 'Begrüßung', speaker: '', topic_id: null,
        created_at: new Date().toISOString(), updated_at: new Date().toISOString(),
      }).execute();
      const page = await browser.newPage(javaScriptEnabled ? { bypassCSP: true, axe: true } : { javaScriptEnabled: false });
      await signIn(page, t, organiser);
      const agenda = `/treffen/${m.slug}/programm`;
      await page.goto(t.url(agenda));
      await page.getByRole('button', { name: 'Programm veröffentlichen' }).click();

      await page.getByRole('heading', { level: 1, name: `Programm von „Herbstrunde ${javaScriptEnabled ? 'A' : 'B'}“ veröffentlichen?` }).waitFor();
      const what = await page.getByRole('region', { name: 'Was geschieht' }).getByRole('listitem').allTextContents();
      assert.deepEqual(what, [
        'Das Programm mit 1 Punkt wird für alle sichtbar, die das Treffen sehen können.',
        'Die Themenabstimmung endet endgültig (1 Thema): niemand kann mehr Themen vorschlagen oder abstimmen.',
        'Die Mitglieder werden benachrichtigt.',
        'Das lässt sich nicht rückgängig machen.',
      ]);
      if (javaScriptEnabled) await expectNoAxeViolations(page, '/treffen/<slug>/programm/veroeffentlichen (confirmation)');

      await page.getByRole('link', { name: 'Abbrechen, nichts ändern' }).click();
      await expectAt(page, agenda);
      const row = await db.selectFrom('meetings').select(['agenda_published_at', 'topics_open']).where('id', '=', m.id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { agenda_published_at: null, topics_open: 1 });

      await page.getByRole('button', { name: 'Programm veröffentlichen' }).click();
      await page.getByRole('button', { name: 'Ja, Programm veröffentlichen' }).click();
      await page.getByRole('status').filter({ hasText: 'Das Programm ist veröffentlicht.' }).waitFor();
      await expectAt(page, agenda);
      assert.equal((await db.selectFrom('meetings').select('topics_open').where('id', '=', m.id).executeTakeFirstOrThrow()).topics_open, 0);
      if (javaScriptEnabled) await expectNoAxeViolations(page, '/treffen/<slug>/programm (published)');
      await page.close();
    });
  }
});
