// Reporting periods and deadlines (Decree 09/2019/NĐ-CP, Article 12).
//
// Data windows run from the 15th to the 14th: a monthly report for March 2026
// covers 15/02–14/03/2026; Q1 2026 covers 15/12/2025–14/03/2026; the 6-month,
// 9-month and yearly reports all start on 15/12 of the previous year.
//
// Period keys (stored in Period.key, unique):
//   MONTHLY-2026-03   QUARTERLY-2026-1   SIX_MONTHLY-2026   NINE_MONTHLY-2026   YEARLY-2026
// Months are zero-padded so keys of one type sort in time order as strings.
// Keys are part of the database: never change this format.
import { z } from "zod";
import { formatIssues, vietnameseIssue } from "../forms/template-schema.ts";
import { vi } from "../texts/vi.ts";
import {
  dateParts,
  isLocalTime,
  localDate,
  parseAnyDate,
  toInstant,
  toLocalDate,
  type LocalDate,
  type LocalTime,
} from "./dates.ts";
import { addWorkingDays, type HolidayTable } from "./holidays.ts";

/** The Prisma enum PeriodType without AD_HOC. */
export const periodTypes = ["MONTHLY", "QUARTERLY", "SIX_MONTHLY", "NINE_MONTHLY", "YEARLY"] as const;
export type PeriodType = (typeof periodTypes)[number];

export interface PeriodRef {
  type: PeriodType;
  year: number;
  /** Month 1–12 for MONTHLY, quarter 1–4 for QUARTERLY, null otherwise. */
  number: number | null;
}

export interface PeriodWindow extends PeriodRef {
  start: LocalDate; // first day of data, inclusive
  end: LocalDate; // cut-off day, inclusive
  key: string;
  label: string;
}

/** Days of the month on which windows start and end. */
const START_DAY = 15;
const END_DAY = 14;

/** Office closing time: a deadline day ends at this local time. */
export const DEFAULT_DEADLINE_TIME: LocalTime = "17:00";

function checkRef(type: PeriodType, year: number, number: number | null | undefined): number | null {
  if (!Number.isInteger(year) || year < 1901 || year > 9999) throw new RangeError(`invalid year ${year}`);
  const max = type === "MONTHLY" ? 12 : type === "QUARTERLY" ? 4 : 0;
  if (max === 0) {
    if (number !== undefined && number !== null) throw new RangeError(`${type} periods take no number, got ${number}`);
    return null;
  }
  if (number === undefined || number === null || !Number.isInteger(number) || number < 1 || number > max) {
    throw new RangeError(`${type} ${year} needs a number from 1 to ${max}, got ${String(number)}`);
  }
  return number;
}

/** 15th of the month before `month` (which may be January). */
function startBefore(year: number, month: number): LocalDate {
  return month === 1 ? localDate(year - 1, 12, START_DAY) : localDate(year, month - 1, START_DAY);
}

/** The data window of a period; throws RangeError for a bad year or number. */
export function periodWindow(type: PeriodType, year: number, number?: number | null): PeriodWindow {
  const n = checkRef(type, year, number);
  const label = vi.calendar.periodLabel;
  switch (type) {
    case "MONTHLY": {
      const m = n!;
      return {
        type,
        year,
        number: m,
        start: startBefore(year, m),
        end: localDate(year, m, END_DAY),
        key: `${type}-${year}-${String(m).padStart(2, "0")}`,
        label: label.month(m, year),
      };
    }
    case "QUARTERLY": {
      const q = n!;
      return {
        type,
        year,
        number: q,
        start: startBefore(year, 3 * q - 2),
        end: localDate(year, 3 * q, END_DAY),
        key: `${type}-${year}-${q}`,
        label: label.quarter(q, year),
      };
    }
    case "SIX_MONTHLY":
      return yearToDate(type, year, 6, label.sixMonths(year));
    case "NINE_MONTHLY":
      return yearToDate(type, year, 9, label.nineMonths(year));
    case "YEARLY":
      return yearToDate(type, year, 12, label.year(year));
  }
}

function yearToDate(type: PeriodType, year: number, lastMonth: number, label: string): PeriodWindow {
  return {
    type,
    year,
    number: null,
    start: localDate(year - 1, 12, START_DAY),
    end: localDate(year, lastMonth, END_DAY),
    key: `${type}-${year}`,
    label,
  };
}

const KEY = /^(MONTHLY|QUARTERLY|SIX_MONTHLY|NINE_MONTHLY|YEARLY)-(\d{4})(?:-(\d{1,2}))?$/;

/** The period a key names, or null when the key is not one periodWindow makes. */
export function parsePeriodKey(key: string): PeriodWindow | null {
  const m = KEY.exec(key);
  if (!m) return null;
  try {
    const w = periodWindow(m[1] as PeriodType, Number(m[2]), m[3] === undefined ? null : Number(m[3]));
    return w.key === key ? w : null;
  } catch {
    return null;
  }
}

