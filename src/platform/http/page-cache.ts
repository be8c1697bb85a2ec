import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Whole pages for visitors who are not signed in, kept until the data behind them changes:
 * each entry remembers the data version it was rendered from. Pages are kept encoded, so a hit is
 * written out as it is.
 */
export class PageCache {
  private readonly entries = new Map<string, { version: string; body: Buffer }>();

  constructor(private readonly maxEntries = 2000) {}

  private key(request: FastifyRequest): string {
    return `${request.lang}|${request.url}`;
  }

  /** The page stored for this request's address and language, if it is of the given version. */
  lookup(request: FastifyRequest, version: string): Buffer | undefined {
    const key = this.key(request);
    const hit = this.entries.get(key);
    if (!hit || hit.version !== version) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.body;
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
      this.entries.set(this.key(request), { version, body });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      return reply.sendHtml(body);
    }
    return reply.sendHtml(html);
  }

  get size(): number {
    return this.entries.size;
  }
}
