// /traloi (/answer): the answer draft of one question. Every message and
// file is saved to the question's draft as it comes, so a restart or a day of
// silence loses nothing; /xemlai shows it, "gửi" sends it as a new revision.
// A colleague let draft (/giaosoan) writes into the same draft, but only an
// answerer sends: the colleague's "gửi" tells the answerers it is ready.
import type { Choice, InboundMessage, OutboundMessage } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import { formatDueTime } from "../calendar/dates.ts";
import { fold, parseReportCommand } from "../conversation/commands.ts";
import type { AttachFile } from "../conversation/flow.ts";
import { detectConfidential, detectConfidentialFileName } from "../forms/confidential.ts";
import { vi } from "../texts/vi.ts";
import { answerers, partiesSelect, standingOf } from "./people.ts";
import { answerToAsker, excerpt, withAnswerButton } from "./messages.ts";
import { choiceValue, QUESTION_DELEGATE } from "./purposes.ts";
import { addToDraft, addresseeName, loadQuestion, lockQuestion, planMessages, readDraft, sendAnswer, type StoredQuestion } from "./store.ts";

const t = vi.questions.answer;

export const ANSWER_FLOW = "answer";
const FILE_MAX_BYTES = 20 * 1024 * 1024;
const DRAFT_MAX = 20_000;
const SEND_WORDS = new Set(["gui", "guitraloi", "send"]);
const PENDING_MAX = 30;

export interface AnswerCtx {
  tx: Tx;
  person: { id: number; fullName: string };
  now: Date;
  message?: InboundMessage;
  attachFile: AttachFile;
  out: OutboundMessage[];
  /** The question the person is answering after this message; null when they left it. */
  questionId: number | null;
}

const sendMenu = (id: number): Choice[] => [
  { value: choiceValue.send(id), label: t.sendLabel, aliases: ["gui", "guitraloi"] },
  { value: choiceValue.review(id), label: t.reviewLabel, aliases: ["xemlai"] },
];

/** Buttons on Telegram; on Zalo the words the text gives, since a number typed here is part of the answer. */
const say = (ctx: AnswerCtx, text: string, choices?: Choice[]) => {
  ctx.out.push(choices ? { text, choices, typedChoices: "words" } : { text });
};

/** The question, if the person may write its answer; otherwise the reply saying why (which never tells an outsider it exists). */
async function writable(ctx: AnswerCtx, id: number, ref: string): Promise<{ q: StoredQuestion; canSend: boolean } | null> {
  const q = await loadQuestion(ctx.tx, id);
  const standing = q ? await standingOf(ctx.tx, ctx.person.id, q) : null;
  if (!q || standing === null) {
    say(ctx, vi.questions.notFound(ref));
    return null;
  }
  if (standing !== "answerer" && standing !== "drafter") {
    say(ctx, t.notAnswerer(q.reference));
    return null;
  }
  if (q.status === "CLOSED") {
    say(ctx, t.closed(q.reference));
    return null;
  }
  return { q, canSend: standing === "answerer" };
}

/** Opens the draft of a question (from /traloi CV-…, the button, or "1" on Zalo). */
export async function openAnswer(ctx: AnswerCtx, id: number, ref: string): Promise<void> {
  const found = await writable(ctx, id, ref);
  if (!found) {
    ctx.questionId = null;
    return;
  }
  const { q, canSend } = found;
  const draft = readDraft(q.draft);
  ctx.questionId = q.id;
  const overdue = q.deadline !== null && q.deadline.getTime() < ctx.now.getTime();
  say(
    ctx,
    t.opened(q.reference, q.askedBy.fullName, q.text, q.deadline ? formatDueTime(q.deadline) : "—", overdue, draft.parts.length + draft.files.length, canSend),
    canSend ? sendMenu(q.id) : undefined,
  );
}

/** The person's next message while answering. Returns false when it is not for the draft (another command). */
export async function continueAnswer(ctx: AnswerCtx, id: number, text: string | undefined, choice: string | undefined): Promise<boolean> {
  const content = ctx.message?.content;
  const command = text !== undefined ? parseReportCommand(text) : undefined;
  if (command === "cancel") {
    const q = await ctx.tx.question.findUnique({ where: { id }, select: { reference: true } });
    ctx.questionId = null;
    say(ctx, t.paused(q?.reference ?? ""));
    return true;
  }
  if (text?.trim().startsWith("/") && command !== "review") return false;
  if (choice !== undefined && !choice.startsWith("cv:send:") && !choice.startsWith("cv:review:")) return false;

  await lockQuestion(ctx.tx, id);
  const found = await writable(ctx, id, "");
  if (!found) {
    ctx.questionId = null;
    return true;
  }
  const { q, canSend } = found;
  ctx.questionId = q.id;
  if (command === "review" || choice?.startsWith("cv:review:")) return showDraft(ctx, q, canSend);
  if (choice?.startsWith("cv:send:") || (text !== undefined && SEND_WORDS.has(fold(text)))) return send(ctx, q, canSend);

  if (content?.type === "file") {
    const finding = detectConfidentialFileName(content.fileName ?? "") ?? detectConfidential(content.caption ?? "");
    if (finding) return said(ctx, t.confidential(finding.marking));
    const stored = await ctx.attachFile(ctx.tx, { file: content, message: ctx.message!, personId: ctx.person.id, maxBytes: FILE_MAX_BYTES, now: ctx.now });
    if (!stored.ok) return said(ctx, stored.reason === "too_large" ? vi.report.fileTooLarge(FILE_MAX_BYTES / 1024 / 1024) : vi.report.fileRefused[stored.reason]);
    const draft = await addToDraft(ctx.tx, q, ctx.person.id, ctx.now, { file: { id: stored.attachmentId, fileName: stored.fileName } });
    say(ctx, `${t.fileSaved(stored.fileName)} ${t.saved(draft.parts.length, draft.files.length)}`, canSend ? sendMenu(q.id) : undefined);
    return true;
  }
  if (content?.type === "unsupported") return said(ctx, vi.bot.unsupported);
  if (text === undefined || text.trim() === "") return showDraft(ctx, q, canSend);
  const finding = detectConfidential(text);
  if (finding) return said(ctx, t.confidential(finding.marking));
  const draft = readDraft(q.draft);
  if (draft.parts.reduce((n, p) => n + p.text.length, 0) + text.length > DRAFT_MAX) return said(ctx, vi.bot.tooLong(DRAFT_MAX));
  const next = await addToDraft(ctx.tx, q, ctx.person.id, ctx.now, { text: text.normalize("NFC") });
  say(ctx, t.saved(next.parts.length, next.files.length), canSend ? sendMenu(q.id) : undefined);
  return true;
}

