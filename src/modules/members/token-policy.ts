import { definePolicy, rules } from '../../platform/policy.js';

/** Personal access tokens for the API: every signed-in person manages their own. */
export const tokenPolicy = definePolicy({
  'tokens.manage': rules.signedIn,
});
