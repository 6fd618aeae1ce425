// /tonghop (/summary) [period] [question]: totals and averages of the
// numeric answers across the subtree, from the latest revision of each
// report; with a question named, its answers gathered unit by unit.
import { fold } from "../forms/answers.ts";
import { flattenForm, type FlatQuestion } from "../forms/paths.ts";
import { vi } from "../texts/vi.ts";
import { parseArgs } from "./args.ts";
import { formOf, readable } from "./answers.ts";
import { committeeCommand, narrowRoots, Refusal, takeTemplate } from "./guard.ts";
import { num, stamp } from "./format.ts";
import { latestAnswers, latestForms, numberSums, resolveSlices, stateCounts, DONE_STATES } from "./queries.ts";

export const TEXT_ANSWERS_MAX = 60;

const nameOf = (f: FlatQuestion) => f.path.replace(/\[\]/g, "");

export const summaryCommand = committeeCommand(["tonghop", "summary"], async (ctx) => {
  const t = vi.committee.summary;
  const parsed = parseArgs(ctx.args);
  const { templateId, rest } = await takeTemplate(ctx.tx, parsed.words);
  const { roots, title } = await narrowRoots(ctx, []);
  const slices = await resolveSlices(ctx.tx, roots, { ...(parsed.period && { period: parsed.period }), ...(templateId !== undefined && { templateId }) }, ctx.now);
  if (slices.length === 0) throw new Refusal(vi.committee.nothing, "nothing");
  const forms = await latestForms(ctx.tx, [...new Set(slices.map((s) => s.templateId))]);
  const flats = new Map([...forms].map(([id, def]) => {
    const form = formOf(def);
    return [id, form === null ? [] : flattenForm(form)] as const;
  }));
  const counts = await stateCounts(ctx.tx, roots, slices, ctx.now);
  const sums = await numberSums(ctx.tx, roots, slices, ctx.now);

  const question = rest.join(" ");
  const out: string[] = [t.header(title), stamp(ctx.now)];
  let matched = false;
  for (const [i, slice] of slices.entries()) {
    const ord = i + 1;
    const flat = flats.get(slice.templateId) ?? [];
    const mine = counts.filter((c) => c.ord === ord);
    const done = mine.filter((c) => DONE_STATES.includes(c.state)).reduce((s, c) => s + c.n, 0);
    out.push("", t.slice(slice.templateTitle, slice.periodLabel, done, mine.reduce((s, c) => s + c.n, 0)));
    const numbers = sums.filter((s) => s.ord === ord);
    if (numbers.length === 0) out.push(t.noNumbers);
    for (const s of numbers) {
      const label = flat.find((f) => nameOf(f) === s.questionName)?.question.label ?? s.questionName;
      out.push(s.answers > s.units ? t.numberEntries(label, num(s.sum), num(s.avg), s.answers, s.units) : t.number(label, num(s.sum), num(s.avg), s.units));
    }
    if (question === "") continue;
    const target = findQuestion(flat, question);
    if (!target) continue;
    matched = true;
    const form = formOf(forms.get(slice.templateId));
    const rows = await latestAnswers(ctx.tx, roots, [slice], ctx.now, { questionNames: [nameOf(target)] });
    out.push("", t.texts(target.question.label, rows.length));
    if (rows.length === 0) out.push(t.noTexts);
    for (const r of rows.slice(0, TEXT_ANSWERS_MAX)) {
      const [a] = readable(form, [{ path: r.path, value: r.value }]);
      out.push(t.text(a?.entry ? `${r.unitName} (${a.entry})` : r.unitName, a?.text ?? ""));
    }
    if (rows.length > TEXT_ANSWERS_MAX) out.push(t.moreTexts(rows.length - TEXT_ANSWERS_MAX));
  }
  if (question !== "" && !matched) out.push("", t.questionNotFound(question));
  return [{ text: out.join("\n") }];
});

/** By its name ("kien_nghi") or a fragment of its label typed without diacritics. */
function findQuestion(flat: readonly FlatQuestion[], query: string): FlatQuestion | undefined {
  const asked = flat.filter((f) => !["group", "repeat", "note"].includes(f.question.type));
  const q = fold(query);
  const byName = asked.find((f) => f.question.name.toLowerCase() === q.replace(/ /g, "_") || nameOf(f).toLowerCase() === q);
  return byName ?? asked.find((f) => fold(f.question.label).includes(q));
}
