import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';

describe('page about the data', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('names the dictionaries the search translates with, their authors and licences', async () => {
    for (const [lang, title, licence] of [['de', 'Wörterbücher für die mehrsprachige Suche', 'Lizenz GPL-3.0 oder später'], ['en', 'Dictionaries for multilingual search', 'licence GPL-3.0 or later']]) {
      const v = new Visitor(t.app);
      await v.get(`/sprache/${lang}`);
      const res = await v.get('/ueber-die-daten');
      assert.equal(res.statusCode, 200);
      const section = /id="src-search-lexicon"[^]*?<\/section>/.exec(res.body)?.[0] ?? '';
      assert.ok(section.includes(title), lang);
      assert.ok(section.includes(licence), lang);
      assert.match(section, /Frank Richter/);
      assert.match(section, /GPL-2\.0/);
      assert.match(section, /<a href="https:\/\/freedict.org\/">/);
    }
  });
});
