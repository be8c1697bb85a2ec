import { can, definePolicy, rules, type Visitor } from '../../platform/policy.js';

type CheckLike = {
  organisation_id: number; solution_id: number | null; status?: string;
  solution_visibility?: string | null; solution_organisation_id?: number | null;
};

const isStaff = (v: Visitor) => v !== null && (v.role === 'admin' || v.role === 'moderator');

export const aiActPolicy = definePolicy({
  /** Running self-checks: the community's members (a solution's check also needs 'solution.edit' on it). */
  'aiact.run': rules.signedIn,
  /** The public transparency register of an organisation and its exports. */
  'aiact.register': rules.anyone,
  /**
   * A check and its report: the organisation that ran it and the moderators; the completed check of a catalogue
   * solution also whoever may see that solution (a draft solution's checks stay with its organisation).
   */
  'aiact.check.view': (v, thing) => {
    const c = thing as CheckLike | undefined;
    if (!v) return false;
    if (!c || isStaff(v) || c.organisation_id === v.organisationId) return true;
    if (c.solution_id === null || c.status !== 'complete' || !c.solution_visibility) return false;
    return can(v, 'solution.view', { visibility: c.solution_visibility, organisation_id: c.solution_organisation_id ?? null });
  },
  /** Answering a draft: the organisation that started it (and the moderators). */
  'aiact.check.answer': (v, thing) => {
    const c = thing as CheckLike | undefined;
    if (!v) return false;
    return isStaff(v) || Boolean(c && c.organisation_id === v.organisationId);
  },
});
