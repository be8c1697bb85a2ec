import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { recordAudit } from '../../platform/audit.js';
import { nowIso } from '../../platform/clock.js';
import { parseForm } from '../../platform/forms.js';

/** The legal pages every German website needs, with the catalogue key of their title. */
export const LEGAL_PAGES = { impressum: 'common.imprint', datenschutz: 'common.privacy' } as const;
export type LegalSlug = keyof typeof LEGAL_PAGES;

export async function findLegalPage(db: Db, slug: LegalSlug) {
  return db.selectFrom('legal_pages').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** The legal pages without a published text; the join form stays closed while this is not empty. */
export async function missingLegalPages(db: Db): Promise<LegalSlug[]> {
  const rows = await db.selectFrom('legal_pages').select(['slug', 'body']).execute();
  const published = new Set(rows.filter((r) => r.body.trim() !== '').map((r) => r.slug));
  return (Object.keys(LEGAL_PAGES) as LegalSlug[]).filter((slug) => !published.has(slug));
}

const legalSchema = z.object({ body: z.string().trim().min(1).max(50_000) });

/** Saves a legal page's Markdown and records who changed it. */
export async function saveLegalPage(db: Db, slug: LegalSlug, input: Record<string, string>, label: string, actorId: number): Promise<void> {
  const { body } = parseForm(legalSchema, input, { body: label });
  await db.transaction().execute(async (trx) => {
    const now = nowIso();
    await trx.insertInto('legal_pages').values({ slug, body, updated_at: now, updated_by: actorId })
      .onConflict((oc) => oc.column('slug').doUpdateSet({ body, updated_at: now, updated_by: actorId })).execute();
    await recordAudit(trx, { actorId, action: 'legal.updated', targetType: 'legal_page', targetId: slug, details: { length: body.length } });
  });
}
