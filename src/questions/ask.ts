// /chatvan (/ask): a question put step by step: on whose behalf (the office
// only), to whom, what kind, the text (several messages and files), the
// deadline, the conference, then a preview to confirm. Nothing is sent
// before "Gửi chất vấn". The answers so far live in the person's
// conversation state (mode "committee", flow "question"), so the flow
// survives restarts and continues on the other app.
import { z } from "zod";
import type { Choice, InboundMessage, OutboundMessage } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import { formatDueTime } from "../calendar/dates.ts";
import { fold, parseReportCommand } from "../conversation/commands.ts";
import { parseDeadline } from "../committee/request.ts";
import { detectConfidential, detectConfidentialFileName } from "../forms/confidential.ts";
import { vi } from "../texts/vi.ts";
import type { AttachFile } from "../conversation/flow.ts";
import { answerers } from "./people.ts";
import { loadQuestionSettings } from "./settings.ts";
import { askQuestion, defaultDeadline, type QuestionKind, type Target } from "./store.ts";
import { noticeFor, quoted } from "./messages.ts";

const t = vi.questions.ask;

export const ASK_FLOW = "question";
const TEXT_MAX = 4000;
const CONFERENCE_MAX = 200;
const LIST_MAX = 15;
const FILE_MAX_BYTES = 20 * 1024 * 1024;

const steps = ["behalf", "target", "unit", "person", "kind", "text", "deadline", "conference", "confirm"] as const;
const target = z.union([z.object({ unitId: z.number().int() }), z.object({ personId: z.number().int() }), z.object({ bodyId: z.number().int() })]);

export const askData = z.object({
  step: z.enum(steps),
  committeeId: z.number().int(),
  askerId: z.number().int(),
  /** The office person typing for the asker, when it is not the asker. */
  enteredById: z.number().int().nullable(),
  target: target.optional(),
  targetName: z.string().optional(),
  kind: z.enum(["QUESTION", "PROPOSAL", "INFO_REQUEST"]).optional(),
  parts: z.array(z.string()).default([]),
  files: z.array(z.object({ id: z.number().int(), fileName: z.string() })).default([]),
  deadline: z.iso.datetime().optional(),
  conference: z.string().nullable().optional(),
  parentId: z.number().int().nullable().default(null),
  parentRef: z.string().optional(),
  /** The ids of the numbered list last shown (units, people or members), so "2" picks from it. */
  list: z.array(z.number().int()).optional(),
});
export type AskData = z.infer<typeof askData>;

export interface AskCtx {
  tx: Tx;
  person: { id: number; fullName: string };
  now: Date;
  message?: InboundMessage;
  attachFile: AttachFile;
  data: AskData;
  out: OutboundMessage[];
  menu?: Choice[] | undefined;
  done: boolean;
}

const say = (ctx: AskCtx, text: string, menu?: Choice[]) => {
  ctx.out.push(menu ? { text, choices: menu } : { text });
  ctx.menu = menu;
};

// ───────── who may ask ─────────

/** The committee the person asks in, and whether only on a member's behalf (the office); null when they may not ask. */
export async function askerRole(tx: Tx, personId: number): Promise<{ committeeId: number; office: boolean } | null> {
  const rows = await tx.membership.findMany({
    where: { personId, role: { in: ["COMMITTEE_MEMBER", "OFFICE"] }, person: { active: true }, unit: { active: true } },
    select: { unitId: true, role: true },
    orderBy: [{ unitId: "asc" }],
  });
  const member = rows.find((r) => r.role === "COMMITTEE_MEMBER");
  if (member) return { committeeId: member.unitId, office: false };
  const office = rows.find((r) => r.role === "OFFICE");
  return office ? { committeeId: office.unitId, office: true } : null;
}

async function members(tx: Tx, committeeId: number): Promise<{ id: number; fullName: string }[]> {
  return tx.person.findMany({
    where: { active: true, memberships: { some: { unitId: committeeId, role: "COMMITTEE_MEMBER" } } },
    select: { id: true, fullName: true },
    orderBy: [{ fullName: "asc" }, { id: "asc" }],
  });
}

