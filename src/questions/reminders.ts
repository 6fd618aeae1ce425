// Reminders and escalations of open questions, planned from the data the way
// reminders/reconcile.ts plans those of reports: PLANNED OutboundMessage rows
// with deterministic dedupKeys, sent by the same dispatcher in office hours on
// working days. Safe to run at any time, as often as wanted, in several
// processes at once; only PLANNED (or re-planned CANCELLED) rows are changed,
// sent rows never.
//
// The plan of an OPEN question with a deadline, at office opening of each day:
// - "before-2": 2 working days before the deadline day, to the answerers;
// - "due": the morning of the deadline day, to the answerers;
// - "heads": the 1st working day after the deadline day, to the addressee's heads;
// - "office": the 3rd working day after it, to the committee's office.
// Working days are the addressee unit's (its own days off on top of the
// office's); a person or a body follows the office's table. A reminder on the
// day the new-question notice goes out is left out: the notice says the
// deadline. Past steps are not back-filled, except the latest one on the day
// it was due (reminders/schedule.ts), and each step reaches each account once.
// An absent person's message goes to their deputy (not chained), as for reports.
import type { OutboundMessage, PlatformName } from "../channels/channel.ts";
import type { Prisma, Tx } from "../db/database.ts";
import type { Prisma as P } from "../db/generated/client.ts";
import { addDays, formatDueTime, fromDbDate, toInstant, toLocalDate, toLocalDateTime, type LocalDate } from "../calendar/dates.ts";
import { addWorkingDays, type HolidayTable } from "../calendar/holidays.ts";
import { nextSendTime, type OfficeHours } from "../calendar/office-hours.ts";
import { subtractWorkingDays, type Audience, type PlannedStep } from "../reminders/policy.ts";
import { isAbsent, type Contact, type Identity } from "../reminders/recipients.ts";
import { stepsToPlan } from "../reminders/schedule.ts";
import { loadHolidayTables, loadOfficeHours } from "../reminders/settings.ts";
import { vi } from "../texts/vi.ts";
import { addresseeHeads, answerers, officeOf, partiesSelect } from "./people.ts";
import { excerpt } from "./messages.ts";
import { choiceValue, QUESTION_ESCALATION, QUESTION_REMINDER, WHILE_OPEN } from "./purposes.ts";

const t = vi.questionReminders;

/** Questions whose deadline is older than this have nothing left to remind (the last step is 3 working days after it). */
export const QUESTION_HORIZON_DAYS = 30;

/** The purposes of the rows this module plans (WHILE_OPEN has more: notices and delegations, planned by the flows). */
const PLANNED_PURPOSES: string[] = [QUESTION_REMINDER, QUESTION_ESCALATION];
const whileOpen: string[] = [...WHILE_OPEN];

/** Statuses that mean "this went out, or is going out". */
const DELIVERED = ["QUEUED", "SENDING", "UNCERTAIN", "SENT"] as const;

/** Why a message about a question is no longer wanted, by the question's status. */
export const NOT_OPEN_REASONS = { ANSWERED: "answered", CLOSED: "closed" } as const;

export type QuestionStep = "before-2" | "due" | "heads" | "office";

export function questionDedupKey(purpose: typeof QUESTION_REMINDER | typeof QUESTION_ESCALATION, questionId: number, step: string, identityId: number): string {
  return `${purpose === QUESTION_REMINDER ? "qremind" : "qescalate"}:${questionId}:${step}:${identityId}`;
}

export interface QuestionReconcileOptions {
  now: Date;
  /** Only these questions. Default: every OPEN question whose deadline is within the horizon. */
  questionIds?: readonly number[];
}

export interface QuestionReconcileResult {
  questions: number;
  created: number;
  updated: number;
  revived: number;
  cancelled: number;
}

// Audiences as schedule.ts knows them: the answerers play the reporters, the office the committee.
const ANSWERERS: Audience = "reporters";
const HEADS: Audience = "heads";
const OFFICE: Audience = "committee";

/**
 * The steps of one question, in time order. Pure. Reminders to the answerers
 * are dropped when they would not come before the deadline, or would come
 * before the question was asked or on the day its notice goes out.
 */
