import { describe, expect, it } from "vitest";
import {
  addDays,
  dayOfWeek,
  daysBetween,
  formatVietnameseDate,
  formatDueTime,
  formatVietnameseDateTime,
  fromDbDate,
  localDate,
  parseLocalDate,
  parseLocalTime,
  parseVietnameseDate,
  toDbDate,
  toInstant,
  toLocalDate,
  toLocalDateTime,
} from "../../src/calendar/dates.ts";

describe("calendar dates", () => {
  it("builds, parses and formats dates", () => {
    expect(localDate(2026, 9, 15)).toBe("2026-09-15");
    expect(formatVietnameseDate("2026-09-15")).toBe("15/09/2026");
    expect(parseVietnameseDate("15/09/2026")).toBe("2026-09-15");
    expect(parseVietnameseDate(" 5/9/2026 ")).toBe("2026-09-05");
    expect(parseVietnameseDate("29/02/2028")).toBe("2028-02-29");
    expect(parseVietnameseDate("29/02/2026")).toBeNull();
    expect(parseVietnameseDate("2026-09-15")).toBeNull();
    expect(parseVietnameseDate("mai")).toBeNull();
    expect(parseLocalDate("2026-02-28")).toBe("2026-02-28");
    expect(() => parseLocalDate("2026-02-30")).toThrow(RangeError);
    expect(() => localDate(2026, 4, 31)).toThrow(RangeError);
  });

  it("does day arithmetic across months, years and leap days", () => {
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(daysBetween("2025-12-15", "2026-03-14")).toBe(89);
    expect(daysBetween("2026-03-14", "2025-12-15")).toBe(-89);
  });

  it("knows the day of the week", () => {
    expect(dayOfWeek("2026-01-10")).toBe(6); // Saturday
    expect(dayOfWeek("2026-02-17")).toBe(2); // Tết, Tuesday
    expect(dayOfWeek("1969-12-28")).toBe(0); // before the epoch
  });

  it("converts instants to Vietnam local time (UTC+7, no DST) and back", () => {
    // 17:30 UTC is 00:30 the next day in Hà Nội.
    const late = new Date("2026-03-14T17:30:00Z");
    expect(toLocalDate(late)).toBe("2026-03-15");
    expect(toLocalDateTime(late).time).toBe("00:30");
    expect(toInstant("2026-03-15", "00:30").toISOString()).toBe("2026-03-14T17:30:00.000Z");
    expect(toInstant("2026-02-23", "17:00").toISOString()).toBe("2026-02-23T10:00:00.000Z");
    expect(formatVietnameseDateTime(new Date("2026-02-23T10:00:00Z"))).toBe("17:00 23/02/2026");
    // Same offset in "summer": Vietnam has no daylight saving.
    expect(toInstant("2026-07-01", "07:30").toISOString()).toBe("2026-07-01T00:30:00.000Z");
  });

  it("parses times of day", () => {
    expect(parseLocalTime("7:30")).toBe("07:30");
    expect(() => parseLocalTime("24:00")).toThrow(RangeError);
    expect(() => parseLocalTime("7h30")).toThrow(RangeError);
  });

  it("shows a deadline with its weekday", () => {
    expect(formatDueTime(toInstant("2026-02-23", "17:00"))).toBe("17:00 thứ Hai, 23/02/2026");
    expect(formatDueTime(toInstant("2026-03-15", "08:05"))).toBe("08:05 Chủ nhật, 15/03/2026");
  });

  it("maps @db.Date values (00:00 UTC) to calendar dates and back", () => {
    expect(fromDbDate(new Date("2026-02-17T00:00:00Z"))).toBe("2026-02-17");
    expect(toDbDate("2026-02-17").toISOString()).toBe("2026-02-17T00:00:00.000Z");
  });
});
