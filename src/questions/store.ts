// What happens to a question, each step in the caller's transaction with an
// audit row naming who did it and when: asked, drafted, let draft, answered
// (a new revision every time, never overwritten), judged. The messages each
// step owes someone are planned as OutboundMessage rows, sent in office hours
// by the reminder dispatcher.
import { z } from "zod";
import type { Choice, OutboundMessage } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import type { Prisma as P } from "../db/generated/client.ts";
import { addWorkingDays } from "../calendar/holidays.ts";
import { nextSendTime } from "../calendar/office-hours.ts";
import { toInstant, toLocalDate } from "../calendar/dates.ts";
import { loadHolidayTables, loadOfficeHours } from "../reminders/settings.ts";
import { loadQuestionSettings } from "./settings.ts";
import { answerers, colleagues, partiesSelect, told, type QuestionParties } from "./people.ts";
import { choiceValue, QUESTION_ANSWER, QUESTION_DELEGATE, QUESTION_NOTICE } from "./purposes.ts";

export type QuestionKind = "QUESTION" | "PROPOSAL" | "INFO_REQUEST";
export type Target = { unitId: number } | { personId: number } | { bodyId: number };

/** The answer being written: its messages in order, and the files sent with it. */
export const draftSchema = z.object({
  parts: z.array(z.object({ text: z.string(), by: z.number().int() })).default([]),
  files: z.array(z.object({ id: z.number().int(), fileName: z.string(), by: z.number().int() })).default([]),
});
export type Draft = z.infer<typeof draftSchema>;
export const emptyDraft: Draft = { parts: [], files: [] };

export function readDraft(value: unknown): Draft {
  const parsed = draftSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : emptyDraft;
}

export const referenceOf = (id: number, createdAt: Date) => `CV-${toLocalDate(createdAt).slice(0, 4)}-${String(id).padStart(4, "0")}`;

/** "CV-2026-0007", "cv 2026 7", "CV-7": the question id it names (and the year, when typed), or null. */
export function parseReference(text: string): { id: number; year: string | null } | null {
  const m = /^\s*cv[\s\-–_]*(?:(\d{4})[\s\-–_]+)?0*(\d{1,9})\s*$/i.exec(text);
  return m ? { id: Number(m[2]), year: m[1] ?? null } : null;
}

/**
 * The id of the question a typed reference names; a reference with another
 * year names none (-1, which no question has). null when the text is not a
 * reference at all.
 */
export async function referencedId(tx: Tx, text: string): Promise<number | null> {
  const parsed = parseReference(text);
  if (!parsed) return null;
  if (parsed.year === null) return parsed.id;
  const row = await tx.question.findUnique({ where: { id: parsed.id }, select: { reference: true } });
  return row?.reference.startsWith(`CV-${parsed.year}-`) ? parsed.id : -1;
}

async function audit(tx: Tx, now: Date, actorId: number, action: string, questionId: number, details: Record<string, unknown> = {}): Promise<void> {
  await tx.auditLog.create({
    data: { at: now, actorId, action: `question.${action}`, entityType: "Question", entityId: String(questionId), details: details as P.InputJsonValue },
    select: { id: true },
  });
}

// ───────── planning messages ─────────

interface Planned {
  personIds: number[];
  purpose: string;
  key: string;
  questionId: number;
  /** One text for every app: the channel renders its options. */
  message: OutboundMessage;
}

/**
 * One PLANNED row per linked, unblocked account of each person, at the next
 * office moment. The key makes a repeat of the same step plan nothing.
 */
export async function planMessages(tx: Tx, now: Date, plan: Planned): Promise<{ people: number; unlinked: number[] }> {
  if (plan.personIds.length === 0) return { people: 0, unlinked: [] };
  const all = await tx.chatIdentity.findMany({
    where: { personId: { in: plan.personIds }, blockedAt: null, person: { active: true } },
    select: { id: true, personId: true, platform: true, chatId: true },
    orderBy: { id: "asc" },
  });
  const hours = await loadOfficeHours(tx);
  const tables = await loadHolidayTables(tx);
  const at = nextSendTime(now, hours, tables.office);
  await tx.outboundMessage.createMany({
    data: all.map((i) => ({
      dedupKey: `${plan.key}:${i.id}`,
      purpose: plan.purpose,
      step: plan.purpose,
      platform: i.platform,
      chatId: i.chatId,
      recipientId: i.personId,
      questionId: plan.questionId,
      payload: plan.message as unknown as P.InputJsonValue,
      status: "PLANNED" as const,
      plannedFor: at,
      createdAt: now,
    })),
    skipDuplicates: true,
  });
  const linked = new Set(all.map((i) => i.personId));
  return { people: linked.size, unlinked: plan.personIds.filter((p) => !linked.has(p)) };
}

// ───────── asking ─────────

