import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('reads single sign-on providers, each with its issuer, client, scopes and button name', () => {
    const config = loadConfig(env({
      OIDC_PROVIDERS: 'keycloak, Entra',
      OIDC_KEYCLOAK_ISSUER: 'https://login.kreis-olpe.de/realms/kommunen', OIDC_KEYCLOAK_CLIENT_ID: 'ki-community', OIDC_KEYCLOAK_CLIENT_SECRET: 's1',
      OIDC_KEYCLOAK_NAME: 'Kreis Olpe',
      OIDC_ENTRA_ISSUER: 'https://login.microsoftonline.com/9188040d/v2.0', OIDC_ENTRA_CLIENT_ID: 'abc', OIDC_ENTRA_CLIENT_SECRET: 's2',
      OIDC_ENTRA_SCOPES: 'openid email', OIDC_ENTRA_EMAIL_VERIFIED_CLAIM: 'xms_edov',
    }));
    assert.deepEqual(config.signOnProviders.map((p) => [p.id, p.name, p.scopes, p.emailVerifiedClaim]), [
      ['keycloak', 'Kreis Olpe', 'openid email profile', 'email_verified'],
      ['entra', 'Entra', 'openid email', 'xms_edov'],
    ]);
    assert.equal(config.passwordSignIn, true);
    assert.deepEqual(loadConfig(env({})).signOnProviders, []);
  });

  it('stops the start with a message naming what is wrong in the single sign-on settings', () => {
    const keycloak = { OIDC_PROVIDERS: 'keycloak', OIDC_KEYCLOAK_ISSUER: 'https://id.example.de/realms/k', OIDC_KEYCLOAK_CLIENT_ID: 'c', OIDC_KEYCLOAK_CLIENT_SECRET: 's' };
    assert.throws(() => loadConfig(env({ OIDC_PROVIDERS: 'keycloak', OIDC_KEYCLOAK_ISSUER: 'https://id.example.de' })), /OIDC_KEYCLOAK_CLIENT_ID, OIDC_KEYCLOAK_CLIENT_SECRET are not set/);
    assert.throws(() => loadConfig(env({ ...keycloak, OIDC_KEYCLOAK_ISSUER: 'http://id.example.de' })), /OIDC_KEYCLOAK_ISSUER must be an https/);
    assert.equal(loadConfig(env({ ...keycloak, OIDC_KEYCLOAK_ISSUER: 'http://127.0.0.1:8080/realms/k' })).signOnProviders.length, 1);
    assert.throws(() => loadConfig(env({ ...keycloak, OIDC_KEYCLOAK_SCOPES: 'email profile' })), /SCOPES must include openid/);
    assert.throws(() => loadConfig(env({ ...keycloak, OIDC_PROVIDERS: 'keycloak,keycloak' })), /twice/);
    assert.throws(() => loadConfig(env({ OIDC_PROVIDERS: 'key-cloak' })), /not a usable id/);
    assert.throws(() => loadConfig(env({ PASSWORD_SIGN_IN: 'off' })), /PASSWORD_SIGN_IN=off needs at least one provider/);
    assert.throws(() => loadConfig(env({ PASSWORD_SIGN_IN: 'vielleicht' })), /PASSWORD_SIGN_IN must be on or off/);
    assert.equal(loadConfig(env({ ...keycloak, PASSWORD_SIGN_IN: 'off' })).passwordSignIn, false);
  });

  it('reads the table of domains and claims that admit to an organisation, inline or from a file', () => {
    const inline = loadConfig(env({ OIDC_ORGANISATIONS: '@Olpe.de olpe; tid=9188040d Kreis Olpe ;  # comment' })).signOnOrganisations;
    assert.deepEqual(inline, [
      { kind: 'domain', domain: 'olpe.de', organisation: 'olpe' },
      { kind: 'claim', claim: 'tid', value: '9188040d', organisation: 'Kreis Olpe' },
    ]);
    const file = join(dataDir, 'sso-organisationen.txt');
    writeFileSync(file, '# Domain oder Claim, dann die Organisation\n@attendorn.de 05966004\n');
    assert.deepEqual(loadConfig(env({ OIDC_ORGANISATIONS_FILE: file })).signOnOrganisations, [{ kind: 'domain', domain: 'attendorn.de', organisation: '05966004' }]);
    assert.throws(() => loadConfig(env({ OIDC_ORGANISATIONS: '@olpe.de' })), /entry 1.*organisation .* is missing/);
    assert.throws(() => loadConfig(env({ OIDC_ORGANISATIONS: 'olpe.de olpe' })), /start with @domain/);
    assert.throws(() => loadConfig(env({ OIDC_ORGANISATIONS_FILE: join(dataDir, 'fehlt.txt') })), /cannot read/);
  });
});
