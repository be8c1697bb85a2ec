import type { Insertable } from 'kysely';
import type { Db, Tx } from './db/database.js';
import type { Database } from './db/schema.js';

/** A readable URL part: lower case, umlauts spelled out, everything else to dashes. */
export function slugify(text: string, fallback = 'organisation'): string {
  return text.toLowerCase()
    .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
    .slice(0, 80) || fallback;
}

/** The tables whose rows are addressed by a unique slug. */
export type SlugTable = 'solutions' | 'meetings' | 'organisations';

/** Enough attempts for any realistic number of simultaneous creations with one title. */
const MAX_ATTEMPTS = 1000;

/**
 * Inserts a row under the first free slug of `base`, `base-2`, `base-3` … and returns its id and slug.
 * Race-free: the insert itself claims the slug (ON CONFLICT (slug) DO NOTHING), so of two simultaneous
 * creations with one title one gets `base` and the other moves on to the next number — no failed
 * statement, so a PostgreSQL transaction around it stays usable. `reserved` are slugs that are pages.
 */
export async function insertWithFreeSlug<T extends SlugTable>(
  db: Db | Tx, table: T, base: string, values: (slug: string) => Insertable<Database[T]>, reserved: ReadonlySet<string> = new Set(),
): Promise<{ id: number; slug: string }> {
  // One look at what is taken, so that the 50th "Bürger-Chatbot" needs no 50 attempts.
  const taken = new Set((await (db as Db).selectFrom(table as SlugTable).select('slug')
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)])).execute()).map((r) => r.slug));
  let n = 1;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let slug = n === 1 ? base : `${base}-${n}`;
    while (taken.has(slug) || reserved.has(slug)) slug = `${base}-${++n}`;
    const row = await (db as Db).insertInto(table as SlugTable).values(values(slug) as never)
      .onConflict((oc) => oc.column('slug').doNothing()).returning('id').executeTakeFirst();
    if (row) return { id: row.id, slug };
    taken.add(slug);
  }
  throw new Error(`no free slug for "${base}" after ${MAX_ATTEMPTS} attempts`);
}