/** Starts the flow: a fresh question, or a follow-up of one (target, committee and asker as the first). */
export async function startAsk(ctx: Omit<AskCtx, "data">, followUp?: { parentId: number; parentRef: string; committeeId: number; askerId: number; enteredById: number | null; target: Target; targetName: string }): Promise<AskCtx | null> {
  if (followUp) {
    const c: AskCtx = { ...ctx, data: { step: "text", committeeId: followUp.committeeId, askerId: followUp.askerId, enteredById: followUp.enteredById, target: followUp.target, targetName: followUp.targetName, kind: "QUESTION", parts: [], files: [], parentId: followUp.parentId, parentRef: followUp.parentRef } };
    say(c, t.text);
    return c;
  }
  const role = await askerRole(ctx.tx, ctx.person.id);
  if (!role) return null;
  const c: AskCtx = { ...ctx, data: { step: role.office ? "behalf" : "target", committeeId: role.committeeId, askerId: ctx.person.id, enteredById: null, parts: [], files: [], parentId: null } };
  if (role.office) await showMembers(c);
  else await showTargets(c);
  return c;
}

async function showMembers(ctx: AskCtx): Promise<void> {
  const list = await members(ctx.tx, ctx.data.committeeId);
  if (list.length === 0) {
    ctx.done = true;
    return say(ctx, t.noMembers);
  }
  ctx.data = { ...ctx.data, step: "behalf", list: list.map((m) => m.id) };
  say(ctx, t.onBehalf(list.map((m, i) => t.line(i + 1, m.fullName))));
}

async function bodies(tx: Tx, committeeId: number): Promise<{ id: number | null; kind: "STANDING_BOARD" | "INSPECTION" | "OFFICE"; name: string }[]> {
  const rows = await tx.committeeBody.findMany({ where: { committeeId, kind: { not: "OFFICE" } }, select: { id: true, kind: true, name: true }, orderBy: { kind: "asc" } });
  const committee = await tx.unit.findUniqueOrThrow({ where: { id: committeeId }, select: { name: true } });
  return [...rows, { id: null, kind: "OFFICE", name: `${vi.questions.bodyKinds.OFFICE} ${committee.name}` }];
}

async function showTargets(ctx: AskCtx): Promise<void> {
  ctx.data = { ...ctx.data, step: "target", list: undefined };
  const list = await bodies(ctx.tx, ctx.data.committeeId);
  const menu: Choice[] = [
    ...list.map((b) => ({ value: `cq:body:${b.kind}`, label: b.name })),
    { value: "cq:unit", label: t.unitLabel },
    { value: "cq:person", label: t.personLabel },
  ];
  const header = ctx.data.enteredById !== null ? "" : "CHẤT VẤN\n";
  say(ctx, t.target(header), menu);
}

// ───────── one message ─────────

export async function continueAsk(ctx: AskCtx, text: string | undefined, choice: string | undefined): Promise<void> {
  const { step } = ctx.data;
  const content = ctx.message?.content;
  if (step === "text" && content?.type === "file") return takeFile(ctx);
  if (choice === "cq:cancel") {
    ctx.done = true;
    return say(ctx, t.cancelled);
  }
  switch (step) {
    case "behalf":
      return text === undefined ? showMembers(ctx) : pickMember(ctx, text);
    case "target":
      return pickTarget(ctx, choice);
    case "unit":
    case "person":
      return text === undefined ? say(ctx, step === "unit" ? t.askUnit : t.askPerson) : search(ctx, step, text);
    case "kind":
      return pickKind(ctx, choice);
    case "text":
      return text === undefined ? say(ctx, t.text) : takeText(ctx, text);
    case "deadline":
      return text === undefined ? askDeadline(ctx) : takeDeadline(ctx, text);
    case "conference":
      return text === undefined ? say(ctx, t.conference) : takeConference(ctx, text);
    case "confirm":
      if (choice === "cq:send") return send(ctx);
      return preview(ctx);
  }
}

