import { definePolicy, rules } from '../../platform/policy.js';

export const memberPolicy = definePolicy({
  'account.signIn': rules.anyone,
  'account.join': rules.anyone,
  'account.setPassword': rules.anyone,
  'account.signOut': rules.signedIn,
  // The second step of signing in and the link to confirm a new e-mail address: before anyone is signed in.
  'account.twoFactorStep': rules.anyone,
  'account.confirmEmail': rules.anyone,
  'twoFactor.require': rules.atLeast('admin'),
  'profile.edit': rules.signedIn,
  'members.directory': rules.signedIn,
  'admin.area': rules.atLeast('admin'),
  'members.approve': rules.atLeast('admin'),
  'members.invite': rules.atLeast('admin'),
  'members.manage': rules.atLeast('admin'),
});