export function questionSteps(q: { deadline: Date; createdAt: Date }, table: HolidayTable, hours: OfficeHours): PlannedStep[] {
  const dueDay = toLocalDate(q.deadline);
  const opening = (day: LocalDate) => nextSendTime(toInstant(day, hours.start), hours, table);
  const noticeDay = toLocalDate(nextSendTime(q.createdAt, hours, table));
  const steps: PlannedStep[] = [];
  const reminders = [
    { step: "before-2", at: opening(subtractWorkingDays(dueDay, 2, table)), days: 2 },
    { step: "due", at: opening(dueDay), days: 0 },
  ];
  for (const s of reminders) {
    if (s.at.getTime() >= q.deadline.getTime()) continue;
    if (s.at.getTime() < q.createdAt.getTime() || toLocalDate(s.at) <= noticeDay) continue;
    steps.push({ ...s, audience: ANSWERERS });
  }
  steps.push({ step: "heads", at: opening(addWorkingDays(dueDay, 1, table)), audience: HEADS, days: 1 });
  steps.push({ step: "office", at: opening(addWorkingDays(dueDay, 3, table)), audience: OFFICE, days: 3 });
  return steps.sort((x, y) => x.at.getTime() - y.at.getTime());
}

const questionSelect = {
  id: true,
  reference: true,
  kind: true,
  text: true,
  deadline: true,
  createdAt: true,
  ...partiesSelect,
  askedBy: { select: { fullName: true } },
  targetUnit: { select: { name: true } },
  targetPerson: { select: { fullName: true } },
  targetBody: { select: { name: true } },
} as const;
type QuestionRow = P.QuestionGetPayload<{ select: typeof questionSelect }>;

export interface QuestionInfo {
  id: number;
  reference: string;
  kind: keyof typeof vi.questions.kinds;
  text: string;
  deadline: Date;
  askerName: string;
  addressee: string;
}

export interface QuestionRecipient {
  personId: number;
  identity: Identity;
  /** The absent person this one stands in for. */
  standsInFor: string | null;
  canAnswer: boolean;
}

/** The message of one step for one account. */
export function questionStepMessage(q: QuestionInfo, step: PlannedStep, to: QuestionRecipient): OutboundMessage {
  const kind = vi.questions.kinds[q.kind];
  const due = formatDueTime(q.deadline);
  const lines: string[] = [];
  if (step.step === "due") lines.push(t.dueDay(kind.toLowerCase(), q.reference, q.askerName, toLocalDateTime(q.deadline).time));
  else if (step.audience === ANSWERERS) lines.push(t.before(step.days, kind.toLowerCase(), q.reference, q.askerName, due));
  else lines.push(t.overdue(kind, q.reference, q.askerName, q.addressee, step.days, due));
  lines.push(t.excerpt(excerpt(q.text, 200)));
  if (step.audience === HEADS && !to.canAnswer) lines.push(t.headsAction);
  if (step.audience === OFFICE && !to.canAnswer) lines.push(t.officeAction);
  if (to.standsInFor !== null) lines.push(vi.reminders.standIn(to.standsInFor));
  if (!to.canAnswer) return { text: [...lines, t.viewHint(q.reference)].join("\n") };
  lines.push(vi.questions.answerHint(q.reference));
  // One text for every app: the button on Telegram, its numbered line on Zalo (and in the sandbox, whichever look).
  return { text: lines.join("\n"), choices: [{ value: choiceValue.answer(q.id), label: vi.questions.answerLabel }] };
}

interface Desired {
  dedupKey: string;
  purpose: string;
  step: string;
  questionId: number;
  recipientId: number;
  platform: PlatformName;
  chatId: string;
  plannedFor: Date;
  payload: OutboundMessage;
  catchUp: boolean;
}

const existingSelect = {
  id: true,
  dedupKey: true,
  status: true,
  plannedFor: true,
  payload: true,
  recipientId: true,
} as const;
type Existing = P.OutboundMessageGetPayload<{ select: typeof existingSelect }>;