async function pickMember(ctx: AskCtx, text: string): Promise<void> {
  const list = await members(ctx.tx, ctx.data.committeeId);
  const chosen = pickFromList(text, ctx.data.list ?? [], list.map((m) => ({ id: m.id, name: m.fullName })));
  if (chosen === null) return say(ctx, t.noMatch(text));
  ctx.data = { ...ctx.data, askerId: chosen, enteredById: ctx.person.id };
  return showTargets(ctx);
}

function pickFromList(text: string, shown: number[], all: { id: number; name: string }[]): number | null {
  if (/^\d{1,3}$/.test(text.trim())) return shown[Number(text.trim()) - 1] ?? null;
  const f = fold(text);
  const hits = all.filter((x) => fold(x.name).includes(f));
  return hits.length === 1 ? hits[0]!.id : (all.find((x) => fold(x.name) === f)?.id ?? null);
}

async function pickTarget(ctx: AskCtx, choice: string | undefined): Promise<void> {
  if (choice === "cq:unit" || choice === "cq:person") {
    const step = choice === "cq:unit" ? "unit" : "person";
    ctx.data = { ...ctx.data, step, list: undefined };
    return say(ctx, step === "unit" ? t.askUnit : t.askPerson);
  }
  const kind = /^cq:body:(STANDING_BOARD|INSPECTION|OFFICE)$/.exec(choice ?? "")?.[1] as "STANDING_BOARD" | "INSPECTION" | "OFFICE" | undefined;
  if (kind === undefined) return showTargets(ctx);
  const list = await bodies(ctx.tx, ctx.data.committeeId);
  const body = list.find((b) => b.kind === kind);
  if (!body) return showTargets(ctx);
  // The office is a body of every committee: its row is made the first time it is asked.
  const id =
    body.id ??
    (
      await ctx.tx.committeeBody.upsert({
        where: { committeeId_kind: { committeeId: ctx.data.committeeId, kind: "OFFICE" } },
        create: { committeeId: ctx.data.committeeId, kind: "OFFICE", name: body.name },
        update: {},
        select: { id: true },
      })
    ).id;
  return chooseTarget(ctx, { bodyId: id }, body.name);
}

async function chooseTarget(ctx: AskCtx, target: Target, name: string): Promise<void> {
  const parties = { committeeId: ctx.data.committeeId, askedById: ctx.data.askerId, enteredById: ctx.data.enteredById, drafterId: null, ...toColumns(target) };
  if ((await answerers(ctx.tx, parties)).length === 0) return say(ctx, t.noAnswerer(name));
  ctx.data = { ...ctx.data, target, targetName: name, step: "kind", list: undefined };
  return askKind(ctx);
}

function toColumns(target: Target): { targetUnitId: number | null; targetPersonId: number | null; targetBodyId: number | null } {
  return {
    targetUnitId: "unitId" in target ? target.unitId : null,
    targetPersonId: "personId" in target ? target.personId : null,
    targetBodyId: "bodyId" in target ? target.bodyId : null,
  };
}

async function candidates(tx: Tx, step: "unit" | "person", committeeId: number, askerId: number): Promise<{ id: number; name: string; code: string }[]> {
  const under = { ancestors: { some: { ancestorId: committeeId } } };
  if (step === "unit") {
    const rows = await tx.unit.findMany({ where: { active: true, ...under, id: { not: committeeId } }, select: { id: true, name: true, code: true }, orderBy: [{ name: "asc" }, { id: "asc" }] });
    return rows;
  }
  const rows = await tx.person.findMany({
    where: { active: true, id: { not: askerId }, memberships: { some: { unit: { active: true, ...under } } } },
    select: { id: true, fullName: true, code: true, position: true },
    orderBy: [{ fullName: "asc" }, { id: "asc" }],
  });
  return rows.map((p) => ({ id: p.id, name: p.position ? `${p.fullName} (${p.position})` : p.fullName, code: p.code }));
}

