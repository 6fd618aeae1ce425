// Filing a report by conversation. One call handles one message of a linked
// person, inside the message's transaction: the answer is saved, the state
// moves, and the replies are returned; all of it commits or none of it.
import type { Choice, InboundContent, InboundMessage, OutboundMessage } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import { formatDueTime, toLocalDate } from "../calendar/dates.ts";
import { parseAnswer, type AnswerInput, type AnswerValue } from "../forms/answers.ts";
import type { Question } from "../forms/template-schema.ts";
import { detectConfidential, detectConfidentialFileName } from "../forms/confidential.ts";
import type { Answers } from "../forms/paths.ts";
import { canFile, dueFor, isEditable } from "../reports/due.ts";
import { answersWrite, discardDraft, draftAnswers, DraftMovedError, openDraft, submit, type JsonValue, type SubmittedAnswer } from "../reports/submissions.ts";
import { defer, runWrite } from "../db/deferred.ts";
import { EditAfterDeadlineError, ReportsError } from "../reports/errors.ts";
import { vi } from "../texts/vi.ts";
import { fold, parseReportCommand } from "./commands.ts";
import { loadAssignment, loadFiling, type AssignmentView, type Filing } from "./assignment.ts";
import { moreMenu, multiMenu, pickedOf, questionMenu, renderReview, renderStep, reviewMenu } from "./render.ts";
import { idle, saveState, stateWrite, type ConversationState } from "./state.ts";
import { pickFromMenu, recentMenu } from "./menus.ts";
import { firstOpen, missingRequired, notesBefore, previousAsk, progress, repeatState, steps, type Step } from "./walker.ts";

const t = vi.report;

export interface Person {
  id: number;
  fullName: string;
}

export type AttachResult =
  | { ok: true; attachmentId: number; fileName: string; mimeType: string; sizeBytes: number }
  | { ok: false; reason: "too_large" | "download_failed" | "empty" | "unsupported_type" | "type_mismatch" };

/** Stores a file sent as an answer; returns what the answer keeps, or why it was refused. */
export type AttachFile = (
  tx: Tx,
  input: { file: Extract<InboundContent, { type: "file" }>; message: InboundMessage; personId: number; submissionId?: number; path?: string; maxBytes: number; now: Date },
) => Promise<AttachResult>;

export interface FlowDeps {
  attachFile: AttachFile;
}

interface Ctx {
  tx: Tx;
  person: Person;
  message: InboundMessage;
  now: Date;
  deps: FlowDeps;
  out: OutboundMessage[];
  state: ConversationState;
  /** Assignments read during this message, so each is loaded once. */
  assignments: Map<number, AssignmentView>;
  /** Draft answers read with the assignment (loadFiling), and the draft's version then, by submission; cleared by any write to a draft. */
  preloaded: Map<number, { answers: Record<string, unknown>; version: number | null }>;
  /** Answers given in this message, written with the state at its end (or before anything reads the draft). */
  unsaved: { submissionId: number; answers: Map<string, JsonValue> } | null;
  /** The report in hand as the message found it, if the caller read it. */
  filing?: Filing | null;
}

async function assignmentOf(ctx: Ctx, id: number): Promise<AssignmentView> {
  let a = ctx.assignments.get(id);
  if (!a) {
    a = await loadAssignment(ctx.tx, id);
    ctx.assignments.set(id, a);
  }
  return a;
}

const say = (ctx: Ctx, text: string, choices?: Choice[]) => {
  ctx.out.push(choices ? { text, choices } : { text });
};

/**
 * Handles the message if it belongs to filing a report; returns null when it
 * does not (the caller answers commands such as /start and /help).
 */
