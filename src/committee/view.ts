// /xem (/view) <unit> [period] [sosanh]: one unit's report as submitted —
// answers, files, which revision, who and when, on time or late — or what
// changed between its last two revisions.
import type { OutboundMessage } from "../channels/channel.ts";
import { formatDueTime, formatVietnameseDateTime } from "../calendar/dates.ts";
import { revisionAnswers } from "../reports/submissions.ts";
import { vi } from "../texts/vi.ts";
import { parseArgs } from "./args.ts";
import { formOf, readable, type ReadableAnswer } from "./answers.ts";
import { committeeCommand, Refusal, requireUnit, takeTemplate } from "./guard.ts";
import { resolveSlices, stateOf } from "./queries.ts";

const DIFF_FLAGS = ["sosanh", "diff"] as const;

export const viewCommand = committeeCommand(["xem", "view"], async (ctx) => {
  const t = vi.committee;
  const parsed = parseArgs(ctx.args, DIFF_FLAGS);
  const { templateId, rest } = await takeTemplate(ctx.tx, parsed.words);
  if (rest.length === 0) throw new Refusal(t.view.usage, "usage");
  const unit = await requireUnit(ctx, rest.join(" "));
  const slices = await resolveSlices(ctx.tx, [unit.id], { ...(parsed.period && { period: parsed.period }), ...(templateId !== undefined && { templateId }) }, ctx.now);
  const assignments = await ctx.tx.assignment.findMany({
    where: { unitId: unit.id, OR: slices.map((s) => ({ templateId: s.templateId, periodId: s.periodId })) },
    select: {
      deadline: true,
      status: true,
      submittedLate: true,
      template: { select: { title: true } },
      period: { select: { label: true } },
      submission: {
        select: {
          reference: true,
          _count: { select: { revisions: true } },
          attachments: { select: { id: true, fileName: true }, orderBy: { id: "asc" } },
          revisions: {
            orderBy: { number: "desc" },
            take: 2,
            select: { id: true, number: true, submittedAt: true, late: true, submittedBy: { select: { fullName: true } }, templateVersion: { select: { definition: true } } },
          },
        },
      },
    },
    orderBy: [{ template: { title: "asc" } }, { deadline: "asc" }],
  });
  if (slices.length === 0 || assignments.length === 0) throw new Refusal(t.nothingFor(unit.name), "nothing");
  const diff = parsed.flags.size > 0;
  const replies: OutboundMessage[] = [];
  for (const a of assignments) {
    const state = stateOf(a, ctx.now);
    const lines = [t.view.header(unit.name, a.template.title, a.period.label), t.view.state(`${t.marks[state]} ${t.stateNames[state]}`, formatDueTime(a.deadline))];
    const [latest, previous] = a.submission?.revisions ?? [];
    if (!a.submission || !latest) {
      lines.push(t.view.notSubmitted);
      replies.push({ text: lines.join("\n") });
      continue;
    }
    const count = a.submission._count.revisions;
    lines.push(t.view.revision(latest.number, count, latest.submittedBy.fullName, formatVietnameseDateTime(latest.submittedAt), !latest.late, a.submission.reference), "");
    const latestAnswers = await revisionAnswers(ctx.tx, latest.id);
    const now = readable(formOf(latest.templateVersion.definition), latestAnswers);
    if (diff) {
      if (!previous) lines.push(t.view.diffOnlyOne);
      else {
        const before = readable(formOf(previous.templateVersion.definition), await revisionAnswers(ctx.tx, previous.id));
        lines.push(t.view.diffHeader(previous.number, latest.number), ...diffLines(before, now));
      }
    } else {
      lines.push(...answerLines(now));
      // Only the files this revision's answers point at: replaced or abandoned
      // uploads of the draft stay out of the committee's view.
      const ids = new Set(latestAnswers.map((x) => attachmentIdOf(x.value)).filter((id): id is number => id !== undefined));
      const files = a.submission.attachments.filter((f) => ids.has(f.id)).map((f) => f.fileName);
      if (files.length > 0) lines.push("", t.view.attachments(files));
    }
    replies.push({ text: lines.join("\n") });
  }
  return replies;
});

function answerLines(answers: readonly ReadableAnswer[]): string[] {
  const t = vi.committee.view;
  if (answers.length === 0) return [t.noAnswers];
  const out: string[] = [];
  let entry: string | null = null;
  for (const a of answers) {
    if (a.entry !== entry) {
      if (a.entry !== null) out.push(t.entry(a.entry));
      entry = a.entry;
    }
    out.push(t.answer(a.label, a.text));
  }
  return out;
}

function diffLines(before: readonly ReadableAnswer[], after: readonly ReadableAnswer[]): string[] {
  const t = vi.committee.view;
  const label = (a: ReadableAnswer) => (a.entry === null ? a.label : `${a.entry} – ${a.label}`);
  const old = new Map(before.map((a) => [a.path, a]));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const a of after) {
    seen.add(a.path);
    const b = old.get(a.path);
    if (!b) out.push(t.diffAdded(label(a), a.text));
    else if (b.text !== a.text) out.push(t.diffChanged(label(a), b.text, a.text));
  }
  for (const b of before) if (!seen.has(b.path)) out.push(t.diffRemoved(label(b), b.text));
  return out.length > 0 ? out : [t.diffNone];
}

function attachmentIdOf(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null || !("attachmentId" in value)) return undefined;
  const id = (value).attachmentId;
  return typeof id === "number" ? id : undefined;
}
