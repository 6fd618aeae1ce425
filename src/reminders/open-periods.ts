// Opens the current Decree 09 period of every active periodic template (run
// daily by the scheduler and once at start-up), then plans the reminders of
// the assignments it made, starting with the "period opened" notice.
import type { Prisma } from "../db/database.ts";
import { currentPeriod, periodTypes, type PeriodType } from "../calendar/periods.ts";
import { openPeriod } from "../reports/periods.ts";
import { reconcileReminders, type ReconcileResult } from "./reconcile.ts";

export interface OpenDuePeriodsResult {
  opened: { templateId: number; periodKey: string; created: number }[];
  /** Templates that could not be opened (no form version...): the others still are. */
  failed: { templateId: number; error: string }[];
  reconciled: ReconcileResult;
}

const isPeriodic = (t: string): t is PeriodType => (periodTypes as readonly string[]).includes(t);

export async function openDuePeriods(prisma: Prisma, now: Date): Promise<OpenDuePeriodsResult> {
  const templates = await prisma.template.findMany({ where: { active: true, periodType: { not: "AD_HOC" } }, select: { id: true, periodType: true }, orderBy: { id: "asc" } });
  const opened: OpenDuePeriodsResult["opened"] = [];
  const failed: OpenDuePeriodsResult["failed"] = [];
  const periodIds = new Set<number>();
  for (const t of templates) {
    if (!isPeriodic(t.periodType)) continue;
    const w = currentPeriod(t.periodType, now);
    try {
      const r = await openPeriod(prisma, { templateId: t.id, type: w.type, year: w.year, number: w.number }, { now });
      opened.push({ templateId: t.id, periodKey: r.period.key, created: r.assignments.created });
      periodIds.add(r.period.id);
    } catch (err) {
      failed.push({ templateId: t.id, error: (err as Error).message });
    }
  }
  // Every assignment of the current periods, not only the new ones: a run
  // that crashed after opening left its assignments unplanned.
  const assignments =
    periodIds.size === 0
      ? []
      : await prisma.assignment.findMany({
          where: { periodId: { in: [...periodIds] }, templateId: { in: templates.map((t) => t.id) }, status: { not: "SUBMITTED" } },
          select: { id: true },
        });
  const reconciled = await reconcileReminders(prisma, { now, assignmentIds: assignments.map((a) => a.id) });
  return { opened, failed, reconciled };
}