export interface AskInput {
  committeeId: number;
  askedById: number;
  enteredById: number | null;
  kind: QuestionKind;
  target: Target;
  text: string;
  conference: string | null;
  deadline: Date;
  parentId: number | null;
  attachmentIds: number[];
  now: Date;
  /** The notice each person told gets: built once the reference is known. */
  notice: (q: { id: number; reference: string }, canAnswer: boolean) => OutboundMessage;
}

export interface Asked {
  id: number;
  reference: string;
  told: number;
  unlinked: number[];
}

export async function askQuestion(tx: Tx, input: AskInput): Promise<Asked> {
  const t = input.target;
  const created = await tx.question.create({
    data: {
      reference: `CV-new-${input.now.getTime()}-${input.askedById}-${Math.random().toString(36).slice(2)}`,
      committeeId: input.committeeId,
      askedById: input.askedById,
      enteredById: input.enteredById,
      kind: input.kind,
      targetUnitId: "unitId" in t ? t.unitId : null,
      targetPersonId: "personId" in t ? t.personId : null,
      targetBodyId: "bodyId" in t ? t.bodyId : null,
      text: input.text,
      conference: input.conference,
      deadline: input.deadline,
      parentId: input.parentId,
      createdAt: input.now,
    },
    select: { id: true, ...partiesSelect },
  });
  const reference = referenceOf(created.id, input.now);
  await tx.question.update({ where: { id: created.id }, data: { reference }, select: { id: true } });
  if (input.attachmentIds.length > 0) {
    await tx.attachment.updateMany({ where: { id: { in: input.attachmentIds }, uploadedById: { in: [input.askedById, input.enteredById ?? input.askedById] } }, data: { questionId: created.id } });
  }
  await audit(tx, input.now, input.enteredById ?? input.askedById, "asked", created.id, {
    reference,
    kind: input.kind,
    ...(input.enteredById !== null ? { onBehalfOf: input.askedById } : {}),
    ...(input.parentId !== null ? { followUpOf: input.parentId } : {}),
  });
  const senders = new Set(await answerers(tx, created));
  const everyone = await told(tx, created);
  const q = { id: created.id, reference };
  let people = 0;
  const unlinked: number[] = [];
  for (const canAnswer of [true, false]) {
    const planned = await planMessages(tx, input.now, {
      personIds: everyone.filter((p) => senders.has(p) === canAnswer),
      purpose: QUESTION_NOTICE,
      key: `question:${created.id}`,
      questionId: created.id,
      message: input.notice(q, canAnswer),
    });
    people += planned.people;
    unlinked.push(...planned.unlinked);
  }
  return { ...q, told: people, unlinked };
}

/** The default deadline: the committee's number of working days from now, at the end of office hours. */
export async function defaultDeadline(tx: Tx, now: Date): Promise<Date> {
  const { answerDays } = await loadQuestionSettings(tx);
  const tables = await loadHolidayTables(tx);
  const hours = await loadOfficeHours(tx);
  return toInstant(addWorkingDays(toLocalDate(now), answerDays, tables.office), hours.end);
}

// ───────── the question as stored ─────────

export const questionSelect = {
  id: true,
  reference: true,
  kind: true,
  text: true,
  conference: true,
  deadline: true,
  status: true,
  createdAt: true,
  answeredAt: true,
  verdict: true,
  verdictComment: true,
  verdictAt: true,
  parentId: true,
  draft: true,
  draftUpdatedAt: true,
  ...partiesSelect,
  askedBy: { select: { fullName: true } },
  enteredBy: { select: { fullName: true } },
  targetUnit: { select: { name: true } },
  targetPerson: { select: { fullName: true } },
  targetBody: { select: { name: true } },
  drafter: { select: { fullName: true } },
} as const;
export type StoredQuestion = P.QuestionGetPayload<{ select: typeof questionSelect }>;

export function loadQuestion(tx: Tx, id: number): Promise<StoredQuestion | null> {
  return tx.question.findUnique({ where: { id }, select: questionSelect });
}

export function addresseeName(q: Pick<StoredQuestion, "targetUnit" | "targetPerson" | "targetBody">): string {
  return q.targetUnit?.name ?? q.targetPerson?.fullName ?? q.targetBody?.name ?? "";
}

// ───────── answering ─────────

/** Locks the question's row for the rest of the transaction: drafts and sends of one question never interleave. */
export async function lockQuestion(tx: Tx, id: number): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Question" WHERE id = ${id} FOR UPDATE`;
}

export async function addToDraft(tx: Tx, q: StoredQuestion, personId: number, now: Date, add: { text: string } | { file: { id: number; fileName: string } }): Promise<Draft> {
  const draft = readDraft(q.draft);
  const next: Draft = "text" in add ? { ...draft, parts: [...draft.parts, { text: add.text, by: personId }] } : { ...draft, files: [...draft.files, { ...add.file, by: personId }] };
  await tx.question.update({ where: { id: q.id }, data: { draft: next, draftUpdatedAt: now }, select: { id: true } });
  return next;
}

