import { createHash, randomUUID } from 'node:crypto';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** What an entry costs beyond its page: key, version and the map's own bookkeeping, roughly. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * Stand-ins for what belongs to one person in a page rendered for many: the form token and the links of the header's
 * account area (unread notifications, open join requests). They are random per process, so no stored text can
 * contain them by chance, and replaced by the person's own on every answer (see PageCache.serve).
 */
export const PERSONAL_MARKERS = {
  csrf: `csrf-${randomUUID()}`,
  account: `<!--account-${randomUUID()}-->`,
} as const;

/** Where a page's personal parts go (see splitAtPersonalMarkers). */
export const ACCOUNT_SLOT = Symbol('account');
export const CSRF_SLOT = Symbol('csrf');
type Piece<T> = T | typeof ACCOUNT_SLOT | typeof CSRF_SLOT;

/** One answer's personal parts: the header's account area and the form token. */
export interface PersonalParts {
  account: string;
  csrf: string;
}

const personalMarker = new RegExp(`${PERSONAL_MARKERS.account}|${PERSONAL_MARKERS.csrf}`, 'g');

/** A page cut at its stand-ins: the text between them, and a slot where each stood. */
export function splitAtPersonalMarkers(html: string): Piece<string>[] {
  const pieces: Piece<string>[] = [];
  let from = 0;
  for (const match of html.matchAll(personalMarker)) {
    pieces.push(html.slice(from, match.index), match[0] === PERSONAL_MARKERS.account ? ACCOUNT_SLOT : CSRF_SLOT);
    from = match.index + match[0].length;
  }
  pieces.push(html.slice(from));
  return pieces;
}

/** A cached page for one person: its bytes between the stand-ins (cut once, kept with the page) and their parts. */
function personalised(entry: Entry, parts: PersonalParts, grow: (entry: Entry, bytes: number) => void): Buffer {
  if (!entry.pieces) {
    entry.pieces = splitAtPersonalMarkers(entry.body.toString()).map((p) => (typeof p === 'string' ? Buffer.from(p) : p));
    grow(entry, entry.body.length);
  }
  const pieces = entry.pieces;
  const account = Buffer.from(parts.account);
  const csrf = Buffer.from(parts.csrf);
  return Buffer.concat(pieces.map((piece) => (piece === ACCOUNT_SLOT ? account : piece === CSRF_SLOT ? csrf : piece)));
}

/**
 * Who shares a cached page: everyone who is not signed in; members of one organisation in one role (what a page
 * shows them depends on their organisation — its drafts, its deployments — and on their role); or one person alone
 * (pages that show what is theirs, such as their registrations).
 */
export type PageAudience = 'organisation' | 'person';

/** A route's declared query parameters sorted by name, sorted once per route. */
const sortedPageQueries = new WeakMap<readonly string[], readonly string[]>();
function sortedNames(reads: readonly string[]): readonly string[] {
  let sorted = sortedPageQueries.get(reads);
  if (!sorted) sortedPageQueries.set(reads, sorted = [...reads].sort());
  return sorted;
}

export function audienceKey(request: FastifyRequest, audience: PageAudience = 'organisation'): string {
  const user = request.user;
  if (!user) return 'public';
  return audience === 'person' ? `person:${user.id}:${user.role}:${user.organisationId}` : `org:${user.organisationId}:${user.role}`;
}

interface Entry {
  version: string;
  body: Buffer;
  bytes: number;
  /** Strong validator of the uncompressed body; each compressed variant has its own (see variantTag). */
  etag: string;
  /** The body cut at its personal stand-ins, made on the first answer to a signed-in person (see personalised). */
  pieces?: Piece<Buffer>[];
  /** The body compressed, made on first demand and kept with it. */
  variants: Partial<Record<Encoding, Buffer>>;
}

export type Encoding = 'br' | 'gzip';

/**
 * The encoding to send a cached page in: brotli if the visitor accepts it, else gzip, else none (RFC 9110, 12.5.3;
 * "q=0" refuses). The same preference as the compression of other answers (platform.tsx).
 */
