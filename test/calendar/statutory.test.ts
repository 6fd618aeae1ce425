import { describe, expect, it } from "vitest";
import { isWeekend } from "../../src/calendar/dates.ts";
import { LUNAR_MAX_YEAR, LUNAR_MIN_YEAR } from "../../src/calendar/lunar.ts";
import { statutoryHolidays } from "../../src/calendar/statutory.ts";

const datesOf = (year: number) => statutoryHolidays(year).map((e) => e.date);

describe("the Labour Code's days off (Art. 112) for a year without an official schedule", () => {
  it("2027 as the office would have it without swaps: Tết 04–10/02, 16/04, 30/04 and 03/05, 02–03/09", () => {
    expect(statutoryHolidays(2027)).toEqual([
      { date: "2027-01-01", kind: "HOLIDAY", name: "Tết Dương lịch" },
      { date: "2027-02-04", kind: "HOLIDAY", name: "Tết Nguyên đán" },
      { date: "2027-02-05", kind: "HOLIDAY", name: "Tết Nguyên đán" },
      { date: "2027-02-06", kind: "HOLIDAY", name: "Tết Nguyên đán" },
      { date: "2027-02-07", kind: "HOLIDAY", name: "Tết Nguyên đán" },
      { date: "2027-02-08", kind: "HOLIDAY", name: "Tết Nguyên đán" },
      { date: "2027-02-09", kind: "HOLIDAY", name: "Nghỉ bù Tết Nguyên đán" },
      { date: "2027-02-10", kind: "HOLIDAY", name: "Nghỉ bù Tết Nguyên đán" },
      { date: "2027-04-16", kind: "HOLIDAY", name: "Giỗ Tổ Hùng Vương (10/3 âm lịch)" },
      { date: "2027-04-30", kind: "HOLIDAY", name: "Ngày Chiến thắng 30/4" },
      { date: "2027-05-01", kind: "HOLIDAY", name: "Ngày Quốc tế Lao động 1/5" },
      { date: "2027-05-03", kind: "HOLIDAY", name: "Nghỉ bù Ngày Quốc tế Lao động 1/5" },
      { date: "2027-09-02", kind: "HOLIDAY", name: "Quốc khánh 2/9" },
      { date: "2027-09-03", kind: "HOLIDAY", name: "Quốc khánh (ngày liền kề)" },
    ]);
  });

  it("places Tết as 2023, 2024 and 2025 had it: the last two days of the old year and the first three of the new", () => {
    expect(datesOf(2023).filter((d) => d.startsWith("2023-01-2"))).toEqual([
      "2023-01-20", "2023-01-21", "2023-01-22", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26",
    ]);
    expect(datesOf(2024).filter((d) => d.startsWith("2024-02"))).toEqual([
      "2024-02-08", "2024-02-09", "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14",
    ]);
    expect(datesOf(2025).filter((d) => d.startsWith("2025-01-") && d !== "2025-01-01")).toEqual([
      "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
    ]);
  });

  it("takes the day next to 2/9 that joins a weekend, as 2021–2026 did", () => {
    const adjacent = (year: number) => statutoryHolidays(year).find((e) => e.name === "Quốc khánh (ngày liền kề)")?.date;
    expect([2021, 2022, 2023, 2024, 2025, 2026].map(adjacent)).toEqual([
      "2021-09-03", "2022-09-01", "2023-09-01", "2024-09-03", "2025-09-01", "2026-09-01",
    ]);
  });

  it("makes up a day off on a weekend on the next working day not already off (2028)", () => {
    expect(datesOf(2028)).toEqual([
      "2028-01-01", "2028-01-03", // Saturday, made up Monday
      "2028-01-24", "2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28",
      "2028-04-04",
      "2028-04-30", "2028-05-01", "2028-05-02", // 30/4 a Sunday: 1/5 is off already, so 2/5
      "2028-09-01", "2028-09-02", "2028-09-04", // 2/9 a Saturday: 1/9 adjacent, 4/9 made up
    ]);
  });

  it(`gives exactly eleven weekdays off in every year ${LUNAR_MIN_YEAR}–${LUNAR_MAX_YEAR}`, () => {
    for (let y = LUNAR_MIN_YEAR; y <= LUNAR_MAX_YEAR; y++) {
      const dates = datesOf(y);
      expect(new Set(dates).size, String(y)).toBe(dates.length);
      expect(dates.filter((d) => !isWeekend(d)).length, String(y)).toBe(11);
      expect(dates.every((d) => d.startsWith(`${y}-`)), String(y)).toBe(true);
    }
  });
});