async function search(ctx: AskCtx, step: "unit" | "person", text: string): Promise<void> {
  const all = await candidates(ctx.tx, step, ctx.data.committeeId, ctx.data.askerId);
  const typed = text.trim();
  let chosen: { id: number; name: string } | undefined;
  if (/^\d{1,3}$/.test(typed) && ctx.data.list) {
    const id = ctx.data.list[Number(typed) - 1];
    chosen = all.find((x) => x.id === id);
    if (!chosen) return say(ctx, t.badNumber(typed));
  } else {
    const f = fold(typed);
    const hits = all.filter((x) => fold(x.name).includes(f) || fold(x.code) === f);
    const exact = hits.filter((x) => fold(x.name) === f || fold(x.code) === f);
    if (hits.length === 0) return say(ctx, t.noMatch(typed));
    if (hits.length === 1 || exact.length === 1) chosen = exact[0] ?? hits[0];
    else {
      const shown = hits.slice(0, LIST_MAX);
      ctx.data = { ...ctx.data, list: shown.map((x) => x.id) };
      return say(ctx, t.matches(shown.map((x, i) => t.line(i + 1, x.name)), hits.length - shown.length));
    }
  }
  if (!chosen) return say(ctx, t.noMatch(typed));
  const name = step === "person" ? chosen.name.replace(/ \(.*\)$/, "") : chosen.name;
  return chooseTarget(ctx, step === "unit" ? { unitId: chosen.id } : { personId: chosen.id }, name);
}

const kindMenu: Choice[] = (["QUESTION", "PROPOSAL", "INFO_REQUEST"] as const).map((k) => ({ value: `cq:kind:${k}`, label: vi.questions.kinds[k] }));

function askKind(ctx: AskCtx): void {
  say(ctx, t.kind, kindMenu);
}

function pickKind(ctx: AskCtx, choice: string | undefined): void {
  const kind = /^cq:kind:(QUESTION|PROPOSAL|INFO_REQUEST)$/.exec(choice ?? "")?.[1] as QuestionKind | undefined;
  if (kind === undefined) return say(ctx, t.pickOne, kindMenu);
  ctx.data = { ...ctx.data, kind, step: "text" };
  if (kind !== "QUESTION") say(ctx, t.kindNote(vi.questions.kinds[kind]));
  say(ctx, t.text);
}

function refuseConfidential(ctx: AskCtx, marking: string): void {
  say(ctx, vi.questions.answer.confidential(marking));
}

async function takeText(ctx: AskCtx, text: string): Promise<void> {
  const f = fold(text);
  if (f === "xong" || f === "done") {
    if (ctx.data.parts.length === 0 && ctx.data.files.length === 0) return say(ctx, t.needText);
    ctx.data = { ...ctx.data, step: "deadline" };
    return askDeadline(ctx);
  }
  const finding = detectConfidential(text);
  if (finding) return refuseConfidential(ctx, finding.marking);
  const total = ctx.data.parts.reduce((n, p) => n + p.length, 0) + text.length;
  if (total > TEXT_MAX) return say(ctx, t.tooLong(TEXT_MAX));
  ctx.data = { ...ctx.data, parts: [...ctx.data.parts, text.normalize("NFC")] };
  say(ctx, t.textSaved(ctx.data.parts.length, ctx.data.files.length));
}

async function takeFile(ctx: AskCtx): Promise<void> {
  const message = ctx.message!;
  const content = message.content;
  if (content.type !== "file") return;
  const finding = detectConfidentialFileName(content.fileName ?? "") ?? detectConfidential(content.caption ?? "");
  if (finding) return refuseConfidential(ctx, finding.marking);
  const stored = await ctx.attachFile(ctx.tx, { file: content, message, personId: ctx.person.id, maxBytes: FILE_MAX_BYTES, now: ctx.now });
  if (!stored.ok) {
    const r = vi.report;
    return say(ctx, stored.reason === "too_large" ? r.fileTooLarge(FILE_MAX_BYTES / 1024 / 1024) : r.fileRefused[stored.reason]);
  }
  ctx.data = { ...ctx.data, files: [...ctx.data.files, { id: stored.attachmentId, fileName: stored.fileName }] };
  say(ctx, t.fileSaved(stored.fileName));
}

