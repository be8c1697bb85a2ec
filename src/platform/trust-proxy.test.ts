import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTrustProxy, trustProxyOption } from './config.js';

describe('TRUST_PROXY', () => {
  it('trusts no proxy when unset, empty, 0 or false', () => {
    for (const value of [undefined, '', ' ', '0', 'false', 'FALSE']) assert.equal(parseTrustProxy(value), false, String(value));
  });

  it('reads a hop count, a list of addresses and networks, or an explicit true', () => {
    assert.equal(parseTrustProxy('1'), 1);
    assert.equal(parseTrustProxy('2'), 2);
    assert.deepEqual(parseTrustProxy('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback'), ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
    assert.equal(parseTrustProxy('true'), true);
  });

  it('refuses to start with anything else, naming what it did not understand', () => {
    for (const value of ['yes', '10.0.0.0/33', '300.1.1.1', '10.0.0.1,proxy.example', '1.5', '10.0.0.0/8/1', ',']) {
      assert.throws(() => parseTrustProxy(value), /TRUST_PROXY must be/, value);
    }
    assert.throws(() => parseTrustProxy('10.0.0.1, proxy.example'), /not understood: "proxy\.example"/);
  });

  it('a hop count trusts exactly that many proxies in front', () => {
    const trust = trustProxyOption(1) as (address: string, hop: number) => boolean;
    assert.equal(trust('127.0.0.1', 0), true);
    assert.equal(trust('10.9.8.7', 1), false);
    assert.equal(trustProxyOption(0), false);
    assert.deepEqual(trustProxyOption(['10.0.0.0/8']), ['10.0.0.0/8']);
  });
});
