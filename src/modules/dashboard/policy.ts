import { definePolicy, rules } from '../../platform/policy.js';

export const dashboardPolicy = definePolicy({
  /** The community's figures and their CSV files: open to everyone; what they count depends on who looks (see audienceOf). */
  'dashboard.view': rules.anyone,
});
