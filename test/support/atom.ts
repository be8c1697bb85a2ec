import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'link', 'author'].includes(name) });

export type AtomNode = Record<string, any>;

/** The text of an element, whether or not it has attributes. */
export const textOf = (node: unknown): string => (typeof node === 'object' && node !== null ? String((node as AtomNode)['#text'] ?? '') : String(node));

/** Parses a feed with a real XML parser and checks what RFC 4287 requires of it and of every entry. */
export function parseAtom(xml: string): { feed: AtomNode; entries: AtomNode[] } {
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const doc = parser.parse(xml) as AtomNode;
  const feed = doc.feed as AtomNode;
  assert.ok(feed, 'an atom:feed root element');
  assert.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
  assert.ok(textOf(feed.id), 'feed id');
  assert.ok(textOf(feed.title), 'feed title');
  assert.ok(!Number.isNaN(Date.parse(textOf(feed.updated))) && /Z$/.test(textOf(feed.updated)), 'feed updated, RFC 3339');
  assert.equal((feed.link as AtomNode[]).filter((l) => l['@rel'] === 'self').length, 1, 'one link rel=self');
  const entries = (feed.entry ?? []) as AtomNode[];
  if (entries.some((e) => !e.author)) assert.ok(feed.author?.[0]?.name, 'a feed author when an entry has none');
  for (const e of entries) {
    assert.ok(textOf(e.id), 'entry id');
    assert.ok(textOf(e.title), 'entry title');
    assert.ok(!Number.isNaN(Date.parse(textOf(e.updated))), 'entry updated');
    assert.ok((e.link as AtomNode[]).some((l) => l['@rel'] === 'alternate' && /^https?:\/\//.test(l['@href'])), 'entry link rel=alternate');
  }
  return { feed, entries };
}
