// What the official sees: a question with its number, hint and how to
// answer; the review of all answers; the list of reports due.
import type { Choice, OutboundMessage } from "../channels/channel.ts";
import { formatAnswer } from "../forms/answers.ts";
import { entryLabelOf, fileRulesOf, type Question } from "../forms/template-schema.ts";
import type { Answers } from "../forms/paths.ts";
import { vi } from "../texts/vi.ts";
import { progress, type Step } from "./walker.ts";

const t = vi.report;

/** Button values for a question's options: short, so they fit Telegram's 64 bytes. */
export function questionMenu(q: Question): Choice[] | undefined {
  if (q.type === "yes_no") return [{ value: "a:yes", label: t.yes }, { value: "a:no", label: t.no }];
  if (q.type === "select_one") return (q.choices ?? []).map((c, i) => ({ value: `a:${i + 1}`, label: c.label }));
  return undefined;
}

/**
 * select_multiple: a button per option, each tap adds or removes it ("✔"
 * marks the picked ones), and "Xong" answers with what is picked. Typed
 * numbers ("1, 3") answer at once, so the message asks for words on Zalo.
 */
export function multiMenu(q: Question, picked: readonly number[]): Choice[] {
  const options = (q.choices ?? []).map((c, i) => ({ value: `m:${i + 1}`, label: `${picked.includes(i + 1) ? "✔ " : ""}${c.label}` }));
  return [...options, { value: "m:done", label: t.multiDone }];
}

/** The options of a select_multiple answer, as 1-based numbers in the template's order. */
export function pickedOf(q: Question, value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  return (q.choices ?? []).flatMap((c, i) => (value.includes(c.value) ? [i + 1] : []));
}

export const moreMenu: Choice[] = [
  { value: "a:yes", label: t.yes },
  { value: "a:no", label: t.no },
];

function entryTitle(step: Step): string | undefined {
  if (step.entries.length === 0) return undefined;
  return step.entries.map((e) => entryLabelOf(e.repeat, e.index + 1)).join(" › ");
}

function expectation(q: Question): string {
  switch (q.type) {
    case "file": {
      const rules = fileRulesOf(q);
      return t.expect.file(rules.accept.map((f) => f.toUpperCase()).join(", "), rules.maxSizeMb);
    }
    case "select_multiple":
      return [...(q.choices ?? []).map((c, i) => `${i + 1}. ${c.label}`), t.expect.select_multiple].join("\n");
    case "text":
    case "long_text":
    case "integer":
    case "decimal":
    case "date":
    case "yes_no":
    case "select_one":
      return t.expect[q.type];
    default:
      return "";
  }
}

export function renderStep(all: readonly Step[], step: Step, answers: Answers, notes: readonly Step[]): OutboundMessage[] {
  const out: OutboundMessage[] = notes.map((n) => ({ text: n.question.label }));
  if (step.kind === "more") {
    // "Văn bản thứ {n}" → "văn bản": the noun, for "Còn văn bản nào nữa không?"
    const entry = step.question.entry_label ? step.question.entry_label.replace(/\s*(thứ\s*)?\{n\}\s*/g, " ").trim() : step.question.label;
    out.push({ text: [step.question.label, t.more(entry, step.count)].join("\n"), choices: moreMenu });
    return out;
  }
  const q = step.question;
  const p = progress(all, step.id, answers);
  const title = entryTitle(step);
  const current = answers[step.path];
  const lines = [
    t.questionHeader(p.index, p.total),
    ...(title ? [t.entry(title)] : []),
    q.label,
    ...(q.hint ? [t.hint(q.hint)] : []),
    expectation(q),
    ...(q.required ? [] : [t.optional]),
    ...(current !== undefined && current !== null ? [t.current(formatAnswer(q, current))] : []),
  ].filter((l) => l !== "");
  const menu = questionMenu(q);
  if (q.type === "select_multiple") out.push({ text: lines.join("\n"), choices: multiMenu(q, pickedOf(q, current)), typedChoices: "words" });
  else out.push(menu ? { text: lines.join("\n"), choices: menu } : { text: lines.join("\n") });
  return out;
}

/** Numbered answers for review; the numbers are what "sửa" takes. */
export function renderReview(
  header: string,
  all: readonly Step[],
  answers: Answers,
  extra: string[],
): { text: string; asks: Step[] } {
  const asks = all.filter((s) => s.kind === "ask");
  const lines = asks.map((s, i) => {
    const value = answers[s.path];
    const title = entryTitle(s);
    const label = title ? `${title} – ${s.question.label}` : s.question.label;
    // Skipped is a choice the official made; unanswered is work still to do.
    const shown = value === null ? t.skipped : value === undefined ? (s.question.required ? t.unansweredRequired : t.unanswered) : formatAnswer(s.question, value);
    return t.reviewLine(i + 1, label, shown);
  });
  return { text: [header, "", ...lines, ...(extra.length > 0 ? ["", ...extra] : [])].join("\n"), asks };
}

export const reviewMenu: Choice[] = [
  { value: "r:submit", label: t.reviewActions.submit, aliases: ["gui", "nop", "guibaocao"] },
  { value: "r:edit", label: t.reviewActions.edit, aliases: ["sua"] },
  { value: "r:later", label: t.reviewActions.later, aliases: ["desau", "luu", "luunhap"] },
];
