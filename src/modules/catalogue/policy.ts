import { definePolicy, rules, type Visitor } from '../../platform/policy.js';

type SolutionLike = { visibility: string; organisation_id: number | null };

const isStaff = (v: Visitor) => v !== null && (v.role === 'admin' || v.role === 'moderator');

export const cataloguePolicy = definePolicy({
  'catalogue.view': rules.anyone,
  /** Public solutions for everyone, members-only ones for members, drafts for their organisation and the moderators. */
  'solution.view': (v, thing) => {
    const s = thing as SolutionLike | undefined;
    if (!s) return true;
    if (s.visibility === 'public') return true;
    if (!v) return false;
    if (s.visibility === 'members') return true;
    return isStaff(v) || s.organisation_id === v.organisationId;
  },
  'solution.create': rules.signedIn,
  /** Members edit their own organisation's solutions; moderators and administrators all. */
  'solution.edit': (v, thing) => {
    const s = thing as SolutionLike | undefined;
    if (!v) return false;
    if (isStaff(v)) return true;
    return Boolean(s && s.organisation_id !== null && s.organisation_id === v.organisationId);
  },
  'deployment.mark': rules.signedIn,
  'catalogue.examples': rules.atLeast('admin'),
});
