import { definePolicy, rules } from '../../platform/policy.js';

/**
 * Topics and agenda of a meeting. Members see the topic list with its votes, propose and vote;
 * organisers (moderators and administrators) open and close the vote, build and publish the agenda.
 * The published agenda is for everyone who may see the meeting; the rest of the check is in the service.
 */
export const topicsPolicy = definePolicy({
  'topics.view': rules.signedIn,
  'topic.propose': rules.signedIn,
  'topic.vote': rules.signedIn,
  'topics.manage': rules.atLeast('moderator'),
  'agenda.view': rules.anyone,
  'agenda.edit': rules.atLeast('moderator'),
});
