import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from './config.js';

describe('configuration', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kic-config-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = (more: Record<string, string>) => ({ DATA_DIR: dataDir, SESSION_SECRET: ''.padEnd(40, 's'), ...more });

  it('refuses to start with an https BASE_URL but no TRUST_PROXY, naming both', () => {
    assert.throws(() => loadConfig(env({ BASE_URL: 'https://ki.example.de' })), /BASE_URL.*https.*TRUST_PROXY/);
    assert.throws(() => loadConfig(env({ BASE_URL: 'https://ki.example.de', TRUST_PROXY: '0' })), /TRUST_PROXY/);
    assert.equal(loadConfig(env({ BASE_URL: 'https://ki.example.de', TRUST_PROXY: '1' })).baseUrl, 'https://ki.example.de');
    assert.equal(loadConfig(env({ BASE_URL: 'http://localhost:3000' })).trustProxy, false);
  });

  it('reads the page cache budget in megabytes, 64 by default', () => {
    assert.equal(loadConfig(env({})).pageCacheBytes, 64 * 1024 * 1024);
    assert.equal(loadConfig(env({ PAGE_CACHE_MB: '8' })).pageCacheBytes, 8 * 1024 * 1024);
    assert.throws(() => loadConfig(env({ PAGE_CACHE_MB: 'viel' })), /PAGE_CACHE_MB/);
  });

  it('reads the retention periods in days, with defaults, and refuses what is not a whole number of days', () => {
    assert.deepEqual(loadConfig(env({})).retention, { rejectedJoinRequests: 90, sentMail: 30, expiredSessions: 0, expiredLinks: 7, audit: 365 });
    const set = loadConfig(env({ RETENTION_AUDIT_DAYS: '730', RETENTION_SENT_MAIL_DAYS: '0', RETENTION_REJECTED_REQUESTS_DAYS: ' ' })).retention;
    assert.equal(set.audit, 730);
    assert.equal(set.sentMail, 0);
    assert.equal(set.rejectedJoinRequests, 90, 'blank keeps the default');
    for (const value of ['-1', '1.5', 'ein Jahr', '36500']) {
      assert.throws(() => loadConfig(env({ RETENTION_AUDIT_DAYS: value })), /RETENTION_AUDIT_DAYS must be a whole number of days from 0 to 3650/, value);
    }
  });
});
