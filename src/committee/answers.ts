// A submitted revision's answers as people read them: the question's label,
// the repeat entry it belongs to, the value formatted as the form says.
import { formatAnswer } from "../forms/answers.ts";
import { flatByPath, flattenForm, parseQuestionPath, type FlatQuestion } from "../forms/paths.ts";
import { entryLabelOf, parseTemplateForm, type Question, type TemplateForm } from "../forms/template-schema.ts";

export interface ReadableAnswer {
  path: string;
  /** "Văn bản thứ 2" (and outer entries) for answers inside repeats, else null. */
  entry: string | null;
  label: string;
  text: string;
  question: Question | null;
}

/** Parsed forms are kept per definition object; null when a stored definition no longer parses. */
export function formOf(definition: unknown): TemplateForm | null {
  try {
    return parseTemplateForm(definition);
  } catch {
    return null;
  }
}

export function readable(form: TemplateForm | null, answers: readonly { path: string; value: unknown }[]): ReadableAnswer[] {
  const flat = form === null ? [] : flattenForm(form);
  return answers.map((a) => {
    const f: FlatQuestion | undefined = flatByPath(flat, a.path);
    const indexes = (parseQuestionPath(a.path) ?? []).slice(0, -1).map((s) => s.index ?? 0);
    const entry = f && f.repeats.length > 0 ? f.repeats.map((r, i) => entryLabelOf(r, (indexes[i] ?? 0) + 1)).join(" – ") : null;
    return {
      path: a.path,
      entry,
      label: f?.question.label ?? a.path,
      text: f ? formatAnswer(f.question, a.value) : JSON.stringify(a.value),
      question: f?.question ?? null,
    };
  });
}
