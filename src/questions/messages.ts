// The proactive messages about a question, as each recipient's app shows
// them: one text for every app, the options as buttons on Telegram and as
// numbered lines on Zalo (the renderer's, so the sandbox's looks show both).
import type { Choice, OutboundMessage } from "../channels/channel.ts";
import { vi } from "../texts/vi.ts";
import { choiceValue } from "./purposes.ts";
import { verdictChoices } from "./store.ts";

const q = vi.questions;
const EXCERPT = 300;

// Made on first use: a segmenter loads ICU's break rules, which an idle bot need not hold.
let segmenter: Intl.Segmenter | undefined;
const graphemes = () => (segmenter ??= new Intl.Segmenter("vi", { granularity: "grapheme" }));

/** The start of a text, whole words and whole letters (Vietnamese marks stay on theirs), an ellipsis when cut. */
export function excerpt(text: string, max = EXCERPT): string {
  const flat = Array.from(graphemes().segment(text.normalize("NFC").replace(/\s+/gu, " ").trim()), (g) => g.segment);
  if (flat.length <= max) return flat.join("");
  const cut = flat.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** An excerpt in quotation marks, as notices show it. */
export const quoted = (text: string, max = EXCERPT) => `«${excerpt(text, max)}»`;

export const answerChoice = (id: number): Choice => ({ value: choiceValue.answer(id), label: q.answerLabel });

/** Told of a new question: the answerers get the button, the others read. */
export function noticeFor(
  question: { id: number; reference: string },
  canAnswer: boolean,
  what: { kind: string; asker: string; to: string; excerpt: string; due: string; files: number },
): OutboundMessage {
  const text = q.notice(question.reference, what.kind, what.asker, what.to, what.excerpt, what.due, what.files, canAnswer);
  return canAnswer ? { text, choices: [answerChoice(question.id)] } : { text };
}

export function answerToAsker(
  question: { id: number; reference: string },
  answer: { revision: number; by: string; to: string; text: string; files: string[] },
): OutboundMessage {
  return {
    text: q.answer.toAsker(question.reference, answer.revision, answer.by, answer.to, answer.text, answer.files),
    choices: verdictChoices(question.id, { satisfied: q.verdict.satisfiedLabel, notSatisfied: q.verdict.notSatisfiedLabel, followUp: q.verdict.followUpLabel }),
  };
}

export function withAnswerButton(text: string, id: number): OutboundMessage {
  return { text, choices: [answerChoice(id)] };
}
