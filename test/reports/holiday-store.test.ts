import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/calendar/holidays-cli.ts";
import { ensureShippedHolidays, importHolidays, loadHolidayTable, SHIPPED_HOLIDAY_FILE } from "../../src/calendar/holiday-store.ts";
import { isWorkingDay, type HolidayEntry } from "../../src/calendar/holidays.ts";
import { toDbDate } from "../../src/calendar/dates.ts";
import { openPglite } from "../../src/db/database.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { shippedEntries } from "../calendar/helpers.ts";
import { vn } from "./helpers.ts";

let t: TestDb;
const now = vn("2026-12-01 09:00");
const root = fileURLToPath(new URL("../..", import.meta.url));

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  await t.db.prisma.holiday.deleteMany();
});

async function officeRows() {
  const rows = await t.db.prisma.holiday.findMany({ where: { unitId: null }, select: { date: true, kind: true, name: true }, orderBy: { date: "asc" } });
  return rows.map((r) => ({ date: r.date.toISOString().slice(0, 10), kind: r.kind, name: r.name }));
}

const sorted = (entries: HolidayEntry[]) => [...entries].sort((a, b) => a.date.localeCompare(b.date)).map((e) => ({ ...e }));

describe("ensureShippedHolidays", () => {
  it("fills an empty table with the shipped calendar, once", async () => {
    const shipped = shippedEntries();
    const first = await ensureShippedHolidays(t.db.prisma, now);
    expect(first).toEqual({ years: [2025, 2026], created: shipped.length, updated: 0, removed: 0 });
    expect(await officeRows()).toEqual(sorted(shipped));
    expect(await ensureShippedHolidays(t.db.prisma, now)).toBeNull();
    expect(await t.db.prisma.holiday.count()).toBe(shipped.length);
  });

  it("never overwrites an office's own table", async () => {
    const p = t.db.prisma;
    await p.holiday.create({ data: { date: toDbDate("2026-02-16"), name: "Nghỉ Tết (văn phòng tự nhập)" } });
    expect(await ensureShippedHolidays(p, now)).toBeNull();
    expect(await officeRows()).toEqual([{ date: "2026-02-16", kind: "HOLIDAY", name: "Nghỉ Tết (văn phòng tự nhập)" }]);
  });
});

describe("importHolidays", () => {
  it("is idempotent, and makes the years in the file match it", async () => {
    const p = t.db.prisma;
    const shipped = shippedEntries();
    const auditBefore = await p.auditLog.count({ where: { action: "holidays.import" } });
    expect(await importHolidays(p, shipped, { now, source: "vn.yaml" })).toMatchObject({ created: shipped.length, updated: 0, removed: 0 });
    expect(await importHolidays(p, shipped, { now })).toEqual({ years: [2025, 2026], created: 0, updated: 0, removed: 0 });
    expect(await p.auditLog.count({ where: { action: "holidays.import" } })).toBe(auditBefore + 2);

    // 2026: 01/9 turns out to be 03/9, and 24/11 becomes a holiday.
    const edited: HolidayEntry[] = shipped
      .filter((e) => e.date.startsWith("2026-"))
      .map((e): HolidayEntry => (e.date === "2026-09-01" ? { ...e, date: "2026-09-03" } : e))
      .map((e) => (e.date === "2026-09-02" ? { ...e, name: "Quốc khánh" } : e));
    edited.push({ date: "2026-11-24", kind: "HOLIDAY", name: "Ngày Văn hóa Việt Nam" });
    const r = await importHolidays(p, edited, { now });
    expect(r).toEqual({ years: [2026], created: 2, updated: 1, removed: 1 });
    const rows = await officeRows();
    expect(rows.filter((x) => x.date.startsWith("2026-"))).toEqual(sorted(edited));
    // Other years are untouched.
    expect(rows.filter((x) => !x.date.startsWith("2026-"))).toEqual(sorted(shipped.filter((e) => !e.date.startsWith("2026-"))));
    expect(await importHolidays(p, edited, { now })).toEqual({ years: [2026], created: 0, updated: 0, removed: 0 });
  });

  it("leaves a unit's own days alone; the unit's table puts them over the office's", async () => {
    const p = t.db.prisma;
    await importHolidays(p, shippedEntries(), { now });
    const unit = await p.unit.create({ data: { code: "DV-RIENG", name: "Đơn vị có lịch riêng" }, select: { id: true } });
    await p.holiday.createMany({
      data: [
        { date: toDbDate("2026-02-20"), kind: "WORKDAY" as const, name: "Trực Tết" },
        { date: toDbDate("2026-03-10"), kind: "HOLIDAY" as const, name: "Lễ hội địa phương" },
      ].map((d) => ({ ...d, unitId: unit.id })),
    });
    expect(await importHolidays(p, shippedEntries(), { now })).toMatchObject({ created: 0, updated: 0, removed: 0 });
    expect(await p.holiday.count({ where: { unitId: unit.id } })).toBe(2);

    const office = await loadHolidayTable(p);
    const own = await loadHolidayTable(p, unit.id);
    expect(isWorkingDay("2026-02-20", office)).toBe(false);
    expect(isWorkingDay("2026-02-20", own)).toBe(true);
    expect(isWorkingDay("2026-03-10", office)).toBe(true);
    expect(isWorkingDay("2026-03-10", own)).toBe(false);
    expect(isWorkingDay("2026-01-10", own)).toBe(true); // the office's make-up Saturday applies to the unit too
    expect(own.byDate.get("2026-02-17")?.name).toBe("Tết Nguyên đán");
  });
});

