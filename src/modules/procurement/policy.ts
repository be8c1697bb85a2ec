import { definePolicy, rules, type Visitor } from '../../platform/policy.js';

type InitiativeLike = { lead_organisation_id: number; state: string };

const isAdmin = (v: Visitor) => v !== null && v.role === 'admin';

export const procurementPolicy = definePolicy({
  /** The list of initiatives, an initiative's page and its exports: the community's members. */
  'procurement.view': rules.signedIn,
  /** Opening an initiative for one's own organisation (which leads it). */
  'procurement.create': rules.signedIn,
  /** Declaring, changing and withdrawing one's own organisation's demand. */
  'procurement.declare': rules.signedIn,
  /** Recording one's own organisation's procurement value limit from its by-law. */
  'procurement.limit': rules.signedIn,
  /** Drafts are seen by the lead organisation and the administrators; everything else by every member. */
  'initiative.view': (v, thing) => {
    const i = thing as InitiativeLike | undefined;
    if (!v) return false;
    if (!i || i.state !== 'draft') return true;
    return isAdmin(v) || i.lead_organisation_id === v.organisationId;
  },
  /** Only the lead organisation's members and the administrators edit an initiative and change its state. */
  'initiative.manage': (v, thing) => {
    const i = thing as InitiativeLike | undefined;
    if (!v) return false;
    return isAdmin(v) || Boolean(i && i.lead_organisation_id === v.organisationId);
  },
  /** Administrators record the limit of any organisation, members that of their own. */
  'procurement.limitAny': rules.atLeast('admin'),
});
