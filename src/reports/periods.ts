// Opening reporting periods: a Period row per Decree 09 window (or ad hoc
// request) and one Assignment per unit that must report on it. Opening is
// idempotent, so a scheduler may call it every day: each call only adds what
// is missing (a unit added to a template's targets gets its assignment on the
// next call), and existing assignments keep their version, window and deadline.
import { randomUUID } from "node:crypto";
import type { Prisma, Tx } from "../db/database.ts";
import type { Prisma as P, PeriodType as DbPeriodType } from "../db/generated/client.ts";
import { dateParts, fromDbDate, toDbDate, type LocalDate } from "../calendar/dates.ts";
import { loadHolidayTable } from "../calendar/holiday-store.ts";
import { adHocPeriod, deadline, periodWindow, type PeriodType } from "../calendar/periods.ts";
import { InvalidRequestError, NotFoundError, OutsideSubtreeError } from "./errors.ts";
import { inTransaction } from "./transaction.ts";

/** Roles that may raise requests and move deadlines for a unit's subtree. */
export const MANAGING_ROLES = ["OFFICE", "COMMITTEE_MEMBER"] as const;

export interface PeriodInfo {
  id: number;
  key: string;
  type: DbPeriodType;
  year: number;
  number: number | null;
  label: string;
  windowStart: LocalDate;
  windowEnd: LocalDate;
  /** Ad hoc requests only. */
  title: string | null;
}

export interface OpenPeriodResult {
  period: PeriodInfo;
  assignments: { created: number; existing: number };
}

export interface OpenPeriodInput {
  templateId: number;
  type: PeriodType;
  year: number;
  /** Month (MONTHLY) or quarter (QUARTERLY); omitted for the other types. */
  number?: number | null;
}

const periodSelect = {
  id: true,
  key: true,
  type: true,
  year: true,
  number: true,
  label: true,
  windowStart: true,
  windowEnd: true,
  title: true,
} as const;

function toPeriodInfo(row: P.PeriodGetPayload<{ select: typeof periodSelect }>): PeriodInfo {
  return { ...row, windowStart: fromDbDate(row.windowStart), windowEnd: fromDbDate(row.windowEnd) };
}

/**
 * Opens one Decree 09 period of a template: upserts the Period by its key and
 * creates the missing assignments of the template's active target units, on
 * the template's current (highest) version, with deadline = cut-off + N
 * working days by the office-wide holiday table.
 */
export async function openPeriod(db: Prisma | Tx, input: OpenPeriodInput, opts: { now: Date }): Promise<OpenPeriodResult> {
  let window;
  try {
    window = periodWindow(input.type, input.year, input.number);
  } catch (e) {
    throw new InvalidRequestError(`bad period: ${(e as Error).message}`);
  }
  return inTransaction(db, async (tx) => {
    const template = await tx.template.findUnique({
      where: { id: input.templateId },
      select: { id: true, periodType: true, deadlineWorkingDays: true, active: true },
    });
    if (!template) throw new NotFoundError("Template", input.templateId);
    if (!template.active) throw new InvalidRequestError(`template ${template.id} is inactive`);
    if (template.periodType !== input.type) {
      throw new InvalidRequestError(`template ${template.id} is ${template.periodType}, not ${input.type}`);
    }
    const versionId = await currentVersionId(tx, template.id);

    // ON CONFLICT DO NOTHING: concurrent openers of the same period both succeed.
    await tx.period.createMany({
      data: [
        {
          key: window.key,
          type: window.type,
          year: window.year,
          number: window.number,
          label: window.label,
          windowStart: toDbDate(window.start),
          windowEnd: toDbDate(window.end),
        },
      ],
      skipDuplicates: true,
    });
    const period = toPeriodInfo(await tx.period.findUniqueOrThrow({ where: { key: window.key }, select: periodSelect }));

    const targets = await tx.templateTarget.findMany({
      where: { templateId: template.id, unit: { active: true } },
      select: { unitId: true },
      orderBy: { unitId: "asc" },
    });
    const due = deadline(period.windowEnd, template.deadlineWorkingDays, await loadHolidayTable(tx));
    const created = targets.length === 0 ? 0 : (
      await tx.assignment.createMany({
        data: targets.map((t) => ({
          unitId: t.unitId,
          periodId: period.id,
          templateId: template.id,
          templateVersionId: versionId,
          windowStart: toDbDate(period.windowStart),
          windowEnd: toDbDate(period.windowEnd),
          deadline: due,
          // Opened by the app's clock (reminders plan from it), not the database's.
          createdAt: opts.now,
        })),
        skipDuplicates: true,
      })
    ).count;
    if (created > 0) {
      await tx.auditLog.create({
        data: {
          at: opts.now,
          action: "period.opened",
          entityType: "Period",
          entityId: String(period.id),
          details: { key: period.key, templateId: template.id, created, deadline: due.toISOString() },
        },
        select: { id: true },
      });
    }
    return { period, assignments: { created, existing: targets.length - created } };
  });
}

