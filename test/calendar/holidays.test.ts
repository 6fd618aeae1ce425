import { describe, expect, it } from "vitest";
import { addDays, isWeekend, localDate, type LocalDate } from "../../src/calendar/dates.ts";
import { loadHolidayFile, parseHolidayYaml } from "../../src/calendar/holiday-file.ts";
import {
  addWorkingDays,
  createHolidayTable,
  daysOffRuns,
  holidayOn,
  isWorkingDay,
  isYearLoaded,
  nextWorkingDay,
  noHolidays,
  workingDaysBetween,
  type HolidayTable,
} from "../../src/calendar/holidays.ts";
import { SHIPPED_HOLIDAYS, shippedEntries, shippedTable } from "./helpers.ts";

const vn = shippedTable();

/** The days of a year that differ from Monday–Friday: weekdays off, and weekend days worked. */
function deviations(year: number, table: HolidayTable): { off: LocalDate[]; worked: LocalDate[] } {
  const off: LocalDate[] = [];
  const worked: LocalDate[] = [];
  for (let d = localDate(year, 1, 1); d <= localDate(year, 12, 31); d = addDays(d, 1)) {
    const working = isWorkingDay(d, table);
    if (!isWeekend(d) && !working) off.push(d);
    if (isWeekend(d) && working) worked.push(d);
  }
  return { off, worked };
}

/** Every day from..to (inclusive) is a day off, and the days on either side are working days. */
function expectRunOff(from: LocalDate, to: LocalDate, table: HolidayTable): void {
  expect(isWorkingDay(addDays(from, -1), table), `${addDays(from, -1)} works`).toBe(true);
  for (let d = from; d <= to; d = addDays(d, 1)) expect(isWorkingDay(d, table), `${d} is off`).toBe(false);
  expect(isWorkingDay(addDays(to, 1), table), `${addDays(to, 1)} works`).toBe(true);
}

