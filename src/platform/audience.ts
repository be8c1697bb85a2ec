import type { Visitor } from './policy.js';

/**
 * Who looks at the community's figures (map, charts): a visitor who is not signed in counts public
 * content only, a signed-in member also what is shared with members. Drafts never count.
 */
export type Audience = 'public' | 'members';

export const audienceOf = (user: Visitor): Audience => (user ? 'members' : 'public');

/** The visibilities an audience counts (never 'draft'). */
export function visibleFor(audience: Audience): ('public' | 'members')[] {
  return audience === 'public' ? ['public'] : ['public', 'members'];
}
