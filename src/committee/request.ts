// /yeucau (/request): an ad hoc ("đột xuất") report request, asked step by
// step: a template or a few typed questions, a title and an instruction, the
// units, the deadline, then a summary to confirm. Nothing is created before
// "Gửi yêu cầu". The answers so far live in the person's conversation state
// (mode "committee", flow "request"), so the flow survives restarts and
// continues on the other app; /huy drops it, any other command ends it.
import { z } from "zod";
import type { Choice, OutboundMessage } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import { Prisma as P } from "../db/generated/client.ts";
import { formatDueTime, parseVietnameseDate, toInstant, type LocalTime } from "../calendar/dates.ts";
import { fold as foldWords, parseReportCommand } from "../conversation/commands.ts";
import { idle, lockState, saveState } from "../conversation/state.ts";
import { pickFromMenu } from "../conversation/menus.ts";
import { vi } from "../texts/vi.ts";
import { committeeCommand } from "./guard.ts";
import type { CommitteeRequest, ResumeRequest } from "./registry.ts";
import { committeeScope, type CommitteeScope } from "./scope.ts";
import { findUnit } from "./units.ts";
import { commonRoot, sendRequest } from "./request-send.ts";

const t = vi.committeeFlows.request;

export const REQUEST_FLOW = "request";
export const MAX_QUESTIONS = 10;
const QUESTION_LENGTH = { min: 3, max: 500 } as const;
const TITLE_LENGTH = { min: 3, max: 200 } as const;
const INSTRUCTIONS_MAX = 500;
const UNIT_LIST_MAX = 30;
const TEMPLATE_MENU_MAX = 15;
const CONFIRM_UNIT_NAMES = 10;
const DEFAULT_DUE_TIME: LocalTime = "17:00";

const steps = ["template", "questions", "title", "instructions", "units", "deadline", "confirm", "edit"] as const;
type Step = (typeof steps)[number];
const sections = ["template", "text", "units", "deadline"] as const;

/** The answers so far; read back with this schema, so a stale or broken state ends the flow instead of crashing it. */
export const requestData = z.object({
  step: z.enum(steps),
  templateId: z.number().int().optional(),
  templateTitle: z.string().optional(),
  questions: z.array(z.string()).max(MAX_QUESTIONS).optional(),
  title: z.string().optional(),
  instructions: z.string().nullable().optional(),
  unitIds: z.array(z.number().int()).optional(),
  /** The unit ids of the numbered list last shown, so "1, 3" picks from it. */
  list: z.array(z.number().int()).optional(),
  deadline: z.iso.datetime().optional(),
  /** Set while one section is changed from the summary: the summary follows it. */
  editing: z.enum(sections).optional(),
});
export type RequestData = z.infer<typeof requestData>;

interface Ctx {
  tx: Tx;
  person: CommitteeRequest["person"];
  now: Date;
  scope: CommitteeScope;
  data: RequestData;
  out: OutboundMessage[];
  menu?: Choice[] | undefined;
  done: boolean;
}

const say = (ctx: Ctx, text: string, menu?: Choice[]) => {
  ctx.out.push(menu ? { text, choices: menu } : { text });
  ctx.menu = menu;
};

export const requestCommand = committeeCommand(["yeucau", "request"], async ({ tx, person, now, scope }) => {
  await lockState(tx, person.id);
  const ctx: Ctx = { tx, person, now, scope, data: { step: "template" }, out: [], done: false };
  await enter(ctx, "template");
  await store(ctx);
  return ctx.out;
});

/** Continues the request flow with the person's next message; null when they are not in it (or leave it for a command). */
export async function resumeRequest(req: ResumeRequest): Promise<OutboundMessage[] | null> {
  const { tx, person, now, message, state } = req;
  if (state.mode !== "committee" || state.flow !== REQUEST_FLOW) return null;
  const parsed = requestData.safeParse(state.data);
  const leave = async () => {
    await saveState(tx, person.id, idle);
    return null;
  };
  if (!parsed.success) return leave();

  const { content } = message;
  const text = content.type === "text" ? content.text.trim() : undefined;
  if (text !== undefined && parseReportCommand(text) === "cancel") {
    await saveState(tx, person.id, idle);
    return [{ text: t.cancelled }];
  }
  // Another command, or a button of an earlier message (a reminder's "Mở báo cáo"): the bot's, not this flow's.
  if (text?.startsWith("/")) return leave();
  if (content.type === "choice" && !content.value.startsWith("rq:")) return leave();

  const scope = await committeeScope(tx, person.id);
  if (!scope) {
    await saveState(tx, person.id, idle);
    return [{ text: vi.committee.refused }];
  }
  const choice = content.type === "choice" ? content.value : text !== undefined ? pickFromMenu(text, state.menu) : undefined;
  const ctx: Ctx = { tx, person, now, scope, data: parsed.data, out: [], done: false };
  if (choice === "rq:cancel") {
    await saveState(tx, person.id, idle);
    return [{ text: t.cancelled }];
  }
  await answer(ctx, text, choice, state.menu);
  await store(ctx);
  return ctx.out;
}

