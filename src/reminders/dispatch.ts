// Hands planned reminders whose time has come to the send queue. Before a
// row is queued it is checked again: the report may have been submitted, the
// chat blocked, or it may be night or a day off (then the row waits for the
// next office morning). Claiming is one UPDATE ... RETURNING over rows locked
// with SKIP LOCKED, so several schedulers never queue a row twice.
import type { PlatformName } from "../channels/channel.ts";
import type { Prisma } from "../db/database.ts";
import { toInstant, toLocalDate } from "../calendar/dates.ts";
import { isWithinOfficeHours, nextSendTime } from "../calendar/office-hours.ts";
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
  /** Set SKIPPED: submitted meanwhile, or the chat blocked the bot. */
  skipped: number;
  /** Left PLANNED with a later plannedFor: outside office hours or on a day off. */
  postponed: number;
  /** CANCELLED: planned for an earlier day and never sent (downtime); not sent late. */
  expired: number;
}

const BATCH = 1_000;
// Nudges from the committee (/nhac) and the office's holiday notices share the office-hours rules of reminders.
const purposes = [...REMINDER_PURPOSES, "nudge", HOLIDAY_NOTICE_PURPOSE];

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
  result.expired = (
    await prisma.outboundMessage.updateMany({
      where: { ...due, plannedFor: { lt: toInstant(toLocalDate(now)) } },
      data: { status: "CANCELLED", reason: "expired" },
    })
  ).count;
  result.skipped += (
    await prisma.outboundMessage.updateMany({ where: { ...due, assignment: { status: "SUBMITTED" } }, data: { status: "SKIPPED", reason: "submitted" } })
  ).count;
  result.skipped += await prisma.$executeRaw`
    UPDATE "OutboundMessage" o SET status = 'SKIPPED', reason = 'blocked', "updatedAt" = CURRENT_TIMESTAMP
    FROM "ChatIdentity" c
    WHERE o.status = 'PLANNED' AND o.purpose IN ('opened', 'reminder', 'escalation', 'digest', 'nudge', 'notice') AND o."plannedFor" <= ${now}
      AND c.platform = o.platform AND c."chatId" = o."chatId" AND c."blockedAt" IS NOT NULL`;

  if (!isWithinOfficeHours(now, hours, tables.office)) {
    result.postponed += (await prisma.outboundMessage.updateMany({ where: due, data: { plannedFor: nextSendTime(now, hours, tables.office) } })).count;
    return result;
  }
  // A unit with a day off of its own (a local festival) waits too.
  for (const unitId of await unitsWithOwnHolidays(prisma)) {
    const table = tables.forUnit(unitId);
    if (isWithinOfficeHours(now, hours, table)) continue;
    result.postponed += (
      await prisma.outboundMessage.updateMany({ where: { ...due, assignment: { unitId } }, data: { plannedFor: nextSendTime(now, hours, table) } })
    ).count;
  }

  // Overdue steps of an assignment whose deadline was moved later stay
  // PLANNED: the next reconcile moves or cancels them.
  const rows = await prisma.$queryRaw<{ id: number; dedupKey: string; platform: PlatformName }[]>`
    UPDATE "OutboundMessage" SET status = 'QUEUED', "updatedAt" = CURRENT_TIMESTAMP
    WHERE id IN (
      SELECT o.id FROM "OutboundMessage" o
      LEFT JOIN "Assignment" a ON a.id = o."assignmentId"
      WHERE o.status = 'PLANNED' AND o.purpose IN ('opened', 'reminder', 'escalation', 'digest', 'nudge', 'notice') AND o."plannedFor" <= ${now}
        AND (a.id IS NULL OR (a.status <> 'SUBMITTED' AND (NOT (o.step LIKE 'overdue-%' OR o.step LIKE 'escalation-%') OR a.deadline < ${now})))
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
