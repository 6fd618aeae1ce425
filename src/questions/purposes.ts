// The purposes of the OutboundMessage rows about questions, and the values of
// their buttons. Shared by the flows that plan them, the reminder reconcile
// and the dispatcher, which skips those no longer needed.

/** A new question, to those told of it. */
export const QUESTION_NOTICE = "question";
/** A sent answer, to the asker. */
export const QUESTION_ANSWER = "question-answer";
/** A colleague let draft the answer, told so. */
export const QUESTION_DELEGATE = "question-delegate";
/** The asker's verdict, to the answerers. */
export const QUESTION_VERDICT = "question-verdict";
/** Before and on the deadline, to the answerers. */
export const QUESTION_REMINDER = "question-reminder";
/** After the deadline: to the addressee's heads, then to the committee's office. */
export const QUESTION_ESCALATION = "question-escalation";

export const QUESTION_PURPOSES = [QUESTION_NOTICE, QUESTION_ANSWER, QUESTION_DELEGATE, QUESTION_VERDICT, QUESTION_REMINDER, QUESTION_ESCALATION] as const;
/**
 * Rows that are pointless once the question is answered or closed. Not the
 * let-draft notices: a second revision may be drafted after an answer.
 */
export const WHILE_OPEN = [QUESTION_NOTICE, QUESTION_REMINDER, QUESTION_ESCALATION] as const;

/** Button values: at most 64 bytes, "cv:<action>:<question id>". */
export const choiceValue = {
  answer: (id: number) => `cv:answer:${id}`,
  view: (id: number) => `cv:view:${id}`,
  satisfied: (id: number) => `cv:ok:${id}`,
  notSatisfied: (id: number) => `cv:no:${id}`,
  followUp: (id: number) => `cv:more:${id}`,
  send: (id: number) => `cv:send:${id}`,
  review: (id: number) => `cv:review:${id}`,
} as const;
