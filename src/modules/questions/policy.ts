import { definePolicy, rules, type Visitor } from '../../platform/policy.js';

type PostLike = { author_id: number; hidden: number; visibility?: string };

const isModerator = (v: Visitor) => v !== null && (v.role === 'admin' || v.role === 'moderator');

/**
 * Questions and answers. Everyone reads public questions, members also members-only ones; members ask,
 * answer, mark answers helpful, follow tags and fields of action and report posts. The asker accepts an
 * answer to their own question; moderators (and administrators) may accept, edit and hide any post and
 * decide on reports. The checks on a particular post are repeated in the service.
 */
export const questionsPolicy = definePolicy({
  /** The list, the feed and the page of a question (its own visibility is checked for the question at hand). */
  'questions.view': rules.anyone,
  'question.view': (v, thing) => {
    const q = thing as PostLike | undefined;
    if (!q) return true;
    if (q.hidden && !(isModerator(v) || (v !== null && v.id === q.author_id))) return false;
    return q.visibility === 'public' || v !== null;
  },
  'question.ask': rules.signedIn,
  'question.answer': rules.signedIn,
  'answer.helpful': rules.signedIn,
  'post.report': rules.signedIn,
  'questions.follow': rules.signedIn,
  /** The route is open to members; whether they may accept on this question is checked by answer.acceptOn. */
  'answer.accept': rules.signedIn,
  'answer.acceptOn': (v, thing) => {
    const q = thing as PostLike | undefined;
    return v !== null && (isModerator(v) || (q !== undefined && q.author_id === v.id));
  },
  /** The route is open to members; whether they may edit this post is checked by post.editThis. */
  'post.edit': rules.signedIn,
  'post.editThis': (v, thing) => {
    const p = thing as PostLike | undefined;
    return v !== null && (isModerator(v) || (p !== undefined && p.author_id === v.id));
  },
  'questions.moderate': rules.atLeast('moderator'),
});

export const isQuestionModerator = isModerator;
