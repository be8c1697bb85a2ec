import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A visitor for in-process requests: keeps cookies like a browser and sends the CSRF token
 * of the last page it loaded with every form, as the page's hidden field would.
 */
export class Visitor {
  private cookies = new Map<string, string>();
  csrf: string | undefined;
  lastPage = '';

  /** from: the client address the request comes from, and headers a proxy in front would add. */
  constructor(private readonly app: FastifyInstance, private readonly from: { remoteAddress?: string; headers?: Record<string, string> } = {}) {}

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1];
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, remoteAddress: this.from.remoteAddress, headers: { ...this.from.headers, cookie: this.cookieHeader } });
    this.remember(res);
    if (res.statusCode === 200) this.lastPage = res.body;
    return res;
  }

  /** Posts a form; the CSRF token is taken from the last page unless one is given (or null for none). */
  async post(url: string, fields: Record<string, string> = {}, csrf: string | null = this.csrf ?? null): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams(fields);
    if (csrf !== null) body.set('_csrf', csrf);
    const res = await this.app.inject({
      method: 'POST', url, payload: body.toString(), remoteAddress: this.from.remoteAddress,
      headers: { ...this.from.headers, cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(res);
    return res;
  }

  /** Loads a page, then submits its form. */
  async submit(pageUrl: string, fields: Record<string, string>, action = pageUrl): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl);
    if (page.statusCode !== 200) throw new Error(`GET ${pageUrl} answered ${page.statusCode}`);
    return this.post(action, fields);
  }
}
