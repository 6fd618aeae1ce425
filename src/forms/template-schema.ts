// The form of a report template, modelled on XLSForm: a list of questions,
// where groups and repeats hold questions of their own. This module only
// checks the shape and the expressions; answers.ts and the conversation
// engine give it meaning.
import { z } from "zod";
import { isLocalDate } from "../calendar/dates.ts";
import { vi } from "../texts/vi.ts";
import { ExpressionError, parseExpression, walk, type Expr } from "./expression.ts";
import { flattenForm, resolveName, type FlatQuestion } from "./paths.ts";

export const questionTypes = [
  "text",
  "long_text",
  "integer",
  "decimal",
  "date",
  "yes_no",
  "select_one",
  "select_multiple",
  "file",
  "note",
  "group",
  "repeat",
] as const;
export type QuestionType = (typeof questionTypes)[number];

/** File kinds a `file` question may accept; "jpeg" in a template means jpg. */
export const fileFormats = ["pdf", "docx", "doc", "jpg", "png", "xlsx", "xls"] as const;
export type FileFormat = (typeof fileFormats)[number];

/** Defaults that apply when the template says nothing; see the `...Of` helpers below. */
export const formDefaults = {
  /** Long enough for a line of text, short enough to stop a pasted document. */
  textMaxLength: 500,
  longTextMaxLength: 4000,
  fileAccept: ["pdf", "docx", "jpg", "png"] as readonly FileFormat[],
  fileMaxSizeMb: 20,
} as const;

/** Upper bounds a template may not go beyond. */
export const formLimits = {
  textMaxLength: 2000,
  longTextMaxLength: 20000,
  fileMaxSizeMb: 50,
} as const;

export interface Choice {
  value: string;
  label: string;
}

export interface Constraint {
  min?: number;
  max?: number;
  min_length?: number;
  max_length?: number;
  pattern?: string;
  /** Dates, as YYYY-MM-DD. */
  min_date?: string;
  max_date?: string;
  /** Shown to the official when the answer breaks the constraint. */
  message?: string;
}

export interface Question {
  name: string;
  type: QuestionType;
  label: string;
  label_en?: string;
  hint?: string;
  hint_en?: string;
  required: boolean;
  constraint?: Constraint;
  /** XLSForm-style expression deciding whether the question is asked; see expression.ts. */
  relevant?: string;
  choices?: Choice[];
  questions?: Question[];
  /** file: the formats taken (default formDefaults.fileAccept). */
  accept?: FileFormat[];
  /** file: the largest file taken, in MB (default 20, at most 50). */
  max_size_mb?: number;
  /** repeat: the title of one entry; "{n}" is the entry number ("Nghị quyết thứ {n}"). */
  entry_label?: string;
}

export interface TemplateForm {
  questions: Question[];
}

const selectTypes: readonly QuestionType[] = ["select_one", "select_multiple"];
const containerTypes: readonly QuestionType[] = ["group", "repeat"];
const textTypes: readonly QuestionType[] = ["text", "long_text"];
// select_multiple and repeat: min/max count the chosen options or entries.
const rangeTypes: readonly QuestionType[] = ["integer", "decimal", "select_multiple", "repeat"];

/** Trimmed, NFC-normalised text: names typed on a Mac arrive decomposed. */
export const text = () =>
  z
    .string()
    .transform((s) => s.normalize("NFC").trim())
    .pipe(z.string().min(1, { error: vi.validation.empty }));

const identifier = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: vi.validation.identifier });

const choiceSchema = z.strictObject({
  // YAML reads `value: 1` as a number; a choice value is always a string.
  value: z.union([z.string(), z.number()]).transform((v) => String(v).trim()).pipe(z.string().min(1, { error: vi.validation.empty })),
  label: text(),
});