export async function handleReportMessage(
  tx: Tx,
  person: Person,
  message: InboundMessage,
  now: Date,
  deps: FlowDeps,
  /** The person's state, locked by the caller for this message's transaction. */
  state: ConversationState,
  /** The report in hand, read with the state (lockWriter); loaded here when absent. */
  filing: Filing | null = null,
): Promise<OutboundMessage[] | null> {
  const ctx: Ctx = { tx, person, message, now, deps, out: [], state, assignments: new Map(), preloaded: new Map(), unsaved: null, filing };
  const handled = await dispatch(ctx);
  if (!handled) return null;
  // The answer and the state go with the update's DONE mark, in one statement (db/deferred.ts).
  if (ctx.unsaved) defer(tx, answersWrite(unsavedInput(ctx, ctx.unsaved)));
  defer(tx, stateWrite(person.id, ctx.state));
  return ctx.out;
}

/** The list of reports due, as a menu; used by /start and /baocao. */
export async function showDue(tx: Tx, person: Person, now: Date): Promise<OutboundMessage[]> {
  // The list replaces whatever state there was; the caller holds the row's lock.
  const ctx: Ctx = { tx, person, message: undefined as never, now, deps: undefined as never, out: [], state: idle, assignments: new Map(), preloaded: new Map(), unsaved: null };
  await listDue(ctx);
  await saveState(tx, person.id, ctx.state);
  return ctx.out;
}

async function dispatch(ctx: Ctx): Promise<boolean> {
  const { content } = ctx.message;
  const text = content.type === "text" ? content.text : undefined;

  // Confidential content is refused before anything of it is kept.
  const finding =
    (text !== undefined ? detectConfidential(text) : null) ??
    (content.type === "file" ? (detectConfidentialFileName(content.fileName ?? "") ?? detectConfidential(content.caption ?? "")) : null);
  if (finding) {
    await ctx.tx.auditLog.create({ data: { at: ctx.now, actorId: ctx.person.id, action: "content.confidential_refused", details: { marking: finding.marking } } });
    say(ctx, t.confidential(finding.marking));
    // The question in hand is asked again, so the official knows where they are.
    const state = ctx.state;
    if (state.mode === "filling") {
      const { answers, all } = await loadReport(ctx, state);
      const step = all.find((s) => s.id === state.stepId);
      if (step) ctx.out.push(...renderStep(all, step, answers, []));
    }
    return true;
  }

  const menu = menuOf(ctx.state) ?? (text !== undefined && ctx.state.mode === "idle" ? await recentMenu(ctx.tx, ctx.person.id, ctx.now) : undefined);
  // On the review screen a number is a question to edit (the answers are
  // numbered), never an action: "1" must not submit the report.
  const digitsPick = ctx.state.mode !== "review";
  const choice = content.type === "choice" ? content.value : text !== undefined ? pickFromMenu(text, menu, digitsPick) : undefined;
  if (choice?.startsWith("open:")) return openReport(ctx, Number(choice.slice(5)));

  const command = text !== undefined ? parseReportCommand(text) : undefined;
  // Other slash commands (/help, /start, unknown ones) are the bot's, whatever the state.
  if (text?.trim().startsWith("/") && command === undefined) return false;
  if (command === "reports") {
    if (ctx.state.mode === "idle") return listDue(ctx);
    return resume(ctx);
  }

  // The right to file is checked on every message, not only when a report is
  // opened: a role removed by an import takes effect mid-report.
  if ("assignmentId" in ctx.state) {
    const given = ctx.filing?.assignment.id === ctx.state.assignmentId ? ctx.filing : null;
    const filing = given ?? (await loadFiling(ctx.tx, ctx.person.id, ctx.state.assignmentId, ctx.state.submissionId));
    if (!filing?.canFile) {
      say(ctx, t.notReporter);
      ctx.state = idle;
      return true;
    }
    const a = filing.assignment;
    ctx.assignments.set(a.id, a);
    ctx.preloaded.set(ctx.state.submissionId, { answers: filing.answers, version: filing.draftVersion });
    // A submitted report reopened before its deadline cannot be changed after it.
    if (!isEditable({ status: a.status, deadline: a.deadline, editAfterDeadline: a.editAfterDeadline }, ctx.now)) {
      say(ctx, t.notEditable(formatDueTime(a.lastSubmittedAt ?? a.deadline)));
      ctx.state = idle;
      return true;
    }
  }

  switch (ctx.state.mode) {
    case "idle":
    case "committee":
      // A committee command's own conversation is the committee's to continue.
      return false;
    case "filling":
      return filling(ctx, ctx.state, choice, command);
    case "review":
      return review(ctx, ctx.state, choice, command);
    case "pick-edit":
      return pickEdit(ctx, ctx.state, text, command);
    case "confirm-cancel":
      return confirmCancel(ctx, ctx.state, choice, text);
  }
}

