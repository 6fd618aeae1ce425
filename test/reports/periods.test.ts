import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureShippedHolidays } from "../../src/calendar/holiday-store.ts";
import { InvalidRequestError, NotFoundError, OutsideSubtreeError } from "../../src/reports/errors.ts";
import { moveDeadline, openAdHoc, openPeriod } from "../../src/reports/periods.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { ids, importExample, vn } from "./helpers.ts";

let t: TestDb;
let id: ReturnType<typeof ids>;
const now = vn("2026-12-01 09:00");

beforeAll(async () => {
  t = await createTestDb();
  await importExample(t.db.prisma, now);
  await ensureShippedHolidays(t.db.prisma, now);
  id = ids(t.db.prisma);
});
afterAll(async () => {
  await t.cleanup();
});

describe("openPeriod", () => {
  it("creates one assignment per target unit, with the window and cut-off + N working days", async () => {
    const p = t.db.prisma;
    const templateId = await id.template("CCHC-QUY");
    const r = await openPeriod(p, { templateId, type: "QUARTERLY", year: 2026, number: 4 }, { now });
    expect(r.period).toMatchObject({
      key: "QUARTERLY-2026-4",
      type: "QUARTERLY",
      year: 2026,
      number: 4,
      label: "Quý IV/2026",
      windowStart: "2026-09-15",
      windowEnd: "2026-12-14",
      title: null,
    });
    // The nine party cells under the commune committee.
    expect(r.assignments).toEqual({ created: 9, existing: 0 });
    const rows = await p.assignment.findMany({
      where: { periodId: r.period.id },
      select: { unitId: true, deadline: true, status: true, windowStart: true, windowEnd: true, templateVersion: { select: { version: true } } },
    });
    expect(rows).toHaveLength(9);
    const targets = await p.templateTarget.findMany({ where: { templateId }, select: { unitId: true } });
    expect(new Set(rows.map((a) => a.unitId))).toEqual(new Set(targets.map((x) => x.unitId)));
    for (const a of rows) {
      // Cut-off Monday 14/12/2026, N = 1 → Tuesday 15/12/2026 17:00 (+07).
      expect(a.deadline.toISOString()).toBe("2026-12-15T10:00:00.000Z");
      expect(a.status).toBe("NOT_STARTED");
      expect(a.windowStart.toISOString().slice(0, 10)).toBe("2026-09-15");
      expect(a.windowEnd.toISOString().slice(0, 10)).toBe("2026-12-14");
      expect(a.templateVersion.version).toBe(1);
    }
    const audit = await p.auditLog.findMany({ where: { action: "period.opened" }, select: { entityId: true } });
    expect(audit).toEqual([{ entityId: String(r.period.id) }]);
  });

  it("counts Tết as days off (shipped holiday table)", async () => {
    // Monthly, N = 2. Cut-off Saturday 14/02/2026; Tết off until Sunday 22/02:
    // working days 23/02 (1) and 24/02 (2).
    const templateId = await id.template("TINH-HINH-THANG");
    const r = await openPeriod(t.db.prisma, { templateId, type: "MONTHLY", year: 2026, number: 2 }, { now });
    expect(r.period).toMatchObject({ key: "MONTHLY-2026-02", label: "Tháng 2/2026", windowStart: "2026-01-15", windowEnd: "2026-02-14" });
    expect(r.assignments).toEqual({ created: 4, existing: 0 });
    const deadlines = await t.db.prisma.assignment.findMany({ where: { periodId: r.period.id }, select: { deadline: true }, distinct: ["deadline"] });
    expect(deadlines.map((d) => d.deadline.toISOString())).toEqual([vn("2026-02-24 17:00").toISOString()]);
  });

  it("is idempotent and picks up a unit added to the targets later, on the current version", async () => {
    const p = t.db.prisma;
    const templateId = await id.template("CCHC-QUY");
    const input = { templateId, type: "QUARTERLY", year: 2026, number: 4 } as const;
    const again = await openPeriod(p, input, { now });
    expect(again.assignments).toEqual({ created: 0, existing: 9 });
    expect(await p.period.count({ where: { key: "QUARTERLY-2026-4" } })).toBe(1);

    // A new form version, then a new target unit.
    const v1 = await p.templateVersion.findFirstOrThrow({ where: { templateId }, select: { definition: true, checksum: true } });
    await p.templateVersion.create({ data: { templateId, version: 2, definition: v1.definition ?? {}, checksum: "v2" } });
    const ubnd = await id.unit("UBND-XA");
    await p.templateTarget.create({ data: { templateId, unitId: ubnd } });

    const third = await openPeriod(p, input, { now });
    expect(third.assignments).toEqual({ created: 1, existing: 9 });
    const byVersion = await p.assignment.findMany({
      where: { periodId: third.period.id },
      select: { unitId: true, templateVersion: { select: { version: true } } },
    });
    expect(byVersion.filter((a) => a.templateVersion.version === 2).map((a) => a.unitId)).toEqual([ubnd]);
    expect(byVersion.filter((a) => a.templateVersion.version === 1)).toHaveLength(9);
    expect((await openPeriod(p, input, { now })).assignments).toEqual({ created: 0, existing: 10 });
  });

  it("skips inactive target units", async () => {
    const p = t.db.prisma;
    const templateId = await id.template("TINH-HINH-THANG");
    const naHoc = await id.unit("CB-BAN-NA-HOC");
    await p.unit.update({ where: { id: naHoc }, data: { active: false } });
    try {
      const r = await openPeriod(p, { templateId, type: "MONTHLY", year: 2026, number: 3 }, { now });
      expect(r.assignments).toEqual({ created: 3, existing: 0 });
      expect(await p.assignment.count({ where: { periodId: r.period.id, unitId: naHoc } })).toBe(0);
    } finally {
      await p.unit.update({ where: { id: naHoc }, data: { active: true } });
    }
  });

  it("refuses a period type other than the template's, a bad number and an unknown template", async () => {
    const templateId = await id.template("TINH-HINH-THANG");
    await expect(openPeriod(t.db.prisma, { templateId, type: "QUARTERLY", year: 2026, number: 1 }, { now })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await expect(openPeriod(t.db.prisma, { templateId, type: "MONTHLY", year: 2026, number: 13 }, { now })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await expect(openPeriod(t.db.prisma, { templateId: 999_999, type: "MONTHLY", year: 2026, number: 1 }, { now })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("joins the caller's transaction when given one", async () => {
    const p = t.db.prisma;
    const templateId = await id.template("TINH-HINH-THANG");
    await expect(
      p.$transaction(async (tx) => {
        const r = await openPeriod(tx, { templateId, type: "MONTHLY", year: 2026, number: 4 }, { now });
        expect(r.assignments.created).toBe(4);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await p.period.count({ where: { key: "MONTHLY-2026-04" } })).toBe(0);
  });
});

describe("openAdHoc", () => {
  const base = {
    title: "Báo cáo nhanh tình hình thiệt hại do bão số 3",
    instructions: "Nêu số hộ bị ảnh hưởng.",
    windowStart: "2026-12-01",
    windowEnd: "2026-12-03",
    deadline: vn("2026-12-04 11:00"),
  } as const;

  it("opens an AD_HOC period with one assignment per unit in the requester's subtree", async () => {
    const p = t.db.prisma;
    const units = [await id.unit("CB-THON-TAN-LAP"), await id.unit("HND-XA"), await id.unit("CD-THON-TAN-LAP")];
    const r = await openAdHoc(
      p,
      {
        ...base,
        committeeId: await id.unit("DU-XA-TAN-PHONG"),
        requestedById: await id.person("nguyenthihuong"),
        templateId: await id.template("TINH-HINH-THANG"),
        unitIds: [...units, units[0]!],
      },
      { now },
    );
    expect(r.period).toMatchObject({
      key: `AD_HOC-${r.period.id}`,
      type: "AD_HOC",
      year: 2026,
      number: null,
      label: base.title,
      title: base.title,
      windowStart: "2026-12-01",
      windowEnd: "2026-12-03",
    });
    expect(r.assignments).toEqual({ created: 3, existing: 0 });
    const rows = await p.assignment.findMany({ where: { periodId: r.period.id }, select: { unitId: true, deadline: true } });
    expect(rows.map((a) => a.unitId).sort()).toEqual([...units].sort());
    expect(rows.every((a) => a.deadline.getTime() === base.deadline.getTime())).toBe(true);
    const period = await p.period.findUniqueOrThrow({ where: { id: r.period.id }, select: { instructions: true, requestedById: true } });
    expect(period).toEqual({ instructions: base.instructions, requestedById: await id.person("nguyenthihuong") });
  });

  it("refuses units outside the committee's subtree, naming them", async () => {
    const tanLap = await id.unit("CB-THON-TAN-LAP");
    const before = await t.db.prisma.period.count();
    // Asked through the Fatherland Front: a party cell is not under it.
    const err = await openAdHoc(
      t.db.prisma,
      {
        ...base,
        committeeId: await id.unit("MTTQ-XA"),
        requestedById: await id.person("nguyenthihuong"),
        templateId: await id.template("TINH-HINH-THANG"),
        unitIds: [await id.unit("HND-XA"), tanLap],
      },
      { now },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutsideSubtreeError);
    expect((err as OutsideSubtreeError).unitIds).toEqual([tanLap]);
    expect(await t.db.prisma.period.count()).toBe(before);
  });

  it("refuses a requester without an office or committee role over the committee", async () => {
    const request = {
      ...base,
      committeeId: await id.unit("DU-XA-TAN-PHONG"),
      templateId: await id.template("TINH-HINH-THANG"),
      unitIds: [await id.unit("CB-THON-TAN-LAP")],
    };
    // The head of a party cell.
    const err = await openAdHoc(t.db.prisma, { ...request, requestedById: await id.person("phamvanhung") }, { now }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutsideSubtreeError);
    expect((err as OutsideSubtreeError).unitIds).toEqual([]);
    // A committee role on a unit below the committee does not reach up to it.
    const p = t.db.prisma;
    const low = await p.person.create({ data: { code: "tester-mttq", fullName: "Cán bộ MTTQ" }, select: { id: true } });
    await p.membership.create({ data: { personId: low.id, unitId: await id.unit("MTTQ-XA"), role: "OFFICE" } });
    await expect(openAdHoc(p, { ...request, requestedById: low.id }, { now })).rejects.toBeInstanceOf(OutsideSubtreeError);
  });

  it("refuses a deadline in the past with the calendar's Vietnamese problems", async () => {
    const err = await openAdHoc(
      t.db.prisma,
      {
        ...base,
        deadline: vn("2026-11-30 17:00"),
        committeeId: await id.unit("DU-XA-TAN-PHONG"),
        requestedById: await id.person("nguyenthihuong"),
        templateId: await id.template("TINH-HINH-THANG"),
        unitIds: [await id.unit("CB-THON-TAN-LAP")],
      },
      { now },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as InvalidRequestError).problems).toContain("hạn nộp phải sau thời điểm hiện tại");
  });
});

describe("moveDeadline", () => {
  it("moves every assignment of a period and template, with one audit row", async () => {
    const p = t.db.prisma;
    const templateId = await id.template("CCHC-QUY");
    const period = await p.period.findUniqueOrThrow({ where: { key: "QUARTERLY-2026-4" }, select: { id: true } });
    const office = await id.person("tranvanduc");
    const newDeadline = vn("2026-12-18 17:00");
    const r = await moveDeadline(p, { periodId: period.id, templateId }, newDeadline, { now, actorId: office });
    expect(r).toEqual({ moved: 10 });
    const deadlines = await p.assignment.findMany({ where: { periodId: period.id, templateId }, select: { deadline: true }, distinct: ["deadline"] });
    expect(deadlines.map((d) => d.deadline.toISOString())).toEqual([newDeadline.toISOString()]);
    const audit = await p.auditLog.findFirstOrThrow({ where: { action: "assignment.deadline.moved" }, select: { actorId: true, details: true } });
    expect(audit.actorId).toBe(office);
    expect(audit.details).toMatchObject({ from: ["2026-12-15T10:00:00.000Z"], to: newDeadline.toISOString() });
  });

  it("moves chosen assignments; refuses someone who does not manage their units, and a past deadline", async () => {
    const p = t.db.prisma;
    const a = await id.assignment("CB-THON-TAN-LAP", "CCHC-QUY", "QUARTERLY-2026-4");
    const b = await id.assignment("CB-THON-DONG-TAM", "CCHC-QUY", "QUARTERLY-2026-4");
    expect(await moveDeadline(p, [a], vn("2026-12-21 17:00"), { now, actorId: await id.person("lethimai") })).toEqual({ moved: 1 });
    expect((await p.assignment.findUniqueOrThrow({ where: { id: a }, select: { deadline: true } })).deadline).toEqual(vn("2026-12-21 17:00"));
    expect((await p.assignment.findUniqueOrThrow({ where: { id: b }, select: { deadline: true } })).deadline).toEqual(vn("2026-12-18 17:00"));

    await expect(moveDeadline(p, [a, b], vn("2026-12-22 17:00"), { now, actorId: await id.person("phamvanhung") })).rejects.toBeInstanceOf(
      OutsideSubtreeError,
    );
    await expect(moveDeadline(p, [a], vn("2026-11-30 17:00"), { now, actorId: null })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(moveDeadline(p, [a, 999_999], vn("2026-12-22 17:00"), { now, actorId: null })).rejects.toBeInstanceOf(NotFoundError);
  });
});
