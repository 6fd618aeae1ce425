// Hands planned reminders whose time has come to the send queue. Before a
// row is queued it is checked again: the report may have been submitted, the
// chat blocked, or it may be night or a day off (then the row waits for the
// next office morning). Claiming is one UPDATE ... RETURNING over rows locked
// with SKIP LOCKED, so several schedulers never queue a row twice.
import type { PlatformName } from "../channels/channel.ts";
import type { Prisma } from "../db/database.ts";
import { toInstant, toLocalDate } from "../calendar/dates.ts";
import { isWithinOfficeHours, nextSendTime } from "../calendar/office-hours.ts";
import { QUESTION_ANSWER, QUESTION_DELEGATE, QUESTION_ESCALATION, QUESTION_NOTICE, QUESTION_PURPOSES, QUESTION_VERDICT, WHILE_OPEN } from "../questions/purposes.ts";
import { NOT_OPEN_REASONS } from "../questions/reminders.ts";
import { HOLIDAY_NOTICE_PURPOSE } from "./holiday-notice.ts";
import { REMINDER_PURPOSES } from "./reconcile.ts";
import { loadHolidayTables, loadOfficeHours, unitsWithOwnHolidays } from "./settings.ts";

export interface QueuedRow {
  id: number;
  dedupKey: string;
  platform: PlatformName;
}

export interface DueResult {
  queued: QueuedRow[];
  /** Set SKIPPED: submitted (or the question answered or closed) meanwhile, or the chat blocked the bot. */
  skipped: number;
  /** Left PLANNED with a later plannedFor: outside office hours or on a day off. */
  postponed: number;
  /** CANCELLED: planned for an earlier day and never sent (downtime); not sent late. */
  expired: number;
}

const BATCH = 1_000;
// Nudges from the committee (/nhac), the office's holiday notices and the
// messages about questions share the office-hours rules of reminders.
const purposes: string[] = [...REMINDER_PURPOSES, "nudge", HOLIDAY_NOTICE_PURPOSE, ...QUESTION_PURPOSES];
// News, not counts of days: a new question, an answer, a delegation, a verdict
// are still true the next morning, so they go late rather than never.
const neverExpire = new Set<string>([QUESTION_NOTICE, QUESTION_ANSWER, QUESTION_DELEGATE, QUESTION_VERDICT]);
const expiring = purposes.filter((p) => !neverExpire.has(p));
const whileOpen: string[] = [...WHILE_OPEN];

/**
 * Claims the PLANNED reminder rows due at `now` (marks them QUEUED and
 * returns them), after the checks above. The caller queues the returned
 * rows; a crash in between leaves them QUEUED, and the maintenance sweep
 * re-queues QUEUED rows.
 */
export async function dueMessages(prisma: Prisma, now: Date, limit = BATCH): Promise<DueResult> {
  const result: DueResult = { queued: [], skipped: 0, postponed: 0, expired: 0 };
  const hours = await loadOfficeHours(prisma);
  const tables = await loadHolidayTables(prisma);
  const due = { status: "PLANNED" as const, purpose: { in: purposes }, plannedFor: { lte: now } };

  // A reminder of an earlier day is stale: its text counts days, and the
  // reconcile has planned today's own step. No backlog after downtime.
  // (Question notices, answers, delegations and verdicts are news: they never expire.)
  result.expired = (
    await prisma.outboundMessage.updateMany({
      where: { ...due, purpose: { in: expiring }, plannedFor: { lt: toInstant(toLocalDate(now)) } },
      data: { status: "CANCELLED", reason: "expired" },
    })
  ).count;
  result.skipped += (
    await prisma.outboundMessage.updateMany({ where: { ...due, assignment: { status: "SUBMITTED" } }, data: { status: "SKIPPED", reason: "submitted" } })
  ).count;
  for (const [status, reason] of Object.entries(NOT_OPEN_REASONS) as [keyof typeof NOT_OPEN_REASONS, string][]) {
    result.skipped += (
      await prisma.outboundMessage.updateMany({ where: { ...due, purpose: { in: whileOpen }, question: { status } }, data: { status: "SKIPPED", reason } })
    ).count;
  }
  result.skipped += await prisma.$executeRaw`
    UPDATE "OutboundMessage" o SET status = 'SKIPPED', reason = 'blocked', "updatedAt" = CURRENT_TIMESTAMP
    FROM "ChatIdentity" c
    WHERE o.status = 'PLANNED' AND o.purpose = ANY(${purposes}::text[]) AND o."plannedFor" <= ${now}
      AND c.platform = o.platform AND c."chatId" = o."chatId" AND c."blockedAt" IS NOT NULL`;

  if (!isWithinOfficeHours(now, hours, tables.office)) {
    result.postponed += (await prisma.outboundMessage.updateMany({ where: due, data: { plannedFor: nextSendTime(now, hours, tables.office) } })).count;
    return result;
  }
  // A unit with a day off of its own (a local festival) waits too, with the
  // messages about an open question to it (questions/reminders.ts plans on its days).
  for (const unitId of await unitsWithOwnHolidays(prisma)) {
    const table = tables.forUnit(unitId);
    if (isWithinOfficeHours(now, hours, table)) continue;
    result.postponed += (
      await prisma.outboundMessage.updateMany({
        where: { ...due, OR: [{ assignment: { unitId } }, { purpose: { in: whileOpen }, question: { targetUnitId: unitId } }] },
        data: { plannedFor: nextSendTime(now, hours, table) },
      })
    ).count;
  }

  // Overdue steps of an assignment (escalations of a question) whose deadline
  // was moved later stay PLANNED: the next reconcile moves or cancels them.
  // Rows of a question answered or closed since the skips above stay too.
  const rows = await prisma.$queryRaw<{ id: number; dedupKey: string; platform: PlatformName }[]>`
    UPDATE "OutboundMessage" SET status = 'QUEUED', "updatedAt" = CURRENT_TIMESTAMP
    WHERE id IN (
      SELECT o.id FROM "OutboundMessage" o
      LEFT JOIN "Assignment" a ON a.id = o."assignmentId"
      LEFT JOIN "Question" q ON q.id = o."questionId"
      WHERE o.status = 'PLANNED' AND o.purpose = ANY(${purposes}::text[]) AND o."plannedFor" <= ${now}
        AND (a.id IS NULL OR (a.status <> 'SUBMITTED' AND (NOT (o.step LIKE 'overdue-%' OR o.step LIKE 'escalation-%') OR a.deadline < ${now})))
        AND (q.id IS NULL OR ((q.status = 'OPEN' OR o.purpose <> ALL(${whileOpen}::text[]))
          AND (o.purpose <> ${QUESTION_ESCALATION} OR q.deadline < ${now})))
      ORDER BY o."plannedFor", o.id
      LIMIT ${limit}
      FOR UPDATE OF o SKIP LOCKED
    ) AND status = 'PLANNED'
    RETURNING id, "dedupKey", platform::text AS platform`;
  result.queued = rows.map((r) => ({ id: r.id, dedupKey: r.dedupKey, platform: r.platform }));
  return result;
}

/** Claims the due rows and hands them to `enqueue` (jobs/queues.ts enqueueOutbound). */
export async function dispatchDue(
  prisma: Prisma,
  now: Date,
  enqueue: (rows: QueuedRow[]) => Promise<void>,
): Promise<Omit<DueResult, "queued"> & { queued: number }> {
  const r = await dueMessages(prisma, now);
  if (r.queued.length > 0) await enqueue(r.queued);
  return { ...r, queued: r.queued.length };
}
