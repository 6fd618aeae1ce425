// Working days: Monday–Friday, minus the days off, plus make-up working
// Saturdays. For a year the office has loaded (the Holiday table in the
// database, from a YAML file) the loaded days are the whole truth, because
// every year the government publishes its own swaps and no fixed rule gets
// them right. For a year it has not loaded, the Labour Code's days stand in
// (statutory.ts), so that Tết is never counted as a working day.
import { addDays, dateParts, dayOfWeek, isWeekend, localDate, type LocalDate } from "./dates.ts";
import { statutoryDayOn } from "./statutory.ts";

/** Same names as the Prisma enum DayKind. */
export type DayKind = "HOLIDAY" | "WORKDAY";

export interface HolidayEntry {
  date: LocalDate;
  kind: DayKind;
  name: string;
}

export interface HolidayTable {
  /** The loaded days: the office's, with a unit's own days on top. */
  readonly byDate: ReadonlyMap<LocalDate, HolidayEntry>;
  /** Years of the office's days: their schedule is exactly as loaded. */
  readonly loadedYears: ReadonlySet<number>;
  /** Whether the other years get the Labour Code's days (false only for noHolidays). */
  readonly statutoryFallback: boolean;
}

/**
 * The office's days (they decide which years are loaded), then a unit's own
 * days on top: a unit's local festival does not make its year "loaded".
 * Later entries for the same date win.
 */
export function createHolidayTable(office: Iterable<HolidayEntry>, unitOwn: Iterable<HolidayEntry> = []): HolidayTable {
  const byDate = new Map<LocalDate, HolidayEntry>();
  const loadedYears = new Set<number>();
  for (const e of office) {
    byDate.set(e.date, e);
    loadedYears.add(dateParts(e.date).year);
  }
  for (const e of unitOwn) byDate.set(e.date, e);
  return { byDate, loadedYears, statutoryFallback: true };
}

/** Monday to Friday and nothing else: for arithmetic that must ignore holidays. */
export const noHolidays: HolidayTable = { byDate: new Map(), loadedYears: new Set(), statutoryFallback: false };

/** Whether the office loaded this year's schedule (otherwise the Labour Code's days apply). */
export function isYearLoaded(year: number, table: HolidayTable): boolean {
  return table.loadedYears.has(year);
}

/** The table's entry for that date, if any (for showing "nghỉ Tết Nguyên đán"). */
export function holidayOn(date: LocalDate, table: HolidayTable): HolidayEntry | undefined {
  const own = table.byDate.get(date);
  if (own || !table.statutoryFallback || table.loadedYears.has(dateParts(date).year)) return own;
  return statutoryDayOn(date);
}

export function isWorkingDay(date: LocalDate, table: HolidayTable): boolean {
  const entry = holidayOn(date, table);
  if (entry) return entry.kind === "WORKDAY";
  const dow = dayOfWeek(date);
  return dow !== 0 && dow !== 6;
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: LocalDate, table: HolidayTable): LocalDate {
  // Terminates: the loaded days are finite, and the Labour Code adds a dozen a year.
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

export interface DaysOff {
  from: LocalDate;
  to: LocalDate;
}

/**
 * The breaks of a year as people announce them ("nghỉ từ 14/02 đến hết
 * 22/02"): each run of consecutive days off that holds at least one weekday
 * off, with the weekends around it. Plain weekends are left out.
 */
export function daysOffRuns(year: number, table: HolidayTable): DaysOff[] {
  const runs: DaysOff[] = [];
  let run: (DaysOff & { weekday: boolean }) | null = null;
  const last = localDate(year, 12, 31);
  for (let d = localDate(year, 1, 1); d <= last; d = addDays(d, 1)) {
    if (isWorkingDay(d, table)) {
      if (run?.weekday) runs.push({ from: run.from, to: run.to });
      run = null;
      continue;
    }
    const weekday = !isWeekend(d);
    run = run ? { from: run.from, to: d, weekday: run.weekday || weekday } : { from: d, to: d, weekday };
  }
  if (run?.weekday) runs.push({ from: run.from, to: run.to });
  return runs;
}
