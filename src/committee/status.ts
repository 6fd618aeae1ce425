// /trangthai (/status): who has reported. Totals per template and period
// first; then every unit for a small subtree, or only the units not done for
// a large one (a province would otherwise be thousands of lines).
import type { OutboundMessage } from "../channels/channel.ts";
import { missingHolidayYears } from "../calendar/holiday-store.ts";
import { vi } from "../texts/vi.ts";
import { parseArgs } from "./args.ts";
import { committeeCommand, narrowRoots, Refusal, takeTemplate, type CommandContext } from "./guard.ts";
import { dueRange, groupedLines, mark, percent, stamp } from "./format.ts";
import { resolveSlices, stateCounts, unitStates, type Slice, type StateCount, type UnitState, type UnitStateRow } from "./queries.ts";

/** Up to this many reports in all, every unit is listed. */
export const FULL_LIST_MAX = 40;
/** In a large subtree, at most this many open units per template and period. */
export const OPEN_LIST_MAX = 40;

export interface StatusOptions {
  fullListMax?: number;
  openListMax?: number;
}

export const statusCommand = committeeCommand(["trangthai", "status"], (ctx) => statusReply(ctx));

export async function statusReply(ctx: CommandContext, opts: StatusOptions = {}): Promise<OutboundMessage[]> {
  const t = vi.committee;
  const parsed = parseArgs(ctx.args);
  const { templateId, rest } = await takeTemplate(ctx.tx, parsed.words);
  const { roots, title } = await narrowRoots(ctx, rest);
  const slices = await resolveSlices(ctx.tx, roots, { ...(parsed.period && { period: parsed.period }), ...(templateId !== undefined && { templateId }) }, ctx.now);
  if (slices.length === 0) throw new Refusal(t.nothing, "nothing");

  const counts = await stateCounts(ctx.tx, roots, slices, ctx.now);
  const total = counts.reduce((s, c) => s + c.n, 0);
  const full = total <= (opts.fullListMax ?? FULL_LIST_MAX);
  const units = await unitStates(ctx.tx, roots, slices, ctx.now, { onlyOpen: !full, perSlice: full ? total : (opts.openListMax ?? OPEN_LIST_MAX) });

  const out: string[] = [t.status.header(title), stamp(ctx.now)];
  slices.forEach((slice, i) => {
    const ord = i + 1;
    out.push("", ...sliceBlock(slice, counts.filter((c) => c.ord === ord), units.filter((u) => u.ord === ord), full));
  });
  out.push("", t.legend);
  // Deadlines of a year without its official holiday schedule may be a day off.
  const missing = await missingHolidayYears(ctx.tx, ctx.now);
  if (missing.length > 0) out.push("", ...missing.map((year) => t.status.holidaysMissing(year, ctx.scope.isOffice)));
  return [{ text: out.join("\n") }];
}

function sliceBlock(
  slice: Slice,
  counts: readonly StateCount[],
  units: readonly UnitStateRow[],
  full: boolean,
): string[] {
  const t = vi.committee.status;
  const n = (s: UnitState) => counts.find((c) => c.state === s)?.n ?? 0;
  const total = counts.reduce((s, c) => s + c.n, 0);
  const minDue = new Date(Math.min(...counts.map((c) => c.minDeadline.getTime())));
  const maxDue = new Date(Math.max(...counts.map((c) => c.maxDeadline.getTime())));
  const done = n("submitted_on_time") + n("submitted_late");
  const open = total - done;
  const lines = [
    t.slice(slice.templateTitle, slice.periodLabel, dueRange(minDue, maxDue)),
    t.totals(done, total, percent(done, total), n("submitted_on_time"), n("submitted_late")),
    t.open(n("in_progress"), n("not_started"), n("overdue")),
  ];
  const listed = groupedLines(units, (u) => u.parentName, (u) => t.unit(mark(u.state), u.unitName));
  if (full) return [...lines, ...listed];
  if (open === 0) return [...lines, t.allDone];
  lines.push(t.notDone(open), ...listed);
  if (open > units.length) lines.push(t.moreOpen(open - units.length));
  if (done > 0) lines.push(t.doneCount(done));
  return lines;
}