export function preferredEncoding(request: FastifyRequest): Encoding | null {
  const header = request.headers['accept-encoding'];
  if (!header) return null;
  const accepted = new Map<string, number>();
  for (const part of String(header).toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
}

/** Compresses a page once for keeping: a higher brotli quality than for answers made per request. */
function compress(body: Buffer, encoding: Encoding): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzipSync(body, { level: 9 });
}

/** The entity tag of a compressed variant: another representation, so another tag. */
const variantTag = (etag: string, encoding: Encoding) => `${etag.slice(0, -1)}-${encoding}"`;

/** A strong entity tag of a body: the first 27 characters of its SHA-1 in base64url. */
export function entityTag(body: Buffer | string): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whole pages kept until the data behind them changes: each entry remembers the data version it was rendered from.
 * Pages are kept uncompressed (compression happens when they are sent, see compression.ts), so a hit is written
 * out as it is, in whichever encoding the visitor accepts.
 *
 * An entry is keyed by audience (see audienceKey), language, path and only the query parameters the route declares
 * it reads (config.pageQuery), in a fixed order: "/karte?cb=1" and "/karte?cb=2" are one page, not two.
 * Pages of signed-in people are stored with stand-ins for their personal parts (PERSONAL_MARKERS), so the header
 * and form tokens of the person who rendered it never reach another. The cache holds at most maxBytes; the page
 * used longest ago goes first.
 */
export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private usedBytes = 0;
  /** Lookups answered from the cache and lookups that had to render (for /metrics). */
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /** Audience, language, path and the declared query parameters, sorted by name, values in the order given. */
  key(request: FastifyRequest, audience?: PageAudience): string {
    const url = request.url;
    const mark = url.indexOf('?');
    const prefix = `${audienceKey(request, audience)}|${request.lang}|${mark < 0 ? url : url.slice(0, mark)}?`;
    const reads = request.routeOptions.config?.pageQuery;
    // Without a query string no parameter is read (the common case: lists, solution pages, the home page).
    if (mark < 0 || !reads?.length) return prefix;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const params = new URLSearchParams();
    for (const name of sortedNames(reads)) {
      const value = query[name];
      if (value === undefined) continue;
      if (Array.isArray(value)) { for (const v of value) if (v !== undefined) params.append(name, String(v)); } else params.append(name, String(value));
    }
    return prefix + params.toString();
  }

  /**
   * The entry of a key if it is of the given version. countMiss: false for the early look before the session is
   * read (answerAnonymous), which is followed by serve()'s own look on a miss.
   */
  private find(key: string, version: string, countMiss = true): Entry | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.version !== version) {
      if (countMiss) this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  /** The page stored for this request's audience, address and language, if it is of the given version. */
  lookup(request: FastifyRequest, version: string): Buffer | undefined {
    return this.find(this.key(request), version)?.body;
  }

  /** Answers a cached page for a visitor who is not signed in: 304 when the visitor's copy is this one. */
  answerAnonymous(request: FastifyRequest, reply: FastifyReply, version: string): FastifyReply | undefined {
    const hit = this.find(this.key(request), version, false);
    if (!hit) return undefined;
    return sendEntry(request, reply, hit, this.grow);
  }

  /**
   * Answers a cached page for a signed-in person (request.user and the unread count already read, see
   * signed-in-pages.ts), with their own header and form token filled in.
   */
  answerSignedIn(request: FastifyRequest, reply: FastifyReply, version: string): FastifyReply | undefined {
    const hit = this.find(this.key(request, request.routeOptions.config?.pageAudience), version, false);
    if (!hit) return undefined;
    return reply.sendHtml(personalised(hit, reply.personalParts(), this.grow));
  }

  private store(key: string, version: string, body: Buffer): Entry | undefined {
    const bytes = body.length + key.length + version.length + ENTRY_OVERHEAD_BYTES;
    this.forget(key);
    if (bytes > this.maxBytes) return undefined;
    const entry: Entry = { version, body, bytes, etag: entityTag(body), variants: {} };
    this.entries.set(key, entry);
    this.usedBytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.usedBytes <= this.maxBytes) break;
      this.forget(oldest);
    }
    return entry;
  }

  /** A compressed variant was added to an entry: its bytes count too (the budget is kept at the next store). */
  private readonly grow = (entry: Entry, bytes: number): void => {
    entry.bytes += bytes;
    this.usedBytes += bytes;
  };

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.usedBytes -= entry.bytes;
  }

  /**
   * Sends the cached page or renders, stores and sends it. Visitors who are not signed in share one copy per page;
   * signed-in people share it with their audience (see audienceKey), rendered with stand-ins for their personal
   * parts, which are filled in for each answer. A page with a message for the visitor (flash) is never cached.
   */
  async serve(request: FastifyRequest, reply: FastifyReply, version: string, render: () => Promise<string>,
    options: { audience?: PageAudience } = {}): Promise<FastifyReply> {
    const audience = options.audience ?? request.routeOptions.config?.pageAudience;
    // The message is taken into the page's context here if a route has not done so already (reply.view()).
    const cacheable = !reply.view().flash;
    const shared = cacheable && request.user !== null;
    const key = cacheable ? this.key(request, audience) : '';
    if (cacheable) {
      const hit = this.find(key, version);
      if (hit) return shared ? reply.sendHtml(personalised(hit, reply.personalParts(), this.grow)) : sendEntry(request, reply, hit, this.grow);
    }
    if (shared) reply.view().shared = true;
    let html: string;
    try {
      html = await render();
    } finally {
      // An error page (a refused draft) is rendered for this person alone.
      if (shared) reply.view().shared = false;
    }
    if (cacheable && reply.statusCode === 200) {
      const entry = this.store(key, version, Buffer.from(html));
      if (shared) return reply.sendHtml(reply.personalise(html));
      if (entry) return sendEntry(request, reply, entry, this.grow);
      return reply.sendHtml(html);
    }
    return reply.sendHtml(shared ? reply.personalise(html) : html, reply.statusCode);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes held, pages and keys together. */
  get bytes(): number {
    return this.usedBytes;
  }
}