const constraintSchema = z
  .strictObject({
    min: z.number().optional(),
    max: z.number().optional(),
    min_length: z.int().min(0).optional(),
    max_length: z.int().min(1).optional(),
    pattern: z.string().optional(),
    min_date: z.string().optional(),
    max_date: z.string().optional(),
    message: text().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.min !== undefined && c.max !== undefined && c.min > c.max) {
      ctx.addIssue({ code: "custom", path: ["min"], message: vi.validation.minAboveMax("min", "max") });
    }
    if (c.min_length !== undefined && c.max_length !== undefined && c.min_length > c.max_length) {
      ctx.addIssue({ code: "custom", path: ["min_length"], message: vi.validation.minAboveMax("min_length", "max_length") });
    }
    for (const key of ["min_date", "max_date"] as const) {
      const d = c[key];
      if (d !== undefined && !isLocalDate(d)) ctx.addIssue({ code: "custom", path: [key], message: vi.forms.template.badDate(d) });
    }
    if (c.min_date !== undefined && c.max_date !== undefined && c.min_date > c.max_date) {
      ctx.addIssue({ code: "custom", path: ["min_date"], message: vi.validation.minAboveMax("min_date", "max_date") });
    }
    if (c.pattern !== undefined) {
      try {
        new RegExp(c.pattern, "u");
      } catch {
        ctx.addIssue({ code: "custom", path: ["pattern"], message: vi.validation.badPattern });
      }
    }
  });

interface QuestionInput {
  name: string;
  type: QuestionType;
  label: string;
  label_en?: string | undefined;
  hint?: string | undefined;
  hint_en?: string | undefined;
  required?: boolean | undefined;
  constraint?: Constraint | undefined;
  relevant?: string | undefined;
  choices?: unknown[] | undefined;
  questions?: unknown[] | undefined;
  accept?: string[] | undefined;
  max_size_mb?: number | undefined;
  entry_label?: string | undefined;
}

const fileFormat = z
  .string()
  .transform((s) => {
    const f = s.trim().toLowerCase().replace(/^\./, "");
    return f === "jpeg" ? "jpg" : f;
  })
  .pipe(z.enum(fileFormats));

const questionSchema: z.ZodType<Question, QuestionInput> = z
  .strictObject({
    name: identifier,
    type: z.enum(questionTypes),
    label: text(),
    label_en: text().optional(),
    hint: text().optional(),
    hint_en: text().optional(),
    required: z.boolean().optional(),
    constraint: constraintSchema.optional(),
    relevant: text().optional(),
    choices: z.array(choiceSchema).min(1).optional(),
    get questions() {
      return questionList.optional();
    },
    accept: z
      .array(fileFormat)
      .min(1)
      .transform((list) => [...new Set(list)])
      .optional(),
    max_size_mb: z.number().positive().max(formLimits.fileMaxSizeMb).optional(),
    entry_label: text().optional(),
  })
  .superRefine((q, ctx) => {
    const isSelect = selectTypes.includes(q.type);
    const isContainer = containerTypes.includes(q.type);
    if (isSelect && q.choices === undefined) {
      ctx.addIssue({ code: "custom", path: ["choices"], message: vi.validation.choicesRequired });
    }
    if (!isSelect && q.choices !== undefined) {
      ctx.addIssue({ code: "custom", path: ["choices"], message: vi.validation.choicesNotAllowed(q.type) });
    }
    if (isContainer && q.questions === undefined) {
      ctx.addIssue({ code: "custom", path: ["questions"], message: vi.validation.questionsRequired });
    }
    if (!isContainer && q.questions !== undefined) {
      ctx.addIssue({ code: "custom", path: ["questions"], message: vi.validation.questionsNotAllowed(q.type) });
    }
    const c = q.constraint;
    if (c && !textTypes.includes(q.type) && (c.min_length !== undefined || c.max_length !== undefined || c.pattern !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["constraint"], message: vi.validation.lengthOnlyForText });
    }
    if (c && !rangeTypes.includes(q.type) && (c.min !== undefined || c.max !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["constraint"], message: vi.validation.rangeNotAllowed(q.type) });
    }
    if (c && q.type !== "date" && (c.min_date !== undefined || c.max_date !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["constraint"], message: vi.forms.template.dateOnlyForDate });
    }
    const hardMax = q.type === "text" ? formLimits.textMaxLength : formLimits.longTextMaxLength;
    if (c?.max_length !== undefined && textTypes.includes(q.type) && c.max_length > hardMax) {
      ctx.addIssue({ code: "custom", path: ["constraint", "max_length"], message: vi.forms.template.maxLengthAboveLimit(hardMax) });
    }
    for (const [field, type] of [["accept", "file"], ["max_size_mb", "file"], ["entry_label", "repeat"]] as const) {
      if (q[field] !== undefined && q.type !== type) {
        ctx.addIssue({ code: "custom", path: [field], message: vi.forms.template.onlyFor(field, type) });
      }
    }
    const seen = new Set<string>();
    (q.choices ?? []).forEach((choice, i) => {
      if (seen.has(choice.value)) {
        ctx.addIssue({ code: "custom", path: ["choices", i, "value"], message: vi.validation.duplicateChoice(choice.value) });
      }
      seen.add(choice.value);
    });
  })
  .transform((q): Question => {
    const { required, ...rest } = q;
    return { ...rest, required: required ?? !(q.type === "note" || q.type === "group") };
  });