function menuOf(state: ConversationState): Choice[] | undefined {
  return "menu" in state ? state.menu : undefined;
}

// ───────── the list of reports due ─────────

async function listDue(ctx: Ctx): Promise<boolean> {
  const items = await dueFor(ctx.tx, ctx.person.id, ctx.now);
  if (items.length === 0) {
    say(ctx, t.nothingDue);
    ctx.state = idle;
    return true;
  }
  const lines = items.map((item, i) => {
    const state =
      item.status === "SUBMITTED"
        ? t.states.submittedAt(formatDueTime(item.submittedAt ?? item.deadline), item.late === true)
        : item.overdue
          ? t.states.overdue
          : t.states[item.status];
    return t.dueLine(i + 1, item.templateTitle, item.periodLabel, item.unitName, formatDueTime(item.deadline), state);
  });
  const severalUnits = new Set(items.map((item) => item.unitName)).size > 1;
  const menu = items.map((item) => ({
    value: `open:${item.assignmentId}`,
    label: severalUnits ? t.dueChoiceLabelUnit(item.unitName, item.templateTitle, item.periodLabel) : t.dueChoiceLabel(item.templateTitle, item.periodLabel),
  }));
  // The lines number the reports in the menu's order: Zalo need not list them twice.
  ctx.out.push({ text: [t.dueHeader, "", ...lines, "", t.dueChoose].join("\n"), choices: menu, typedChoices: "numbered" });
  ctx.state = { mode: "idle", menu };
  return true;
}

// ───────── opening a report ─────────

async function openReport(ctx: Ctx, assignmentId: number): Promise<boolean> {
  if (!Number.isInteger(assignmentId) || !(await canFile(ctx.tx, ctx.person.id, assignmentId))) {
    say(ctx, t.notReporter);
    ctx.state = idle;
    return true;
  }
  const a = await assignmentOf(ctx, assignmentId);
  if (a.status === "SUBMITTED") {
    const when = formatDueTime(a.lastSubmittedAt ?? ctx.now);
    if (!isEditable({ status: a.status, deadline: a.deadline, editAfterDeadline: a.editAfterDeadline }, ctx.now)) {
      say(ctx, t.notEditable(when));
      ctx.state = idle;
      return true;
    }
  }
  await flushAnswers(ctx);
  const draft = await openDraft(ctx.tx, { assignmentId, personId: ctx.person.id, now: ctx.now });
  const answers = await answersOf(ctx, draft.submissionId);
  const all = steps(a.form, answers);
  const report = { submissionId: draft.submissionId, assignmentId };
  if (a.status === "SUBMITTED") {
    say(ctx, t.alreadySubmitted(formatDueTime(a.lastSubmittedAt ?? ctx.now), draft.reference));
    return showReview(ctx, a, report, answers, all);
  }
  const p = progress(all, "", answers);
  if (p.answered === 0) say(ctx, t.started(a.templateTitle, a.periodLabel, a.unitName, formatDueTime(a.deadline), p.total));
  else say(ctx, t.resumed(a.templateTitle, a.periodLabel, p.answered, p.total));
  if (a.instructions && p.answered === 0) say(ctx, t.instructions(a.instructions));
  return goNext(ctx, a, report, answers, all);
}

/** Back into the report in hand, at the question waiting (for /baocao while filling). */
async function resume(ctx: Ctx): Promise<boolean> {
  const state = ctx.state;
  if (state.mode === "idle" || state.mode === "committee") return listDue(ctx);
  // A draft a colleague has submitted meanwhile is no longer "the report in
  // hand": the list says it is done, and opening it from there edits it.
  if ((await assignmentOf(ctx, state.assignmentId)).status === "SUBMITTED") return listDue(ctx);
  return openReport(ctx, state.assignmentId);
}

