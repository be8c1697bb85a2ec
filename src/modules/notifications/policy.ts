import { definePolicy, rules } from '../../platform/policy.js';

export const notificationPolicy = definePolicy({
  /** Each signed-in person sees and manages their own notifications and mail settings only. */
  'notifications.own': rules.signedIn,
  /** The unsubscribe link carries its own signature; it works without signing in. */
  'notifications.unsubscribe': rules.anyone,
  /** Atom feeds list public things only. */
  'feeds.view': rules.anyone,
});
