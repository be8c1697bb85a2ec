import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Whole pages for visitors who are not signed in, kept until the data behind them changes:
 * each entry remembers the data version it was rendered from.
 */
export class PageCache {
  private readonly entries = new Map<string, { version: string; html: string }>();

  constructor(private readonly maxEntries = 2000) {}

  private key(request: FastifyRequest): string {
    return `${request.lang}|${request.url}`;
  }

  /** The page stored for this request's address and language, if it is of the given version. */
  lookup(request: FastifyRequest, version: string): string | undefined {
    const key = this.key(request);
    const hit = this.entries.get(key);
    if (!hit || hit.version !== version) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.html;
  }

  /** Sends the cached page or renders, stores and sends it. Signed-in visitors always get a fresh page. */
  async serve(request: FastifyRequest, reply: FastifyReply, version: string, render: () => Promise<string>): Promise<FastifyReply> {
    const cacheable = !request.user && !request.session?.get('flash');
    if (cacheable) {
      const html = this.lookup(request, version);
      if (html !== undefined) return reply.sendHtml(html);
    }
    const html = await render();
    if (cacheable && reply.statusCode === 200) {
      this.entries.set(this.key(request), { version, html });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return reply.sendHtml(html);
  }

  get size(): number {
    return this.entries.size;
  }
}
