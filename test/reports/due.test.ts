import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureShippedHolidays } from "../../src/calendar/holiday-store.ts";
import { canFile, dueFor } from "../../src/reports/due.ts";
import { openPeriod } from "../../src/reports/periods.ts";
import { openDraft, submit } from "../../src/reports/submissions.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { ids, importExample, inTx, vn } from "./helpers.ts";

let t: TestDb;
let id: ReturnType<typeof ids>;
const now = vn("2026-12-01 09:00");
const Q4 = "QUARTERLY-2026-4";
const DEC = "MONTHLY-2026-12";

beforeAll(async () => {
  t = await createTestDb();
  const p = t.db.prisma;
  await importExample(p, now);
  await ensureShippedHolidays(p, now);
  id = ids(p);
  const quarterly = await id.template("CCHC-QUY");
  const monthly = await id.template("TINH-HINH-THANG");
  await openPeriod(p, { templateId: quarterly, type: "QUARTERLY", year: 2026, number: 4 }, { now });
  // Deadline: cut-off Monday 14/12 + 2 working days = Wednesday 16/12.
  await openPeriod(p, { templateId: monthly, type: "MONTHLY", year: 2026, number: 12 }, { now });
  // Its window opens on 15/12/2026: not due yet on 01/12.
  await openPeriod(p, { templateId: monthly, type: "MONTHLY", year: 2027, number: 1 }, { now });
});
afterAll(async () => {
  await t.cleanup();
});

async function fileReport(unitCode: string, templateCode: string, periodKey: string, personCode: string, at: Date) {
  const assignmentId = await id.assignment(unitCode, templateCode, periodKey);
  const personId = await id.person(personCode);
  return inTx(t.db.prisma, async (tx) => {
    const d = await openDraft(tx, { assignmentId, personId, now: at });
    return submit(tx, { submissionId: d.submissionId, personId, now: at, answers: [] });
  });
}

