// What the conversation needs to know about one assignment, with its form.
import type { Tx } from "../db/database.ts";
import { Prisma as P, type AssignmentStatus } from "../db/generated/client.ts";
import { parseTemplateForm, type TemplateForm } from "../forms/template-schema.ts";
import { canFileSql } from "../reports/due.ts";

export interface AssignmentView {
  id: number;
  status: AssignmentStatus;
  deadline: Date;
  lastSubmittedAt: Date | null;
  editAfterDeadline: boolean;
  templateTitle: string;
  periodLabel: string;
  /** An ad hoc request's instructions from the committee; null otherwise. */
  instructions: string | null;
  unitName: string;
  templateVersionId: number;
  form: TemplateForm;
}

// Template versions never change once written, so their parsed forms can be
// kept for the life of the process.
const forms = new Map<number, TemplateForm>();

async function formOf(tx: Tx, templateVersionId: number): Promise<TemplateForm> {
  let form = forms.get(templateVersionId);
  if (!form) {
    const v = await tx.templateVersion.findUniqueOrThrow({ where: { id: templateVersionId }, select: { definition: true } });
    form = parseTemplateForm(v.definition);
    forms.set(templateVersionId, form);
  }
  return form;
}

export interface Filing {
  /** REPORTER or HEAD of the assignment's unit, with person, unit and template active (reports/due.ts canFile). */
  canFile: boolean;
  assignment: AssignmentView;
  /** The draft's answers by path. */
  answers: Record<string, unknown>;
  /** The submission's version those answers were read at (every writer of a draft moves it). */
  draftVersion: number | null;
}

/**
 * The row of a Filing, for one statement to embed: the right to file, the
 * assignment and the draft's answers, found by SQL expressions.
 */
export function filingRow(personId: P.Sql, assignmentId: P.Sql, submissionId: P.Sql): P.Sql {
  return P.sql`
    SELECT a.id, a.status::text AS status, a.deadline, a."lastSubmittedAt", a."templateVersionId",
      t.title AS "templateTitle", t."editAfterDeadline", p.label AS "periodLabel", p.instructions, u.name AS "unitName",
      ${canFileSql(personId)} AS "canFile",
      coalesce((SELECT json_agg(json_build_object('path', x.path, 'value', x.value) ORDER BY x.id)
        FROM "Answer" x WHERE x."submissionId" = ${submissionId}), '[]'::json) AS answers,
      (SELECT s.version FROM "Submission" s WHERE s.id = ${submissionId}) AS "draftVersion"
    FROM "Assignment" a
    JOIN "Template" t ON t.id = a."templateId"
    JOIN "Period" p ON p.id = a."periodId"
    JOIN "Unit" u ON u.id = a."unitId"
    WHERE a.id = ${assignmentId}`;
}

interface FilingRow {
  id: number;
  status: AssignmentStatus;
  /** A Date, or its ISO text when the row came as JSON. */
  deadline: Date | string;
  lastSubmittedAt: Date | string | null;
  templateVersionId: number;
  templateTitle: string;
  editAfterDeadline: boolean;
  periodLabel: string;
  instructions: string | null;
  unitName: string;
  canFile: boolean;
  answers: { path: string; value: unknown }[];
  draftVersion: number | null;
}

/** What every message of a report in hand needs, in one query (filingRow). Null when the assignment is gone. */
export async function loadFiling(tx: Tx, personId: number, assignmentId: number, submissionId: number): Promise<Filing | null> {
  const rows = await tx.$queryRaw<FilingRow[]>(filingRow(P.sql`${personId}`, P.sql`${assignmentId}`, P.sql`${submissionId}`));
  return rows[0] ? toFiling(tx, rows[0]) : null;
}

/** A Filing from filingRow's row, as it came (directly or as JSON). */
export async function toFiling(tx: Tx, a: FilingRow): Promise<Filing> {
  const answers: Record<string, unknown> = {};
  for (const x of a.answers) answers[x.path] = x.value;
  return {
    canFile: a.canFile,
    answers,
    draftVersion: a.draftVersion,
    assignment: {
      id: a.id,
      status: a.status,
      deadline: new Date(a.deadline),
      lastSubmittedAt: a.lastSubmittedAt === null ? null : new Date(a.lastSubmittedAt),
      editAfterDeadline: a.editAfterDeadline,
      templateTitle: a.templateTitle,
      periodLabel: a.periodLabel,
      instructions: a.instructions,
      unitName: a.unitName,
      templateVersionId: a.templateVersionId,
      form: await formOf(tx, a.templateVersionId),
    },
  };
}

export type { FilingRow };

export async function loadAssignment(tx: Tx, id: number): Promise<AssignmentView> {
  const a = await tx.assignment.findUniqueOrThrow({
    where: { id },
    select: {
      id: true,
      status: true,
      deadline: true,
      lastSubmittedAt: true,
      templateVersionId: true,
      template: { select: { title: true, editAfterDeadline: true } },
      period: { select: { label: true, instructions: true } },
      unit: { select: { name: true } },
    },
  });
  const form = await formOf(tx, a.templateVersionId);
  return {
    id: a.id,
    status: a.status,
    deadline: a.deadline,
    lastSubmittedAt: a.lastSubmittedAt,
    editAfterDeadline: a.template.editAfterDeadline,
    // An ad hoc period is labelled by its day ("Đột xuất ngày 18/12/2026"); the report is the template's.
    templateTitle: a.template.title,
    periodLabel: a.period.label,
    instructions: a.period.instructions,
    unitName: a.unit.name,
    templateVersionId: a.templateVersionId,
    form,
  };
}
