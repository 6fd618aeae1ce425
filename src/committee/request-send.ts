// The last step of /yeucau, after "Gửi yêu cầu": the inline questions become
// a template of their own, the ad hoc period and its assignments are opened,
// and the reminders are planned at once, starting with the "opened" notice.
// Everything runs in the message's transaction: all of it or nothing.
import type { Tx } from "../db/database.ts";
import type { Prisma as P } from "../db/generated/client.ts";
import { adHocPeriod } from "../calendar/periods.ts";
import { formatVietnameseDate, toLocalDate, type LocalDate } from "../calendar/dates.ts";
import { parseTemplateForm, type TemplateForm } from "../forms/template-schema.ts";
import { canonicalValue, formChecksum } from "../org/import.ts";
import { openAdHoc } from "../reports/periods.ts";
import { reconcileReminders } from "../reminders/reconcile.ts";
import { vi } from "../texts/vi.ts";
import type { CommitteeScope } from "./scope.ts";

export interface RequestDraft {
  /** An existing template; or else `questions` and `title` make a new one. */
  templateId?: number | undefined;
  questions?: string[] | undefined;
  title?: string | undefined;
  instructions: string | null;
  unitIds: number[];
  deadline: Date;
}

export type SendResult =
  | { ok: true; periodId: number; units: number; people: number; firstAt: Date | null }
  | { ok: false; problems: string[] };

/** The scope root that holds every unit, or null when they span several (or none). */
export async function commonRoot(tx: Tx, scope: CommitteeScope, unitIds: readonly number[]): Promise<number | null> {
  if (unitIds.length === 0) return null;
  const rows = await tx.unitClosure.findMany({
    where: { descendantId: { in: [...unitIds] }, ancestorId: { in: scope.unitIds } },
    select: { ancestorId: true, descendantId: true },
  });
  for (const root of scope.unitIds) {
    const under = new Set(rows.filter((r) => r.ancestorId === root).map((r) => r.descendantId));
    if (unitIds.every((u) => under.has(u))) return root;
  }
  return null;
}

/** Inline questions as a form: free-text answers, every one required. */
export function inlineForm(questions: readonly string[]): TemplateForm {
  return parseTemplateForm({ questions: questions.map((label, i) => ({ name: `cau_${i + 1}`, type: "long_text", label, required: true })) });
}

export async function sendRequest(
  tx: Tx,
  input: { personId: number; scope: CommitteeScope; draft: RequestDraft; now: Date },
): Promise<SendResult> {
  const { personId, scope, draft, now } = input;
  const start: LocalDate = toLocalDate(now);
  const end: LocalDate = toLocalDate(draft.deadline);
  // The checks openAdHoc makes, first: nothing is created when one fails.
  // The period is named by its day, so lists read "<report> – Đột xuất ngày 18/12/2026".
  const title = vi.committeeFlows.request.periodTitle(formatVietnameseDate(start));
  const checked = adHocPeriod({ title, start, end, deadline: draft.deadline }, now);
  if (!checked.ok) return { ok: false, problems: checked.problems };
  const committeeId = await commonRoot(tx, scope, draft.unitIds);
  if (committeeId === null) return { ok: false, problems: [vi.committeeFlows.request.outsideNow] };

  const templateId = draft.templateId ?? (await createInlineTemplate(tx, draft.title ?? title, draft.questions ?? [], now));
  const opened = await openAdHoc(
    tx,
    { committeeId, requestedById: personId, title, instructions: draft.instructions, templateId, unitIds: draft.unitIds, windowStart: start, windowEnd: end, deadline: draft.deadline },
    { now },
  );
  const periodId = opened.period.id;
  // The "opened" notice is timed from the assignment's creation; with the
  // clock as a parameter, creation is the request's moment, not the database's.
  await tx.assignment.updateMany({ where: { periodId }, data: { createdAt: now } });
  const assignmentIds = (await tx.assignment.findMany({ where: { periodId }, select: { id: true } })).map((a) => a.id);
  // reconcileReminders uses only the model delegates, which a transaction has too.
  await reconcileReminders(tx, { now, assignmentIds });

  const notices = await tx.outboundMessage.findMany({
    where: { assignmentId: { in: assignmentIds }, purpose: "opened", status: "PLANNED" },
    select: { recipientId: true, plannedFor: true },
    orderBy: { plannedFor: "asc" },
  });
  return {
    ok: true,
    periodId,
    units: assignmentIds.length,
    people: new Set(notices.map((n) => n.recipientId)).size,
    firstAt: notices[0]?.plannedFor ?? null,
  };
}

async function createInlineTemplate(tx: Tx, title: string, questions: readonly string[], now: Date): Promise<number> {
  const form = inlineForm(questions);
  const codes = await tx.template.findMany({ where: { code: { startsWith: "ADHOC-" } }, select: { code: true } });
  const n = Math.max(0, ...codes.map((c) => Number(c.code.slice(6))).filter(Number.isInteger)) + 1;
  const template = await tx.template.create({
    data: { code: `ADHOC-${n}`, title, periodType: "AD_HOC", createdAt: now },
    select: { id: true },
  });
  await tx.templateVersion.create({
    data: { templateId: template.id, version: 1, definition: canonicalValue(form) as P.InputJsonValue, checksum: formChecksum(form), createdAt: now },
    select: { id: true },
  });
  return template.id;
}