async function store(ctx: Ctx): Promise<void> {
  await saveState(
    ctx.tx,
    ctx.person.id,
    ctx.done ? idle : { mode: "committee", flow: REQUEST_FLOW, data: ctx.data, ...(ctx.menu ? { menu: ctx.menu } : {}) },
  );
}

// ───────── moving between steps ─────────

function nextStep(data: RequestData, from: Step): Step {
  const inline = data.templateId === undefined;
  switch (from) {
    case "template":
      return inline ? "questions" : data.editing ? "confirm" : "instructions";
    case "questions":
      return "title";
    case "title":
      return data.editing === "template" ? "confirm" : "instructions";
    case "instructions":
      return data.editing ? "confirm" : "units";
    case "units":
      return data.editing ? "confirm" : "deadline";
    default:
      return "confirm";
  }
}

async function advance(ctx: Ctx, from: Step): Promise<void> {
  await enter(ctx, nextStep(ctx.data, from));
}

async function enter(ctx: Ctx, step: Step): Promise<void> {
  ctx.data = { ...ctx.data, step };
  ctx.menu = undefined;
  switch (step) {
    case "template":
      return say(ctx, t.start, await templateMenu(ctx.tx));
    case "questions":
      return say(ctx, t.askQuestion((ctx.data.questions?.length ?? 0) + 1, MAX_QUESTIONS));
    case "title":
      return say(ctx, t.askTitle);
    case "instructions":
      return say(ctx, t.askInstructions(INSTRUCTIONS_MAX));
    case "units":
      return showUnits(ctx);
    case "deadline":
      return say(ctx, t.askDeadline);
    case "confirm":
      ctx.data = { ...ctx.data, editing: undefined };
      return say(ctx, await summary(ctx), confirmMenu);
    case "edit":
      return say(ctx, t.editAsk, editMenu);
  }
}

const confirmMenu: Choice[] = [
  { value: "rq:send", label: t.sendLabel },
  { value: "rq:edit", label: t.editLabel },
  { value: "rq:cancel", label: t.cancelLabel },
];

const editMenu: Choice[] = [
  { value: "rq:edit:template", label: t.editTemplate },
  { value: "rq:edit:text", label: t.editText },
  { value: "rq:edit:units", label: t.editUnits },
  { value: "rq:edit:deadline", label: t.editDeadline },
];

async function templateMenu(tx: Tx): Promise<Choice[]> {
  // Templates made from typed questions served one request; they would only crowd the menu.
  const rows = await tx.template.findMany({
    where: { active: true, NOT: { code: { startsWith: "ADHOC-" } }, versions: { some: {} } },
    select: { id: true, title: true },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    take: TEMPLATE_MENU_MAX,
  });
  return [...rows.map((r) => ({ value: `rq:tpl:${r.id}`, label: r.title })), { value: "rq:inline", label: t.inlineLabel }];
}

/** Asks again: the message did not answer the step in hand. */
function repeatMenu(ctx: Ctx, menu: Choice[] | undefined): void {
  say(ctx, t.pickOne, menu);
}

// ───────── answers ─────────

async function answer(ctx: Ctx, text: string | undefined, choice: string | undefined, menu: Choice[] | undefined): Promise<void> {
  const step = ctx.data.step;
  if (step === "template" || step === "confirm" || step === "edit") {
    if (choice === undefined) return repeatMenu(ctx, menu);
    return pick(ctx, step, choice, menu);
  }
  if (text === undefined) return enter(ctx, step);
  switch (step) {
    case "questions":
      return question(ctx, text);
    case "title":
      return title(ctx, text);
    case "instructions":
      return instructions(ctx, text);
    case "units":
      return units(ctx, text);
    case "deadline":
      return deadline(ctx, text);
  }
}

