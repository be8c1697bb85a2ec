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
});
