// What the conversation needs to know about one assignment, with its form.
import type { Tx } from "../db/database.ts";
import type { AssignmentStatus } from "../db/generated/client.ts";
import { parseTemplateForm, type TemplateForm } from "../forms/template-schema.ts";

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
  let form = forms.get(a.templateVersionId);
  if (!form) {
    const v = await tx.templateVersion.findUniqueOrThrow({ where: { id: a.templateVersionId }, select: { definition: true } });
    form = parseTemplateForm(v.definition);
    forms.set(a.templateVersionId, form);
  }
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