async function pick(ctx: Ctx, step: Step, choice: string, menu: Choice[] | undefined): Promise<void> {
  if (step === "template") {
    if (choice === "rq:inline") {
      ctx.data = { ...ctx.data, templateId: undefined, templateTitle: undefined, questions: [], title: undefined };
      return advance(ctx, "template");
    }
    const id = Number(/^rq:tpl:(\d+)$/.exec(choice)?.[1]);
    const template = Number.isInteger(id)
      ? await ctx.tx.template.findFirst({ where: { id, active: true, versions: { some: {} } }, select: { id: true, title: true } })
      : null;
    if (!template) return repeatMenu(ctx, menu);
    ctx.data = { ...ctx.data, templateId: template.id, templateTitle: template.title, questions: undefined, title: undefined };
    return advance(ctx, "template");
  }
  if (step === "confirm") {
    if (choice === "rq:send") return send(ctx);
    if (choice === "rq:edit") return enter(ctx, "edit");
    return repeatMenu(ctx, menu);
  }
  const section = /^rq:edit:(\w+)$/.exec(choice)?.[1];
  if (section === undefined || !(sections as readonly string[]).includes(section)) return repeatMenu(ctx, menu);
  const editing = section as (typeof sections)[number];
  ctx.data = { ...ctx.data, editing };
  const first: Record<typeof editing, Step> = {
    template: "template",
    text: ctx.data.templateId === undefined ? "title" : "instructions",
    units: "units",
    deadline: "deadline",
  };
  return enter(ctx, first[editing]);
}

async function question(ctx: Ctx, text: string): Promise<void> {
  const questions = ctx.data.questions ?? [];
  if (["xong", "done"].includes(foldWords(text))) {
    if (questions.length === 0) return say(ctx, t.needOneQuestion);
    return advance(ctx, "questions");
  }
  if (text.length < QUESTION_LENGTH.min || text.length > QUESTION_LENGTH.max) return say(ctx, t.questionLength(QUESTION_LENGTH.min, QUESTION_LENGTH.max));
  const next = [...questions, text.normalize("NFC")];
  ctx.data = { ...ctx.data, questions: next };
  if (next.length >= MAX_QUESTIONS) {
    say(ctx, t.maxQuestions(MAX_QUESTIONS));
    return advance(ctx, "questions");
  }
  say(ctx, t.questionSaved(next.length));
}

async function title(ctx: Ctx, text: string): Promise<void> {
  if (text.length < TITLE_LENGTH.min || text.length > TITLE_LENGTH.max) return say(ctx, t.titleLength(TITLE_LENGTH.min, TITLE_LENGTH.max));
  ctx.data = { ...ctx.data, title: text.normalize("NFC") };
  return advance(ctx, "title");
}

async function instructions(ctx: Ctx, text: string): Promise<void> {
  if (parseReportCommand(text) === "skip") ctx.data = { ...ctx.data, instructions: null };
  else if (text.length > INSTRUCTIONS_MAX) return say(ctx, t.instructionsLength(INSTRUCTIONS_MAX));
  else ctx.data = { ...ctx.data, instructions: text.normalize("NFC") };
  return advance(ctx, "instructions");
}

// ───────── units ─────────

interface Candidate {
  id: number;
  name: string;
}

/** Units under the person's committees (not the committees themselves) with someone who can file: a reporter or a head. */
async function candidates(tx: Tx, scope: CommitteeScope): Promise<Candidate[]> {
  return tx.$queryRaw<Candidate[]>(P.sql`
    SELECT DISTINCT u.id, u.name
    FROM "UnitClosure" c JOIN "Unit" u ON u.id = c."descendantId"
    WHERE c."ancestorId" = ANY(${scope.unitIds}::int[]) AND c.depth > 0 AND u.active
      AND EXISTS (SELECT 1 FROM "Membership" m JOIN "Person" p ON p.id = m."personId"
                  WHERE m."unitId" = u.id AND m.role IN ('REPORTER', 'HEAD') AND p.active)
    ORDER BY u.name, u.id`);
}

function numbered(list: readonly Candidate[]): string[] {
  return list.map((u, i) => t.unitLine(i + 1, u.name));
}

async function showUnits(ctx: Ctx): Promise<void> {
  const all = await candidates(ctx.tx, ctx.scope);
  if (all.length === 0) {
    ctx.done = true;
    return say(ctx, t.noUnits);
  }
  const shown = all.slice(0, UNIT_LIST_MAX);
  ctx.data = { ...ctx.data, list: shown.map((u) => u.id) };
  say(ctx, t.askUnits(numbered(shown), all.length - shown.length));
}

