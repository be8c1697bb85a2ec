import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, signedIn } from '../../../test/support/factories.js';
import { errorMessages, pageText } from '../../../test/support/page.js';
import { initiativeForm } from '../../../test/support/procurement.js';
import { meetingForm } from '../../../test/support/meetings.js';
import { viewerOf } from '../../../test/support/catalogue.js';
import { createMeeting, parseMeeting } from '../meetings/service.js';
import { germanDecimalFor, parseEuroToCents } from '../procurement/pricing.js';

describe('forms that say everything at once and what to type instead', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  it('lists every problem of the setup form in the summary at once, keeping what was typed', async () => {
    const v = new Visitor(t.app);
    const res = await v.submit('/einrichtung', { name: '', email: 'anna@', organisation: 'andere', organisationOther: '', jobFunction: 'IT', password: 'kurz', passwordRepeat: 'anders' });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(errorMessages(res.body), [
      'Bitte füllen Sie „Vor- und Nachname“ aus.',
      'Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@stadt.de.',
      '„Passwort“ muss mindestens 10 Zeichen lang sein.',
      'Die beiden Passwörter stimmen nicht überein.',
      'Bitte nennen Sie den Namen Ihrer Organisation.',
    ]);
    assert.match(res.body, /value="anna@"/);
    // Beside each field the message says that it is one, not by colour alone.
    const beside = /<p class="error-message" id="f-name-error">([\s\S]*?)<\/p>/.exec(res.body);
    assert.ok(beside, 'a message beside the name field');
    assert.equal(pageText(beside[1]).trim(), 'Fehler: Bitte füllen Sie „Vor- und Nachname“ aus.');
  });

  it('reads an amount typed with a decimal point as what it is and says to use a comma', () => {
    for (const [typed, german] of [['16.50', '16,50'], ['16.5', '16,50'], ['0.99', '0,99'], ['1,234.56', '1.234,56'], ['12345.5 €', '12.345,50']] as const) {
      assert.equal(germanDecimalFor(typed), german, typed);
      assert.equal(parseEuroToCents(typed), null, typed);
    }
    for (const fine of ['1.500', '16,50', '16', 'abc', '1.2.3']) assert.equal(germanDecimalFor(fine), null, fine);
  });

  it('answers "16.50" as a price with the comma it lacks, for the price tiers and the one-time fee', async () => {
    await completeSetup(t.database.db);
    const { visitor } = await signedIn(t.app, t.database.db, 'member', { organisation: 'Olpe' });
    const res = await visitor.submit('/beschaffung/neu', initiativeForm({ tier_price_1: '16.50', one_time_fee: '250.5' }));
    assert.equal(res.statusCode, 422);
    const messages = errorMessages(res.body);
    assert.deepEqual(messages, [
      'Preisstufe 1: Bitte ein Komma statt eines Punktes: 16,50.',
      '„Einmalige Gebühr je teilnehmender Organisation (€, optional)“: Bitte ein Komma statt eines Punktes: 250,50.',
    ]);
  });

  it('offers "Platz reservieren" for a meeting; "Anmelden" stays for signing in', async () => {
    const { visitor, user } = await signedIn(t.app, t.database.db, 'moderator', { organisation: 'Olpe' });
    const { slug } = await createMeeting(t.database.db, await viewerOf(t.database.db, user.id), parseMeeting(meetingForm(), {}));
    const page = await visitor.get(`/treffen/${slug}`);
    assert.match(page.body, /<button type="submit" class="button">Platz reservieren<\/button>/);
    const main = /<main[\s\S]*<\/main>/.exec(page.body)![0];
    assert.doesNotMatch(pageText(main), /Anmelden/);
    const anonymous = pageText((await new Visitor(t.app).get(`/treffen/${slug}`)).body);
    assert.match(anonymous, /Um einen Platz zu reservieren, melden Sie sich bitte zuerst an\./);
  });

  it('asks who may see a new solution first, preset to the members, and says why', async () => {
    const { visitor } = await signedIn(t.app, t.database.db, 'member');
    const page = await visitor.get('/loesungen/neu');
    const form = /<form method="post" action="\/loesungen\/neu"[\s\S]*?<\/form>/.exec(page.body)![0];
    const fields = [...form.matchAll(/<(?:input|select|textarea)[^>]* name="(\w+)"/g)].map((m) => m[1]).filter((n) => n !== '_csrf');
    assert.equal(fields[0], 'visibility');
    assert.match(page.body, /<option value="members" selected>Nur Mitglieder<\/option>/);
    assert.match(pageText(page.body), /Voreingestellt ist „Nur Mitglieder“: Die anderen Kommunen der Community sehen den Eintrag, die Öffentlichkeit nicht\./);
  });
});