export async function reconcileQuestionReminders(prisma: Prisma | Tx, opts: QuestionReconcileOptions): Promise<QuestionReconcileResult> {
  const { now } = opts;
  const ids = opts.questionIds === undefined ? undefined : [...new Set(opts.questionIds)];
  const result: QuestionReconcileResult = { questions: 0, created: 0, updated: 0, revived: 0, cancelled: 0 };
  if (ids?.length === 0) return result;
  const scope = ids === undefined ? {} : { questionId: { in: ids } };

  // Answered or closed: nothing more to tell while it was open (the notices and delegations too).
  for (const [status, reason] of Object.entries(NOT_OPEN_REASONS) as [keyof typeof NOT_OPEN_REASONS, string][]) {
    result.cancelled += (
      await prisma.outboundMessage.updateMany({
        where: { status: "PLANNED", purpose: { in: whileOpen }, question: { status }, ...scope },
        data: { status: "CANCELLED", reason },
      })
    ).count;
  }
  // Open without a deadline any more: nothing to remind of.
  result.cancelled += (
    await prisma.outboundMessage.updateMany({
      where: { status: "PLANNED", purpose: { in: PLANNED_PURPOSES }, question: { status: "OPEN", deadline: null }, ...scope },
      data: { status: "CANCELLED", reason: "replanned" },
    })
  ).count;

  const questions = await prisma.question.findMany({
    where: {
      status: "OPEN",
      deadline: { not: null, gte: new Date(now.getTime() - QUESTION_HORIZON_DAYS * 86_400_000) },
      ...(ids === undefined ? {} : { id: { in: ids } }),
    },
    select: questionSelect,
    orderBy: { id: "asc" },
  });
  result.questions = questions.length;
  if (questions.length === 0) return result;

  const hours = await loadOfficeHours(prisma);
  const tables = await loadHolidayTables(prisma);
  const questionIds = questions.map((q) => q.id);
  const existing = await prisma.outboundMessage.findMany({
    where: { questionId: { in: questionIds }, purpose: { in: PLANNED_PURPOSES } },
    select: existingSelect,
  });
  // A day early, so that every unit's "today" (their own holidays) is covered.
  const since = toInstant(addDays(toLocalDate(nextSendTime(now, hours, tables.office)), -1));
  const recent = await prisma.outboundMessage.findMany({
    where: { questionId: { in: questionIds }, status: { in: [...DELIVERED] }, OR: [{ plannedFor: { gte: since } }, { sentAt: { gte: since } }] },
    select: { questionId: true, platform: true, chatId: true, plannedFor: true, sentAt: true },
  });

  // Who stands where, per question, then everyone's contact (with their deputies) in one go.
  const roles = new Map<number, { answerers: number[]; heads: number[]; office: number[] }>();
  for (const q of questions) {
    roles.set(q.id, { answerers: await answerers(prisma, q), heads: await addresseeHeads(prisma, q), office: await officeOf(prisma, q.committeeId) });
  }
  const contacts = await loadContacts(prisma, [...roles.values()].flatMap((r) => [...r.answerers, ...r.heads, ...r.office]));

  const desired: Desired[] = [];
  for (const q of questions) {
    const deadline = q.deadline;
    if (deadline === null) continue;
    const table = q.targetUnitId === null ? tables.office : tables.forUnit(q.targetUnitId);
    const nextSend = nextSendTime(now, hours, table);
    const today = toLocalDate(nextSend);
    const delivered = new Set(
      recent.filter((r) => r.questionId === q.id && toLocalDate(r.sentAt ?? r.plannedFor) === today).map((r) => `${r.platform}:${r.chatId}`),
    );
    const info = infoOf(q, deadline);
    const role = roles.get(q.id)!;
    const timeline = questionSteps({ deadline, createdAt: q.createdAt }, table, hours);
    for (const audience of [ANSWERERS, HEADS, OFFICE]) {
      // A caught-up reminder that would come after the deadline says something false.
      const steps = stepsToPlan(timeline, audience, deadline, now, nextSend).filter((s) => audience !== ANSWERERS || s.at.getTime() < deadline.getTime());
      const intended = audience === ANSWERERS ? role.answerers : audience === HEADS ? role.heads : role.office;
      const purpose = audience === ANSWERERS ? QUESTION_REMINDER : QUESTION_ESCALATION;
      for (const step of steps) {
        for (const to of resolve(contacts, intended, toLocalDate(step.at), new Set(role.answerers))) {
          if (step.catchUp && delivered.has(`${to.identity.platform}:${to.identity.chatId}`)) continue;
          desired.push({
            dedupKey: questionDedupKey(purpose, q.id, step.step, to.identity.id),
            purpose,
            step: step.step,
            questionId: q.id,
            recipientId: to.personId,
            platform: to.identity.platform,
            chatId: to.identity.chatId,
            plannedFor: step.at,
            payload: questionStepMessage(info, step, to),
            catchUp: step.catchUp,
          });
        }
      }
    }
  }
  await write(prisma, desired, existing, now, result);
  return result;
}

function infoOf(q: QuestionRow, deadline: Date): QuestionInfo {
  const addressee = q.targetUnit?.name ?? q.targetBody?.name ?? (q.targetPerson ? t.person(q.targetPerson.fullName) : "");
  return { id: q.id, reference: q.reference, kind: q.kind, text: q.text, deadline, askerName: q.askedBy.fullName, addressee };
}

const personSelect = {
  id: true,
  fullName: true,
  active: true,
  absentFrom: true,
  absentTo: true,
  deputyId: true,
  identities: { where: { blockedAt: null }, select: { id: true, platform: true, chatId: true }, orderBy: { id: "asc" } },
} as const;

