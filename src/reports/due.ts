// What a person has to file, and whether they may file a given assignment.
// Who may file is decided here, in the domain, not by the conversation.
import type { Prisma, Tx } from "../db/database.ts";
import { Prisma as P, type AssignmentStatus } from "../db/generated/client.ts";
import { toDbDate, toLocalDate } from "../calendar/dates.ts";

/** Roles that file a unit's reports. */
export const FILING_ROLES = ["REPORTER", "HEAD"] as const;

/**
 * canFile as an SQL expression, for statements that join the assignment as
 * `a`, its template as `t` and its unit as `u`.
 */
export function canFileSql(personId: P.Sql): P.Sql {
  return P.sql`(t.active AND u.active AND EXISTS (
    SELECT 1 FROM "Membership" m JOIN "Person" pe ON pe.id = m."personId" AND pe.active
    WHERE m."personId" = ${personId} AND m."unitId" = a."unitId" AND m.role::text = ANY(${[...FILING_ROLES]})))`;
}

export interface DueItem {
  assignmentId: number;
  unitId: number;
  unitName: string;
  templateTitle: string;
  periodLabel: string;
  deadline: Date;
  status: AssignmentStatus;
  /** Last submission, when submitted. */
  submittedAt?: Date;
  /** Whether the first submission was late, when submitted. */
  late?: boolean;
  /** May still be filed or edited now. */
  editable: boolean;
  /** Not submitted and past its deadline. */
  overdue: boolean;
  /** The receipt number, once a draft exists. */
  reference?: string;
}

export interface EditRule {
  status: AssignmentStatus;
  deadline: Date;
  editAfterDeadline: boolean;
}

/**
 * An unsubmitted report can always be filed: late reports must be counted,
 * not lost. A submitted one can be edited until its deadline (inclusive), or
 * later when its template allows.
 */
export function isEditable(a: EditRule, now: Date): boolean {
  if (a.status !== "SUBMITTED") return true;
  return a.editAfterDeadline || now.getTime() <= a.deadline.getTime();
}

/**
 * Assignments of the units where the person is REPORTER or HEAD (person and
 * unit active, template active) whose window has started by today (Vietnam
 * time), that are not submitted or are still editable; by deadline.
 */
export async function dueFor(db: Prisma | Tx, personId: number, now: Date): Promise<DueItem[]> {
  const rows = await db.assignment.findMany({
    where: {
      windowStart: { lte: toDbDate(toLocalDate(now)) },
      unit: { active: true, memberships: { some: { personId, role: { in: [...FILING_ROLES] }, person: { active: true } } } },
      template: { active: true },
      OR: [{ status: { not: "SUBMITTED" } }, { deadline: { gte: now } }, { template: { editAfterDeadline: true } }],
    },
    select: {
      id: true,
      unitId: true,
      deadline: true,
      status: true,
      lastSubmittedAt: true,
      submittedLate: true,
      unit: { select: { name: true } },
      template: { select: { title: true, editAfterDeadline: true } },
      period: { select: { label: true } },
      submission: { select: { reference: true } },
    },
    orderBy: [{ deadline: "asc" }, { unit: { name: "asc" } }, { id: "asc" }],
  });
  return rows.map((r) => ({
    assignmentId: r.id,
    unitId: r.unitId,
    unitName: r.unit.name,
    templateTitle: r.template.title,
    periodLabel: r.period.label,
    deadline: r.deadline,
    status: r.status,
    ...(r.lastSubmittedAt === null ? {} : { submittedAt: r.lastSubmittedAt }),
    ...(r.submittedLate === null ? {} : { late: r.submittedLate }),
    editable: isEditable({ status: r.status, deadline: r.deadline, editAfterDeadline: r.template.editAfterDeadline }, now),
    overdue: r.status !== "SUBMITTED" && now.getTime() > r.deadline.getTime(),
    ...(r.submission === null ? {} : { reference: r.submission.reference }),
  }));
}

/** REPORTER or HEAD of the assignment's unit, with person and unit active. */
export async function canFile(db: Prisma | Tx, personId: number, assignmentId: number): Promise<boolean> {
  const n = await db.membership.count({
    where: {
      personId,
      role: { in: [...FILING_ROLES] },
      person: { active: true },
      unit: { active: true, assignments: { some: { id: assignmentId, template: { active: true } } } },
    },
  });
  return n > 0;
}