/**
 * The period of this type whose window contains the date, or null: the
 * 6-month and 9-month windows leave gaps (15/06–14/12 and 15/09–14/12).
 */
export function periodContaining(type: PeriodType, date: LocalDate): PeriodWindow | null {
  const { year, month, day } = dateParts(date);
  // From the 15th on, a day belongs to next month's window.
  const [y, m] = day >= START_DAY ? (month === 12 ? [year + 1, 1] : [year, month + 1]) : [year, month];
  switch (type) {
    case "MONTHLY":
      return periodWindow(type, y, m);
    case "QUARTERLY":
      return periodWindow(type, y, Math.ceil(m / 3));
    case "SIX_MONTHLY":
      return m <= 6 ? periodWindow(type, y) : null;
    case "NINE_MONTHLY":
      return m <= 9 ? periodWindow(type, y) : null;
    case "YEARLY":
      return periodWindow(type, y);
  }
}

/** The period right before (delta −1) or after (+1) this one, or further. */
export function shiftPeriod(p: PeriodRef, delta: number): PeriodWindow {
  if (!Number.isInteger(delta)) throw new RangeError(`delta must be an integer, got ${delta}`);
  const perYear = p.type === "MONTHLY" ? 12 : p.type === "QUARTERLY" ? 4 : 1;
  if (perYear === 1) return periodWindow(p.type, p.year + delta);
  const index = p.year * perYear + (p.number ?? 1) - 1 + delta;
  return periodWindow(p.type, Math.floor(index / perYear), (index % perYear) + 1);
}

/**
 * "This period" = the latest period of the type whose window has started by
 * today (Vietnam time). For monthly, quarterly and yearly periods that is the
 * window containing today. The 6- and 9-month windows leave a gap; inside it
 * the current period is the one that ended last (its report is the one being
 * collected or chased), until the next window opens on 15/12.
 */
export function currentPeriod(type: PeriodType, now: Date): PeriodWindow {
  const today = toLocalDate(now);
  const containing = periodContaining(type, today);
  if (containing) return containing;
  // Only the gap of a year-to-date type gets here; its period started 15/12 last year.
  return periodWindow(type, dateParts(today).year);
}

/** The period before the current one. */
export function previousPeriod(type: PeriodType, now: Date): PeriodWindow {
  return shiftPeriod(currentPeriod(type, now), -1);
}

/** Cut-off day + N working days (N ≥ 1, Decree 09; configurable per template). */
export function deadlineDate(windowEnd: LocalDate, workingDaysAfter: number, table: HolidayTable): LocalDate {
  return addWorkingDays(windowEnd, workingDaysAfter, table);
}

/** The deadline as an instant: `time` (office closing, default 17:00) on the deadline day, Vietnam time. */
export function deadline(
  windowEnd: LocalDate,
  workingDaysAfter: number,
  table: HolidayTable,
  time: LocalTime = DEFAULT_DEADLINE_TIME,
): Date {
  if (!isLocalTime(time)) throw new RangeError(`not a HH:MM time: "${String(time)}"`);
  return toInstant(deadlineDate(windowEnd, workingDaysAfter, table), time);
}

// ───────────── ad hoc ("đột xuất") periods ─────────────

export interface AdHocPeriod {
  type: "AD_HOC";
  title: string;
  start: LocalDate;
  end: LocalDate;
  deadline: Date;
}

export interface AdHocInput {
  title: string;
  /** "YYYY-MM-DD" or "dd/mm/yyyy" */
  start: string;
  end: string;
  deadline: Date;
}

export type AdHocResult = { ok: true; period: AdHocPeriod } | { ok: false; problems: string[] };

const typedDate = z.string().transform((value, ctx): LocalDate => {
  const d = parseAnyDate(value);
  if (d === null) {
    ctx.addIssue({ code: "custom", message: vi.calendar.adHoc.badDate(value) });
    return z.NEVER;
  }
  return d;
});

const adHocSchema = z.object({
  title: z.string().trim().min(1).max(200),
  start: typedDate,
  end: typedDate,
  deadline: z.date(),
});

/**
 * Checks a requester's ad hoc window and deadline: end ≥ start, the deadline
 * is still ahead of `now`, and it is not before the window's last day begins.
 */
export function adHocPeriod(input: AdHocInput, now: Date): AdHocResult {
  const parsed = adHocSchema.safeParse(input, { error: vietnameseIssue });
  if (!parsed.success) return { ok: false, problems: formatIssues(parsed.error.issues) };
  const { title, start, end, deadline: due } = parsed.data;
  const problems: string[] = [];
  if (end < start) problems.push(vi.calendar.adHoc.endBeforeStart);
  if (due.getTime() <= now.getTime()) problems.push(vi.calendar.adHoc.deadlineInPast);
  if (due.getTime() < toInstant(end).getTime()) problems.push(vi.calendar.adHoc.deadlineBeforeEnd);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, period: { type: "AD_HOC", title, start, end, deadline: due } };
}