async function answersOf(ctx: Ctx, submissionId: number): Promise<Record<string, unknown>> {
  // Read with the assignment at the start of this message, and no draft written since.
  const preloaded = ctx.preloaded.get(submissionId);
  if (preloaded) return { ...preloaded.answers };
  await flushAnswers(ctx);
  const map = await draftAnswers(ctx.tx, submissionId);
  const answers: Record<string, unknown> = {};
  for (const [path, a] of map) answers[path] = a.value;
  return answers;
}

interface ReportRef {
  submissionId: number;
  assignmentId: number;
}

/** The report in hand: its assignment and form, the draft answers, and the steps they give. */
async function loadReport(ctx: Ctx, ref: ReportRef): Promise<{ a: AssignmentView; report: ReportRef; answers: Record<string, unknown>; all: Step[] }> {
  const a = await assignmentOf(ctx, ref.assignmentId);
  const answers = await answersOf(ctx, ref.submissionId);
  return { a, report: { submissionId: ref.submissionId, assignmentId: ref.assignmentId }, answers, all: steps(a.form, answers) };
}

/** Asks the first open step, or shows the review when everything is answered. */
function goNext(ctx: Ctx, a: AssignmentView, report: ReportRef, answers: Answers, all: Step[]): boolean {
  const next = firstOpen(all, answers);
  if (!next) return showReview(ctx, a, report, answers, all);
  return ask(ctx, report, answers, all, next);
}

function ask(ctx: Ctx, report: ReportRef, answers: Answers, all: Step[], step: Step, returnToReview = false, again = false): boolean {
  // The notes before a question introduce it once; asked again after a wrong answer, it stands alone.
  ctx.out.push(...renderStep(all, step, answers, again ? [] : notesBefore(all, step.id)));
  const menu = step.kind === "more" ? moreMenu : questionMenu(step.question);
  ctx.state = { mode: "filling", ...report, stepId: step.id, ...(returnToReview ? { returnToReview } : {}), ...(menu ? { menu } : {}) };
  return true;
}

/** A tap on a select_multiple option: it is added or removed, and the buttons show the choice so far. */
function toggle(ctx: Ctx, state: Extract<ConversationState, { mode: "filling" }>, q: Question, picked: readonly number[], n: number): boolean {
  const count = q.choices?.length ?? 0;
  const next = !Number.isInteger(n) || n < 1 || n > count ? [...picked] : picked.includes(n) ? picked.filter((p) => p !== n) : [...picked, n];
  const labels = next.sort((x, y) => x - y).map((i) => q.choices?.[i - 1]?.label ?? "");
  ctx.out.push({ text: t.multiPicked(labels), choices: multiMenu(q, next), typedChoices: "words" });
  ctx.state = { ...state, picked: next };
  return true;
}

/** The same question again (a wrong answer, /tiendo): without its introductory notes. */
function askAgain(ctx: Ctx, report: ReportRef, answers: Answers, all: Step[], step: Step, returnToReview = false): boolean {
  return ask(ctx, report, answers, all, step, returnToReview, true);
}

function showReview(ctx: Ctx, a: AssignmentView, report: ReportRef, answers: Answers, all: Step[]): boolean {
  const missing = missingRequired(all, answers);
  const extra = [
    ...(a.instructions ? [t.instructions(a.instructions)] : []),
    ...(missing.length > 0 ? [t.reviewMissing(missing.length)] : []),
    ...(a.status === "SUBMITTED" ? [t.reviewResubmit] : []),
  ];
  const { text, asks } = renderReview(t.reviewHeader(a.templateTitle, a.periodLabel, a.unitName), all, answers, [...extra, t.reviewHowTo]);
  ctx.out.push({ text, choices: reviewMenu, typedChoices: "words" });
  ctx.state = { mode: "review", ...report, menu: reviewMenu, shown: asks.map((s) => s.path) };
  return true;
}

