import { definePolicy, rules } from '../../platform/policy.js';

export const mapPolicy = definePolicy({
  /** The map of the region: open to everyone; what it counts depends on who looks (see audienceOf). */
  'map.view': rules.anyone,
});
