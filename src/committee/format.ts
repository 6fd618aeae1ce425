// Small shared pieces of the committee's replies.
import { formatDueTime, formatVietnameseDateTime } from "../calendar/dates.ts";
import { formatNumber } from "../forms/answers.ts";
import { vi } from "../texts/vi.ts";
import type { UnitState } from "./queries.ts";

export const mark = (state: UnitState): string => vi.committee.marks[state];

export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part * 100) / whole);
}

/** A deadline, or the range when some units were given more time. */
export function dueRange(min: Date, max: Date): string {
  return min.getTime() === max.getTime() ? formatDueTime(min) : `${formatDueTime(min)} – ${formatDueTime(max)}`;
}

export function stamp(now: Date): string {
  return vi.committee.updated(formatVietnameseDateTime(now));
}

/** Numbers as Vietnamese documents write them, with at most two decimals. */
export function num(n: number): string {
  return formatNumber(Math.round(n * 100) / 100);
}

/** Lines grouped under their parent's name, in the order given. */
export function groupedLines<T>(rows: readonly T[], parentOf: (r: T) => string | null, line: (r: T) => string): string[] {
  const out: string[] = [];
  let current: string | null | undefined;
  for (const r of rows) {
    const parent = parentOf(r);
    if (parent !== current) {
      if (parent !== null) out.push(vi.committee.status.group(parent));
      current = parent;
    }
    out.push(line(r));
  }
  return out;
}
