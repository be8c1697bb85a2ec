import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { countHit, purgeExpiredRateLimits, withdrawHit } from './rate-limit-store.js';

describe('rate-limit counters in the database', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());
  const db = () => t.database.db;

  it('count hits in a window, take one back only in the same window, and start again when the window has run out', async () => {
    const first = await countHit(db(), 'test:a', 60_000);
    assert.equal(first.current, 1);
    assert.equal((await countHit(db(), 'test:a', 60_000)).current, 2);
    await withdrawHit(db(), 'test:a', first.windowStart);
    assert.equal((await countHit(db(), 'test:a', 60_000)).current, 2);
    await withdrawHit(db(), 'test:a', first.windowStart - 1); // an earlier window: nothing to take back
    assert.equal((await countHit(db(), 'test:a', 60_000)).current, 3);
    await db().updateTable('rate_limits').set({ window_start: Date.now() - 120_000 }).where('key', '=', 'test:a').execute();
    assert.equal((await countHit(db(), 'test:a', 60_000)).current, 1);
  });

  it('purging removes the counters whose window has run out and keeps the running ones', async () => {
    await countHit(db(), 'test:running', 60_000);
    await countHit(db(), 'test:over', 60_000);
    await db().updateTable('rate_limits').set({ window_start: Date.now() - 120_000 }).where('key', '=', 'test:over').execute();
    await purgeExpiredRateLimits(db());
    const keys = (await db().selectFrom('rate_limits').select('key').where('key', 'like', 'test:%').execute()).map((r) => r.key).sort();
    assert.deepEqual(keys, ['test:a', 'test:running']);
  });
});
