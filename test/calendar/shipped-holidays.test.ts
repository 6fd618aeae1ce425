// The shipped calendar at start-up, on installs that already have a table.
// A year still exactly as an earlier version shipped it, and last loaded by
// the start-up load, follows the shipped file now: the 2026 National Day fix
// reaches it, and 2027, shipped before as an unconfirmed guess, is taken out.
// Years the office loaded or edited are never touched. Each test has its own
// database: the audit log, which says who loaded a year, is append-only.
import { afterEach, describe, expect, it } from "vitest";
import { toDbDate } from "../../src/calendar/dates.ts";
import { loadHolidayFile } from "../../src/calendar/holiday-file.ts";
import {
  ensureShippedHolidays,
  importHolidays,
  loadedHolidayYears,
  loadHolidayTable,
  missingHolidayYears,
  RETIRED_SHIPPED_FILES,
} from "../../src/calendar/holiday-store.ts";
import { isWorkingDay, isYearLoaded, type HolidayEntry } from "../../src/calendar/holidays.ts";
import type { Prisma } from "../../src/db/database.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { vn } from "../reports/helpers.ts";
import { shippedEntries } from "./helpers.ts";

const now = vn("2026-12-01 09:00");
const opened: TestDb[] = [];

afterEach(async () => {
  for (const t of opened.splice(0)) await t.cleanup();
});

async function db(): Promise<Prisma> {
  const t = await createTestDb();
  opened.push(t);
  return t.db.prisma;
}

/** What earlier versions shipped: 2026 without the 31/08 ↔ 22/08 swap, and a guessed 2027. */
function previousShipped(): HolidayEntry[] {
  const r = loadHolidayFile(RETIRED_SHIPPED_FILES[0]!);
  if (!r.ok) throw new Error(r.problems.join("\n"));
  return r.entries;
}

async function officeRows(p: Prisma) {
  const rows = await p.holiday.findMany({ where: { unitId: null }, select: { date: true, kind: true, name: true }, orderBy: { date: "asc" } });
  return rows.map((r) => ({ date: r.date.toISOString().slice(0, 10), kind: r.kind, name: r.name }));
}

const sorted = (entries: HolidayEntry[]) => [...entries].sort((a, b) => a.date.localeCompare(b.date));
const ofYear = <T extends { date: string }>(entries: T[], year: string) => entries.filter((e) => e.date.startsWith(`${year}-`));

describe("ensureShippedHolidays on a table that is not empty", () => {
  it("brings the years an earlier version shipped up to date, and takes out the unconfirmed 2027", async () => {
    const p = await db();
    // An install started with the earlier version: its start-up load.
    await importHolidays(p, previousShipped(), { now: vn("2026-01-05 09:00"), source: "shipped" });
    const unit = await p.unit.create({ data: { code: "DV", name: "Đơn vị" }, select: { id: true } });
    await p.holiday.create({ data: { date: toDbDate("2027-03-10"), name: "Lễ hội địa phương", unitId: unit.id } });
    expect(isYearLoaded(2027, await loadHolidayTable(p))).toBe(true);
    expect(isWorkingDay("2026-08-31", await loadHolidayTable(p))).toBe(true);

    const r = await ensureShippedHolidays(p, now);
    expect(r).toEqual({ years: [2026, 2027], created: 2, updated: 0, removed: ofYear(previousShipped(), "2027").length });
    expect(await officeRows(p)).toEqual(sorted(shippedEntries()));
    const table = await loadHolidayTable(p);
    expect(isWorkingDay("2026-08-31", table)).toBe(false);
    expect(isWorkingDay("2026-08-22", table)).toBe(true);
    // 2027 runs on the Labour Code's days meanwhile, and counts as not loaded.
    expect(isYearLoaded(2027, table)).toBe(false);
    expect(isWorkingDay("2027-02-09", table)).toBe(false);
    // This year always, next year from 1 November.
    expect(await missingHolidayYears(p, vn("2026-10-31 23:00"))).toEqual([]);
    expect(await missingHolidayYears(p, vn("2026-11-01 00:00"))).toEqual([2027]);
    expect(await missingHolidayYears(p, vn("2027-03-01 09:00"))).toEqual([2027]);
    expect(await missingHolidayYears(p, vn("2027-11-02 09:00"))).toEqual([2027, 2028]);
    expect(await missingHolidayYears(p, vn("2025-11-02 09:00"))).toEqual([]);
    // A unit's own day stays.
    expect(await p.holiday.count({ where: { unitId: unit.id } })).toBe(1);
    // Nothing more to do, then or later.
    expect(await ensureShippedHolidays(p, now)).toBeNull();
  });

  it("never touches a year the office loaded itself, even one identical to what was shipped", async () => {
    const p = await db();
    await importHolidays(p, previousShipped(), { now: vn("2026-01-05 09:00"), source: "shipped" });
    const own = ofYear(previousShipped(), "2027");
    await importHolidays(p, own, { now: vn("2026-11-10 09:00"), source: "lich-2027.yaml" });
    expect(await ensureShippedHolidays(p, now)).toEqual({ years: [2026], created: 2, updated: 0, removed: 0 });
    expect(ofYear(await officeRows(p), "2027")).toEqual(sorted(own));
    expect(await loadedHolidayYears(p, [2025, 2026, 2027, 2028])).toEqual(new Set([2025, 2026, 2027]));
  });

  it("never touches a year edited after it was loaded", async () => {
    const p = await db();
    await importHolidays(p, previousShipped(), { now: vn("2026-01-05 09:00"), source: "shipped" });
    await p.holiday.deleteMany({ where: { date: toDbDate("2026-09-01"), unitId: null } });
    await p.holiday.create({ data: { date: toDbDate("2026-09-03"), name: "Quốc khánh (ngày liền kề)" } });
    expect(await ensureShippedHolidays(p, now)).toEqual({ years: [2027], created: 0, updated: 0, removed: ofYear(previousShipped(), "2027").length });
    expect(isWorkingDay("2026-09-03", await loadHolidayTable(p))).toBe(false);
  });
});
