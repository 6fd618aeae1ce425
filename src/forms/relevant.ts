// Skip logic: whether a question is asked, given the answers so far.
import { evaluateBoolean, parseExpression, type Expr } from "./expression.ts";
import { flatByPath, flattenForm, scopedLookup, type Answers, type QuestionPath } from "./paths.ts";
import type { Question, TemplateForm } from "./template-schema.ts";

// Forms are parsed once at import and then read many times; expressions
// were checked at import, so parsing here cannot fail for a stored form.
const parsed = new WeakMap<Question, Expr>();

function relevantExpr(q: Question): Expr | undefined {
  if (q.relevant === undefined) return undefined;
  let expr = parsed.get(q);
  if (!expr) {
    expr = parseExpression(q.relevant);
    parsed.set(q, expr);
  }
  return expr;
}

/**
 * Whether the question at `at` ("nghi_quyet[1].ket_qua") is asked: its own
 * `relevant` and those of every enclosing group and repeat must hold, each
 * evaluated where it is written. Unknown paths are not asked.
 */
export function isRelevant(form: TemplateForm, answers: Answers, at: QuestionPath): boolean {
  const flat = flattenForm(form);
  const here = flatByPath(flat, at);
  if (!here) return false;
  const segments = at.split(".");
  // The containers sit at the same depth of repeats as written, so their
  // own answer path is the matching prefix of `at` (groups are not in paths).
  for (const q of [...here.containers, here.question]) {
    const expr = relevantExpr(q);
    if (!expr) continue;
    const container = flat.find((f) => f.question === q);
    if (!container) continue;
    const depth = container.repeats.length;
    const prefix = segments.slice(0, depth).join(".");
    const ownPath = prefix === "" ? q.name : `${prefix}.${q.name}`;
    if (!evaluateBoolean(expr, scopedLookup(form, answers, ownPath))) return false;
  }
  return true;
}