function said(ctx: AnswerCtx, text: string): true {
  say(ctx, text);
  return true;
}

async function showDraft(ctx: AnswerCtx, q: StoredQuestion, canSend: boolean): Promise<true> {
  const draft = readDraft(q.draft);
  const authors = [...new Set([...draft.parts, ...draft.files].map((p) => p.by))];
  const names = authors.length > 0 ? await ctx.tx.person.findMany({ where: { id: { in: authors } }, select: { fullName: true }, orderBy: { id: "asc" } }) : [];
  const lines = [
    t.draftHeader(q.reference),
    draft.parts.length > 0 ? draft.parts.map((p) => p.text).join("\n\n") : t.draftEmpty,
    ...(draft.files.length > 0 ? [t.draftFiles(draft.files.map((f) => f.fileName))] : []),
    ...(names.length > 0 ? [t.draftBy(names.map((n) => n.fullName))] : []),
  ];
  say(ctx, lines.join("\n"), canSend ? sendMenu(q.id) : undefined);
  return true;
}

async function send(ctx: AnswerCtx, q: StoredQuestion, canSend: boolean): Promise<true> {
  const draft = readDraft(q.draft);
  if (draft.parts.length === 0 && draft.files.length === 0) return said(ctx, t.empty);
  if (!canSend) {
    // The drafter is done: the answerers are told, once per draft change.
    const senders = await answerers(ctx.tx, q);
    const names = await ctx.tx.person.findMany({ where: { id: { in: senders } }, select: { fullName: true }, orderBy: { id: "asc" } });
    await planMessages(ctx.tx, ctx.now, {
      personIds: senders,
      purpose: QUESTION_DELEGATE,
      // Once per state of the draft: "gửi" typed twice tells them once.
      key: `ready:${q.id}:${(q.draftUpdatedAt ?? ctx.now).getTime()}`,
      questionId: q.id,
      message: withAnswerButton(t.readyNotice(q.reference, ctx.person.fullName), q.id),
    });
    ctx.questionId = null;
    return said(ctx, t.notSender(names.map((n) => n.fullName)));
  }
  const text = draft.parts.map((p) => p.text).join("\n\n");
  const result = await sendAnswer(ctx.tx, q, ctx.person.id, ctx.now, (revision) =>
    answerToAsker(q, { revision, by: ctx.person.fullName, to: addresseeName(q), text, files: draft.files.map((f) => f.fileName) }),
  );
  if (!result.ok) return said(ctx, result.reason === "closed" ? t.closed(q.reference) : result.reason === "empty" ? t.empty : t.notAnswerer(q.reference));
  ctx.questionId = null;
  return said(ctx, t.sent(q.reference, result.revision));
}

/** The open questions this person answers (or drafts), for /traloi without a reference. */
export async function pendingFor(tx: Tx, personId: number): Promise<string[]> {
  const open = await tx.question.findMany({
    where: {
      status: "OPEN",
      OR: [
        { targetPersonId: personId },
        { drafterId: personId },
        { targetUnit: { memberships: { some: { personId, role: "HEAD" } } } },
        { targetBody: { members: { some: { personId } } } },
        { targetBody: { kind: "OFFICE", committee: { memberships: { some: { personId, role: "OFFICE" } } } } },
      ],
    },
    select: { id: true, reference: true, text: true, deadline: true, ...partiesSelect },
    orderBy: [{ deadline: "asc" }, { id: "asc" }],
    take: PENDING_MAX,
  });
  const mine: typeof open = [];
  // The same rule as /traloi: a body's member who is not its chair is told, but does not answer.
  for (const q of open) if (q.drafterId === personId || (await answerers(tx, q)).includes(personId)) mine.push(q);
  return mine.map((x) => t.pendingLine(x.reference, excerpt(x.text, 80), x.deadline ? formatDueTime(x.deadline) : "—"));
}
