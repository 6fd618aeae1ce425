import { describe, expect, it } from "vitest";
import { toInstant } from "../../src/calendar/dates.ts";
import { noHolidays } from "../../src/calendar/holidays.ts";
import {
  adHocPeriod,
  currentPeriod,
  deadline,
  deadlineDate,
  parsePeriodKey,
  periodContaining,
  periodTypes,
  periodWindow,
  previousPeriod,
  shiftPeriod,
} from "../../src/calendar/periods.ts";
import { shippedTable } from "./helpers.ts";

const vn = shippedTable();

/** An instant at a local Vietnam date and time. */
const at = (date: `${number}-${number}-${number}`, time: `${number}:${number}` = "09:00") => toInstant(date, time);

describe("period windows (Decree 09, Art. 12)", () => {
  it("monthly: 15th of the previous month to the 14th, January starting 15/12", () => {
    expect(periodWindow("MONTHLY", 2026, 1)).toEqual({
      type: "MONTHLY",
      year: 2026,
      number: 1,
      start: "2025-12-15",
      end: "2026-01-14",
      key: "MONTHLY-2026-01",
      label: "Tháng 1/2026",
    });
    expect(periodWindow("MONTHLY", 2026, 3)).toMatchObject({ start: "2026-02-15", end: "2026-03-14", label: "Tháng 3/2026" });
    expect(periodWindow("MONTHLY", 2026, 12)).toMatchObject({ start: "2026-11-15", end: "2026-12-14", key: "MONTHLY-2026-12" });
  });

  it("quarterly: Q1 starts 15/12 of the previous year", () => {
    const q = [1, 2, 3, 4].map((n) => periodWindow("QUARTERLY", 2026, n));
    expect(q.map((w) => [w.start, w.end, w.key, w.label])).toEqual([
      ["2025-12-15", "2026-03-14", "QUARTERLY-2026-1", "Quý I/2026"],
      ["2026-03-15", "2026-06-14", "QUARTERLY-2026-2", "Quý II/2026"],
      ["2026-06-15", "2026-09-14", "QUARTERLY-2026-3", "Quý III/2026"],
      ["2026-09-15", "2026-12-14", "QUARTERLY-2026-4", "Quý IV/2026"],
    ]);
  });

  it("6 months, 9 months and the year all start 15/12 of the previous year", () => {
    expect(periodWindow("SIX_MONTHLY", 2026)).toMatchObject({
      start: "2025-12-15",
      end: "2026-06-14",
      key: "SIX_MONTHLY-2026",
      label: "6 tháng đầu năm 2026",
      number: null,
    });
    expect(periodWindow("NINE_MONTHLY", 2026)).toMatchObject({ start: "2025-12-15", end: "2026-09-14", label: "9 tháng năm 2026" });
    expect(periodWindow("YEARLY", 2026)).toMatchObject({ start: "2025-12-15", end: "2026-12-14", key: "YEARLY-2026", label: "Năm 2026" });
  });

  it("consecutive windows of a type leave no gap and no overlap", () => {
    for (const type of ["MONTHLY", "QUARTERLY", "YEARLY"] as const) {
      let p = periodWindow(type, 2025, type === "YEARLY" ? null : 1);
      for (let i = 0; i < 30; i++) {
        const next = shiftPeriod(p, 1);
        expect(next.start > p.end).toBe(true);
        expect(periodContaining(type, next.start)?.key).toBe(next.key);
        expect(periodContaining(type, p.end)?.key).toBe(p.key);
        p = next;
      }
    }
  });

  it("rejects bad numbers", () => {
    expect(() => periodWindow("MONTHLY", 2026)).toThrow(RangeError);
    expect(() => periodWindow("MONTHLY", 2026, 13)).toThrow(RangeError);
    expect(() => periodWindow("QUARTERLY", 2026, 0)).toThrow(RangeError);
    expect(() => periodWindow("YEARLY", 2026, 1)).toThrow(RangeError);
  });

  it("keys round-trip and sort in time order", () => {
    for (const type of periodTypes) {
      const w = periodWindow(type, 2026, type === "MONTHLY" ? 10 : type === "QUARTERLY" ? 2 : null);
      expect(parsePeriodKey(w.key)).toEqual(w);
    }
    expect(parsePeriodKey("MONTHLY-2026-3")).toBeNull(); // not the canonical form
    expect(parsePeriodKey("QUARTERLY-2026-5")).toBeNull();
    expect(parsePeriodKey("AD_HOC-17")).toBeNull();
    const keys = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => periodWindow("MONTHLY", 2026, m).key);
    expect([...keys].sort()).toEqual(keys);
  });
});

