// A unit's page in the console: its people, its recent reports with every
// revision and file, the answers of one report's latest revision, the
// reminder log, and the questions (chất vấn) put to it that the viewer may see.
import type { Prisma, Tx } from "../db/database.ts";
import { inScope, type CommitteeScope } from "../committee/scope.ts";
import { formOf, readable, type ReadableAnswer } from "../committee/answers.ts";
import { stateOf, type UnitState } from "../committee/queries.ts";
import { revisionAnswers } from "../reports/submissions.ts";
import { visibleWhere } from "../questions/people.ts";

/** Reports shown, newest deadline first. */
export const REPORTS_SHOWN = 12;
/** Reminder log rows shown, newest first. */
export const REMINDERS_SHOWN = 50;

export interface UnitReport {
  assignmentId: number;
  templateTitle: string;
  periodLabel: string;
  deadline: Date;
  state: UnitState;
  reference: string | null;
  revisions: { number: number; submittedAt: Date; late: boolean; by: string }[];
  attachments: { id: number; fileName: string; sizeBytes: number; createdAt: Date; by: string }[];
}

export interface UnitPage {
  unit: { id: number; code: string; name: string; parentId: number | null; parentName: string | null };
  people: { fullName: string; role: string; linked: boolean }[];
  reports: UnitReport[];
  /** The report whose answers are shown, and its latest revision's answers; null when it has none submitted. */
  shown: { assignmentId: number; answers: ReadableAnswer[] } | null;
  reminders: { at: Date; purpose: string; status: string; reason: string | null; recipient: string | null; platform: string; report: string | null }[];
  questions: { reference: string; kind: string; status: string; deadline: Date | null; createdAt: Date; text: string }[];
}

/** The page, or null when the unit is not in the viewer's scope (or does not exist). */
export async function loadUnitPage(db: Prisma | Tx, scope: CommitteeScope, viewerId: number, unitId: number, now: Date, pick?: number): Promise<UnitPage | null> {
  if (!(await inScope(db, scope, unitId))) return null;
  const unit = await db.unit.findUnique({
    where: { id: unitId },
    select: {
      id: true,
      code: true,
      name: true,
      parentId: true,
      parent: { select: { name: true } },
      memberships: {
        where: { person: { active: true } },
        select: { role: true, person: { select: { fullName: true, identities: { where: { blockedAt: null }, select: { id: true } } } } },
        orderBy: [{ role: "asc" }, { person: { fullName: "asc" } }],
      },
    },
  });
  if (!unit) return null;
  const assignments = await db.assignment.findMany({
    where: { unitId, template: { active: true } },
    orderBy: [{ deadline: "desc" }, { id: "desc" }],
    take: REPORTS_SHOWN,
    select: {
      id: true,
      deadline: true,
      status: true,
      submittedLate: true,
      template: { select: { title: true } },
      period: { select: { label: true } },
      submission: {
        select: {
          reference: true,
          revisions: { orderBy: { number: "desc" }, select: { id: true, number: true, submittedAt: true, late: true, submittedBy: { select: { fullName: true } }, templateVersion: { select: { definition: true } } } },
          attachments: { orderBy: { id: "asc" }, select: { id: true, fileName: true, sizeBytes: true, createdAt: true, uploadedBy: { select: { fullName: true } } } },
        },
      },
    },
  });
  const reports: UnitReport[] = assignments.map((a) => ({
    assignmentId: a.id,
    templateTitle: a.template.title,
    periodLabel: a.period.label,
    deadline: a.deadline,
    state: stateOf(a, now),
    reference: a.status === "SUBMITTED" ? (a.submission?.reference ?? null) : null,
    revisions: (a.submission?.revisions ?? []).map((r) => ({ number: r.number, submittedAt: r.submittedAt, late: r.late, by: r.submittedBy.fullName })),
    attachments: (a.submission?.attachments ?? []).map((f) => ({ id: f.id, fileName: f.fileName, sizeBytes: f.sizeBytes, createdAt: f.createdAt, by: f.uploadedBy.fullName })),
  }));
  const chosen = assignments.find((a) => a.id === pick) ?? assignments.find((a) => (a.submission?.revisions.length ?? 0) > 0);
  const latest = chosen?.submission?.revisions[0];
  const shown = chosen && latest ? { assignmentId: chosen.id, answers: readable(formOf(latest.templateVersion.definition), await revisionAnswers(db, latest.id)) } : null;

  const outbound = await db.outboundMessage.findMany({
    where: { assignment: { unitId }, purpose: { not: "reply" } },
    orderBy: [{ plannedFor: "desc" }, { id: "desc" }],
    take: REMINDERS_SHOWN,
    select: {
      plannedFor: true,
      sentAt: true,
      purpose: true,
      status: true,
      reason: true,
      platform: true,
      recipient: { select: { fullName: true } },
      assignment: { select: { template: { select: { title: true } }, period: { select: { label: true } } } },
    },
  });
  const visible = await visibleWhere(db, viewerId);
  const questions = await db.question.findMany({
    where: { AND: [{ targetUnitId: unitId }, visible] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 50,
    select: { reference: true, kind: true, status: true, deadline: true, createdAt: true, text: true },
  });
  return {
    unit: { id: unit.id, code: unit.code, name: unit.name, parentId: unit.parentId, parentName: unit.parent?.name ?? null },
    people: unit.memberships.map((m) => ({ fullName: m.person.fullName, role: m.role, linked: m.person.identities.length > 0 })),
    reports,
    shown,
    reminders: outbound.map((o) => ({
      at: o.sentAt ?? o.plannedFor,
      purpose: o.purpose,
      status: o.status,
      reason: o.reason,
      recipient: o.recipient?.fullName ?? null,
      platform: o.platform,
      report: o.assignment ? `${o.assignment.template.title} – ${o.assignment.period.label}` : null,
    })),
    questions: questions.map((q) => ({ ...q, text: q.text.length > 200 ? `${q.text.slice(0, 199)}…` : q.text })),
  };
}

/** An attachment of a report of a unit in the viewer's scope; null otherwise. */
export async function attachmentInScope(db: Prisma | Tx, scope: CommitteeScope, attachmentId: number): Promise<{ storageKey: string; fileName: string; mimeType: string; unitId: number } | null> {
  const f = await db.attachment.findUnique({
    where: { id: attachmentId },
    select: { storageKey: true, fileName: true, mimeType: true, submission: { select: { assignment: { select: { unitId: true } } } } },
  });
  const unitId = f?.submission?.assignment.unitId;
  if (!f || unitId === undefined || !(await inScope(db, scope, unitId))) return null;
  return { storageKey: f.storageKey, fileName: f.fileName, mimeType: f.mimeType, unitId };
}