/** The people and, in a second round, their deputies: linked, unblocked accounts only. */
async function loadContacts(db: Prisma | Tx, personIds: number[]): Promise<Map<number, Contact>> {
  const people = new Map<number, Contact>();
  let wanted = [...new Set(personIds)];
  for (let round = 0; round < 2 && wanted.length > 0; round++) {
    const rows = await db.person.findMany({ where: { id: { in: wanted } }, select: personSelect });
    for (const p of rows) {
      people.set(p.id, {
        personId: p.id,
        fullName: p.fullName,
        active: p.active,
        absentFrom: p.absentFrom === null ? null : fromDbDate(p.absentFrom),
        absentTo: p.absentTo === null ? null : fromDbDate(p.absentTo),
        deputyId: p.deputyId,
        identities: p.identities,
      });
    }
    wanted = [...new Set(rows.flatMap((p) => (p.deputyId !== null && !people.has(p.deputyId) ? [p.deputyId] : [])))];
  }
  return people;
}

/**
 * One entry per linked account of each person meant to get a step on `day`,
 * in a stable order: an absent person is replaced by their deputy (once, if
 * active and present), as reminders/recipients.ts does for reports.
 */
function resolve(people: ReadonlyMap<number, Contact>, personIds: readonly number[], day: LocalDate, answering: ReadonlySet<number>): QuestionRecipient[] {
  const chosen = new Map<number, string | null>();
  for (const id of [...new Set(personIds)].sort((a, b) => a - b)) {
    const person = people.get(id);
    if (!person?.active) continue;
    if (!isAbsent(person, day)) {
      chosen.set(id, null);
      continue;
    }
    const deputy = person.deputyId === null ? undefined : people.get(person.deputyId);
    if (!deputy?.active || isAbsent(deputy, day) || chosen.has(deputy.personId)) continue;
    chosen.set(deputy.personId, person.fullName);
  }
  const out: QuestionRecipient[] = [];
  for (const [personId, standsInFor] of [...chosen].sort((a, b) => a[0] - b[0])) {
    for (const identity of people.get(personId)!.identities) out.push({ personId, identity, standsInFor, canAnswer: answering.has(personId) });
  }
  return out;
}

/** JSON with sorted keys: PostgreSQL's jsonb does not keep key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

async function write(prisma: Prisma | Tx, desired: Desired[], existing: Existing[], now: Date, result: QuestionReconcileResult): Promise<void> {
  const byKey = new Map(existing.map((e) => [e.dedupKey, e]));
  const wanted = new Set<string>();
  const create: Desired[] = [];
  for (const d of desired) {
    if (wanted.has(d.dedupKey)) continue;
    wanted.add(d.dedupKey);
    const e = byKey.get(d.dedupKey);
    if (!e) {
      create.push(d);
      continue;
    }
    // A caught-up step already due keeps its time instead of moving with "now".
    const due = d.catchUp && e.plannedFor.getTime() <= now.getTime() ? e.plannedFor : d.plannedFor;
    const data = { plannedFor: due, payload: d.payload as unknown as P.InputJsonValue, recipientId: d.recipientId };
    if (e.status === "PLANNED") {
      if (e.plannedFor.getTime() === due.getTime() && e.recipientId === d.recipientId && canonical(e.payload) === canonical(d.payload)) continue;
      result.updated += (await prisma.outboundMessage.updateMany({ where: { id: e.id, status: "PLANNED" }, data })).count;
    } else if (e.status === "CANCELLED") {
      // Cancelled (answered, then reopened; expired; re-planned) and wanted again: never sent, so it may go.
      result.revived += (
        await prisma.outboundMessage.updateMany({ where: { id: e.id, status: "CANCELLED" }, data: { ...data, status: "PLANNED", reason: null } })
      ).count;
    }
  }
  if (create.length > 0) {
    result.created += (
      await prisma.outboundMessage.createMany({
        data: create.map((d) => ({
          dedupKey: d.dedupKey,
          purpose: d.purpose,
          platform: d.platform,
          chatId: d.chatId,
          recipientId: d.recipientId,
          questionId: d.questionId,
          step: d.step,
          payload: d.payload as unknown as P.InputJsonValue,
          status: "PLANNED" as const,
          plannedFor: d.plannedFor,
        })),
        skipDuplicates: true,
      })
    ).count;
  }
  // Planned rows the plan no longer has: their time passed unsent, or the plan changed (deadline, people).
  const stale = existing.filter((e) => e.status === "PLANNED" && !wanted.has(e.dedupKey));
  for (const reason of ["expired", "replanned"] as const) {
    const rows = stale.filter((e) => (e.plannedFor.getTime() < now.getTime() ? "expired" : "replanned") === reason).map((e) => e.id);
    if (rows.length === 0) continue;
    result.cancelled += (await prisma.outboundMessage.updateMany({ where: { id: { in: rows }, status: "PLANNED" }, data: { status: "CANCELLED", reason } })).count;
  }
}
