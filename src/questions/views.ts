// /dschatvan (/questions): the questions a person sees, grouped; /xem CV-…:
// one question's whole thread. Both read through the visibility rule of
// people.ts: a question the person may not see reads like one that does not
// exist.
import type { Tx } from "../db/database.ts";
import { formatDueTime, formatVietnameseDate, toLocalDate } from "../calendar/dates.ts";
import { vi } from "../texts/vi.ts";
import { excerpt } from "./messages.ts";
import { standingOf, visibleWhere } from "./people.ts";
import { addresseeName, loadQuestion } from "./store.ts";

const t = vi.questions;
const PER_GROUP = 10;

const listSelect = {
  reference: true,
  text: true,
  deadline: true,
  targetUnit: { select: { name: true } },
  targetPerson: { select: { fullName: true } },
  targetBody: { select: { name: true } },
} as const;

/** Each group counted whole and shown in part: the overdue and waiting by deadline, the rest newest first. */
export async function listQuestions(tx: Tx, personId: number, now: Date): Promise<string> {
  const visible = await visibleWhere(tx, personId);
  const groups = {
    overdue: { status: "OPEN" as const, deadline: { lt: now } },
    open: { status: "OPEN" as const, OR: [{ deadline: null }, { deadline: { gte: now } }] },
    answered: { status: "ANSWERED" as const },
    closed: { status: "CLOSED" as const },
  };
  const lines: string[] = [];
  let total = 0;
  for (const key of ["overdue", "open", "answered", "closed"] as const) {
    const where = { AND: [visible, groups[key]] };
    const count = await tx.question.count({ where });
    if (count === 0) continue;
    total += count;
    const rows = await tx.question.findMany({
      where,
      select: listSelect,
      orderBy: key === "overdue" || key === "open" ? [{ deadline: "asc" }, { id: "asc" }] : [{ id: "desc" }],
      take: PER_GROUP,
    });
    lines.push("", `${t.list.group[key]} (${count}):`, ...rows.map((r) => t.list.line(r.reference, addresseeName(r), excerpt(r.text, 80), r.deadline ? formatDueTime(r.deadline) : "—")));
    if (count > rows.length) lines.push(t.list.more(count - rows.length));
  }
  if (total === 0) return t.list.empty;
  return [t.list.header(total), ...lines, "", t.list.footer].join("\n");
}

const day = (d: Date) => formatVietnameseDate(toLocalDate(d));

export interface ThreadFile {
  storageKey: string;
  fileName: string;
  mimeType: string;
  /** Where it belongs: "CV-2026-0007" or "CV-2026-0007, trả lời lần 2". */
  of: string;
}

/** The thread and its files, or null when the person may not see it (the caller says "not found"). */
export async function showThread(tx: Tx, personId: number, id: number, now: Date): Promise<{ text: string; files: ThreadFile[] } | null> {
  const q = await loadQuestion(tx, id);
  if (!q || (await standingOf(tx, personId, q)) === null) return null;
  const [files, answers, followUps, parent] = await Promise.all([
    tx.attachment.findMany({ where: { questionId: q.id, questionAnswerId: null }, select: { fileName: true, storageKey: true, mimeType: true }, orderBy: { id: "asc" } }),
    tx.questionAnswer.findMany({
      where: { questionId: q.id },
      select: { revision: true, text: true, createdAt: true, answeredBy: { select: { fullName: true } }, draftedBy: { select: { fullName: true } }, attachments: { select: { fileName: true, storageKey: true, mimeType: true }, orderBy: { id: "asc" } } },
      orderBy: { revision: "asc" },
    }),
    tx.question.findMany({ where: { parentId: q.id }, select: { reference: true }, orderBy: { id: "asc" } }),
    q.parentId === null ? null : tx.question.findUnique({ where: { id: q.parentId }, select: { reference: true } }),
  ]);
  const overdue = q.status === "OPEN" && q.deadline !== null && q.deadline.getTime() < now.getTime();
  const lines = [
    t.thread.header(q.reference, t.kinds[q.kind], t.statuses[q.status]),
    ...(parent ? [t.thread.followUpOf(parent.reference)] : []),
    t.thread.to(addresseeName(q)),
    ...(q.conference !== null ? [t.thread.conference(q.conference)] : []),
    ...(q.deadline !== null ? [t.thread.deadline(formatDueTime(q.deadline), overdue)] : []),
    "",
    t.thread.asked(day(q.createdAt), q.askedBy.fullName, q.enteredBy?.fullName ?? null),
    q.text,
    ...(files.length > 0 ? [t.thread.files(files.map((f) => f.fileName))] : []),
  ];
  if (answers.length === 0) lines.push("", t.thread.noAnswer);
  for (const a of answers) {
    const late = q.deadline !== null && a.createdAt.getTime() > q.deadline.getTime();
    lines.push("", t.thread.answer(a.revision, day(a.createdAt), a.answeredBy.fullName, a.draftedBy?.fullName ?? null, late), a.text);
    if (a.attachments.length > 0) lines.push(t.thread.files(a.attachments.map((f) => f.fileName)));
  }
  if (q.verdict !== null) lines.push("", t.thread.verdict(t.verdicts[q.verdict], q.verdictAt ? day(q.verdictAt) : "", q.verdictComment));
  if (followUps.length > 0) lines.push("", t.thread.followUps(followUps.map((f) => f.reference)));
  const shown: ThreadFile[] = [
    ...files.map((f) => ({ ...f, of: q.reference })),
    ...answers.flatMap((a) => a.attachments.map((f) => ({ ...f, of: t.thread.fileOfAnswer(q.reference, a.revision) }))),
  ];
  return { text: lines.join("\n"), files: shown };
}
