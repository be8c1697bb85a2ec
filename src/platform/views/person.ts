import type { T } from '../i18n/index.js';

/** The name of an author as shown; a deleted account has none and appears as a former member. */
export function personName(t: T, name: string | null | undefined): string {
  return name ? name : t('ownData.formerMember');
}
