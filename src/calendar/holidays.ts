// Working days: Monday–Friday, minus the office's days off, plus its make-up
// working Saturdays. The table is data (the Holiday table in the database, or
// the shipped YAML), because every year the government publishes its own
// swaps; no fixed rule gets them right.
import { addDays, dayOfWeek, type LocalDate } from "./dates.ts";

/** Same names as the Prisma enum DayKind. */
export type DayKind = "HOLIDAY" | "WORKDAY";

export interface HolidayEntry {
  date: LocalDate;
  kind: DayKind;
  name: string;
}

export interface HolidayTable {
  readonly byDate: ReadonlyMap<LocalDate, HolidayEntry>;
}

/**
 * Later entries for the same date win, so pass the office-wide entries first
 * and a unit's own entries (Holiday.unitId) after them.
 */
export function createHolidayTable(entries: Iterable<HolidayEntry>): HolidayTable {
  const byDate = new Map<LocalDate, HolidayEntry>();
  for (const e of entries) byDate.set(e.date, e);
  return { byDate };
}

export const noHolidays: HolidayTable = createHolidayTable([]);

/** The table's entry for that date, if any (for showing "nghỉ Tết Nguyên đán"). */
export function holidayOn(date: LocalDate, table: HolidayTable): HolidayEntry | undefined {
  return table.byDate.get(date);
}

export function isWorkingDay(date: LocalDate, table: HolidayTable): boolean {
  const entry = table.byDate.get(date);
  if (entry) return entry.kind === "WORKDAY";
  const dow = dayOfWeek(date);
  return dow !== 0 && dow !== 6;
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: LocalDate, table: HolidayTable): LocalDate {
  // Terminates: the table is finite and every weekday outside it is a working day.
  let d = addDays(date, 1);
  while (!isWorkingDay(d, table)) d = addDays(d, 1);
  return d;
}

/** `date` itself when it is a working day, else the next one. */
export function workingDayOnOrAfter(date: LocalDate, table: HolidayTable): LocalDate {
  return isWorkingDay(date, table) ? date : nextWorkingDay(date, table);
}

/** The n-th working day after `date` (n ≥ 1); `date` itself never counts. */
export function addWorkingDays(date: LocalDate, n: number, table: HolidayTable): LocalDate {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`working days must be an integer ≥ 1, got ${n}`);
  let d = date;
  for (let i = 0; i < n; i++) d = nextWorkingDay(d, table);
  return d;
}

/**
 * Working days d with a < d ≤ b; 0 when b ≤ a. With a = deadline day and
 * b = submission day this is the "days late" count, and it inverts
 * addWorkingDays: workingDaysBetween(a, addWorkingDays(a, n)) = n.
 */
export function workingDaysBetween(a: LocalDate, b: LocalDate, table: HolidayTable): number {
  let count = 0;
  for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) {
    if (isWorkingDay(d, table)) count++;
  }
  return count;
}