// ───────── answering ─────────

async function filling(
  ctx: Ctx,
  state: Extract<ConversationState, { mode: "filling" }>,
  choice: string | undefined,
  command: ReturnType<typeof parseReportCommand>,
): Promise<boolean> {
  const { a, report, answers: loaded, all: first } = await loadReport(ctx, state);
  let answers = loaded;
  let all = first;
  const step = all.find((s) => s.id === state.stepId);
  // The step may be gone: an earlier answer (perhaps by a colleague) hid it.
  if (!step) return goNext(ctx, a, report, answers, all);

  switch (command) {
    case "back": {
      const prev = previousAsk(all, step.id);
      if (!prev) {
        say(ctx, t.atFirst);
        return askAgain(ctx, report, answers, all, step, state.returnToReview);
      }
      return ask(ctx, report, answers, all, prev, state.returnToReview);
    }
    case "progress": {
      const p = progress(all, step.id, answers);
      say(ctx, t.progress(p.answered, p.total, p.index));
      return askAgain(ctx, report, answers, all, step, state.returnToReview);
    }
    case "review":
      return showReview(ctx, a, report, answers, all);
    case "cancel":
      return askCancel(ctx, report, a);
    case "skip":
      if (step.kind === "more") return closeRepeat(ctx, a, report, step, answers, state.returnToReview);
      if (step.kind === "ask" && step.question.required) {
        say(ctx, t.cannotSkip);
        return askAgain(ctx, report, answers, all, step, state.returnToReview);
      }
      await save(ctx, report.submissionId, step.path, null);
      answers = { ...answers, [step.path]: null };
      all = steps(a.form, answers);
      return state.returnToReview ? showReview(ctx, a, report, answers, all) : goNext(ctx, a, report, answers, all);
    default:
      break;
  }

  if (step.kind === "more") {
    const yes = choice === "a:yes" || (choice === undefined && answersYes(ctx.message.content));
    const no = choice === "a:no" || (choice === undefined && answersNo(ctx.message.content));
    if (!yes && !no) {
      say(ctx, t.retry(vi.report.expect.yes_no));
      return askAgain(ctx, report, answers, all, step, state.returnToReview);
    }
    if (no) return closeRepeat(ctx, a, report, step, answers, state.returnToReview);
    const value = { count: step.count + 1, closed: false };
    await save(ctx, report.submissionId, step.path, value);
    answers = { ...answers, [step.path]: value };
    all = steps(a.form, answers);
    return goNext(ctx, a, report, answers, all);
  }
  if (step.kind !== "ask") return goNext(ctx, a, report, answers, all);

  const q = step.question;
  const { content } = ctx.message;
  let value: JsonValue;
  if (q.type === "file") {
    if (content.type !== "file") {
      say(ctx, t.fileExpected);
      return askAgain(ctx, report, answers, all, step, state.returnToReview);
    }
    const checked = parseAnswer(q, { kind: content.kind, fileId: content.fileId, ...optional(content) });
    if (!checked.ok) {
      say(ctx, t.retry(checked.error));
      return askAgain(ctx, report, answers, all, step, state.returnToReview);
    }
    const maxBytes = maxBytesOf(q);
    const stored = await ctx.deps.attachFile(ctx.tx, {
      file: content,
      message: ctx.message,
      personId: ctx.person.id,
      submissionId: report.submissionId,
      path: step.path,
      maxBytes,
      now: ctx.now,
    });
    if (!stored.ok) {
      say(ctx, t.retry(stored.reason === "too_large" ? t.fileTooLarge(maxBytes / 1024 / 1024) : t.fileRefused[stored.reason]));
      return askAgain(ctx, report, answers, all, step, state.returnToReview);
    }
    const { ok: _ok, ...kept } = stored;
    value = asJson({ ...(checked.value as object), ...kept });
    say(ctx, t.fileSaved(stored.fileName));
  } else {
    if (content.type === "file") {
      say(ctx, t.textExpected);
      return askAgain(ctx, report, answers, all, step, state.returnToReview);
    }
    if (content.type === "unsupported") {
      say(ctx, vi.bot.unsupported);
      return askAgain(ctx, report, answers, all, step, state.returnToReview);
    }
    // "Xong" typed after tapping options counts as the button.
    const done = q.type === "select_multiple" && choice === undefined && content.type === "text" && fold(content.text) === fold(t.multiDone) && (state.picked?.length ?? 0) > 0;
    if (done) choice = "m:done";
    if (q.type === "select_multiple" && choice?.startsWith("m:")) {
      const picked = state.picked ?? pickedOf(q, answers[step.path]);
      if (choice !== "m:done") return toggle(ctx, state, q, picked, Number(choice.slice(2)));
      if (picked.length === 0) {
        say(ctx, t.retry(vi.forms.answer.chooseSeveral(q.choices?.length ?? 0)));
        return askAgain(ctx, report, answers, all, step, state.returnToReview);
      }
    }
    const input = choice === "m:done" ? [...(state.picked ?? pickedOf(q, answers[step.path]))].sort((x, y) => x - y).join(", ") : answerInput(q, choice, content);
    const parsed = parseAnswer(q, input);
    if (!parsed.ok) {
      say(ctx, t.retry(parsed.error));
      return askAgain(ctx, report, answers, all, step, state.returnToReview);
    }
    value = asJson(parsed.value);
  }
  await save(ctx, report.submissionId, step.path, value);
  answers = { ...answers, [step.path]: value };
  all = steps(a.form, answers);
  if (state.returnToReview) return showReview(ctx, a, report, answers, all);
  return goNext(ctx, a, report, answers, all);
}