async function askDeadline(ctx: AskCtx): Promise<void> {
  const due = await defaultDeadline(ctx.tx, ctx.now);
  const { answerDays } = await loadQuestionSettings(ctx.tx);
  say(ctx, t.deadline(formatDueTime(due), answerDays));
}

async function takeDeadline(ctx: AskCtx, text: string): Promise<void> {
  let due: Date | null;
  if (parseReportCommand(text) === "skip") due = await defaultDeadline(ctx.tx, ctx.now);
  else {
    due = parseDeadline(text);
    if (due === null) return say(ctx, t.deadlineBad);
    if (due.getTime() <= ctx.now.getTime()) return say(ctx, t.deadlinePast);
  }
  ctx.data = { ...ctx.data, deadline: due.toISOString(), step: "conference" };
  say(ctx, t.conference);
}

async function takeConference(ctx: AskCtx, text: string): Promise<void> {
  if (parseReportCommand(text) === "skip") ctx.data = { ...ctx.data, conference: null };
  else if (text.length > CONFERENCE_MAX) return say(ctx, t.conferenceLong(CONFERENCE_MAX));
  else {
    const finding = detectConfidential(text);
    if (finding) return refuseConfidential(ctx, finding.marking);
    ctx.data = { ...ctx.data, conference: text.normalize("NFC") };
  }
  ctx.data = { ...ctx.data, step: "confirm" };
  return preview(ctx);
}

const confirmMenu: Choice[] = [
  { value: "cq:send", label: t.sendLabel },
  { value: "cq:cancel", label: t.cancelLabel },
];

async function preview(ctx: AskCtx): Promise<void> {
  const d = ctx.data;
  const asker = await ctx.tx.person.findUniqueOrThrow({ where: { id: d.askerId }, select: { fullName: true } });
  const lines = [
    t.previewHeader,
    ...(d.parentRef !== undefined ? [t.previewFollowUp(d.parentRef)] : []),
    t.previewAsker(asker.fullName, d.enteredById === null ? null : ctx.person.fullName),
    t.previewKind(vi.questions.kinds[d.kind ?? "QUESTION"]),
    t.previewTo(d.targetName ?? ""),
    t.previewText(d.parts.join("\n")),
    ...(d.files.length > 0 ? [t.previewFiles(d.files.map((f) => f.fileName))] : []),
    t.previewDeadline(d.deadline === undefined ? "" : formatDueTime(new Date(d.deadline))),
    t.previewConference(d.conference ?? null),
    "",
    t.previewFooter,
  ];
  say(ctx, lines.join("\n"), confirmMenu);
}

async function send(ctx: AskCtx): Promise<void> {
  const d = ctx.data;
  if (d.target === undefined || d.deadline === undefined || d.kind === undefined) {
    // A state from an older version of this flow: start again rather than guess.
    ctx.data = { ...ctx.data, step: "target" };
    return showTargets(ctx);
  }
  const text = d.parts.join("\n");
  const deadline = new Date(d.deadline);
  const asker = await ctx.tx.person.findUniqueOrThrow({ where: { id: d.askerId }, select: { fullName: true } });
  const kindLabel = vi.questions.kinds[d.kind];
  const asked = await askQuestion(ctx.tx, {
    committeeId: d.committeeId,
    askedById: d.askerId,
    enteredById: d.enteredById,
    kind: d.kind,
    target: d.target,
    text,
    conference: d.conference ?? null,
    deadline,
    parentId: d.parentId,
    attachmentIds: d.files.map((f) => f.id),
    now: ctx.now,
    notice: (q, canAnswer) =>
      noticeFor(q, canAnswer, { kind: kindLabel, asker: asker.fullName, to: d.targetName ?? "", excerpt: quoted(text), due: formatDueTime(deadline), files: d.files.length }),
  });
  ctx.done = true;
  say(ctx, t.sent(asked.reference, d.targetName ?? "", formatDueTime(deadline), asked.told, asked.unlinked.length));
}
