import { definePolicy, rules } from '../../platform/policy.js';

export const organisationPolicy = definePolicy({
  'organisations.view': rules.anyone,
  /** Names of the people behind an organisation are for members only. */
  'organisations.people': rules.signedIn,
});
