// /quahan (/overdue): the reports past their deadline and still missing,
// longest overdue first, with the unit's head and the last reminder sent.
import { formatVietnameseDateTime } from "../calendar/dates.ts";
import { vi } from "../texts/vi.ts";
import { parseArgs } from "./args.ts";
import { committeeCommand, narrowRoots, takeTemplate } from "./guard.ts";
import { stamp } from "./format.ts";
import { overdue, resolveSlices } from "./queries.ts";

export const OVERDUE_LIST_MAX = 40;

export const overdueCommand = committeeCommand(["quahan", "overdue"], async (ctx) => {
  const t = vi.committee.overdue;
  const parsed = parseArgs(ctx.args);
  const { templateId, rest } = await takeTemplate(ctx.tx, parsed.words);
  const { roots, title } = await narrowRoots(ctx, rest);
  const slices =
    parsed.period === undefined && templateId === undefined
      ? undefined
      : await resolveSlices(ctx.tx, roots, { ...(parsed.period && { period: parsed.period }), ...(templateId !== undefined && { templateId }) }, ctx.now);
  const { total, rows } = await overdue(ctx.tx, roots, ctx.now, { ...(slices && { slices }), limit: OVERDUE_LIST_MAX });
  if (total === 0) return [{ text: [t.header(title, 0), stamp(ctx.now), "", t.none].join("\n") }];
  const lines = [t.header(title, total), stamp(ctx.now), ""];
  rows.forEach((r, i) => {
    lines.push(
      t.line(i + 1, r.unitName, r.templateTitle, r.periodLabel, vi.committee.daysLate(r.daysLate ?? 0), r.inProgress),
      t.head(r.heads),
      t.reminded(r.lastReminded === null ? null : formatVietnameseDateTime(r.lastReminded)),
      ...(r.undelivered === null ? [] : [t.undelivered(r.undelivered)]),
    );
  });
  if (total > rows.length) lines.push("", t.more(total - rows.length));
  return [{ text: lines.join("\n") }];
});
