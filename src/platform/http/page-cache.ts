import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Whole pages for visitors who are not signed in, kept until the data behind them changes:
 * each entry remembers the data version it was rendered from.
 */
export class PageCache {
  private readonly entries = new Map<string, { version: string; html: string }>();

  constructor(private readonly maxEntries = 2000) {}

  /** Sends the cached page or renders, stores and sends it. Signed-in visitors always get a fresh page. */
  async serve(request: FastifyRequest, reply: FastifyReply, version: string, render: () => Promise<string>): Promise<FastifyReply> {
    const cacheable = !request.user && !request.session?.get('flash');
    const key = `${request.lang}|${request.url}`;
    if (cacheable) {
      const hit = this.entries.get(key);
      if (hit && hit.version === version) {
        this.entries.delete(key);
        this.entries.set(key, hit);
        return reply.sendHtml(hit.html);
      }
    }
    const html = await render();
    if (cacheable && reply.statusCode === 200) {
      this.entries.set(key, { version, html });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return reply.sendHtml(html);
  }

  get size(): number {
    return this.entries.size;
  }
}