/** Answers are plain data (strings, numbers, booleans, arrays, flat objects) by construction. */
function asJson(v: AnswerValue | object): JsonValue {
  return v as JsonValue;
}

function optional(c: Extract<InboundContent, { type: "file" }>) {
  return {
    ...(c.fileName !== undefined ? { fileName: c.fileName } : {}),
    ...(c.mimeType !== undefined ? { mimeType: c.mimeType } : {}),
    ...(c.sizeBytes !== undefined ? { sizeBytes: c.sizeBytes } : {}),
  };
}

function maxBytesOf(q: { max_size_mb?: number }): number {
  return (q.max_size_mb ?? 20) * 1024 * 1024;
}

/** Buttons carry "a:<n>" (the n-th option) or "a:yes"/"a:no"; typed text goes as typed. */
function answerInput(q: { type: string; choices?: { value: string }[] }, choice: string | undefined, content: InboundContent): AnswerInput {
  if (choice?.startsWith("a:")) {
    const v = choice.slice(2);
    if (q.type === "yes_no") return v === "yes" ? vi.report.yes : vi.report.no;
    const option = q.choices?.[Number(v) - 1];
    if (option) return { type: "choice", value: option.value };
  }
  return content.type === "text" ? content.text : "";
}

const yesWords = new Set(["co", "c", "yes", "y", "1", "dung", "roi", "them"]);
const noWords = new Set(["khong", "k", "ko", "no", "n", "0", "2", "chua", "het", "thoi"]);

function answersYes(c: InboundContent): boolean {
  return c.type === "text" && yesWords.has(fold(c.text));
}

function answersNo(c: InboundContent): boolean {
  return c.type === "text" && noWords.has(fold(c.text));
}

/** Keeps an answer for the end of the message (see unsaved); the draft read before it is stale from now on. */
async function save(ctx: Ctx, submissionId: number, path: string, value: JsonValue): Promise<void> {
  ctx.preloaded.clear();
  if (ctx.unsaved && ctx.unsaved.submissionId !== submissionId) await flushAnswers(ctx);
  ctx.unsaved ??= { submissionId, answers: new Map() };
  ctx.unsaved.answers.set(path, value);
}