describe("working days", () => {
  it("is Monday to Friday without a table", () => {
    expect(isWorkingDay("2026-03-13", noHolidays)).toBe(true); // Friday
    expect(isWorkingDay("2026-03-14", noHolidays)).toBe(false);
    expect(isWorkingDay("2026-03-15", noHolidays)).toBe(false);
    expect(nextWorkingDay("2026-03-13", noHolidays)).toBe("2026-03-16");
    expect(addWorkingDays("2026-03-12", 2, noHolidays)).toBe("2026-03-16");
  });

  it("skips the whole of Tết 2026 (off 14–22/02)", () => {
    for (let d = 14; d <= 22; d++) expect(isWorkingDay(`2026-02-${d}`, vn)).toBe(false);
    expect(addWorkingDays("2026-02-14", 1, vn)).toBe("2026-02-23");
    expect(addWorkingDays("2026-02-13", 1, vn)).toBe("2026-02-23");
    expect(holidayOn("2026-02-17", vn)?.name).toBe("Tết Nguyên đán");
  });

  it("counts the make-up Saturday 10/01/2026 and skips the swapped Friday 02/01", () => {
    expect(isWorkingDay("2026-01-10", vn)).toBe(true);
    expect(isWorkingDay("2026-01-02", vn)).toBe(false);
    expect(nextWorkingDay("2025-12-31", vn)).toBe("2026-01-05");
    expect(nextWorkingDay("2026-01-09", vn)).toBe("2026-01-10");
    expect(addWorkingDays("2026-01-09", 2, vn)).toBe("2026-01-12");
  });

  it("handles 30/4–1/5 (2025 swap) and 2/9", () => {
    expect(isWorkingDay("2025-04-26", vn)).toBe(true); // make-up Saturday
    expect(nextWorkingDay("2025-04-29", vn)).toBe("2025-05-05");
    expect(nextWorkingDay("2026-04-29", vn)).toBe("2026-05-04");
    expect(nextWorkingDay("2026-04-24", vn)).toBe("2026-04-28"); // Giỗ Tổ on Sunday, Monday off
    expect(nextWorkingDay("2025-08-29", vn)).toBe("2025-09-03");
    expect(nextWorkingDay("2027-09-01", vn)).toBe("2027-09-06");
  });

  it("counts working days late, the inverse of addWorkingDays", () => {
    expect(workingDaysBetween("2026-02-13", "2026-02-23", vn)).toBe(1);
    expect(workingDaysBetween("2026-03-16", "2026-03-16", vn)).toBe(0);
    expect(workingDaysBetween("2026-03-20", "2026-03-16", vn)).toBe(0);
    expect(workingDaysBetween("2026-03-13", "2026-03-22", vn)).toBe(5);
    for (const [from, n] of [["2026-02-10", 4], ["2025-12-31", 7], ["2025-04-25", 3]] as const) {
      expect(workingDaysBetween(from, addWorkingDays(from, n, vn), vn)).toBe(n);
    }
  });

  it("refuses n < 1 working days", () => {
    expect(() => addWorkingDays("2026-03-14", 0, vn)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-03-14", 1.5, vn)).toThrow(RangeError);
  });

  it("lets later entries override earlier ones (a unit's own day)", () => {
    const t = createHolidayTable([
      { date: "2026-03-16", kind: "HOLIDAY", name: "Ngày nghỉ của tỉnh" },
      { date: "2026-03-16", kind: "WORKDAY", name: "Đơn vị trực" },
    ]);
    expect(isWorkingDay("2026-03-16", t)).toBe(true);
    const own = createHolidayTable(shippedEntries(), [{ date: "2026-03-16", kind: "HOLIDAY", name: "Lễ hội địa phương" }]);
    expect(isWorkingDay("2026-03-16", own)).toBe(false);
  });
});

describe("the approved schedules (shared/domain.md)", () => {
  it("2026 in full: 02/01 swapped with Sat 10/01, Tết 14–22/02, Giỗ Tổ moved to 27/04, 30/04–03/05, Quốc khánh 29/08–02/09 with 31/08 swapped with Sat 22/08", () => {
    expect(deviations(2026, vn)).toEqual({
      off: [
        "2026-01-01", "2026-01-02",
        "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
        "2026-04-27", "2026-04-30", "2026-05-01",
        "2026-08-31", "2026-09-01", "2026-09-02",
      ],
      worked: ["2026-01-10", "2026-08-22"],
    });
    expectRunOff("2026-01-01", "2026-01-04", vn);
    expectRunOff("2026-02-14", "2026-02-22", vn);
    expectRunOff("2026-04-25", "2026-04-27", vn);
    expectRunOff("2026-04-30", "2026-05-03", vn);
    expectRunOff("2026-08-29", "2026-09-02", vn);
    expect(nextWorkingDay("2026-08-21", vn)).toBe("2026-08-22");
    expect(nextWorkingDay("2026-08-28", vn)).toBe("2026-09-03");
    expect(holidayOn("2026-08-31", vn)?.name).toContain("hoán đổi");
  });

  it("2025: Tết 25/01–02/02, Fri 02/05 swapped with Sat 26/04, 30/08–02/09", () => {
    expect(deviations(2025, vn)).toEqual({
      off: [
        "2025-01-01",
        "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
        "2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02",
        "2025-09-01", "2025-09-02",
      ],
      worked: ["2025-04-26"],
    });
    expectRunOff("2025-01-25", "2025-02-02", vn);
    expectRunOff("2025-04-30", "2025-05-04", vn);
    expectRunOff("2025-08-30", "2025-09-02", vn);
  });
});

describe("a year the office has not loaded", () => {
  it("gets the Labour Code's days, with the lunar holidays of that year", () => {
    expect(isYearLoaded(2026, vn)).toBe(true);
    expect(isYearLoaded(2028, vn)).toBe(false);
    // Tết 2028 (mùng 1 = Wed 26/01): off 24–28/01; Giỗ Tổ Tue 04/04.
    expectRunOff("2028-01-22", "2028-01-30", vn);
    expect(holidayOn("2028-01-26", vn)?.name).toBe("Tết Nguyên đán");
    expect(isWorkingDay("2028-04-04", vn)).toBe(false);
    expect(holidayOn("2028-04-04", vn)?.name).toBe("Giỗ Tổ Hùng Vương (10/3 âm lịch)");
    // 1/1/2028 is a Saturday: made up on Monday 03/01.
    expect(isWorkingDay("2028-01-03", vn)).toBe(false);
    // Tết 2030 is 02/02 in Vietnam (03/02 in China): 31/01–04/02, with Sat 02 and Sun 03 made up on 05–06/02.
    expectRunOff("2030-01-31", "2030-02-06", vn);
    expect(addWorkingDays("2029-02-14", 1, vn)).toBe("2029-02-19");
  });

  it("an empty table is the Labour Code in every year; noHolidays stays Monday–Friday", () => {
    const empty = createHolidayTable([]);
    expect(isWorkingDay("2026-02-17", empty)).toBe(false);
    expect(isWorkingDay("2026-02-17", noHolidays)).toBe(true);
    // Without the published swaps: 02/01/2026 and 31/08/2026 are working days, Sat 10/01 is not.
    expect(deviations(2026, empty)).toEqual({
      off: ["2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-27", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02"],
      worked: [],
    });
  });

  it("a loaded year is used exactly as loaded, even where the Labour Code would differ", () => {
    const t = createHolidayTable([{ date: "2028-01-26", kind: "HOLIDAY", name: "Tết (văn phòng nạp)" }]);
    expect(isYearLoaded(2028, t)).toBe(true);
    expect(isWorkingDay("2028-01-26", t)).toBe(false);
    expect(isWorkingDay("2028-01-27", t)).toBe(true);
    expect(isWorkingDay("2028-04-04", t)).toBe(true);
    // Other years still fall back.
    expect(isWorkingDay("2029-02-13", t)).toBe(false);
  });

  it("lists a year's breaks as announced, weekends included", () => {
    const runs = (year: number) => daysOffRuns(year, vn).map((r) => `${r.from.slice(5)}…${r.to.slice(5)}`);
    expect(runs(2026)).toEqual(["01-01…01-04", "02-14…02-22", "04-25…04-27", "04-30…05-03", "08-29…09-02"]);
    expect(runs(2027)).toEqual(["01-01…01-03", "02-04…02-10", "04-16…04-18", "04-30…05-03", "09-02…09-05"]);
  });

  it("a unit's own day does not make its year loaded", () => {
    const t = createHolidayTable([], [{ date: "2028-03-10", kind: "HOLIDAY", name: "Lễ hội địa phương" }]);
    expect(isYearLoaded(2028, t)).toBe(false);
    expect(isWorkingDay("2028-03-10", t)).toBe(false);
    expect(isWorkingDay("2028-01-26", t)).toBe(false);
  });
});

describe("holiday file", () => {
  it("ships the published years only, 2025 and 2026 (a year in the file counts as confirmed)", () => {
    const entries = shippedEntries();
    expect([...new Set(entries.map((e) => e.date.slice(0, 4)))]).toEqual(["2025", "2026"]);
    for (const year of ["2025", "2026"]) {
      const ofYear = entries.filter((e) => e.date.startsWith(year));
      expect(ofYear.length).toBeGreaterThanOrEqual(8);
      expect(ofYear.some((e) => e.name === "Tết Nguyên đán")).toBe(true);
    }
    expect(entries.filter((e) => e.kind === "WORKDAY").map((e) => e.date)).toEqual(["2025-04-26", "2026-01-10", "2026-08-22"]);
    expect(loadHolidayFile(SHIPPED_HOLIDAYS.pathname).ok).toBe(true);
  });

  it("accepts dd/mm/yyyy and defaults kind to HOLIDAY", () => {
    const r = parseHolidayYaml("days:\n  - date: 16/02/2026\n    name: Tết\n");
    expect(r).toEqual({ ok: true, entries: [{ date: "2026-02-16", kind: "HOLIDAY", name: "Tết" }] });
  });

  it("names the line and entry of a bad date", () => {
    const text = ["days:", "  - date: 2026-01-01", "    name: Tết Dương lịch", "  - date: 2026-02-30", "    name: Tết"].join("\n");
    const r = parseHolidayYaml(text, "lich.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toContain("days[1].date");
    expect(r.problems[0]).toContain("lich.yaml, dòng 4");
    expect(r.problems[0]).toContain('"2026-02-30"');
  });

  it("reports missing names, unknown kinds, unknown keys, duplicates and weekday make-up days", () => {
    const text = [
      "days:",
      "  - date: 2026-01-01", // 2
      "  - date: 2026-01-02", // 3
      "    name: Nghỉ",
      "    kind: NGHI",
      "  - date: 2026-01-05", // 6
      "    name: Làm bù",
      "    kind: WORKDAY",
      "  - date: 01/01/2026", // 9
      "    name: Trùng",
      "    note: x",
    ].join("\n");
    const r = parseHolidayYaml(text, "lich.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const all = r.problems.join("\n");
    expect(all).toMatch(/days\[0\]\.name \(lich\.yaml, dòng 2\): thiếu trường bắt buộc/);
    expect(all).toMatch(/days\[1\]\.kind \(lich\.yaml, dòng 5\): .*HOLIDAY, WORKDAY/);
    expect(all).toMatch(/days\[2\]\.date \(lich\.yaml, dòng 6\): .*không phải thứ Bảy hoặc Chủ nhật/);
    expect(all).toMatch(/days\[3\].*"note"/);
  });

  it("reports a duplicate date with the line of the first one", () => {
    const text = ["days:", "  - date: 2026-01-01", "    name: A", "  - date: 01/01/2026", "    name: B"].join("\n");
    const r = parseHolidayYaml(text, "lich.yaml");
    expect(r).toEqual({
      ok: false,
      problems: ["days[1].date (lich.yaml, dòng 4): ngày 01/01/2026 bị ghi hai lần (lần đầu ở dòng 2)"],
    });
  });

  it("reports YAML syntax errors and empty files", () => {
    const bad = parseHolidayYaml("days:\n  - date: 2026-01-01\n\tname: x\n", "lich.yaml");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]).toMatch(/^lich\.yaml, dòng 3/);
    const empty = parseHolidayYaml("# chỉ có chú thích\n", "lich.yaml");
    expect(empty).toEqual({ ok: false, problems: [expect.stringContaining("trống") as unknown] });
    expect(loadHolidayFile("/nonexistent/x.yaml", "x.yaml").ok).toBe(false);
  });
});
