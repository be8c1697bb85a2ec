import { XMLBuilder } from 'fast-xml-parser';
import { h, type VNode } from 'preact';

/** One entry of an Atom feed; dates are ISO-8601 strings (or Dates), URLs absolute. */
export interface AtomEntry {
  /** Stable for the life of the thing: a tag: URI (see tagUri) or its permanent URL. */
  id: string;
  title: string;
  url: string;
  updated: string | Date;
  published?: string | Date;
  /** Plain text. */
  summary?: string;
  author?: string;
}

export interface AtomFeedInput {
  id: string;
  title: string;
  /** The feed's own address (rel="self"). */
  selfUrl: string;
  /** The HTML page the feed belongs to (rel="alternate"). */
  alternateUrl: string;
  updated: string | Date;
  entries: AtomEntry[];
  /** The feed's author; RFC 4287 requires one unless every entry names its own. Defaults to the title. */
  author?: string;
  /** The language of the texts, e.g. "de". */
  lang?: string;
}

const builder = new XMLBuilder({
  ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true, processEntities: true,
});

// Characters XML 1.0 does not allow, even escaped; a pasted text may contain them.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const clean = (value: string) => value.replace(INVALID_XML, '');
const date = (value: string | Date) => (value instanceof Date ? value : new Date(value)).toISOString();
const text = (value: string) => ({ '@_type': 'text', '#text': clean(value) });

/**
 * A tag: URI (RFC 4151) that stays the same when a title or address changes,
 * e.g. tag:ki.example.org,2026-11-27:solution:42.
 */
export function tagUri(baseUrl: string, since: string | Date, specific: string): string {
  return `tag:${new URL(baseUrl).hostname},${date(since).slice(0, 10)}:${specific}`;
}

/** An Atom feed (RFC 4287) as a string; every text is escaped, entries keep the caller's order. */
export function atomFeed(feed: AtomFeedInput): string {
  const entries = feed.entries.map((e) => ({
    id: clean(e.id),
    title: text(e.title),
    updated: date(e.updated),
    ...(e.published ? { published: date(e.published) } : {}),
    link: { '@_rel': 'alternate', '@_type': 'text/html', '@_href': clean(e.url) },
    ...(e.author ? { author: { name: clean(e.author) } } : {}),
    ...(e.summary ? { summary: text(e.summary) } : {}),
  }));
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    feed: {
      '@_xmlns': 'http://www.w3.org/2005/Atom',
      ...(feed.lang ? { '@_xml:lang': feed.lang } : {}),
      id: clean(feed.id),
      title: text(feed.title),
      updated: date(feed.updated),
      link: [
        { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': clean(feed.selfUrl) },
        { '@_rel': 'alternate', '@_type': 'text/html', '@_href': clean(feed.alternateUrl) },
      ],
      author: { name: clean(feed.author ?? feed.title) },
      entry: entries,
    },
  }) as string;
}

/** The content type to serve a feed with. */
export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

/** The <link> that announces a feed in a page's head, so that feed readers find it. */
export function atomLink(href: string, title: string): VNode {
  return h('link', { rel: 'alternate', type: 'application/atom+xml', href, title }) as VNode;
}
