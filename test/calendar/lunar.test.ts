import { describe, expect, it } from "vitest";
import { addDays, localDate } from "../../src/calendar/dates.ts";
import { hungKingsDay, LUNAR_MAX_YEAR, LUNAR_MIN_YEAR, lunarToSolar, solarToLunar, tetDay } from "../../src/calendar/lunar.ts";

describe("the Vietnamese lunar calendar (UTC+7)", () => {
  it("gives Tết (1/1 lunar) of 2025–2030, 2030 on 02/02 where the Chinese calendar has 03/02", () => {
    const tet = [2025, 2026, 2027, 2028, 2029, 2030].map(tetDay);
    expect(tet).toEqual(["2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-02"]);
  });

  it("gives Giỗ Tổ Hùng Vương (10/3 lunar) of 2025–2030", () => {
    const hung = [2025, 2026, 2027, 2028, 2029, 2030].map(hungKingsDay);
    expect(hung).toEqual(["2025-04-07", "2026-04-26", "2027-04-16", "2028-04-04", "2029-04-23", "2030-04-12"]);
  });

  it("differs from the Chinese calendar where the new moon falls between midnight in Hà Nội and in Beijing", () => {
    expect(tetDay(1985)).toBe("1985-01-21"); // China: 20/02/1985
    expect(tetDay(2007)).toBe("2007-02-17"); // China: 18/02/2007
  });

  it("places the leap months (2023: 2, 2025: 6, 2028: 5, 2033: 11)", () => {
    const leapOf = (year: number) => [...Array(12).keys()].map((i) => i + 1).filter((m) => lunarToSolar({ day: 1, month: m, year, leap: true }) !== null);
    expect(leapOf(2023)).toEqual([2]);
    expect(leapOf(2024)).toEqual([]);
    expect(leapOf(2025)).toEqual([6]);
    expect(leapOf(2028)).toEqual([5]);
    expect(leapOf(2033)).toEqual([11]);
    expect(lunarToSolar({ day: 1, month: 6, year: 2025, leap: true })).toBe("2025-07-25");
  });

  it("takes Giỗ Tổ in the regular third month of a year with a leap third month (2031)", () => {
    const leapThird = lunarToSolar({ day: 10, month: 3, year: 2031, leap: true });
    expect(leapThird).not.toBeNull();
    expect(hungKingsDay(2031) < leapThird!).toBe(true);
    expect(solarToLunar(hungKingsDay(2031))).toEqual({ day: 10, month: 3, year: 2031, leap: false });
  });

  it("knows the last day of the lunar year: 29 or 30 tháng Chạp", () => {
    expect(solarToLunar("2026-02-16")).toEqual({ day: 29, month: 12, year: 2025, leap: false });
    expect(lunarToSolar({ day: 30, month: 12, year: 2025, leap: false })).toBeNull();
    expect(solarToLunar("2024-02-09")).toEqual({ day: 30, month: 12, year: 2023, leap: false });
  });

  it("converts both ways for every day of 2024–2031", () => {
    for (let d = localDate(2024, 1, 1); d <= localDate(2031, 12, 31); d = addDays(d, 1)) {
      expect(lunarToSolar(solarToLunar(d)), d).toBe(d);
    }
  });

  it(`finds a Tết between 21/01 and 20/02 in every year ${LUNAR_MIN_YEAR}–${LUNAR_MAX_YEAR}, the day after the old year's last day`, () => {
    for (let y = LUNAR_MIN_YEAR; y <= LUNAR_MAX_YEAR; y++) {
      const tet = tetDay(y);
      expect(tet >= localDate(y, 1, 21) && tet <= localDate(y, 2, 20), `${y}: ${tet}`).toBe(true);
      expect(solarToLunar(tet)).toEqual({ day: 1, month: 1, year: y, leap: false });
      expect(solarToLunar(addDays(tet, -1))).toMatchObject({ month: 12, year: y - 1 });
    }
  });

  it("refuses years outside 1900–2199 and impossible lunar dates", () => {
    expect(() => tetDay(2200)).toThrow(RangeError);
    expect(() => tetDay(1899)).toThrow(RangeError);
    expect(lunarToSolar({ day: 1, month: 13, year: 2026, leap: false })).toBeNull();
    expect(lunarToSolar({ day: 1, month: 4, year: 2026, leap: true })).toBeNull();
  });
});
