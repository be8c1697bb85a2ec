import type { Migration } from 'kysely';
import * as foundation from './2026-11-27-0001-foundation.js';
import * as catalogue from './2026-11-27-0002-catalogue.js';
import * as searchCoveringIndexes from './2026-11-27-0003-search-covering-indexes.js';
import * as meetings from './2026-11-27-0004-meetings.js';
import * as meetingTopics from './2026-11-27-0005-meeting-topics.js';
import * as searchPostingsVisibility from './2026-11-27-0006-search-postings-visibility.js';
import * as questions from './2026-11-27-0007-questions.js';
import * as notifications from './2026-11-27-0008-notifications.js';
import * as procurement from './2026-11-27-0009-procurement.js';
import * as aiActChecks from './2026-11-27-0010-ai-act-checks.js';
import * as dataVersion from './2026-11-27-0011-data-version.js';
import * as userLanguage from './2026-11-27-0012-user-language.js';
import * as searchRanking from './2026-12-06-0001-search-ranking.js';
import * as sessionGeneration from './2026-12-06-0001-session-generation.js';
import * as ssoLinks from './2026-12-07-0001-sso-links.js';
import * as twoFactor from './2026-12-07-0010-two-factor.js';
import * as emailChange from './2026-12-07-0011-email-change.js';
import * as accountDeletion from './2026-12-07-0020-account-deletion.js';
import * as retention from './2026-12-07-0030-retention.js';
import * as searchLeadingPostings from './2026-12-07-0040-search-leading-postings.js';
import * as searchBritishSpelling from './2026-12-08-0001-search-british-spelling.js';
import * as deploymentDetails from './2026-12-08-0300-deployment-details.js';
import * as notificationOccasions from './2026-12-08-0400-notification-occasions.js';
import * as registerImports from './2026-12-08-0600-register-imports.js';
import * as selfcheckReview from './2026-12-08-0700-selfcheck-review.js';
import * as searchStopWords from './2026-12-09-0001-search-stop-words.js';
import * as searchEnglishDigraphs from './2026-12-09-0002-search-english-digraphs.js';
import * as searchHyphenatedWords from './2026-12-09-0003-search-hyphenated-words.js';

/** Every migration, named by date; they run in name order at start-up. */
export const migrations: Record<string, Migration> = {
  '2026-11-27-0001-foundation': foundation,
  '2026-11-27-0002-catalogue': catalogue,
  '2026-11-27-0003-search-covering-indexes': searchCoveringIndexes,
  '2026-11-27-0004-meetings': meetings,
  '2026-11-27-0005-meeting-topics': meetingTopics,
  '2026-11-27-0006-search-postings-visibility': searchPostingsVisibility,
  '2026-11-27-0007-questions': questions,
  '2026-11-27-0008-notifications': notifications,
  '2026-11-27-0009-procurement': procurement,
  '2026-11-27-0010-ai-act-checks': aiActChecks,
  '2026-11-27-0011-data-version': dataVersion,
  '2026-11-27-0012-user-language': userLanguage,
  '2026-12-06-0001-search-ranking': searchRanking,
  '2026-12-06-0001-session-generation': sessionGeneration,
  '2026-12-07-0001-sso-links': ssoLinks,
  '2026-12-07-0010-two-factor': twoFactor,
  '2026-12-07-0011-email-change': emailChange,
  '2026-12-07-0020-account-deletion': accountDeletion,
  '2026-12-07-0030-retention': retention,
  '2026-12-07-0040-search-leading-postings': searchLeadingPostings,
  '2026-12-08-0001-search-british-spelling': searchBritishSpelling,
  '2026-12-08-0300-deployment-details': deploymentDetails,
  '2026-12-08-0400-notification-occasions': notificationOccasions,
  '2026-12-08-0600-register-imports': registerImports,
  '2026-12-08-0700-selfcheck-review': selfcheckReview,
  '2026-12-09-0001-search-stop-words': searchStopWords,
  '2026-12-09-0002-search-english-digraphs': searchEnglishDigraphs,
  '2026-12-09-0003-search-hyphenated-words': searchHyphenatedWords,
};