/** Writes the answers kept so far, before something reads or changes the draft. */
async function flushAnswers(ctx: Ctx): Promise<void> {
  ctx.preloaded.clear();
  const unsaved = ctx.unsaved;
  if (!unsaved) return;
  ctx.unsaved = null;
  await runWrite(ctx.tx, answersWrite(unsavedInput(ctx, unsaved)));
}

function unsavedInput(ctx: Ctx, unsaved: NonNullable<Ctx["unsaved"]>) {
  return { submissionId: unsaved.submissionId, answers: [...unsaved.answers].map(([path, value]) => ({ path, value })), personId: ctx.person.id, now: ctx.now };
}

async function closeRepeat(
  ctx: Ctx,
  a: AssignmentView,
  report: ReportRef,
  step: Extract<Step, { kind: "more" }>,
  answers: Answers,
  returnToReview: boolean | undefined,
): Promise<boolean> {
  const value = { count: repeatState(answers[step.path]).count, closed: true };
  await save(ctx, report.submissionId, step.path, value);
  const next = { ...answers, [step.path]: value };
  const all = steps(a.form, next);
  return returnToReview ? showReview(ctx, a, report, next, all) : goNext(ctx, a, report, next, all);
}

// ───────── review, edit, submit ─────────

async function review(
  ctx: Ctx,
  state: Extract<ConversationState, { mode: "review" }>,
  choice: string | undefined,
  command: ReturnType<typeof parseReportCommand>,
): Promise<boolean> {
  const { a, report, answers, all } = await loadReport(ctx, state);
  if (command === "cancel") return askCancel(ctx, report, a);
  if (choice === "r:later") {
    say(ctx, t.later);
    ctx.state = idle;
    return true;
  }
  if (choice === "r:edit") {
    say(ctx, t.pickEdit(state.shown?.length ?? all.filter((s) => s.kind === "ask").length));
    ctx.state = { mode: "pick-edit", ...report, ...(state.shown ? { shown: state.shown } : {}) };
    return true;
  }
  if (choice === "r:submit") {
    let draft = { answers, all };
    // The version the answers were read at; answers written just now moved it.
    let readAt: number | null | undefined = ctx.unsaved ? null : (ctx.preloaded.get(report.submissionId)?.version ?? null);
    let result;
    try {
      for (;;) {
        const missing = missingRequired(draft.all, draft.answers);
        if (missing.length > 0) {
          say(ctx, t.missingBeforeSubmit(missing.length));
          return ask(ctx, report, draft.answers, draft.all, missing[0]!);
        }
        await flushAnswers(ctx);
        const input = { submissionId: report.submissionId, personId: ctx.person.id, now: ctx.now, answers: snapshot(draft.all, draft.answers) };
        try {
          result = await submit(ctx.tx, readAt === undefined ? input : { ...input, readAt }, { writeLater: true });
          break;
        } catch (err) {
          if (!(err instanceof DraftMovedError)) throw err;
          // A colleague's answer came in after the draft was read. The submit
          // holds the draft's lock now: what is read next is what is kept.
          ctx.preloaded.clear();
          draft = await loadReport(ctx, state);
          readAt = undefined;
        }
      }
    } catch (err) {
      if (!(err instanceof ReportsError)) throw err;
      say(ctx, err instanceof EditAfterDeadlineError ? t.notEditable(formatDueTime(a.lastSubmittedAt ?? a.deadline)) : t.notReporter);
      ctx.state = idle;
      return true;
    }
    say(ctx, t.receipt(result.reference, result.revisionNumber, formatDueTime(result.submittedAt), result.late, a.templateTitle, a.periodLabel));
    if (a.editAfterDeadline) say(ctx, t.editableAnytime);
    else if (isEditable({ status: "SUBMITTED", deadline: a.deadline, editAfterDeadline: false }, ctx.now)) say(ctx, t.editableUntil(formatDueTime(a.deadline)));
    ctx.state = idle;
    return true;
  }
  // A number typed on the review screen means "edit that question", as does "SỬA 3".
  const text = ctx.message.content.type === "text" ? fold(ctx.message.content.text) : "";
  if (/^(sua)?\d{1,3}$/.test(text)) {
    return pickEdit(ctx, { mode: "pick-edit", ...report, ...(state.shown ? { shown: state.shown } : {}) }, text.replace(/\D/g, ""), undefined);
  }
  return showReview(ctx, a, report, answers, all);
}

