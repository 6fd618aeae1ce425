import { describe, expect, it } from "vitest";
import { loadHolidayFile, parseHolidayYaml } from "../../src/calendar/holiday-file.ts";
import {
  addWorkingDays,
  createHolidayTable,
  holidayOn,
  isWorkingDay,
  nextWorkingDay,
  noHolidays,
  workingDaysBetween,
} from "../../src/calendar/holidays.ts";
import { SHIPPED_HOLIDAYS, shippedEntries, shippedTable } from "./helpers.ts";

const vn = shippedTable();

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
  });
});

describe("holiday file", () => {
  it("ships entries for 2025, 2026 and 2027", () => {
    const entries = shippedEntries();
    for (const year of ["2025", "2026", "2027"]) {
      const ofYear = entries.filter((e) => e.date.startsWith(year));
      expect(ofYear.length).toBeGreaterThanOrEqual(8);
      expect(ofYear.some((e) => e.name === "Tết Nguyên đán")).toBe(true);
    }
    expect(entries.filter((e) => e.kind === "WORKDAY").map((e) => e.date)).toEqual(["2025-04-26", "2026-01-10"]);
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
