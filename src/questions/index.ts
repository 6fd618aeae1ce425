// The questions' commands (/chatvan, /traloi, /giaosoan, /dschatvan, and
// /xem CV-…), their buttons, and the guided flows that continue with the
// person's next message. They plug into the committee's registry; who may
// do what is decided in people.ts and store.ts, never by the channel.
import type { InboundMessage, OutboundMessage } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import type { CommitteeCommand, ResumeRequest } from "../committee/registry.ts";
import { auditUse } from "../committee/scope.ts";
import { fold, parseReportCommand } from "../conversation/commands.ts";
import type { AttachFile } from "../conversation/flow.ts";
import { newestChatMenu, pickFromMenu } from "../conversation/menus.ts";
import { idle, saveState, type ConversationState } from "../conversation/state.ts";
import { vi } from "../texts/vi.ts";
import { askData, askerRole, ASK_FLOW, continueAsk, startAsk, type AskCtx } from "./ask.ts";
import { ANSWER_FLOW, continueAnswer, openAnswer, pendingFor, type AnswerCtx } from "./answer.ts";
import { answerers, colleagues, standingOf } from "./people.ts";
import { choiceValue, QUESTION_VERDICT } from "./purposes.ts";
import { addresseeName, judge, letDraft, loadQuestion, lockQuestion, parseReference, planMessages, referencedId, type StoredQuestion } from "./store.ts";
import { quoted, withAnswerButton } from "./messages.ts";
import { listQuestions, showThread, type ThreadFile } from "./views.ts";
import { formatDueTime } from "../calendar/dates.ts";
import { detectConfidential } from "../forms/confidential.ts";

const t = vi.questions;
const VERDICT_FLOW = "verdict";
/** Commands that only show something: typed while asking, they leave the question being written in place. */
const LOOKUPS = new Set(["xem", "view", "dschatvan", "questions", "huongdan", "help"]);
const COMMENT_MAX = 1000;

export interface QuestionDeps {
  attachFile: AttachFile;
  /** The bytes of a stored attachment, so /xem CV-… sends the files of a thread; without it only their names show. */
  readFile?: (storageKey: string) => Promise<Uint8Array>;
}

/** Files sent with a thread: more would flood the chat. */
const THREAD_FILES_MAX = 10;

export interface Questions {
  commands: CommitteeCommand[];
  help(tx: Tx, personId: number): Promise<string[]>;
  resume(req: ResumeRequest): Promise<OutboundMessage[] | null>;
  /** /xem with a CV-… reference; null when the arguments are not one (the unit's report view takes them). */
  view(req: { tx: Tx; person: { id: number }; args: string; now: Date }): Promise<OutboundMessage[] | null>;
}

type Person = { id: number; fullName: string };

const text = (s: string): OutboundMessage => ({ text: s });

async function audited(tx: Tx, personId: number, command: string, args: string, now: Date, refused?: string): Promise<void> {
  await auditUse(tx, { personId, command, args, now, ...(refused !== undefined ? { refused } : {}) });
}

