import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup } from '../../../test/support/factories.js';

describe('page cache for anonymous visitors', () => {
  let t: TestApp;
  const budget = 160 * 1024; // the map page (about 60 kB) and a few dozen search pages (3 kB each)
  before(async () => {
    t = await startTestApp({}, { pageCacheBytes: budget });
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('keeps one page for an address whatever unknown query parameters it carries', async () => {
    const first = await t.app.inject('/karte');
    assert.equal(first.statusCode, 200);
    const before = t.app.pageCache.size;
    assert.equal(before, 1);
    for (let n = 0; n < 2100; n++) {
      const res = await t.app.inject(`/karte?cb=${n}&utm_source=x${n}`);
      assert.equal(res.statusCode, 200);
      if (n === 0) assert.equal(res.body, first.body);
    }
    assert.equal(t.app.pageCache.size, before, 'no new entries for parameters the page does not read');
  });

  it('keys on the parameters a page reads, in a fixed order', async () => {
    const a = await t.app.inject('/loesungen?q=chatbot&sort=title');
    const size = t.app.pageCache.size;
    const b = await t.app.inject('/loesungen?sort=title&cb=1&q=chatbot');
    assert.equal(b.body, a.body);
    assert.equal(t.app.pageCache.size, size);
    await t.app.inject('/loesungen?q=bauantrag');
    assert.equal(t.app.pageCache.size, size + 1, 'another search is another page');
  });

  it('holds no more bytes than its budget, dropping the page used longest ago', async () => {
    for (let n = 0; n < 60; n++) await t.app.inject(`/loesungen?q=suche${n}`);
    assert.ok(t.app.pageCache.bytes <= budget, `${t.app.pageCache.bytes} bytes > ${budget}`);
    assert.ok(t.app.pageCache.size < 50, `${t.app.pageCache.size} pages kept`);
    // The newest pages are still there: asking again adds nothing.
    const size = t.app.pageCache.size;
    await t.app.inject('/loesungen?q=suche59');
    assert.equal(t.app.pageCache.size, size);
  });
});
