import { definePolicy, rules } from '../../platform/policy.js';

/** Every signed-in person may download and delete their own data; nobody else's. */
export const ownDataPolicy = definePolicy({
  'ownData.export': rules.signedIn,
  'ownData.delete': rules.signedIn,
});
