import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAtom, textOf, type AtomNode } from '../../../test/support/atom.js';
import { atomFeed, tagUri } from './atom.js';

describe('Atom feeds', () => {
  const base = {
    id: 'tag:ki.example.org,2026-11-27:solutions',
    title: 'Neue Lösungen – KI-Community',
    selfUrl: 'https://ki.example.org/loesungen/feed.atom',
    alternateUrl: 'https://ki.example.org/loesungen',
    updated: '2026-11-27T10:00:00.000Z',
  };

  it('has everything RFC 4287 requires of a feed and its entries', () => {
    const xml = atomFeed({
      ...base, lang: 'de',
      entries: [
        { id: 'tag:ki.example.org,2026-11-27:solution:1', title: 'Bürger-Chatbot', url: 'https://ki.example.org/loesungen/buerger-chatbot', updated: '2026-11-27T09:00:00.000Z', published: new Date('2026-11-01T08:00:00Z'), summary: 'Beantwortet Fragen.', author: 'Olpe' },
        { id: 'tag:ki.example.org,2026-11-27:solution:2', title: 'Schlaglocherkennung', url: 'https://ki.example.org/loesungen/schlagloch', updated: '2026-11-26T09:00:00.000Z' },
      ],
    });
    assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="de">/);
    const { feed, entries } = parseAtom(xml);
    assert.equal(textOf(feed.title), 'Neue Lösungen – KI-Community');
    assert.equal(textOf(feed.updated), '2026-11-27T10:00:00.000Z');
    assert.deepEqual(feed.link.map((l: AtomNode) => [l['@rel'], l['@type'], l['@href']]), [
      ['self', 'application/atom+xml', 'https://ki.example.org/loesungen/feed.atom'],
      ['alternate', 'text/html', 'https://ki.example.org/loesungen'],
    ]);
    assert.equal(feed.author[0].name, 'Neue Lösungen – KI-Community');
    assert.equal(entries.length, 2);
    assert.equal(textOf(entries[0].id), 'tag:ki.example.org,2026-11-27:solution:1');
    assert.equal(textOf(entries[0].published), '2026-11-01T08:00:00.000Z');
    assert.equal(entries[0].author[0].name, 'Olpe');
    assert.equal(textOf(entries[0].summary), 'Beantwortet Fragen.');
    assert.equal(entries[1].summary, undefined);
  });

  it('escapes markup, quotes and ampersands, and drops characters XML cannot carry', () => {
    const xml = atomFeed({
      ...base, title: 'A & B <Feed>',
      entries: [{
        id: 'https://ki.example.org/x?a=1&b=2', title: '<script>alert("x")</script> & ]]> Ende\u0001', url: 'https://ki.example.org/x?a=1&b="2"',
        updated: '2026-11-27T09:00:00.000Z', summary: 'Tom\'s <b>fett</b>', author: 'Müller & Söhne',
      }],
    });
    assert.doesNotMatch(xml, /<script>|<b>/);
    const { feed, entries } = parseAtom(xml);
    assert.equal(textOf(feed.title), 'A & B <Feed>');
    assert.equal(feed.title['@type'], 'text', 'titles are plain text, never HTML');
    assert.equal(textOf(entries[0].title), '<script>alert("x")</script> & ]]> Ende');
    assert.equal(textOf(entries[0].summary), 'Tom\'s <b>fett</b>');
    assert.equal(entries[0].link[0]['@href'], 'https://ki.example.org/x?a=1&b="2"');
    assert.equal(textOf(entries[0].id), 'https://ki.example.org/x?a=1&b=2');
    assert.equal(entries[0].author[0].name, 'Müller & Söhne');
  });

  it('is valid without entries', () => {
    const { entries } = parseAtom(atomFeed({ ...base, entries: [] }));
    assert.equal(entries.length, 0);
  });

  it('makes tag: URIs from the host, a date and a name', () => {
    assert.equal(tagUri('https://ki.example.org:8443/pfad', '2026-11-27T23:30:00.000Z', 'meeting:7'), 'tag:ki.example.org,2026-11-27:meeting:7');
    assert.equal(tagUri('http://localhost:3000', new Date('2026-01-02T00:00:00Z'), 'solutions'), 'tag:localhost,2026-01-02:solutions');
  });
});
