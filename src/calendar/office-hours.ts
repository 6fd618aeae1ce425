// Quiet hours: proactive messages (reminders, escalations) go out only on
// working days inside office hours, Vietnam time. Nobody gets pinged at night,
// at the weekend or during Tết.
import { z } from "zod";
import { vi } from "../texts/vi.ts";
import { isLocalTime, minutesOfDay, toInstant, toLocalDateTime, type LocalTime } from "./dates.ts";
import { isWorkingDay, nextWorkingDay, type HolidayTable } from "./holidays.ts";

export interface OfficeHours {
  start: LocalTime; // inclusive
  end: LocalTime; // exclusive: at 17:00 sharp the office is closed
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = { start: "07:30", end: "17:00" };

const time = z.string().trim().refine(isLocalTime, { error: vi.calendar.officeHours.badTime });

/** For the committee's setting (Setting.value); start must be before end. */
export const officeHoursSchema = z
  .object({ start: time, end: time })
  // Compared only when both are times: a badly written one is its own (single) problem.
  .refine((h) => !isLocalTime(h.start) || !isLocalTime(h.end) || minutesOfDay(h.start) < minutesOfDay(h.end), {
    error: vi.calendar.officeHours.startAfterEnd,
    path: ["end"],
  });

export function isWithinOfficeHours(instant: Date, hours: OfficeHours, table: HolidayTable): boolean {
  const local = toLocalDateTime(instant);
  const ms = local.msOfDay;
  return isWorkingDay(local.date, table) && ms >= minutesOfDay(hours.start) * 60_000 && ms < minutesOfDay(hours.end) * 60_000;
}

/**
 * `instant` itself when it falls in office hours on a working day; otherwise
 * the opening time of the next such period (later today if it is a working
 * day before opening, else the next working day).
 */
export function nextSendTime(instant: Date, hours: OfficeHours, table: HolidayTable): Date {
  if (isWithinOfficeHours(instant, hours, table)) return instant;
  const { date, msOfDay } = toLocalDateTime(instant);
  if (isWorkingDay(date, table) && msOfDay < minutesOfDay(hours.start) * 60_000) return toInstant(date, hours.start);
  return toInstant(nextWorkingDay(date, table), hours.start);
}