export function createQuestions(deps: QuestionDeps): Questions {
  const { attachFile } = deps;


  // ───────── the ask flow ─────────

  async function storeAsk(tx: Tx, personId: number, c: AskCtx): Promise<void> {
    await saveState(tx, personId, c.done ? idle : { mode: "committee", flow: ASK_FLOW, data: c.data, ...(c.menu ? { menu: c.menu } : {}) });
  }

  const askCommand: CommitteeCommand = {
    names: ["chatvan", "ask"],
    async run({ tx, person, now, message, args }) {
      const c = await startAsk({ tx, person, now, message, attachFile, out: [], done: false });
      if (!c) {
        await audited(tx, person.id, "chatvan", args, now, "no-role");
        return [text(t.ask.noRole)];
      }
      await audited(tx, person.id, "chatvan", args, now);
      await storeAsk(tx, person.id, c);
      return c.out;
    },
  };

  // ───────── the answer flow ─────────

  async function storeAnswer(tx: Tx, personId: number, c: AnswerCtx): Promise<void> {
    await saveState(tx, personId, c.questionId === null ? idle : { mode: "committee", flow: ANSWER_FLOW, data: { questionId: c.questionId } });
  }

  async function enterAnswer(tx: Tx, person: Person, now: Date, message: InboundMessage | undefined, id: number, ref: string): Promise<OutboundMessage[]> {
    const c: AnswerCtx = { tx, person, now, ...(message ? { message } : {}), attachFile, out: [], questionId: null };
    await openAnswer(c, id, ref);
    await storeAnswer(tx, person.id, c);
    return c.out;
  }

  const answerCommand: CommitteeCommand = {
    names: ["traloi", "answer"],
    async run({ tx, person, now, message, args }) {
      await audited(tx, person.id, "traloi", args, now);
      if (args.trim() === "") {
        const pending = await pendingFor(tx, person.id);
        return [text(pending.length === 0 ? t.answer.none : t.answer.pending(pending))];
      }
      const id = await referencedId(tx, args);
      if (id === null) return [text(t.refUsage("traloi"))];
      return enterAnswer(tx, person, now, message, id, args.trim().toUpperCase());
    },
  };

  // ───────── delegating the draft ─────────

  const delegateCommand: CommitteeCommand = {
    names: ["giaosoan", "delegate"],
    async run({ tx, person, now, args }) {
      await audited(tx, person.id, "giaosoan", args, now);
      const m = /^\s*(\S+)\s+(.+)$/.exec(args);
      const id = m ? await referencedId(tx, m[1]!) : null;
      if (!m || id === null) return [text(t.delegate.usage)];
      const ref = m[1]!.toUpperCase();
      // Locked before it is read: a send or a verdict at the same moment waits, so the checks below see the truth.
      await lockQuestion(tx, id);
      const q = await loadQuestion(tx, id);
      if (!q || (await standingOf(tx, person.id, q)) === null) return [text(t.notFound(ref))];
      const name = m[2]!.trim();
      const pool = await colleagues(tx, q);
      const people = await tx.person.findMany({ where: { id: { in: pool, not: person.id } }, select: { id: true, fullName: true, code: true } });
      const f = fold(name);
      const exact = people.filter((p) => fold(p.fullName) === f || fold(p.code) === f);
      const hits = exact.length > 0 ? exact : people.filter((p) => fold(p.fullName).includes(f));
      if (!(await answerers(tx, q)).includes(person.id)) return [text(t.delegate.notAnswerer(q.reference))];
      if (hits.length === 0) return [text(t.delegate.notColleague(name))];
      if (hits.length > 1) return [text(t.delegate.many(name, hits.map((h) => h.fullName)))];
      const chosen = hits[0]!;
      const due = q.deadline ? formatDueTime(q.deadline) : "—";
      const result = await letDraft(tx, q, person.id, chosen.id, now, () =>
        withAnswerButton(t.delegate.notice(q.reference, person.fullName, quoted(q.text), due), q.id),
      );
      if (!result.ok) return [text(result.reason === "closed" ? t.answer.closed(q.reference) : result.reason === "not_answerer" ? t.delegate.notAnswerer(q.reference) : t.delegate.notColleague(name))];
      return [text(t.delegate.done(q.reference, chosen.fullName, result.linked))];
    },
  };

  const listCommand: CommitteeCommand = {
    names: ["dschatvan", "questions"],
    async run({ tx, person, now, args }) {
      await audited(tx, person.id, "dschatvan", args, now);
      return [text(await listQuestions(tx, person.id, now))];
    },
  };

  async function view(req: { tx: Tx; person: { id: number }; args: string; now: Date }): Promise<OutboundMessage[] | null> {
    if (parseReference(req.args) === null) return null;
    const id = (await referencedId(req.tx, req.args))!;
    await audited(req.tx, req.person.id, "xem", req.args, req.now);
    const thread = await showThread(req.tx, req.person.id, id, req.now);
    if (!thread) return [text(t.notFound(req.args.trim().toUpperCase()))];
    return [text(thread.text), ...(await threadFiles(thread.files))];
  }

  /** Each file as a message of its own (Telegram: a document or photo; Zalo: a link, where the bot has a public address). */
  async function threadFiles(files: ThreadFile[]): Promise<OutboundMessage[]> {
    const { readFile } = deps;
    if (!readFile) return [];
    const out: OutboundMessage[] = [];
    for (const f of files.slice(0, THREAD_FILES_MAX)) {
      try {
        out.push({ text: t.thread.fileCaption(f.fileName, f.of), file: { fileName: f.fileName, mimeType: f.mimeType, data: await readFile(f.storageKey) } });
      } catch {
        out.push(text(t.thread.fileMissing(f.fileName)));
      }
    }
    if (files.length > THREAD_FILES_MAX) out.push(text(t.thread.moreFiles(files.length - THREAD_FILES_MAX)));
    return out;
  }

  // ───────── verdicts and follow-ups ─────────

  async function onVerdict(tx: Tx, person: Person, now: Date, q: StoredQuestion, verdict: "SATISFIED" | "NOT_SATISFIED", comment: string | null): Promise<OutboundMessage[]> {
    const result = await judge(tx, q, person.id, now, verdict, comment);
    if (!result.ok) {
      const reply = { not_asker: t.verdict.notAsker, not_answered: t.verdict.notAnswered, already: t.verdict.already }[result.reason];
      return [text(reply(q.reference))];
    }
    await planMessages(tx, now, {
      personIds: await answerers(tx, q),
      purpose: QUESTION_VERDICT,
      key: `verdict:${q.id}`,
      questionId: q.id,
      message: text(t.verdict.toAnswerer(q.reference, t.verdicts[verdict], comment)),
    });
    if (verdict === "SATISFIED") return [text(t.verdict.satisfied(q.reference))];
    // Kept as the menu in hand, so "1" (or the label) typed on Zalo asks the follow-up.
    return [{ text: t.verdict.notSatisfied(q.reference), choices: [{ value: choiceValue.followUp(q.id), label: t.verdict.followUpLabel }] }];
  }

  async function followUp(tx: Tx, person: Person, now: Date, message: InboundMessage, q: StoredQuestion): Promise<OutboundMessage[]> {
    if (q.askedById !== person.id && q.enteredById !== person.id) return [text(t.verdict.notAsker(q.reference))];
    if (q.status === "OPEN") return [text(t.verdict.notAnswered(q.reference))];
    const target = q.targetUnitId !== null ? { unitId: q.targetUnitId } : q.targetPersonId !== null ? { personId: q.targetPersonId } : { bodyId: q.targetBodyId! };
    const c = await startAsk(
      { tx, person, now, message, attachFile, out: [], done: false },
      { parentId: q.id, parentRef: q.reference, committeeId: q.committeeId, askerId: q.askedById, enteredById: q.enteredById === person.id ? person.id : null, target, targetName: addresseeName(q) },
    );
    if (!c) return [text(t.ask.noRole)];
    await storeAsk(tx, person.id, c);
    return c.out;
  }

  /** A question's button, tapped (or its number typed on Zalo), whatever the person was doing. */
  async function onChoice(req: ResumeRequest, value: string): Promise<OutboundMessage[] | null> {
    const m = /^cv:(answer|send|review|ok|no|more|view):(\d+)$/.exec(value);
    if (!m) return null;
    const { tx, person, now, message } = req;
    const id = Number(m[2]);
    const action = m[1]!;
    const q = await loadQuestion(tx, id);
    if (!q || (await standingOf(tx, person.id, q)) === null) {
      await saveState(tx, person.id, idle);
      return [text(t.notFound(""))];
    }
    switch (action) {
      case "answer":
        return enterAnswer(tx, person, now, message, id, q.reference);
      case "send":
      case "review": {
        const c: AnswerCtx = { tx, person, now, message, attachFile, out: [], questionId: id };
        await continueAnswer(c, id, undefined, value);
        await storeAnswer(tx, person.id, c);
        return c.out;
      }
      case "ok":
        await lockQuestion(tx, id);
        await saveState(tx, person.id, idle);
        return onVerdict(tx, person, now, (await loadQuestion(tx, id))!, "SATISFIED", null);
      case "no": {
        if (q.askedById !== person.id && q.enteredById !== person.id) return [text(t.verdict.notAsker(q.reference))];
        if (q.status !== "ANSWERED") return [text(q.status === "OPEN" ? t.verdict.notAnswered(q.reference) : t.verdict.already(q.reference))];
        await saveState(tx, person.id, { mode: "committee", flow: VERDICT_FLOW, data: { questionId: id } });
        return [text(t.verdict.askComment(q.reference))];
      }
      case "more":
        return followUp(tx, person, now, message, q);
      default: {
        const thread = await showThread(tx, person.id, id, now);
        return thread ? [text(thread.text), ...(await threadFiles(thread.files))] : [text(t.notFound(q.reference))];
      }
    }
  }

  // ───────── the person's next message ─────────

  async function resume(req: ResumeRequest): Promise<OutboundMessage[] | null> {
    const { tx, person, now, message, state } = req;
    const { content } = message;
    const typed = content.type === "text" ? content.text.trim() : undefined;

    if (content.type === "choice" && content.value.startsWith("cv:")) return onChoice(req, content.value);
    // With nothing in hand, a number or a label typed answers the newest message with options in this chat,
    // when that is a question's (a notice, an answer to judge): Zalo has no buttons.
    if (state.mode === "idle" && typed !== undefined && typed.length <= 40 && !typed.startsWith("/")) {
      const menu = await newestChatMenu(tx, message.platform, message.chatId, now);
      const picked = menu?.some((c) => c.value.startsWith("cv:")) ? pickFromMenu(typed, menu) : undefined;
      if (picked?.startsWith("cv:")) return onChoice(req, picked);
    }
    if (state.mode !== "committee") return null;
    const data = state.data as Record<string, unknown> | null;

    if (state.flow === ASK_FLOW) return resumeAsk(req, state, typed);
    if (state.flow === ANSWER_FLOW) {
      const id = typeof data?.questionId === "number" ? data.questionId : null;
      if (id === null) return leave(tx, person.id);
      const c: AnswerCtx = { tx, person, now, message, attachFile, out: [], questionId: id };
      const choice = content.type === "choice" ? content.value : undefined;
      if (!(await continueAnswer(c, id, typed, choice))) return leave(tx, person.id);
      await storeAnswer(tx, person.id, c);
      return c.out;
    }
    if (state.flow === VERDICT_FLOW) {
      const id = typeof data?.questionId === "number" ? data.questionId : null;
      if (id === null || typed === undefined || typed.startsWith("/")) return leave(tx, person.id);
      const command = parseReportCommand(typed);
      if (command === "cancel") {
        await saveState(tx, person.id, idle);
        return [text(t.verdict.cancelled)];
      }
      if (typed.length > COMMENT_MAX) return [text(vi.bot.tooLong(COMMENT_MAX))];
      const finding = detectConfidential(typed);
      if (finding) return [text(t.answer.confidential(finding.marking))];
      await lockQuestion(tx, id);
      const q = await loadQuestion(tx, id);
      await saveState(tx, person.id, idle);
      if (!q) return [text(t.notFound(""))];
      return onVerdict(tx, person, now, q, "NOT_SATISFIED", command === "skip" ? null : typed.normalize("NFC"));
    }
    return null;
  }

  async function resumeAsk(req: ResumeRequest, state: Extract<ConversationState, { mode: "committee" }>, typed: string | undefined): Promise<OutboundMessage[] | null> {
    const { tx, person, now, message } = req;
    const parsed = askData.safeParse(state.data);
    if (!parsed.success) return leave(tx, person.id);
    const { content } = message;
    if (typed !== undefined && parseReportCommand(typed) === "cancel") {
      await saveState(tx, person.id, idle);
      return [text(t.ask.cancelled)];
    }
    // A look at something (a thread, the list, the help) keeps the question being written; other commands end it.
    if (typed?.startsWith("/")) return LOOKUPS.has(fold(typed.slice(1).split(/\s+/)[0] ?? "")) ? null : leave(tx, person.id);
    if (content.type === "choice" && !content.value.startsWith("cq:")) return leave(tx, person.id);
    if ((await askerRole(tx, person.id)) === null) {
      await saveState(tx, person.id, idle);
      return [text(t.ask.noRole)];
    }
    const choice = content.type === "choice" ? content.value : typed !== undefined ? pickFromMenu(typed, state.menu) : undefined;
    const c: AskCtx = { tx, person, now, message, attachFile, data: parsed.data, out: [], done: false };
    await continueAsk(c, typed, choice);
    await storeAsk(tx, person.id, c);
    return c.out;
  }

  /** Only for people questions reach: askers, heads, bodies' members, and anyone a question names or lets draft. A reporter's help stays short. */
  async function help(tx: Tx, personId: number): Promise<string[]> {
    const h = t.help;
    const canAsk = (await askerRole(tx, personId)) !== null;
    const answers =
      (await tx.membership.count({ where: { personId, role: "HEAD", unit: { active: true } } })) > 0 ||
      (await tx.bodyMember.count({ where: { personId } })) > 0 ||
      (await tx.question.count({ where: { OR: [{ targetPersonId: personId }, { drafterId: personId }] } })) > 0;
    if (!canAsk && !answers) return [];
    return [h.header, ...(canAsk ? [h.ask] : []), h.list, h.view, h.answer, ...(answers ? [h.delegate] : [])];
  }

  return { commands: [askCommand, answerCommand, delegateCommand, listCommand], help, resume, view };
}

async function leave(tx: Tx, personId: number): Promise<null> {
  await saveState(tx, personId, idle);
  return null;
}
