// /trangthai tells the committee when a year's official holiday schedule is
// missing: the current year at any time, next year from November.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toDbDate } from "../../src/calendar/dates.ts";
import { ensureShippedHolidays, importHolidays } from "../../src/calendar/holiday-store.ts";
import { committeeScope } from "../../src/committee/scope.ts";
import { statusReply } from "../../src/committee/status.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { ids, vn } from "../reports/helpers.ts";
import { SEED_NOW, seedProvince } from "./seed.ts";

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
  await seedProvince(t.db.prisma);
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  await t.db.prisma.holiday.deleteMany();
  await ensureShippedHolidays(t.db.prisma, SEED_NOW);
});

async function status(person: string, at: string): Promise<string> {
  const personId = await ids(t.db.prisma).person(person);
  const scope = (await committeeScope(t.db.prisma, personId))!;
  const [reply] = await t.db.prisma.$transaction((tx) => statusReply({ tx, person: { id: personId, fullName: "x" }, args: "Q4/2026", now: vn(at), scope }));
  return reply?.text ?? "";
}

const line = texts.committee.status.holidaysMissing;

describe("/trangthai and the holiday schedule", () => {
  it("says nothing while this year is loaded and it is not yet November", async () => {
    const text = await status("vanphong", "2026-10-30 10:00");
    expect(text).toContain("Đã nộp 4/7");
    expect(text).not.toContain("lịch nghỉ");
  });

  it("from November names next year, with how to load it for the office only", async () => {
    const office = await status("vanphong", "2026-11-02 10:00");
    expect(office.split("\n").at(-1)).toBe(line(2027, true));
    expect(office).toContain("npm run calendar:holidays");
    const member = await status("capuya", "2026-11-02 10:00");
    expect(member.split("\n").at(-1)).toBe(line(2027, false));
    expect(member).not.toContain("npm run");
  });

  it("names the current year when it is not loaded, and both years in its November", async () => {
    expect((await status("vanphong", "2027-01-11 10:00")).split("\n").slice(-2)).toEqual(["", line(2027, true)]);
    expect((await status("vanphong", "2027-11-02 10:00")).split("\n").slice(-3)).toEqual(["", line(2027, true), line(2028, true)]);
  });

  it("stops once the office loads the year", async () => {
    await importHolidays(t.db.prisma, [{ date: "2027-02-05", kind: "HOLIDAY", name: "Tết Nguyên đán" }], { now: vn("2026-11-03 09:00") });
    expect(await status("vanphong", "2026-11-03 10:00")).not.toContain("lịch nghỉ");
    // A unit's own day is not the office's schedule.
    await t.db.prisma.holiday.deleteMany({ where: { date: { gte: toDbDate("2027-01-01") } } });
    const unit = await ids(t.db.prisma).unit("CB-A1");
    await t.db.prisma.holiday.create({ data: { date: toDbDate("2027-03-10"), name: "Lễ hội địa phương", unitId: unit } });
    expect(await status("vanphong", "2026-11-03 10:00")).toContain(line(2027, true));
  });
});