describe("periodContaining", () => {
  it("switches period between the 14th and the 15th", () => {
    expect(periodContaining("MONTHLY", "2026-03-14")?.key).toBe("MONTHLY-2026-03");
    expect(periodContaining("MONTHLY", "2026-03-15")?.key).toBe("MONTHLY-2026-04");
    expect(periodContaining("QUARTERLY", "2026-03-14")?.key).toBe("QUARTERLY-2026-1");
    expect(periodContaining("QUARTERLY", "2026-03-15")?.key).toBe("QUARTERLY-2026-2");
    expect(periodContaining("MONTHLY", "2025-12-14")?.key).toBe("MONTHLY-2025-12");
    expect(periodContaining("MONTHLY", "2025-12-15")?.key).toBe("MONTHLY-2026-01");
  });

  it("puts 20/12/2025 in Q1 2026 and in the 2026 year window", () => {
    expect(periodContaining("QUARTERLY", "2025-12-20")?.key).toBe("QUARTERLY-2026-1");
    expect(periodContaining("YEARLY", "2025-12-20")?.key).toBe("YEARLY-2026");
    expect(periodContaining("SIX_MONTHLY", "2025-12-20")?.key).toBe("SIX_MONTHLY-2026");
    expect(periodContaining("YEARLY", "2025-12-14")?.key).toBe("YEARLY-2025");
  });

  it("finds no 6- or 9-month window in their gaps", () => {
    expect(periodContaining("SIX_MONTHLY", "2026-06-14")?.key).toBe("SIX_MONTHLY-2026");
    expect(periodContaining("SIX_MONTHLY", "2026-06-15")).toBeNull();
    expect(periodContaining("NINE_MONTHLY", "2026-09-14")?.key).toBe("NINE_MONTHLY-2026");
    expect(periodContaining("NINE_MONTHLY", "2026-12-14")).toBeNull();
    expect(periodContaining("NINE_MONTHLY", "2026-12-15")?.key).toBe("NINE_MONTHLY-2027");
  });
});

describe("current and previous period", () => {
  it("is the window containing today, in Vietnam time", () => {
    expect(currentPeriod("QUARTERLY", at("2026-03-14", "23:59")).key).toBe("QUARTERLY-2026-1");
    // 17:00 UTC on the 14th is already 00:00 on the 15th in Vietnam.
    expect(currentPeriod("QUARTERLY", new Date("2026-03-14T17:00:00Z")).key).toBe("QUARTERLY-2026-2");
    expect(previousPeriod("QUARTERLY", at("2026-03-20")).key).toBe("QUARTERLY-2026-1");
    expect(previousPeriod("QUARTERLY", at("2026-01-05")).key).toBe("QUARTERLY-2025-4");
    expect(previousPeriod("MONTHLY", at("2026-01-05")).key).toBe("MONTHLY-2025-12");
    expect(currentPeriod("YEARLY", at("2025-12-31")).key).toBe("YEARLY-2026");
    expect(previousPeriod("YEARLY", at("2025-12-31")).key).toBe("YEARLY-2025");
  });

  it("in a 6-month gap, is the window that ended last", () => {
    expect(currentPeriod("SIX_MONTHLY", at("2026-08-01")).key).toBe("SIX_MONTHLY-2026");
    expect(previousPeriod("SIX_MONTHLY", at("2026-08-01")).key).toBe("SIX_MONTHLY-2025");
    expect(currentPeriod("SIX_MONTHLY", at("2026-12-15")).key).toBe("SIX_MONTHLY-2027");
    expect(currentPeriod("NINE_MONTHLY", at("2026-10-01")).key).toBe("NINE_MONTHLY-2026");
  });
});