/**
 * Sends a page everyone shares, compressed as the visitor accepts (the variant is kept with the page), with an
 * entity tag of its bytes (a page's render time is no validator: two versions can be rendered within one second).
 * A visitor whose copy has the same tag gets 304 without the page; browsers and proxies must ask again before
 * reusing a page ("no-cache"). Pages of signed-in people stay "no-store" (sendHtml) and carry no tag.
 */
function sendEntry(request: FastifyRequest, reply: FastifyReply, entry: Entry, grow: (entry: Entry, bytes: number) => void): FastifyReply {
  const encoding = entry.body.length >= COMPRESS_FROM_BYTES ? preferredEncoding(request) : null;
  const etag = encoding ? variantTag(entry.etag, encoding) : entry.etag;
  reply.header('etag', etag).header('vary', 'Accept-Encoding').header('cache-control', 'no-cache');
  if (isFresh(request, etag)) return reply.status(304).send();
  reply.status(200).type('text/html; charset=utf-8');
  if (!encoding) return reply.send(entry.body);
  let body = entry.variants[encoding];
  if (!body) {
    body = entry.variants[encoding] = compress(entry.body, encoding);
    grow(entry, body.length);
  }
  return reply.header('content-encoding', encoding).send(body);
}

/** Answers smaller than this are sent as they are (the compression plugin's threshold too). */
export const COMPRESS_FROM_BYTES = 1024;

/** Whether the visitor's stored copy (If-None-Match, else If-Modified-Since) is this one. */
export function isFresh(request: FastifyRequest, etag: string, modified?: Date): boolean {
  const noneMatch = request.headers['if-none-match'];
  if (noneMatch !== undefined) {
    return noneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, '')).some((tag) => tag === etag || tag === '*');
  }
  const since = request.headers['if-modified-since'];
  if (since && modified) {
    const at = Date.parse(since);
    return Number.isFinite(at) && modified.getTime() <= at;
  }
  return false;
}