const questionList: z.ZodType<Question[], QuestionInput[]> = z
  .array(questionSchema)
  .min(1)
  .superRefine((questions, ctx) => {
    // A group does not open a naming scope (as in XLSForm); a repeat does,
    // because its answers are addressed as "repeat[i].name".
    const seen = new Set<string>();
    const walk = (list: Question[], path: (string | number)[]) => {
      list.forEach((q, i) => {
        if (seen.has(q.name)) {
          ctx.addIssue({ code: "custom", path: [...path, i, "name"], message: vi.validation.duplicateName(q.name) });
        }
        seen.add(q.name);
        if (q.type === "group" && q.questions) walk(q.questions, [...path, i, "questions"]);
      });
    };
    walk(questions, []);
  });

export const templateFormSchema: z.ZodType<TemplateForm, { questions: QuestionInput[] }> = z
  .strictObject({
    questions: questionList,
  })
  .superRefine((form, ctx) => {
    const flat = flattenForm(form);
    for (const f of flat) {
      if (f.question.relevant === undefined) continue;
      for (const problem of expressionProblems(flat, f, f.question.relevant)) {
        ctx.addIssue({ code: "custom", path: [...f.location, "relevant"], message: problem.message });
      }
    }
  });

/**
 * What is wrong with an expression written on a question: syntax, then every
 * `${name}` that is unknown, not earlier, out of scope or has no answer, and
 * choice values that the select question does not have (typos there would
 * silently make the question never asked).
 */
export function expressionProblems(flat: readonly FlatQuestion[], at: FlatQuestion, source: string): ExpressionError[] {
  const t = vi.forms.template;
  let expr: Expr;
  try {
    expr = parseExpression(source);
  } catch (err) {
    if (err instanceof ExpressionError) return [err];
    throw err;
  }
  const problems: ExpressionError[] = [];
  const target = (node: Expr): FlatQuestion | undefined => (node.kind === "ref" ? resolveName(flat, at, node.name) : undefined);
  walk(expr, (node) => {
    if (node.kind === "ref") {
      const def = resolveName(flat, at, node.name);
      if (!def) {
        const hidden = flat.find((f) => f.question.name === node.name);
        const repeat = hidden?.repeats.at(-1);
        problems.push(new ExpressionError(node.pos, repeat ? t.outsideRepeat(node.name, repeat.name) : t.unknownRef(node.name)));
      } else if (def === at) {
        problems.push(new ExpressionError(node.pos, t.selfRef(node.name)));
      } else if (def.order > at.order) {
        problems.push(new ExpressionError(node.pos, t.laterRef(node.name)));
      } else if (!answerTypes.includes(def.question.type)) {
        problems.push(new ExpressionError(node.pos, t.notAValue(node.name, def.question.type)));
      }
      return;
    }
    const checkChoice = (ref: Expr, literal: Expr | undefined) => {
      const def = target(ref);
      if (!def?.question.choices || literal?.kind !== "literal" || typeof literal.value !== "string") return;
      const value = literal.value;
      if (!def.question.choices.some((c) => c.value === value)) {
        problems.push(new ExpressionError(literal.pos, t.unknownChoice(value, def.question.name)));
      }
    };
    if (node.kind === "call" && (node.fn === "selected" || node.fn === "count-selected")) {
      const [first, second] = node.args;
      const def = first ? target(first) : undefined;
      if (def && !selectTypes.includes(def.question.type)) {
        problems.push(new ExpressionError(first?.pos ?? node.pos, t.notSelect(node.fn, def.question.name)));
      } else if (first && node.fn === "selected") {
        checkChoice(first, second);
      }
    }
    if (node.kind === "binary" && (node.op === "=" || node.op === "!=")) {
      if (target(node.left)?.question.type === "select_one") checkChoice(node.left, node.right);
      if (target(node.right)?.question.type === "select_one") checkChoice(node.right, node.left);
    }
  });
  return problems;
}

