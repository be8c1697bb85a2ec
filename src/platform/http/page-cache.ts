import type { FastifyReply, FastifyRequest } from 'fastify';

/** What an entry costs beyond its page: key, version and the map's own bookkeeping, roughly. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * Whole pages for visitors who are not signed in, kept until the data behind them changes:
 * each entry remembers the data version it was rendered from. Pages are kept encoded, so a hit is
 * written out as it is.
 *
 * An entry is keyed by language, path and only the query parameters the route declares it reads
 * (config.pageQuery), in a fixed order: "/karte?cb=1" and "/karte?cb=2" are one page, not two.
 * The cache holds at most maxBytes; the page used longest ago goes first.
 */
export class PageCache {
  private readonly entries = new Map<string, { version: string; body: Buffer; bytes: number }>();
  private usedBytes = 0;
  /** Lookups answered from the cache and lookups that had to render (for /metrics). */
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /** Language, path and the declared query parameters, sorted by name, values in the order given. */
  key(request: FastifyRequest): string {
    const path = request.url.split('?')[0];
    const reads = request.routeOptions.config?.pageQuery ?? [];
    const query = (request.query ?? {}) as Record<string, unknown>;
    const params = new URLSearchParams();
    for (const name of [...reads].sort()) {
      for (const value of [query[name]].flat()) if (value !== undefined) params.append(name, String(value));
    }
    return `${request.lang}|${path}?${params}`;
  }

  /**
   * The page stored for this request's address and language, if it is of the given version. countMiss: false for
   * the early look before the session is read, which is followed by serve()'s own look on a miss.
   */
  lookup(request: FastifyRequest, version: string, { countMiss = true } = {}): Buffer | undefined {
    const key = this.key(request);
    const hit = this.entries.get(key);
    if (!hit || hit.version !== version) {
      if (countMiss) this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.body;
  }

  private store(key: string, version: string, body: Buffer): void {
    const bytes = body.length + key.length + version.length + ENTRY_OVERHEAD_BYTES;
    this.forget(key);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { version, body, bytes });
    this.usedBytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.usedBytes <= this.maxBytes) break;
      this.forget(oldest);
    }
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.usedBytes -= entry.bytes;
  }

  /** Sends the cached page or renders, stores and sends it. Signed-in visitors always get a fresh page. */
  async serve(request: FastifyRequest, reply: FastifyReply, version: string, render: () => Promise<string>): Promise<FastifyReply> {
    const cacheable = !request.user && !request.session?.get('flash');
    if (cacheable) {
      const body = this.lookup(request, version);
      if (body !== undefined) return reply.sendHtml(body);
    }
    const html = await render();
    if (cacheable && reply.statusCode === 200) {
      const body = Buffer.from(html);
      this.store(this.key(request), version, body);
      return reply.sendHtml(body);
    }
    return reply.sendHtml(html);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes held, pages and keys together. */
  get bytes(): number {
    return this.usedBytes;
  }
}
