// Calendar dates and Vietnam local time, without a date library.
//
// A calendar date is an ISO "YYYY-MM-DD" string: it sorts and compares as a
// string, matches Prisma's @db.Date JSON form, and cannot be confused with an
// instant. Instants stay `Date`. Vietnam has had a fixed UTC+7 offset and no
// daylight saving since 1975, so conversion is plain arithmetic and never
// depends on the server's time zone or ICU data.
import { vi } from "../texts/vi.ts";

export type LocalDate = `${number}-${number}-${number}`;
/** "HH:MM", 24-hour clock, local time in Vietnam. */
export type LocalTime = `${number}:${number}`;

export interface DateParts {
  year: number;
  month: number; // 1–12
  day: number;
}

export const TIME_ZONE = "Asia/Ho_Chi_Minh";
export const UTC_OFFSET_MINUTES = 7 * 60;

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const VN_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const TIME = /^(\d{1,2}):(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function validParts(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1900 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Builds a date; throws RangeError for impossible dates such as 31/04. */
export function localDate(year: number, month: number, day: number): LocalDate {
  if (!validParts(year, month, day)) throw new RangeError(`invalid date ${year}-${month}-${day}`);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}` as LocalDate;
}

export function isLocalDate(value: string): value is LocalDate {
  const m = ISO_DATE.exec(value);
  return m !== null && validParts(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Strict ISO "YYYY-MM-DD" (the storage form); throws RangeError otherwise. */
export function parseLocalDate(value: string): LocalDate {
  if (!isLocalDate(value)) throw new RangeError(`not a YYYY-MM-DD date: "${value}"`);
  return value;
}

/**
 * What people type: "15/09/2026", also "15/9/2026" and "15-09-2026".
 * Returns null for anything else or an impossible date, so callers can re-ask.
 */
export function parseVietnameseDate(value: string): LocalDate | null {
  const m = VN_DATE.exec(value.trim().replaceAll("-", "/").replaceAll(".", "/"));
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validParts(year, month, day) ? localDate(year, month, day) : null;
}

/** ISO or Vietnamese form, for files the office edits by hand. */
export function parseAnyDate(value: string): LocalDate | null {
  const s = value.trim();
  return isLocalDate(s) ? s : parseVietnameseDate(s);
}

/** "15/09/2026" — the form Vietnamese documents use. */
export function formatVietnameseDate(date: LocalDate): string {
  const { year, month, day } = dateParts(date);
  return `${pad(day)}/${pad(month)}/${pad(year, 4)}`;
}

export function dateParts(date: LocalDate): DateParts {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

// Days since 1970-01-01; Date.UTC does the proleptic Gregorian arithmetic.
function epochDay(date: LocalDate): number {
  const { year, month, day } = dateParts(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function fromEpochDay(n: number): LocalDate {
  const d = new Date(n * MS_PER_DAY);
  return localDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return fromEpochDay(epochDay(date) + days);
}

/** b − a in calendar days (negative when b is earlier). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return epochDay(b) - epochDay(a);
}

/** 0 = Sunday … 6 = Saturday, as in JavaScript's getDay(). */
export function dayOfWeek(date: LocalDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((epochDay(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: LocalDate): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

export function compareDates(a: LocalDate, b: LocalDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a <= b ? a : b;
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a >= b ? a : b;
}

// ───────────── time of day ─────────────

export function isLocalTime(value: string): value is LocalTime {
  const m = TIME.exec(value);
  return m !== null && Number(m[1]) <= 23 && Number(m[2]) <= 59;
}

/** "7:30" or "07:30" → "07:30"; throws RangeError otherwise. */
export function parseLocalTime(value: string): LocalTime {
  const s = value.trim();
  if (!isLocalTime(s)) throw new RangeError(`not a HH:MM time: "${value}"`);
  const [h, m] = s.split(":").map(Number) as [number, number];
  return `${pad(h)}:${pad(m)}` as LocalTime;
}

/** Minutes after local midnight. */
export function minutesOfDay(time: LocalTime): number {
  const [h, m] = time.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

function timeFromMinutes(minutes: number): LocalTime {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}` as LocalTime;
}

// ───────────── instants ↔ local date and time ─────────────

export interface LocalDateTime {
  date: LocalDate;
  time: LocalTime; // truncated to the minute
  /** Milliseconds since local midnight, for exact comparisons. */
  msOfDay: number;
}

export function toLocalDateTime(instant: Date): LocalDateTime {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError("invalid Date");
  const shifted = t + UTC_OFFSET_MINUTES * MS_PER_MINUTE;
  const day = Math.floor(shifted / MS_PER_DAY);
  const msOfDay = shifted - day * MS_PER_DAY;
  return { date: fromEpochDay(day), time: timeFromMinutes(Math.floor(msOfDay / MS_PER_MINUTE)), msOfDay };
}

/** The calendar date in Vietnam at that instant. */
export function toLocalDate(instant: Date): LocalDate {
  return toLocalDateTime(instant).date;
}

/** The instant of a local date and time in Vietnam (default: midnight). */
export function toInstant(date: LocalDate, time: LocalTime = "00:00"): Date {
  const ms = (epochDay(date) * 24 * 60 + minutesOfDay(time) - UTC_OFFSET_MINUTES) * MS_PER_MINUTE;
  return new Date(ms);
}

/** "17:00 15/09/2026", local time. */
export function formatVietnameseDateTime(instant: Date): string {
  const { date, time } = toLocalDateTime(instant);
  return `${time} ${formatVietnameseDate(date)}`;
}

/** "17:00 thứ Hai, 23/02/2026": how a deadline is shown to people. */
export function formatDueTime(instant: Date): string {
  const { date, time } = toLocalDateTime(instant);
  const weekday = vi.calendar.weekdays[dayOfWeek(date)] ?? "";
  return vi.calendar.dateTime(time, weekday, formatVietnameseDate(date));
}

// ───────────── database @db.Date columns ─────────────
// Prisma reads and writes a DATE column as a Date at 00:00 UTC of that day;
// converting through Vietnam time would be right only by luck of the offset sign.

export function fromDbDate(value: Date): LocalDate {
  if (Number.isNaN(value.getTime())) throw new RangeError("invalid Date");
  return localDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
}

export function toDbDate(date: LocalDate): Date {
  return new Date(epochDay(date) * MS_PER_DAY);
}