async function pickEdit(
  ctx: Ctx,
  state: Extract<ConversationState, { mode: "pick-edit" }>,
  text: string | undefined,
  command: ReturnType<typeof parseReportCommand>,
): Promise<boolean> {
  const { a, report, answers, all } = await loadReport(ctx, state);
  if (command === "review" || command === "back") return showReview(ctx, a, report, answers, all);
  if (command === "cancel") return askCancel(ctx, report, a);
  const shown = state.shown ?? all.filter((s) => s.kind === "ask").map((s) => s.path);
  const n = Number((text ?? "").replace(/\D/g, ""));
  const path = Number.isInteger(n) && n >= 1 ? shown[n - 1] : undefined;
  if (path === undefined) {
    say(ctx, t.badPick(shown.length));
    ctx.state = { mode: "pick-edit", ...report, shown };
    return true;
  }
  const step = all.find((s) => s.kind === "ask" && s.path === path);
  // A colleague's answer may have hidden the question since the review was shown.
  if (!step) return showReview(ctx, a, report, answers, all);
  return ask(ctx, report, answers, all, step, true);
}

/** The answers of the questions visible now, typed for sums and exports. */
export function snapshot(all: readonly Step[], answers: Answers): SubmittedAnswer[] {
  const out: SubmittedAnswer[] = [];
  for (const s of all) {
    if (s.kind !== "ask") continue;
    const value = answers[s.path];
    if (value === undefined) continue;
    const q = s.question;
    const last = s.entries.at(-1);
    out.push({
      path: s.path,
      questionName: s.path.replace(/\[\d+\]/g, ""),
      repeatIndex: last ? last.index : null,
      value: value as JsonValue,
      numberValue: (q.type === "integer" || q.type === "decimal") && typeof value === "number" ? value : null,
      dateValue: q.type === "date" && typeof value === "string" ? (value as ReturnType<typeof toLocalDate>) : null,
      textValue:
        (q.type === "text" || q.type === "long_text") && typeof value === "string"
          ? value
          : q.type === "select_one" && typeof value === "string"
            ? (q.choices?.find((c) => c.value === value)?.label ?? value)
            : null,
    });
  }
  return out;
}

// ───────── cancelling ─────────

function askCancel(ctx: Ctx, report: ReportRef, a: AssignmentView): boolean {
  const menu: Choice[] = [
    { value: "c:yes", label: t.yes },
    { value: "c:no", label: t.no },
  ];
  say(ctx, t.confirmCancel(a.status === "SUBMITTED"), menu);
  ctx.state = { mode: "confirm-cancel", ...report, menu };
  return true;
}

async function confirmCancel(
  ctx: Ctx,
  state: Extract<ConversationState, { mode: "confirm-cancel" }>,
  choice: string | undefined,
  text: string | undefined,
): Promise<boolean> {
  const a = await assignmentOf(ctx, state.assignmentId);
  const report = { submissionId: state.submissionId, assignmentId: state.assignmentId };
  const yes = choice === "c:yes" || (text !== undefined && answersYes({ type: "text", text }));
  if (yes) {
    let result;
    try {
      await flushAnswers(ctx);
      result = await discardDraft(ctx.tx, { submissionId: report.submissionId, personId: ctx.person.id, now: ctx.now });
    } catch (err) {
      if (!(err instanceof ReportsError)) throw err;
      say(ctx, t.notReporter);
      ctx.state = idle;
      return true;
    }
    say(ctx, t.cancelled(result.restoredRevision !== null));
    ctx.state = idle;
    return true;
  }
  say(ctx, t.notCancelled);
  const answers = await answersOf(ctx, report.submissionId);
  return goNext(ctx, a, report, answers, steps(a.form, answers));
}