describe("calendar:holidays command", () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, o: (s: string) => out.push(s), e: (s: string) => err.push(s) };
  }

  it("loads the shipped file by default into DATABASE_URL, and again changes nothing", async () => {
    const c = capture();
    expect(await run([], { DATABASE_URL: t.url }, c.o, c.e)).toBe(0);
    expect(c.err).toEqual([]);
    const n = shippedEntries().length;
    expect(c.out).toEqual([`Đã nạp lịch nghỉ từ tệp vn-2025-2026.yaml (năm 2025, 2026): ${n} ngày mới, 0 ngày sửa, 0 ngày bỏ.`]);
    const again = capture();
    expect(await run([SHIPPED_HOLIDAY_FILE], { DATABASE_URL: t.url }, again.o, again.e)).toBe(0);
    expect(again.out).toEqual(["Đã nạp lịch nghỉ từ tệp vn-2025-2026.yaml (năm 2025, 2026): 0 ngày mới, 0 ngày sửa, 0 ngày bỏ."]);
  });

  it("refuses a bad file with one Vietnamese line per problem, exit 1, database untouched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baocao-holidays-"));
    const file = join(dir, "lich.yaml");
    writeFileSync(file, "days:\n  - date: 31/02/2027\n    name: Sai ngày\n  - date: 2027-03-03\n    kind: WORKDAY\n    name: Làm bù\n");
    const c = capture();
    expect(await run([file], { DATABASE_URL: t.url }, c.o, c.e)).toBe(1);
    expect(c.out).toEqual([]);
    expect(c.err).toEqual([
      "Tệp có 2 lỗi, chưa nạp gì vào cơ sở dữ liệu:",
      expect.stringMatching(/^days\[0\]\.date \(lich\.yaml, dòng 2\): ngày "31\/02\/2027" không hợp lệ/),
      expect.stringMatching(/^days\[1\]\.date \(lich\.yaml, dòng 4\): ngày 03\/03\/2027 không phải thứ Bảy hoặc Chủ nhật/),
    ]);
    expect(await t.db.prisma.holiday.count()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it("uses the embedded PGlite in DATA_DIR when DATABASE_URL is not set", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baocao-holidays-"));
    try {
      const c = capture();
      expect(await run([], { DATA_DIR: dir }, c.o, c.e)).toBe(0);
      expect(c.err).toEqual([]);
      const db = await openPglite(join(dir, "pglite"));
      try {
        expect(await db.prisma.holiday.count()).toBe(shippedEntries().length);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("runs as a command: a missing file is one line on stderr and exit code 1", async () => {
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        "npx",
        ["tsx", "src/calendar/holidays-cli.ts", "khong-co.yaml"],
        { cwd: root, env: { ...process.env, DATABASE_URL: t.url }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
      );
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toEqual(["Tệp có 1 lỗi, chưa nạp gì vào cơ sở dữ liệu:", 'không đọc được tệp "khong-co.yaml"']);
  }, 60_000);
});
