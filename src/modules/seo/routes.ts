import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { XMLBuilder } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { projectRoot, type Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';

/**
 * What search engines and browsers ask every site for: /robots.txt (which areas are not worth crawling, and where
 * the sitemap is), /sitemap.xml (the public pages, each public entry included) and /favicon.ico.
 */

/** Areas that need an account or only change state: not worth a crawler's visit. */
const NOT_CRAWLED = [
  '/verwaltung', '/profil', '/benachrichtigungen', '/mitglieder', '/beschaffung', '/selbstcheck', '/api/', '/sprache/',
  '/abmelden', '/passwort-setzen/', '/e-mail-bestaetigen/', '/einrichtung',
];

/** The public pages that exist once, whatever the data. */
const FIXED_PAGES = ['/', '/loesungen', '/fragen', '/treffen', '/karte', '/zahlen', '/organisationen', '/ueber-die-daten', '/mitmachen', '/impressum', '/datenschutz'];

export function robotsTxt(baseUrl: string): string {
  return ['User-agent: *', ...NOT_CRAWLED.map((path) => `Disallow: ${path}`), 'Allow: /', '', `Sitemap: ${baseUrl}/sitemap.xml`, ''].join('\n');
}

/** Every page an anonymous visitor may read: the fixed ones, public solutions, questions and meetings, and organisations. */
export async function publicPages(db: Db): Promise<{ path: string; updated?: string }[]> {
  const [solutions, questions, meetings, organisations] = await Promise.all([
    db.selectFrom('solutions').select(['slug', 'updated_at']).where('visibility', '=', 'public').orderBy('id').execute(),
    db.selectFrom('questions').select(['id', 'updated_at']).where('visibility', '=', 'public').where('hidden', '=', 0).orderBy('id').execute(),
    db.selectFrom('meetings').select(['slug', 'updated_at']).where('visibility', '=', 'public').orderBy('id').execute(),
    db.selectFrom('organisations').select('slug').orderBy('slug').execute(),
  ]);
  return [
    ...FIXED_PAGES.map((path) => ({ path })),
    ...solutions.map((s) => ({ path: `/loesungen/${s.slug}`, updated: s.updated_at })),
    ...questions.map((q) => ({ path: `/fragen/${q.id}`, updated: q.updated_at })),
    ...meetings.map((m) => ({ path: `/treffen/${m.slug}`, updated: m.updated_at })),
    ...organisations.map((o) => ({ path: `/organisationen/${o.slug}` })),
  ];
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, processEntities: true });

export function sitemapXml(baseUrl: string, pages: { path: string; updated?: string }[]): string {
  const url = pages.map((p) => ({ loc: baseUrl + encodeURI(p.path), ...(p.updated ? { lastmod: new Date(p.updated).toISOString().slice(0, 10) } : {}) }));
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + builder.build({ urlset: { '@_xmlns': 'http://www.sitemaps.org/schemas/sitemap/0.9', url } });
}

export async function seoRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  app.get('/robots.txt', { config: { action: 'public' } }, async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(robotsTxt(config.baseUrl)));

  app.get('/sitemap.xml', { config: { action: 'public' } }, async (_request, reply) =>
    reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(sitemapXml(config.baseUrl, await publicPages(db))));

  const icon = await readFile(resolve(projectRoot, 'public', 'favicon.ico'));
  app.get('/favicon.ico', { config: { action: 'public' } }, async (_request, reply) =>
    reply.type('image/x-icon').header('cache-control', 'public, max-age=86400').send(icon));
}
