// /nhac (/remind): a committee member's manual nudge to the reporters of
// units that have not filed. The rows are PLANNED like reminders, so quiet
// hours hold (a nudge at night goes out at the next office opening), and
// their dedupKey carries the day, so a person gets one nudge per report a day
// however often it is asked for. A per-unit cooldown keeps a unit from being
// pestered: the last nudge row of its assignments says when the next may go.
// Two /nhac at once, from any processes, are serialised per unit by a lock
// held until the message's transaction ends, so the cooldown holds for both.
import type { Choice, OutboundMessage, PlatformName } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import type { Prisma as P } from "../db/generated/client.ts";
import { formatDueTime, formatVietnameseDateTime, toDbDate, toLocalDate } from "../calendar/dates.ts";
import { nextSendTime } from "../calendar/office-hours.ts";
import { fold } from "../forms/answers.ts";
import { openChoiceValue } from "../reminders/messages.ts";
import { loadDirectory, recipientsFor } from "../reminders/recipients.ts";
import { loadHolidayTables, loadOfficeHours } from "../reminders/settings.ts";
import { vi } from "../texts/vi.ts";
import { committeeCommand, Refusal, requireUnit, type CommandContext } from "./guard.ts";

const t = vi.committeeFlows.remind;

export const NUDGE_PURPOSE = "nudge";
export const NUDGE_COOLDOWN_MS = 4 * 3600_000;
/** The first key of the nudge locks (the second is the unit id): "nudg". */
const NUDGE_LOCK_SPACE = 0x6e756467;
/** Unfiled reports whose deadline passed longer ago than this are history, not nudged. */
const OPEN_LOOKBACK_MS = 92 * 86_400_000;
const ALL_WORDS = new Set(["tatca", "all"]);

export const nudgeKey = (assignmentId: number, day: string, identityId: number) => `nudge:${assignmentId}:${day}:${identityId}`;

interface OpenAssignment {
  id: number;
  unitId: number;
  deadline: Date;
  unit: { name: string };
  template: { title: string };
  period: { label: string };
}

export const remindCommand = committeeCommand(["nhac", "remind"], async (ctx) => {
  const query = ctx.args.trim();
  if (query === "") throw new Refusal(t.usage, "usage");
  const all = ALL_WORDS.has(fold(query).replace(/\s+/g, ""));
  const roots = all ? ctx.scope.unitIds : [(await requireUnit(ctx, query)).id];
  const open = await openAssignments(ctx.tx, roots, ctx.now, all);
  if (open.length === 0) {
    if (all) throw new Refusal(t.nothingOverdue, "nothing-overdue");
    const unit = await ctx.tx.unit.findUniqueOrThrow({ where: { id: roots[0]! }, select: { name: true } });
    throw new Refusal(t.nothingOpen(unit.name), "nothing-open");
  }

  const byUnit = new Map<number, OpenAssignment[]>();
  for (const a of open) byUnit.set(a.unitId, [...(byUnit.get(a.unitId) ?? []), a]);
  await lockUnits(ctx.tx, [...byUnit.keys()]);
  const nextAllowed = await cooldowns(ctx.tx, [...byUnit.keys()], ctx.now);
  const cooling = [...byUnit.keys()].filter((u) => nextAllowed.has(u));
  if (cooling.length === byUnit.size) {
    const earliest = new Date(Math.min(...cooling.map((u) => nextAllowed.get(u)!.getTime())));
    const when = formatVietnameseDateTime(earliest);
    if (byUnit.size === 1) throw new Refusal(t.cooldown(open[0]!.unit.name, when), "cooldown");
    throw new Refusal(t.allCooling(when), "cooldown");
  }
  const chosen = [...byUnit].filter(([u]) => !nextAllowed.has(u));
  return [{ text: await plan(ctx, chosen, cooling.length) }];
});

/** Unsubmitted assignments in the subtrees whose window has opened; with `overdueOnly`, past their deadline. */
async function openAssignments(tx: Tx, roots: readonly number[], now: Date, overdueOnly: boolean): Promise<OpenAssignment[]> {
  return tx.assignment.findMany({
    where: {
      status: { not: "SUBMITTED" },
      windowStart: { lte: toDbDate(toLocalDate(now)) },
      deadline: overdueOnly ? { lt: now, gte: new Date(now.getTime() - OPEN_LOOKBACK_MS) } : { gte: new Date(now.getTime() - OPEN_LOOKBACK_MS) },
      unit: { active: true, ancestors: { some: { ancestorId: { in: [...roots] } } } },
      template: { active: true },
    },
    select: { id: true, unitId: true, deadline: true, unit: { select: { name: true } }, template: { select: { title: true } }, period: { select: { label: true } } },
    orderBy: [{ unit: { name: "asc" } }, { deadline: "asc" }, { id: "asc" }],
  });
}