async function units(ctx: Ctx, text: string): Promise<void> {
  const all = await candidates(ctx.tx, ctx.scope);
  const byId = new Map(all.map((u) => [u.id, u]));
  const folded = foldWords(text);
  let chosen: number[] = [];
  if (folded === "tatca" || folded === "all") {
    chosen = all.map((u) => u.id);
  } else {
    const tokens = text.split(/[,;]/).map((s) => s.trim()).filter((s) => s !== "");
    const problems: string[] = [];
    const list = ctx.data.list ?? [];
    for (const token of tokens) {
      if (/^\d{1,3}$/.test(token)) {
        const id = list[Number(token) - 1];
        if (id === undefined) problems.push(t.unitBadNumber(token));
        else chosen.push(id);
        continue;
      }
      const found = await findUnit(ctx.tx, ctx.scope, token);
      if (found.kind === "found") {
        if (byId.has(found.unit.id)) chosen.push(found.unit.id);
        else problems.push(t.unitNoFiler(found.unit.name));
      } else if (found.kind === "many") {
        const matches = found.units.filter((u) => byId.has(u.id));
        // One fragment typed alone is a search: its matches become the numbered list.
        if (tokens.length === 1 && matches.length > 0) {
          const shown = matches.slice(0, UNIT_LIST_MAX);
          ctx.data = { ...ctx.data, list: shown.map((u) => u.id) };
          return say(ctx, t.unitSearch(token, numbered(shown), matches.length - shown.length));
        }
        problems.push(t.unitAmbiguous(token, found.units.length));
      } else {
        // Outside the scope reads like nonexistent: nothing leaks about other subtrees.
        problems.push(t.unitNone(token));
      }
    }
    if (problems.length > 0) return say(ctx, t.unitProblems(problems));
  }
  chosen = [...new Set(chosen)];
  if (chosen.length === 0) return say(ctx, t.unitProblems([t.unitNone(text)]));
  if ((await commonRoot(ctx.tx, ctx.scope, chosen)) === null) return say(ctx, t.manyCommittees);
  ctx.data = { ...ctx.data, unitIds: chosen, list: undefined };
  return advance(ctx, "units");
}

// ───────── deadline ─────────

/** "05/12/2026", "5-12-2026 10:00", "10h30 05/12/2026"; 17:00 when no time is given. */
export function parseDeadline(text: string): Date | null {
  let date: ReturnType<typeof parseVietnameseDate> = null;
  let time: LocalTime = DEFAULT_DUE_TIME;
  for (const word of text.trim().split(/\s+/)) {
    const d = parseVietnameseDate(word);
    if (d !== null && date === null) {
      date = d;
      continue;
    }
    const m = /^(\d{1,2})(?:[:h](\d{2})?)?$/i.exec(word);
    if (m && Number(m[1]) < 24 && Number(m[2] ?? 0) < 60 && (m[2] !== undefined || /h/i.test(word))) {
      time = `${m[1]!.padStart(2, "0")}:${m[2] ?? "00"}` as LocalTime;
      continue;
    }
    if (["luc", "gio"].includes(foldWords(word))) continue;
    return null;
  }
  return date === null ? null : toInstant(date, time);
}

async function deadline(ctx: Ctx, text: string): Promise<void> {
  const due = parseDeadline(text);
  if (due === null) return say(ctx, t.deadlineBad);
  if (due.getTime() <= ctx.now.getTime()) return say(ctx, t.deadlinePast);
  ctx.data = { ...ctx.data, deadline: due.toISOString() };
  return advance(ctx, "deadline");
}

// ───────── confirmation ─────────

async function summary(ctx: Ctx): Promise<string> {
  const d = ctx.data;
  const names = await ctx.tx.unit.findMany({ where: { id: { in: d.unitIds ?? [] } }, select: { name: true }, orderBy: { name: "asc" } });
  const lines: string[] = [t.confirmHeader];
  if (d.templateId !== undefined) lines.push(t.confirmTemplate(d.templateTitle ?? ""));
  else lines.push(t.confirmTitle(d.title ?? ""), t.confirmQuestions(d.questions?.length ?? 0), ...(d.questions ?? []).map((q, i) => t.confirmQuestion(i + 1, q)));
  lines.push(
    t.confirmInstructions(d.instructions ?? null),
    t.confirmUnits(names.length, names.slice(0, CONFIRM_UNIT_NAMES).map((n) => n.name), names.length - CONFIRM_UNIT_NAMES),
    t.confirmDeadline(d.deadline === undefined ? "" : formatDueTime(new Date(d.deadline))),
    "",
    t.confirmFooter,
  );
  return lines.join("\n");
}

async function send(ctx: Ctx): Promise<void> {
  const d = ctx.data;
  const inlineReady = d.title !== undefined && (d.questions ?? []).length > 0;
  if (d.unitIds === undefined || d.deadline === undefined || (d.templateId === undefined && !inlineReady)) {
    // A state from an older version of this flow: start again rather than guess.
    return enter(ctx, "template");
  }
  const result = await sendRequest(ctx.tx, {
    personId: ctx.person.id,
    scope: ctx.scope,
    now: ctx.now,
    draft: { templateId: d.templateId, questions: d.questions, title: d.title, instructions: d.instructions ?? null, unitIds: d.unitIds, deadline: new Date(d.deadline) },
  });
  if (!result.ok) return say(ctx, t.failed(result.problems), confirmMenu);
  ctx.done = true;
  const when = result.firstAt === null || result.firstAt.getTime() <= ctx.now.getTime() ? null : formatDueTime(result.firstAt);
  say(ctx, t.sent(d.templateTitle ?? d.title ?? "", result.units, result.people, when));
}