async function currentVersionId(tx: Tx, templateId: number): Promise<number> {
  const v = await tx.templateVersion.findFirst({ where: { templateId }, orderBy: { version: "desc" }, select: { id: true } });
  if (!v) throw new NotFoundError("TemplateVersion", `template ${templateId}`);
  return v.id;
}

// ───────────── ad hoc ("đột xuất") requests ─────────────

export interface AdHocRequest {
  /** The committee raising the request; the target units must be in its subtree. */
  committeeId: number;
  requestedById: number;
  title: string;
  instructions?: string | null;
  templateId: number;
  unitIds: number[];
  windowStart: LocalDate;
  windowEnd: LocalDate;
  deadline: Date;
}

/**
 * Raises an ad hoc request: a Period of type AD_HOC (key "AD_HOC-<id>") and
 * one assignment per target unit. The requester must hold an office or
 * committee-member role on the committee or above it, and every unit must be
 * in the committee's subtree (the committee itself included).
 */
export async function openAdHoc(db: Prisma | Tx, req: AdHocRequest, opts: { now: Date }): Promise<OpenPeriodResult> {
  const unitIds = [...new Set(req.unitIds)];
  if (unitIds.length === 0) throw new InvalidRequestError("an ad hoc request needs at least one unit");
  const checked = adHocPeriod({ title: req.title, start: req.windowStart, end: req.windowEnd, deadline: req.deadline }, opts.now);
  if (!checked.ok) throw new InvalidRequestError("invalid ad hoc request", checked.problems);
  const { title, start, end } = checked.period;

  return inTransaction(db, async (tx) => {
    const outside = await unitsNotManagedBy(tx, req.requestedById, req.committeeId, unitIds);
    if (outside !== null) throw new OutsideSubtreeError(req.requestedById, req.committeeId, outside);
    const inactive = await tx.unit.findMany({ where: { id: { in: unitIds }, active: false }, select: { id: true } });
    if (inactive.length > 0) throw new InvalidRequestError(`inactive units: ${inactive.map((u) => u.id).join(", ")}`);
    const template = await tx.template.findUnique({ where: { id: req.templateId }, select: { id: true, active: true } });
    if (!template) throw new NotFoundError("Template", req.templateId);
    if (!template.active) throw new InvalidRequestError(`template ${template.id} is inactive`);
    const versionId = await currentVersionId(tx, template.id);

    // The key names the row's own id, which exists only after the insert.
    const draft = await tx.period.create({
      data: {
        key: `AD_HOC-new-${randomUUID()}`,
        type: "AD_HOC",
        year: dateParts(end).year,
        number: null,
        label: title,
        windowStart: toDbDate(start),
        windowEnd: toDbDate(end),
        title,
        instructions: req.instructions ?? null,
        requestedById: req.requestedById,
        committeeId: req.committeeId,
      },
      select: { id: true },
    });
    const period = toPeriodInfo(
      await tx.period.update({ where: { id: draft.id }, data: { key: `AD_HOC-${draft.id}` }, select: periodSelect }),
    );
    const created = (
      await tx.assignment.createMany({
        data: unitIds.map((unitId) => ({
          unitId,
          periodId: period.id,
          templateId: template.id,
          templateVersionId: versionId,
          windowStart: toDbDate(start),
          windowEnd: toDbDate(end),
          deadline: req.deadline,
          createdAt: opts.now,
        })),
      })
    ).count;
    await tx.auditLog.create({
      data: {
        at: opts.now,
        actorId: req.requestedById,
        action: "period.adhoc.opened",
        entityType: "Period",
        entityId: String(period.id),
        details: { key: period.key, templateId: template.id, committeeId: req.committeeId, unitIds, deadline: req.deadline.toISOString() },
      },
      select: { id: true },
    });
    return { period, assignments: { created, existing: 0 } };
  });
}