describe("dueFor", () => {
  it("lists a reporter's open reports of their own unit, by deadline", async () => {
    const items = await dueFor(t.db.prisma, await id.person("dothilan"), now);
    expect(items).toEqual([
      {
        assignmentId: await id.assignment("CB-THON-TAN-LAP", "CCHC-QUY", Q4),
        unitId: await id.unit("CB-THON-TAN-LAP"),
        unitName: "Chi bộ thôn Tân Lập",
        templateTitle: "Báo cáo công tác cải cách hành chính trong Đảng (quý)",
        periodLabel: "Quý IV/2026",
        deadline: vn("2026-12-15 17:00"),
        status: "NOT_STARTED",
        editable: true,
        overdue: false,
      },
      {
        assignmentId: await id.assignment("CB-THON-TAN-LAP", "TINH-HINH-THANG", DEC),
        unitId: await id.unit("CB-THON-TAN-LAP"),
        unitName: "Chi bộ thôn Tân Lập",
        templateTitle: "Báo cáo tình hình thôn, bản hằng tháng",
        periodLabel: "Tháng 12/2026",
        deadline: vn("2026-12-16 17:00"),
        status: "NOT_STARTED",
        editable: true,
        overdue: false,
      },
    ]);
  });

  it("lists an assignment once for a person who is both head and reporter", async () => {
    const items = await dueFor(t.db.prisma, await id.person("vuvanlong"), now);
    expect(items.map((i) => [i.unitName, i.periodLabel])).toEqual([
      ["Chi bộ thôn Đồng Tâm", "Quý IV/2026"],
      ["Chi bộ thôn Đồng Tâm", "Tháng 12/2026"],
    ]);
  });

  it("shows nothing to people without a filing role, or inactive", async () => {
    const p = t.db.prisma;
    expect(await dueFor(p, await id.person("tranvanduc"), now)).toEqual([]); // office only
    expect(await dueFor(p, await id.person("nguyenthikimoanh"), now)).toEqual([]); // MTTQ has no assignment
    const nobody = await p.person.create({ data: { code: "khong-vai-tro", fullName: "Không Vai Trò" }, select: { id: true } });
    expect(await dueFor(p, nobody.id, now)).toEqual([]);
    const hoa = await id.person("dangthihoa");
    expect(await dueFor(p, hoa, now)).toHaveLength(2);
    await p.person.update({ where: { id: hoa }, data: { active: false } });
    expect(await dueFor(p, hoa, now)).toEqual([]);
    await p.person.update({ where: { id: hoa }, data: { active: true } });
  });

  it("includes a period once its window has started", async () => {
    const items = await dueFor(t.db.prisma, await id.person("dothilan"), vn("2026-12-15 00:00"));
    expect(items.map((i) => i.periodLabel)).toEqual(["Quý IV/2026", "Tháng 12/2026", "Tháng 1/2027"]);
    expect(items[0]!.overdue).toBe(false);
  });

  it("keeps a submitted report while editable, drops it after the deadline unless the template allows edits", async () => {
    const person = await id.person("trinhthingoc"); // reporter of the secondary school cell: quarterly only
    const onTime = await fileReport("CB-TRUONG-THCS", "CCHC-QUY", Q4, "trinhthingoc", vn("2026-12-10 10:00"));
    const before = await dueFor(t.db.prisma, person, vn("2026-12-15 16:59"));
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({
      status: "SUBMITTED",
      submittedAt: vn("2026-12-10 10:00"),
      late: false,
      editable: true,
      overdue: false,
      reference: onTime.reference,
    });
    // Past 17:00 on 15/12 the quarterly template (no edits after the deadline) drops out.
    expect(await dueFor(t.db.prisma, person, vn("2026-12-15 17:01"))).toEqual([]);

    // The monthly template allows edits after its deadline: it stays, editable.
    await fileReport("CB-THON-TAN-LAP", "TINH-HINH-THANG", DEC, "dothilan", vn("2026-12-14 10:00"));
    const after = await dueFor(t.db.prisma, await id.person("dothilan"), vn("2026-12-17 09:00"));
    expect(after.map((i) => [i.periodLabel, i.status, i.editable, i.overdue])).toEqual([
      ["Quý IV/2026", "NOT_STARTED", true, true], // overdue, still to be filed
      ["Tháng 12/2026", "SUBMITTED", true, false],
      ["Tháng 1/2027", "NOT_STARTED", true, false],
    ]);
  });
});

describe("canFile", () => {
  it("allows the reporter and the head of the assignment's unit only", async () => {
    const p = t.db.prisma;
    const tanLap = await id.assignment("CB-THON-TAN-LAP", "CCHC-QUY", Q4);
    const dongTam = await id.assignment("CB-THON-DONG-TAM", "CCHC-QUY", Q4);
    expect(await canFile(p, await id.person("dothilan"), tanLap)).toBe(true); // reporter
    expect(await canFile(p, await id.person("phamvanhung"), tanLap)).toBe(true); // head
    expect(await canFile(p, await id.person("dothilan"), dongTam)).toBe(false); // another unit
    expect(await canFile(p, await id.person("tranvanduc"), tanLap)).toBe(false); // office
    expect(await canFile(p, await id.person("hoangvanthanh"), tanLap)).toBe(false); // head of the parent committee
    expect(await canFile(p, await id.person("dothilan"), 999_999)).toBe(false);
  });

  it("refuses an inactive person or unit", async () => {
    const p = t.db.prisma;
    const assignment = await id.assignment("CB-BAN-NA-HOC", "CCHC-QUY", Q4);
    const person = await id.person("quangthiem");
    const unit = await id.unit("CB-BAN-NA-HOC");
    expect(await canFile(p, person, assignment)).toBe(true);
    await p.unit.update({ where: { id: unit }, data: { active: false } });
    expect(await canFile(p, person, assignment)).toBe(false);
    await p.unit.update({ where: { id: unit }, data: { active: true } });
    await p.person.update({ where: { id: person }, data: { active: false } });
    expect(await canFile(p, person, assignment)).toBe(false);
    await p.person.update({ where: { id: person }, data: { active: true } });
  });
});
