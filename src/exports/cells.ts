// Cell values shared by the workbook, the CSV and the chart: Vietnam wall
// clock for instants, Vietnamese labels for states and booleans, and text
// cleaned of what XML (and so .xlsx and SVG) cannot carry.
import { isLocalDate, toDbDate, toLocalDateTime, formatVietnameseDate, UTC_OFFSET_MINUTES, type LocalDate } from "../calendar/dates.ts";
import { vi } from "../texts/vi.ts";
import type { CellValue, QuestionColumn, StatusRow } from "./types.ts";

const t = vi.exports;

/** Control characters other than tab and newlines, lone surrogates, U+FFFE/FFFF: invalid in XML 1.0. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Excel refuses a cell over 32,767 characters. */
export const MAX_CELL_CHARS = 32_767;

export function cleanText(value: string): string {
  const s = value.replace(XML_INVALID, "");
  return s.length > MAX_CELL_CHARS ? s.slice(0, MAX_CELL_CHARS - 1) + "…" : s;
}

export function stateLabel(state: StatusRow["state"]): string {
  return t.states[state];
}

export function booleanLabel(value: boolean): string {
  return value ? t.yes : t.no;
}

/**
 * Excel serial dates carry no time zone and exceljs writes a Date by its UTC
 * fields, so the Vietnam wall-clock time is written as if it were UTC.
 */
export function vietnamWallClock(instant: Date): Date {
  return new Date(instant.getTime() + UTC_OFFSET_MINUTES * 60_000);
}

/**
 * The Vietnam calendar day of a date answer, as 00:00 "UTC" for Excel. Works
 * whether the producer gave 00:00 UTC (Prisma @db.Date) or Vietnam midnight.
 */
export function vietnamDay(value: Date | LocalDate): Date {
  return toDbDate(typeof value === "string" ? value : toLocalDateTime(value).date);
}

/** "15/09/2026" in Vietnam. */
export function formatDate(instant: Date): string {
  return formatVietnameseDate(toLocalDateTime(instant).date);
}

/** "15/09/2026 17:00" in Vietnam: day first so Excel (vi-VN) reads it as a date and time. */
export function formatDateTime(instant: Date): string {
  const { date, time } = toLocalDateTime(instant);
  return `${formatVietnameseDate(date)} ${time}`;
}

/** A date column may also get "YYYY-MM-DD" strings; anything else is kept as text. */
export function asDate(value: CellValue): Date | LocalDate | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === "string" && isLocalDate(value)) return value;
  return null;
}

export function isValidDate(value: Date | null): value is Date {
  return value !== null && !Number.isNaN(value.getTime());
}

export type ColumnType = QuestionColumn["type"];