/**
 * null when the person may act on all the units through `committeeId`;
 * otherwise the units outside the committee's subtree ([] when the person
 * holds no managing role on the committee or an ancestor of it).
 */
async function unitsNotManagedBy(tx: Tx, personId: number, committeeId: number, unitIds: number[]): Promise<number[] | null> {
  const role = await tx.membership.findFirst({
    where: {
      personId,
      role: { in: [...MANAGING_ROLES] },
      person: { active: true },
      unit: { active: true, descendants: { some: { descendantId: committeeId } } },
    },
    select: { id: true },
  });
  if (!role) return [];
  const inside = await tx.unitClosure.findMany({
    where: { ancestorId: committeeId, descendantId: { in: unitIds } },
    select: { descendantId: true },
  });
  const ok = new Set(inside.map((r) => r.descendantId));
  const outside = unitIds.filter((id) => !ok.has(id));
  return outside.length === 0 ? null : outside;
}

// ───────────── moving deadlines ─────────────

export type AssignmentSelection = number[] | { periodId: number; templateId: number };

export interface MoveDeadlineOptions {
  now: Date;
  /** Who moves it; must manage every affected unit. null: the system itself (a CLI, a migration), unchecked. */
  actorId: number | null;
}

/**
 * Sets a new deadline on the selected assignments (an extension, usually).
 * Past submissions keep their `late` flags: a revision records what was true
 * when it was made, and Assignment.submittedLate follows the first revision.
 */
export async function moveDeadline(
  db: Prisma | Tx,
  selection: AssignmentSelection,
  newDeadline: Date,
  opts: MoveDeadlineOptions,
): Promise<{ moved: number }> {
  if (Number.isNaN(newDeadline.getTime())) throw new InvalidRequestError("invalid deadline");
  if (newDeadline.getTime() <= opts.now.getTime()) throw new InvalidRequestError("the new deadline has already passed");
  return inTransaction(db, async (tx) => {
    const where = Array.isArray(selection)
      ? { id: { in: selection } }
      : { periodId: selection.periodId, templateId: selection.templateId };
    const rows = await tx.assignment.findMany({ where, select: { id: true, unitId: true, deadline: true }, orderBy: { id: "asc" } });
    if (Array.isArray(selection)) {
      const found = new Set(rows.map((r) => r.id));
      const missing = selection.find((id) => !found.has(id));
      if (missing !== undefined) throw new NotFoundError("Assignment", missing);
    }
    if (rows.length === 0) return { moved: 0 };
    if (opts.actorId !== null) {
      const notManaged = await unitsOutsideManagement(tx, opts.actorId, [...new Set(rows.map((r) => r.unitId))]);
      if (notManaged.length > 0) throw new OutsideSubtreeError(opts.actorId, null, notManaged);
    }
    const ids = rows.map((r) => r.id);
    await tx.assignment.updateMany({ where: { id: { in: ids } }, data: { deadline: newDeadline } });
    await tx.auditLog.create({
      data: {
        at: opts.now,
        actorId: opts.actorId,
        action: "assignment.deadline.moved",
        entityType: "Assignment",
        entityId: ids.length === 1 ? String(ids[0]) : null,
        details: {
          assignmentIds: ids,
          from: [...new Set(rows.map((r) => r.deadline.toISOString()))],
          to: newDeadline.toISOString(),
        },
      },
      select: { id: true },
    });
    return { moved: ids.length };
  });
}

/** Units for which the person holds no managing role on the unit or an ancestor. */
async function unitsOutsideManagement(tx: Tx, personId: number, unitIds: number[]): Promise<number[]> {
  const managed = await tx.unitClosure.findMany({
    where: {
      descendantId: { in: unitIds },
      ancestor: { active: true, memberships: { some: { personId, role: { in: [...MANAGING_ROLES] }, person: { active: true } } } },
    },
    select: { descendantId: true },
  });
  const ok = new Set(managed.map((r) => r.descendantId));
  return unitIds.filter((id) => !ok.has(id));
}
