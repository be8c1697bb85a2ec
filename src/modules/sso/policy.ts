import { definePolicy, rules } from '../../platform/policy.js';

export const signOnPolicy = definePolicy({
  'sso.signIn': rules.anyone,
  'sso.unlink': rules.atLeast('admin'),
});
