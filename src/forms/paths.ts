// Walking a form and addressing answers.
//
// An answer is stored under its path: "so_van_ban" at the top level,
// "nghi_quyet[0].so_hieu" inside the first entry of a repeat. Groups only
// arrange questions on screen and do not appear in paths; names are unique
// outside repeats, so the group is never needed to find a question.
import type { Question } from "./template-schema.ts";

/** "nghi_quyet[0].so_hieu", or "nghi_quyet[].so_hieu" for the question itself. */
export type QuestionPath = string;

export interface PathSegment {
  name: string;
  /** The repeat entry (0-based); absent for the last segment and for "[]". */
  index?: number | undefined;
}

export interface FlatQuestion {
  question: Question;
  /** Index in document order (pre-order: a group or repeat before its questions). */
  order: number;
  /** Path with repeat indexes left out: "nghi_quyet[].so_hieu". */
  path: QuestionPath;
  /** Enclosing repeats, outermost first; scopes for `${name}`. */
  repeats: Question[];
  /** Enclosing groups and repeats, outermost first; their `relevant` applies too. */
  containers: Question[];
  /** Where the question is written in the template, for error messages: ["questions", 3, "questions", 0]. */
  location: (string | number)[];
}

interface FormLike {
  questions: readonly Question[];
}

// Forms never change once parsed, and skip logic flattens the same form for
// every expression it evaluates: remember each form's flat list.
const flattened = new WeakMap<FormLike, FlatQuestion[]>();

/** Every question, group, repeat and note, in the order they are asked. */
export function flattenForm(form: FormLike): FlatQuestion[] {
  const known = flattened.get(form);
  if (known) return known;
  const out: FlatQuestion[] = [];
  const visit = (list: readonly Question[], repeats: Question[], containers: Question[], location: (string | number)[]) => {
    list.forEach((question, i) => {
      const here = [...location, "questions", i];
      const path = [...repeats.map((r) => `${r.name}[]`), question.name].join(".");
      out.push({ question, order: out.length, path, repeats, containers, location: here });
      if (question.questions) {
        const innerRepeats = question.type === "repeat" ? [...repeats, question] : repeats;
        visit(question.questions, innerRepeats, [...containers, question], here);
      }
    });
  };
  visit(form.questions, [], [], []);
  flattened.set(form, out);
  return out;
}

const SEGMENT = /^([A-Za-z][A-Za-z0-9_]*)(?:\[(\d*)\])?$/;

/** "a[0].b[].c" → segments; null when the text is not a path. */
export function parseQuestionPath(path: string): PathSegment[] | null {
  const segments: PathSegment[] = [];
  for (const part of path.split(".")) {
    const m = SEGMENT.exec(part);
    if (!m?.[1]) return null;
    const index = m[2];
    segments.push(index === undefined || index === "" ? { name: m[1] } : { name: m[1], index: Number(index) });
  }
  return segments;
}

export function formatQuestionPath(segments: readonly PathSegment[]): QuestionPath {
  return segments.map((s, i) => (i < segments.length - 1 ? `${s.name}[${s.index ?? ""}]` : s.name)).join(".");
}

/** The answer path of a question in given repeat entries: ("nghi_quyet[].so_hieu", [2]) → "nghi_quyet[2].so_hieu". */
export function answerPath(flat: FlatQuestion, indexes: readonly number[]): QuestionPath {
  return formatQuestionPath([
    ...flat.repeats.map((r, i) => ({ name: r.name, index: indexes[i] })),
    { name: flat.question.name },
  ]);
}

/**
 * The flattened entry for a path, with or without repeat indexes
 * ("nghi_quyet[0].so_hieu", "nghi_quyet[].so_hieu", "so_van_ban").
 */
export function flatByPath(flat: readonly FlatQuestion[], path: QuestionPath): FlatQuestion | undefined {
  const segments = parseQuestionPath(path);
  if (!segments) return undefined;
  const key = formatQuestionPath(segments.map((s) => ({ name: s.name })));
  return flat.find((f) => f.path === key);
}

export function questionByPath(form: FormLike, path: QuestionPath): Question | undefined {
  return flatByPath(flattenForm(form), path)?.question;
}

/**
 * Where `${name}` points from a question: the innermost enclosing repeat that
 * defines the name, else the outer scopes, else the top level (XLSForm's
 * sibling-first rule). Undefined when no visible question has that name.
 */
export function resolveName(flat: readonly FlatQuestion[], from: FlatQuestion, name: string): FlatQuestion | undefined {
  for (let depth = from.repeats.length; depth >= 0; depth--) {
    const scope = from.repeats.slice(0, depth);
    const found = flat.find(
      (f) => f.question.name === name && f.repeats.length === depth && f.repeats.every((r, i) => r === scope[i]),
    );
    if (found) return found;
  }
  return undefined;
}

/** Answers keyed by answer path. */
export type Answers = Readonly<Record<QuestionPath, unknown>>;

/**
 * A lookup for evaluating an expression at `at` (an answer path with repeat
 * indexes). `${name}` resolves to the sibling in the same entry first, then
 * to outer questions; "." is the answer at `at` itself.
 */
export function scopedLookup(form: FormLike, answers: Answers, at: QuestionPath): (name: string) => unknown {
  const flat = flattenForm(form);
  const here = flatByPath(flat, at);
  const indexes = (parseQuestionPath(at) ?? []).slice(0, -1).map((s) => s.index ?? 0);
  return (name) => {
    if (name === ".") return answers[at];
    if (!here) return undefined;
    const target = resolveName(flat, here, name);
    return target ? answers[answerPath(target, indexes)] : undefined;
  };
}
