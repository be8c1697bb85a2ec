import type { Migration } from 'kysely';
import * as foundation from './2026-11-27-0001-foundation.js';
import * as catalogue from './2026-11-27-0002-catalogue.js';
import * as searchCoveringIndexes from './2026-11-27-0003-search-covering-indexes.js';

/** Every migration, named by date; they run in name order at start-up. */
export const migrations: Record<string, Migration> = {
  '2026-11-27-0001-foundation': foundation,
  '2026-11-27-0002-catalogue': catalogue,
  '2026-11-27-0003-search-covering-indexes': searchCoveringIndexes,
};