/** Question types that hold an answer an expression can read. */
const answerTypes: readonly QuestionType[] = questionTypes.filter((t) => t !== "note" && t !== "group" && t !== "repeat");

// ───────── effective settings, with the defaults filled in ─────────

/** Length limits of a text or long_text answer. */
export function textLimitsOf(q: Question): { min: number; max: number } {
  const fallback = q.type === "long_text" ? formDefaults.longTextMaxLength : formDefaults.textMaxLength;
  return { min: q.constraint?.min_length ?? 0, max: q.constraint?.max_length ?? fallback };
}

/** Formats and size a file question takes. */
export function fileRulesOf(q: Question): { accept: readonly FileFormat[]; maxSizeMb: number } {
  return { accept: q.accept ?? formDefaults.fileAccept, maxSizeMb: q.max_size_mb ?? formDefaults.fileMaxSizeMb };
}

/** "Nghị quyết thứ 2": the title of one repeat entry (n is 1-based). */
export function entryLabelOf(q: Question, n: number): string {
  return q.entry_label === undefined ? vi.forms.format.entry(q.label, n) : q.entry_label.replaceAll("{n}", String(n));
}

export class FormError extends Error {
  override name = "FormError";
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

/** Parses a template form; throws FormError with one Vietnamese line per problem. */
export function parseTemplateForm(input: unknown): TemplateForm {
  const r = templateFormSchema.safeParse(input, { error: vietnameseIssue });
  if (!r.success) throw new FormError(formatIssues(r.error.issues));
  return r.data;
}

// ───────── Vietnamese messages for zod issues, shared with the org import ─────────

/** Per-parse error map: pass as `schema.safeParse(x, { error: vietnameseIssue })`. */
export function vietnameseIssue(iss: z.core.$ZodRawIssue): string | undefined {
  const v = vi.validation;
  switch (iss.code) {
    case "invalid_type":
      if (iss.input === undefined) return v.required;
      return v.wrongType(typeName(iss.expected), typeName(kindOf(iss.input)));
    case "invalid_value":
      return v.notOneOf(String(iss.input), iss.values.map(String));
    case "too_small": {
      const min = Number(iss.minimum);
      if (iss.origin === "string") return min <= 1 ? v.empty : v.tooShort(min);
      if (iss.origin === "array" || iss.origin === "set") return v.tooFew(min);
      return v.tooSmall(iss.minimum);
    }
    case "too_big": {
      const max = Number(iss.maximum);
      if (iss.origin === "string") return v.tooLong(max);
      if (iss.origin === "array" || iss.origin === "set") return v.tooMany(max);
      return v.tooBig(iss.maximum);
    }
    case "unrecognized_keys":
      return v.unknownKeys(iss.keys);
    case "invalid_format":
      return iss.format === "email" ? v.invalidEmail : v.invalid;
    default:
      return v.invalid;
  }
}

function typeName(t: string): string {
  return vi.validation.typeNames[t] ?? t;
}

function kindOf(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "array";
  if (typeof x === "number" && Number.isInteger(x)) return "int";
  return typeof x;
}

export interface FormattedIssue {
  path: PropertyKey[];
  message: string;
}

/**
 * Flattens zod issues into (path, message) pairs. A failed union is
 * replaced by the issues of the branch the input was meant for (the one
 * that did not fail on the input's own type), so the message points deep.
 */
export function flattenIssues(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): FormattedIssue[] {
  const out: FormattedIssue[] = [];
  for (const iss of issues) {
    const path = [...prefix, ...iss.path];
    if (iss.code === "invalid_union") {
      const meant = iss.errors.filter((branch) => !branch.some((b) => b.code === "invalid_type" && b.path.length === 0));
      const [only] = meant;
      if (meant.length === 1 && only) {
        out.push(...flattenIssues(only, path));
        continue;
      }
    }
    out.push({ path, message: iss.message });
  }
  return out;
}

/** `people[3].roles[0].unit` */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = "";
  for (const p of path) {
    if (typeof p === "number") s += `[${p}]`;
    else s += s === "" ? String(p) : `.${String(p)}`;
  }
  return s;
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return flattenIssues(issues).map((i) => (i.path.length > 0 ? `${formatPath(i.path)}: ${i.message}` : i.message));
}