describe("deadline", () => {
  it("is cut-off + N working days at 17:00 Vietnam time", () => {
    expect(deadline("2026-03-14", 1, vn).toISOString()).toBe("2026-03-16T10:00:00.000Z");
    expect(deadline("2026-03-14", 2, vn, "11:30").toISOString()).toBe("2026-03-17T04:30:00.000Z");
  });

  it("skips Tết 2026: cut-off 14/02, N=1 → 23/02/2026", () => {
    expect(deadlineDate("2026-02-14", 1, vn)).toBe("2026-02-23");
    expect(deadline("2026-02-14", 1, vn)).toEqual(at("2026-02-23", "17:00"));
  });

  it("uses the make-up Saturday and skips holidays", () => {
    expect(deadlineDate("2026-01-09", 1, vn)).toBe("2026-01-10"); // make-up Saturday counts
    expect(deadlineDate("2025-12-31", 1, vn)).toBe("2026-01-05");
    expect(deadlineDate("2026-04-29", 1, vn)).toBe("2026-05-04"); // 30/4, 1/5 off
    expect(deadlineDate("2025-04-29", 2, vn)).toBe("2025-05-06");
    expect(deadlineDate("2026-08-31", 1, vn)).toBe("2026-09-03"); // 1/9 and 2/9 off
    expect(deadlineDate("2026-09-14", 1, noHolidays)).toBe("2026-09-15");
  });

  it("skips the Labour Code's holidays in a year the office has not loaded (Tết 2029 off 12–16/02, 2030 off 31/01–06/02)", () => {
    // February 2029: cut-off Wed 14/02, the third day of Tết.
    expect(deadline(periodWindow("MONTHLY", 2029, 2).end, 1, vn)).toEqual(at("2029-02-19", "17:00"));
    // From Tue 29/01/2030: Wed 30/01 is the first working day, Thu 07/02 the second.
    expect(deadlineDate("2030-01-29", 2, vn)).toBe("2030-02-07");
    expect(deadlineDate("2028-04-03", 1, vn)).toBe("2028-04-05"); // Giỗ Tổ 04/04/2028
  });

  it("refuses N < 1 and bad times", () => {
    expect(() => deadline("2026-03-14", 0, vn)).toThrow(RangeError);
    expect(() => deadline("2026-03-14", 1, vn, "25:00")).toThrow(RangeError);
  });
});

describe("ad hoc periods", () => {
  const now = at("2026-03-10", "09:00");

  it("accepts a valid request, with typed Vietnamese dates", () => {
    const r = adHocPeriod({ title: " Báo cáo nhanh tình hình bão số 3 ", start: "01/03/2026", end: "2026-03-10", deadline: at("2026-03-12", "17:00") }, now);
    expect(r).toEqual({
      ok: true,
      period: { type: "AD_HOC", title: "Báo cáo nhanh tình hình bão số 3", start: "2026-03-01", end: "2026-03-10", deadline: at("2026-03-12", "17:00") },
    });
    // Data up to today, due later today.
    expect(adHocPeriod({ title: "Nhanh", start: "2026-03-10", end: "2026-03-10", deadline: at("2026-03-10", "16:00") }, now).ok).toBe(true);
  });

  it("explains what is wrong", () => {
    const r = adHocPeriod({ title: "X", start: "2026-03-10", end: "2026-03-01", deadline: at("2026-03-09") }, now);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toContain("ngày kết thúc kỳ báo cáo phải sau hoặc trùng ngày bắt đầu");
      expect(r.problems).toContain("hạn nộp phải sau thời điểm hiện tại");
    }
    const before = adHocPeriod({ title: "X", start: "2026-03-01", end: "2026-03-20", deadline: at("2026-03-15") }, now);
    expect(before).toEqual({ ok: false, problems: ["hạn nộp không được trước ngày kết thúc kỳ báo cáo"] });
    const bad = adHocPeriod({ title: "  ", start: "31/02/2026", end: "2026-03-20", deadline: at("2026-03-25") }, now);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems).toContain("title: không được để trống");
      expect(bad.problems.join("\n")).toContain('ngày "31/02/2026" không hợp lệ');
    }
  });
});