export type SendRefusal = "not_answerer" | "closed" | "empty";

export async function sendAnswer(
  tx: Tx,
  q: StoredQuestion,
  personId: number,
  now: Date,
  toAsker: (revision: number) => OutboundMessage,
): Promise<{ ok: true; revision: number } | { ok: false; reason: SendRefusal }> {
  if (!(await answerers(tx, q)).includes(personId)) return { ok: false, reason: "not_answerer" };
  if (q.status === "CLOSED") return { ok: false, reason: "closed" };
  const draft = readDraft(q.draft);
  if (draft.parts.length === 0 && draft.files.length === 0) return { ok: false, reason: "empty" };
  const revision = (await tx.questionAnswer.count({ where: { questionId: q.id } })) + 1;
  const drafter = [...draft.parts, ...draft.files].map((p) => p.by).find((by) => by !== personId) ?? null;
  const answer = await tx.questionAnswer.create({
    data: { questionId: q.id, revision, answeredById: personId, draftedById: drafter, text: draft.parts.map((p) => p.text).join("\n\n"), createdAt: now },
    select: { id: true },
  });
  if (draft.files.length > 0) await tx.attachment.updateMany({ where: { id: { in: draft.files.map((f) => f.id) } }, data: { questionAnswerId: answer.id } });
  await tx.question.update({
    where: { id: q.id },
    data: { status: "ANSWERED", answeredAt: q.answeredAt ?? now, draft: { parts: [], files: [] }, draftUpdatedAt: now },
    select: { id: true },
  });
  await audit(tx, now, personId, "answered", q.id, { revision, ...(drafter !== null ? { draftedBy: drafter } : {}) });
  const to = [q.askedById, ...(q.enteredById !== null ? [q.enteredById] : [])];
  await planMessages(tx, now, { personIds: to, purpose: QUESTION_ANSWER, key: `answer:${q.id}:${revision}`, questionId: q.id, message: toAsker(revision) });
  return { ok: true, revision };
}

/** The verdict buttons the asker gets with an answer. */
export function verdictChoices(id: number, labels: { satisfied: string; notSatisfied: string; followUp: string }): Choice[] {
  return [
    { value: choiceValue.satisfied(id), label: labels.satisfied },
    { value: choiceValue.notSatisfied(id), label: labels.notSatisfied },
    { value: choiceValue.followUp(id), label: labels.followUp },
  ];
}

export type VerdictRefusal = "not_asker" | "not_answered" | "already";

export async function judge(
  tx: Tx,
  q: StoredQuestion,
  personId: number,
  now: Date,
  verdict: "SATISFIED" | "NOT_SATISFIED",
  comment: string | null,
): Promise<{ ok: true } | { ok: false; reason: VerdictRefusal }> {
  if (q.askedById !== personId && q.enteredById !== personId) return { ok: false, reason: "not_asker" };
  if (q.status === "OPEN") return { ok: false, reason: "not_answered" };
  if (q.status === "CLOSED") return { ok: false, reason: "already" };
  await tx.question.update({ where: { id: q.id }, data: { status: "CLOSED", verdict, verdictComment: comment, verdictAt: now, closedAt: now }, select: { id: true } });
  await audit(tx, now, personId, "judged", q.id, { verdict, ...(q.enteredById === personId ? { onBehalfOf: q.askedById } : {}) });
  return { ok: true };
}

export type DelegateRefusal = "not_answerer" | "closed" | "not_colleague";

export async function letDraft(
  tx: Tx,
  q: StoredQuestion,
  personId: number,
  colleagueId: number,
  now: Date,
  notice: () => OutboundMessage,
): Promise<{ ok: true; linked: boolean } | { ok: false; reason: DelegateRefusal }> {
  if (!(await answerers(tx, q)).includes(personId)) return { ok: false, reason: "not_answerer" };
  if (q.status === "CLOSED") return { ok: false, reason: "closed" };
  if (colleagueId === personId || !(await colleagues(tx, q)).includes(colleagueId)) return { ok: false, reason: "not_colleague" };
  await tx.question.update({ where: { id: q.id }, data: { drafterId: colleagueId }, select: { id: true } });
  await audit(tx, now, personId, "delegated", q.id, { drafter: colleagueId });
  const planned = await planMessages(tx, now, { personIds: [colleagueId], purpose: QUESTION_DELEGATE, key: `delegate:${q.id}:${colleagueId}:${now.getTime()}`, questionId: q.id, message: notice() });
  return { ok: true, linked: planned.people > 0 };
}

export type { QuestionParties };