/**
 * Waits for any other transaction nudging one of these units to end, so that
 * what it planned is seen by the cooldown check that follows (READ COMMITTED
 * reads each statement afresh). Released when the transaction ends.
 */
async function lockUnits(tx: Tx, unitIds: readonly number[]): Promise<void> {
  // Always in ascending order, so two overlapping sets cannot deadlock.
  const ids = [...new Set(unitIds)].sort((a, b) => a - b);
  await tx.$queryRaw`SELECT count(pg_advisory_xact_lock(${NUDGE_LOCK_SPACE}::int, id))::int AS n FROM unnest(${ids}::int[]) AS id`;
}

/** Units nudged less than the cooldown ago, with the moment the next nudge is allowed. */
async function cooldowns(tx: Tx, unitIds: number[], now: Date): Promise<Map<number, Date>> {
  const rows = await tx.outboundMessage.findMany({
    where: { purpose: NUDGE_PURPOSE, createdAt: { gt: new Date(now.getTime() - NUDGE_COOLDOWN_MS) }, assignment: { unitId: { in: unitIds } } },
    select: { createdAt: true, assignment: { select: { unitId: true } } },
  });
  const out = new Map<number, Date>();
  for (const r of rows) {
    const unitId = r.assignment?.unitId;
    if (unitId === undefined) continue;
    const next = new Date(r.createdAt.getTime() + NUDGE_COOLDOWN_MS);
    const seen = out.get(unitId);
    if (!seen || next > seen) out.set(unitId, next);
  }
  return out;
}

async function plan(ctx: CommandContext, chosen: [number, OpenAssignment[]][], skipped: number): Promise<string> {
  const { tx, now } = ctx;
  const hours = await loadOfficeHours(tx);
  const tables = await loadHolidayTables(tx);
  const dir = await loadDirectory(tx, chosen.map(([u]) => u));
  const rows: { dedupKey: string; platform: PlatformName; chatId: string; recipientId: number; assignmentId: number; payload: OutboundMessage; plannedFor: Date }[] = [];
  const unlinked: string[] = [];
  let latest = now;
  for (const [unitId, assignments] of chosen) {
    const at = nextSendTime(now, hours, tables.forUnit(unitId));
    if (at > latest) latest = at;
    const day = toLocalDate(at);
    const to = recipientsFor(dir, unitId, "reporters", day);
    if (to.length === 0) unlinked.push(assignments[0]!.unit.name);
    for (const a of assignments) {
      for (const r of to) {
        const text = t.message(a.template.title, a.period.label, a.unit.name, formatDueTime(a.deadline), a.deadline < now, ctx.person.fullName);
        rows.push({
          dedupKey: nudgeKey(a.id, day, r.identity.id),
          platform: r.identity.platform,
          chatId: r.identity.chatId,
          recipientId: r.personId,
          assignmentId: a.id,
          payload: r.canFile ? withOpenChoice(text, a.id, r.identity.platform) : { text },
          plannedFor: at,
        });
      }
    }
  }
  if (rows.length === 0) throw new Refusal(t.noRecipients, "no-recipients");
  // The reply counts what was really inserted: a person nudged already today
  // (the dedupKey carries the day) is skipped by the database, not counted.
  const inserted = await tx.outboundMessage.createManyAndReturn({
    data: rows.map((r) => ({ ...r, purpose: NUDGE_PURPOSE, step: NUDGE_PURPOSE, status: "PLANNED" as const, payload: r.payload as unknown as P.InputJsonValue, createdAt: now })),
    skipDuplicates: true,
    select: { dedupKey: true },
  });
  const keys = new Set(inserted.map((r) => r.dedupKey));
  const fresh = rows.filter((r) => keys.has(r.dedupKey));
  if (fresh.length === 0) throw new Refusal(t.alreadyToday, "already-today");
  const people = new Set(fresh.map((r) => r.recipientId)).size;
  const unitOf = new Map(chosen.flatMap(([unitId, list]) => list.map((a) => [a.id, unitId] as const)));
  const units = new Set(fresh.map((r) => unitOf.get(r.assignmentId))).size;
  const lines = [t.planned(people, units, latest.getTime() === now.getTime() ? null : formatVietnameseDateTime(latest))];
  if (skipped > 0) lines.push(t.skippedCooling(skipped));
  if (unlinked.length > 0) lines.push(t.notLinked(unlinked));
  return lines.join("\n");
}

/** The same button a reminder has, so "Mở báo cáo" (or "1" on Zalo) opens the report. */
function withOpenChoice(text: string, assignmentId: number, platform: PlatformName): OutboundMessage {
  const choices: Choice[] = [{ value: openChoiceValue(assignmentId), label: vi.reminders.openLabel }];
  return { text: platform === "ZALO" ? `${text}\n${vi.reminders.zaloHint}` : text, choices };
}
