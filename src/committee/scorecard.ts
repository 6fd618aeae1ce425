// /danhgia (/scorecard) <year>: per unit, the share of its reports filed on
// time, the average working days late, and the questions (chất vấn) it
// answered by their deadline; worst first.
import { vi } from "../texts/vi.ts";
import { parseArgs } from "./args.ts";
import { committeeCommand, narrowRoots, Refusal } from "./guard.ts";
import { num, percent, stamp } from "./format.ts";
import { scorecard, type ScoreRow } from "./queries.ts";

export const SCORECARD_LIST_MAX = 50;

export const scorecardCommand = committeeCommand(["danhgia", "scorecard"], async (ctx) => {
  const t = vi.committee.scorecard;
  const parsed = parseArgs(ctx.args);
  if (parsed.period?.kind !== "year") throw new Refusal(t.usage, "usage");
  const year = parsed.period.year;
  const { roots, title } = await narrowRoots(ctx, parsed.words);
  const rows = sortWorstFirst(await scorecard(ctx.tx, roots, year, ctx.now));
  const out = [t.header(title, year), stamp(ctx.now), ""];
  if (rows.length === 0) out.push(t.none(year));
  rows.slice(0, SCORECARD_LIST_MAX).forEach((r, i) => {
    out.push(
      t.line(
        i + 1,
        r.unitName,
        r.onTime,
        r.due,
        percent(r.onTime, r.due),
        r.avgDaysLate === null ? "" : t.avgLate(num(r.avgDaysLate)),
        r.questions === 0 ? "" : t.questions(r.questionsOnTime, r.questions),
      ),
    );
  });
  if (rows.length > SCORECARD_LIST_MAX) out.push(t.more(rows.length - SCORECARD_LIST_MAX));
  return [{ text: out.join("\n") }];
});

/** Lowest on-time share first; then more days late; then questions answered late; then by name. */
export function sortWorstFirst(rows: ScoreRow[]): ScoreRow[] {
  const share = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return rows.sort(
    (a, b) =>
      share(a.onTime, a.due) - share(b.onTime, b.due) ||
      (b.avgDaysLate ?? 0) - (a.avgDaysLate ?? 0) ||
      share(a.questionsOnTime, a.questions) - share(b.questionsOnTime, b.questions) ||
      a.unitName.localeCompare(b.unitName, "vi"),
  );
}
