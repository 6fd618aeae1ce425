import { describe, expect, it } from "vitest";
import { toInstant, type LocalDate, type LocalTime } from "../../src/calendar/dates.ts";
import { noHolidays } from "../../src/calendar/holidays.ts";
import {
  DEFAULT_OFFICE_HOURS,
  isWithinOfficeHours,
  nextSendTime,
  officeHoursSchema,
  type OfficeHours,
} from "../../src/calendar/office-hours.ts";
import { shippedTable } from "./helpers.ts";

const vn = shippedTable();
const hours = DEFAULT_OFFICE_HOURS;
const at = (date: LocalDate, time: LocalTime) => toInstant(date, time);

describe("nextSendTime", () => {
  it("keeps an instant inside office hours on a working day", () => {
    const t = new Date(at("2026-03-11", "10:15").getTime() + 12_345);
    expect(nextSendTime(t, hours, vn)).toEqual(t);
    expect(nextSendTime(at("2026-03-11", "07:30"), hours, vn)).toEqual(at("2026-03-11", "07:30"));
  });

  it("moves night-time to opening time", () => {
    expect(nextSendTime(at("2026-03-11", "05:00"), hours, vn)).toEqual(at("2026-03-11", "07:30"));
    expect(nextSendTime(at("2026-03-11", "22:00"), hours, vn)).toEqual(at("2026-03-12", "07:30"));
    // Closing time itself is outside.
    expect(nextSendTime(at("2026-03-11", "17:00"), hours, vn)).toEqual(at("2026-03-12", "07:30"));
  });

  it("moves Friday evening and the weekend to Monday morning", () => {
    expect(nextSendTime(at("2026-03-13", "18:00"), hours, vn)).toEqual(at("2026-03-16", "07:30"));
    expect(nextSendTime(at("2026-03-14", "10:00"), hours, vn)).toEqual(at("2026-03-16", "07:30"));
  });

  it("skips a Monday holiday and the whole of Tết", () => {
    // Giỗ Tổ 2026 falls on Sunday 26/4: Monday 27/4 is off.
    expect(nextSendTime(at("2026-04-24", "18:00"), hours, vn)).toEqual(at("2026-04-28", "07:30"));
    // The eve of Tết holidays (Friday 13/02/2026) after hours → Monday 23/02.
    expect(nextSendTime(at("2026-02-13", "17:30"), hours, vn)).toEqual(at("2026-02-23", "07:30"));
    expect(nextSendTime(at("2026-02-17", "09:00"), hours, vn)).toEqual(at("2026-02-23", "07:30"));
  });

  it("sends on a make-up Saturday", () => {
    expect(nextSendTime(at("2026-01-09", "20:00"), hours, vn)).toEqual(at("2026-01-10", "07:30"));
    expect(isWithinOfficeHours(at("2026-01-10", "09:00"), hours, vn)).toBe(true);
  });

  it("works in Vietnam time whatever the UTC date", () => {
    // 2026-03-12T23:00Z is 06:00 on Friday 13/03 in Vietnam.
    expect(nextSendTime(new Date("2026-03-12T23:00:00Z"), hours, noHolidays)).toEqual(new Date("2026-03-13T00:30:00Z"));
  });

  it("uses configured hours", () => {
    const custom: OfficeHours = officeHoursSchema.parse({ start: "8:00", end: "11:30" });
    expect(nextSendTime(at("2026-03-11", "12:00"), custom, vn)).toEqual(at("2026-03-12", "08:00"));
    expect(officeHoursSchema.safeParse({ start: "17:00", end: "07:30" }).success).toBe(false);
    expect(officeHoursSchema.safeParse({ start: "7h30", end: "17:00" }).success).toBe(false);
  });
});
