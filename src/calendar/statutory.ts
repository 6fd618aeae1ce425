// The days off the Labour Code 2019 (Art. 112) gives every year, placed as
// the government usually places them. They stand in for a year whose
// official schedule the office has not loaded yet, so that Tết never counts
// as a working day; the official schedule adds the year's swapped days.
//
// Placement (each choice reproduces recent official schedules):
// - Tết, 5 days: the last two days of the old lunar year and the first three
//   of the new one. 2020, 2021, 2023, 2024 and 2025 were placed so (with the
//   compensation below, 2024 gives 08–14/02 and 2025 27–31/01); 2022 and 2026
//   took one day before and four after instead.
// - Quốc khánh 2/9 plus one adjacent day: 3/9 when 2/9 is a Sunday, Monday
//   or Thursday (so the adjacent day is a weekday that joins the weekend),
//   otherwise 1/9. This gives what 2021–2026 had (2021: 3/9, 2022: 1/9,
//   2023: 1/9, 2024: 3/9, 2025: 1/9, 2026: 1/9).
// - A day off on a Saturday or Sunday is made up on the next working day
//   (Art. 112(3)) that is not itself a day off; so is the second of two
//   holidays on one date (Giỗ Tổ on 30/4, as in 1947).
import { vi } from "../texts/vi.ts";
import { addDays, dayOfWeek, dateParts, isWeekend, localDate, type LocalDate } from "./dates.ts";
import { hungKingsDay, tetDay } from "./lunar.ts";

/** A day off; a HolidayEntry (holidays.ts imports this module, so the type is not imported back). */
export interface StatutoryDay {
  date: LocalDate;
  kind: "HOLIDAY";
  name: string;
}

const SUNDAY = 0;
const MONDAY = 1;
const THURSDAY = 4;

/** The Labour Code's days off of a year (1900–2199), in date order, with compensation days. */
export function statutoryHolidays(year: number): StatutoryDay[] {
  const t = vi.calendar.statutory;
  const tet = tetDay(year);
  const nationalDay = localDate(year, 9, 2);
  const adjacent = [SUNDAY, MONDAY, THURSDAY].includes(dayOfWeek(nationalDay)) ? localDate(year, 9, 3) : localDate(year, 9, 1);
  const off = (date: LocalDate, name: string): StatutoryDay => ({ date, kind: "HOLIDAY", name });
  const days = [
    off(localDate(year, 1, 1), t.newYear),
    ...[-2, -1, 0, 1, 2].map((d) => off(addDays(tet, d), t.tet)),
    off(hungKingsDay(year), t.hungKings),
    off(localDate(year, 4, 30), t.reunification),
    off(localDate(year, 5, 1), t.labour),
    off(nationalDay, t.nationalDay),
    off(adjacent, t.nationalDayAdjacent),
  ].sort(byDate);

  // Placed after every holiday is, so a make-up day never lands on one.
  const taken = new Set<LocalDate>();
  const kept: StatutoryDay[] = [];
  const owed: StatutoryDay[] = [];
  for (const day of days) {
    // Giỗ Tổ fell on 30/4 in 1947: a day off on a day off is owed too.
    if (taken.has(day.date)) owed.push(day);
    else {
      taken.add(day.date);
      kept.push(day);
      if (isWeekend(day.date)) owed.push(day);
    }
  }
  const compensation: StatutoryDay[] = [];
  for (const day of owed) {
    let d = addDays(day.date, 1);
    while (isWeekend(d) || taken.has(d)) d = addDays(d, 1);
    taken.add(d);
    compensation.push(off(d, t.compensation(day.name)));
  }
  return [...kept, ...compensation].sort(byDate);
}

const byDate = (a: StatutoryDay, b: StatutoryDay) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

// Computing a year costs a few hundred trigonometric calls and working-day
// loops ask day by day, so each year is computed once per process. The
// result depends on the year alone.
const byYear = new Map<number, ReadonlyMap<LocalDate, StatutoryDay>>();

/** The Labour Code's entry for that date, if it is one of its days off. */
export function statutoryDayOn(date: LocalDate): StatutoryDay | undefined {
  const { year } = dateParts(date);
  let days = byYear.get(year);
  if (!days) byYear.set(year, (days = new Map(statutoryHolidays(year).map((e) => [e.date, e]))));
  return days.get(date);
}
