// /danhgia (/scorecard) <year>: per unit, the share of its reports filed on
// time, the average working days late, and the questions (chất vấn) put to it
// that were answered on time, late, or not at all by their deadline; worst
// first. Then the same question counts per person asked by name.
import type { Tx } from "../db/database.ts";
import { localDate, toInstant } from "../calendar/dates.ts";
import { visibleWhere } from "../questions/people.ts";
import { vi } from "../texts/vi.ts";
import { parseArgs } from "./args.ts";
import { committeeCommand, narrowRoots, Refusal } from "./guard.ts";
import { num, percent, stamp } from "./format.ts";
import { personScores, scorecard, type PersonScoreRow, type ScoreRow } from "./queries.ts";

export const SCORECARD_LIST_MAX = 50;

export const scorecardCommand = committeeCommand(["danhgia", "scorecard"], async (ctx) => {
  const t = vi.committee.scorecard;
  const parsed = parseArgs(ctx.args);
  if (parsed.period?.kind !== "year") throw new Refusal(t.usage, "usage");
  const year = parsed.period.year;
  const { roots, title } = await narrowRoots(ctx, parsed.words);
  const questionIds = await countableQuestions(ctx.tx, ctx.person.id, year);
  const rows = sortWorstFirst(await scorecard(ctx.tx, roots, year, ctx.now, questionIds));
  const persons = sortPersonsWorstFirst(await personScores(ctx.tx, roots, year, ctx.now, questionIds));
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
        r.questions === 0 ? "" : t.questions(r.questionsOnTime, r.questions, r.questionsLate, r.questionsUnanswered),
      ),
    );
  });
  if (rows.length > SCORECARD_LIST_MAX) out.push(t.more(rows.length - SCORECARD_LIST_MAX));
  if (persons.length > 0) {
    out.push("", t.persons);
    persons.slice(0, SCORECARD_LIST_MAX).forEach((p, i) => {
      out.push(t.person(i + 1, p.fullName, p.questionsOnTime, p.questions, p.questionsLate, p.questionsUnanswered));
    });
    if (persons.length > SCORECARD_LIST_MAX) out.push(t.morePersons(persons.length - SCORECARD_LIST_MAX));
  }
  return [{ text: out.join("\n") }];
});

/**
 * The questions of kind QUESTION the person may see (visibleWhere) whose
 * deadline, or asking when there is none, falls in the year in Vietnam; the
 * queries count only these.
 */
async function countableQuestions(tx: Tx, personId: number, year: number): Promise<number[]> {
  const from = toInstant(localDate(year, 1, 1));
  const to = toInstant(localDate(year + 1, 1, 1));
  const visible = await visibleWhere(tx, personId);
  const rows = await tx.question.findMany({
    where: {
      AND: [
        visible,
        { kind: "QUESTION" },
        { OR: [{ deadline: { gte: from, lt: to } }, { deadline: null, createdAt: { gte: from, lt: to } }] },
      ],
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => r.id);
}

/** Lowest on-time share first; then more days late; then questions not answered on time; then by name. */
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

/** Most questions unanswered first; then answered late; then by name. */
export function sortPersonsWorstFirst(rows: PersonScoreRow[]): PersonScoreRow[] {
  return rows.sort(
    (a, b) =>
      b.questionsUnanswered - a.questionsUnanswered ||
      b.questionsLate - a.questionsLate ||
      a.fullName.localeCompare(b.fullName, "vi") ||
      a.personId - b.personId,
  );
}
