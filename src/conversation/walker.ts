// Turns a form and the answers so far into the steps the official goes
// through: questions to ask, notes to show, and "add another entry?" gates
// of repeat groups. Skip logic (`relevant`) is applied here, so the steps
// change as answers come in.
import { parseExpression, evaluateBoolean, type Expr } from "../forms/expression.ts";
import { scopedLookup, type Answers } from "../forms/paths.ts";
import type { Question, TemplateForm } from "../forms/template-schema.ts";

export type Step =
  | { kind: "ask"; id: string; path: string; question: Question; entries: Entry[] }
  | { kind: "note"; id: string; path: string; question: Question; entries: Entry[] }
  /** Asks whether to add one more entry to a repeat group. */
  | { kind: "more"; id: string; path: string; question: Question; count: number; entries: Entry[] };

/** The repeat entries a step sits in, outermost first (for titles like "Nghị quyết thứ 2"). */
export interface Entry {
  repeat: Question;
  index: number;
}

/** What a repeat group's own answer holds: how many entries, and whether the official said "no more". */
export interface RepeatState {
  count: number;
  closed: boolean;
}

export function repeatState(value: unknown): RepeatState {
  if (value && typeof value === "object" && "count" in value) {
    const v = value as { count: unknown; closed?: unknown };
    return { count: typeof v.count === "number" ? v.count : 0, closed: v.closed === true };
  }
  return { count: 0, closed: false };
}

const parsed = new Map<string, Expr>();
function expression(src: string): Expr {
  let e = parsed.get(src);
  if (!e) {
    e = parseExpression(src);
    parsed.set(src, e);
  }
  return e;
}

export const moreId = (repeatPath: string) => `${repeatPath}#more`;

export function steps(form: TemplateForm, answers: Answers): Step[] {
  const out: Step[] = [];
  const visible = (q: Question, path: string) => !q.relevant || evaluateBoolean(expression(q.relevant), scopedLookup(form, answers, path));
  const visit = (list: readonly Question[], prefix: string, entries: Entry[]) => {
    for (const q of list) {
      const path = `${prefix}${q.name}`;
      if (!visible(q, path)) continue;
      switch (q.type) {
        case "group":
          visit(q.questions ?? [], prefix, entries);
          break;
        case "repeat": {
          const state = repeatState(answers[path]);
          const min = q.constraint?.min ?? 0;
          const max = q.constraint?.max ?? Number.POSITIVE_INFINITY;
          const count = Math.max(state.count, min);
          for (let i = 0; i < count; i++) visit(q.questions ?? [], `${path}[${i}].`, [...entries, { repeat: q, index: i }]);
          if (!state.closed && count < max) out.push({ kind: "more", id: moreId(path), path, question: q, count, entries });
          break;
        }
        case "note":
          out.push({ kind: "note", id: path, path, question: q, entries });
          break;
        default:
          out.push({ kind: "ask", id: path, path, question: q, entries });
      }
    }
  };
  visit(form.questions, "", []);
  return out;
}

export function isAnswered(step: Step, answers: Answers): boolean {
  if (step.kind === "note") return true;
  if (step.kind === "more") return false;
  return Object.hasOwn(answers, step.path);
}

/** The first step still waiting for an answer, or undefined when the form is complete. */
export function firstOpen(all: readonly Step[], answers: Answers): Step | undefined {
  return all.find((s) => !isAnswered(s, answers));
}

/** The question before `id`, for "back"; notes and gates are passed over. */
export function previousAsk(all: readonly Step[], id: string): Step | undefined {
  const i = all.findIndex((s) => s.id === id);
  for (let j = (i === -1 ? all.length : i) - 1; j >= 0; j--) {
    if (all[j]!.kind === "ask") return all[j];
  }
  return undefined;
}

/** Notes right before a step, shown together with it. */
export function notesBefore(all: readonly Step[], id: string): Step[] {
  const i = all.findIndex((s) => s.id === id);
  const notes: Step[] = [];
  for (let j = i - 1; j >= 0 && all[j]!.kind === "note"; j--) notes.unshift(all[j]!);
  return notes;
}

/** "câu 5/12": position among the questions, and how many there are now. */
export function progress(all: readonly Step[], id: string, answers: Answers): { index: number; total: number; answered: number } {
  const asks = all.filter((s) => s.kind === "ask");
  const index = asks.findIndex((s) => s.id === id);
  return { index: index + 1, total: asks.length, answered: asks.filter((s) => isAnswered(s, answers)).length };
}

/** Required questions still without an answer (a skipped optional one counts as answered). */
export function missingRequired(all: readonly Step[], answers: Answers): Step[] {
  return all.filter((s) => s.kind === "ask" && s.question.required && (answers[s.path] === undefined || answers[s.path] === null));
}
