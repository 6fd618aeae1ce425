// The committee's queries on the known situation (seed.ts), without a chat:
// scope, export data, chart data, and the summarised status of a large subtree.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { committeeScope, inScope } from "../../src/committee/scope.ts";
import { chartData, exportData } from "../../src/committee/export.ts";
import { statusReply } from "../../src/committee/status.ts";
import { parseArgs, parsePeriodWord } from "../../src/committee/args.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { NOW, seedProvince } from "./seed.ts";
import { resolveSlices } from "../../src/committee/queries.ts";
import { openPeriod } from "../../src/reports/periods.ts";
import { vn } from "../reports/helpers.ts";

describe("committee data", () => {
  let t: TestDb;
  const id = async (code: string) => (await t.db.prisma.unit.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;
  const personId = async (code: string) => (await t.db.prisma.person.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;

  beforeAll(async () => {
    t = await createTestDb();
    await seedProvince(t.db.prisma);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("reads periods as officials type them", () => {
    expect(parsePeriodWord("Q4/2026")).toEqual({ kind: "key", key: "QUARTERLY-2026-4" });
    expect(parsePeriodWord("quý4/2026")).toEqual({ kind: "key", key: "QUARTERLY-2026-4" });
    expect(parsePeriodWord("T12/2026")).toEqual({ kind: "key", key: "MONTHLY-2026-12" });
    expect(parsePeriodWord("thang3/2026")).toEqual({ kind: "key", key: "MONTHLY-2026-03" });
    expect(parsePeriodWord("2026")).toEqual({ kind: "year", year: 2026 });
    expect(parsePeriodWord("QUARTERLY-2026-4")).toEqual({ kind: "key", key: "QUARTERLY-2026-4" });
    expect(parsePeriodWord("an")).toBeNull();
    const p = parseArgs("Quý 4/2026 Chi bộ An Lạc so sánh", ["sosanh"]);
    expect(p.period).toEqual({ kind: "key", key: "QUARTERLY-2026-4" });
    expect(p.words).toEqual(["chi", "bo", "an", "lac"]);
    expect(p.flags.has("sosanh")).toBe(true);
  });

  it("gives each committee role its subtree, and nothing to a reporter", async () => {
    const office = await committeeScope(t.db.prisma, await personId("vanphong"));
    expect(office).toEqual({ unitIds: [await id("TU-TINH")], isOffice: true });
    const a = await committeeScope(t.db.prisma, await personId("capuya"));
    expect(a).toEqual({ unitIds: [await id("DU-XA-A")], isOffice: false });
    expect(await inScope(t.db.prisma, a!, await id("CB-A3"))).toBe(true);
    expect(await inScope(t.db.prisma, a!, await id("CB-B1"))).toBe(false);
    expect(await committeeScope(t.db.prisma, await personId("repa1"))).toBeNull();
  });

  it("exports status rows with lateness, and one sheet of answers with its repeat", async () => {
    const data = await t.db.prisma.$transaction((tx) => exportData(tx, { roots: [], scopeTitle: "x" }, NOW));
    expect(data.status).toEqual([]);
    const root = await id("TU-TINH");
    const full = await t.db.prisma.$transaction((tx) => exportData(tx, { roots: [root], scopeTitle: "Tỉnh ủy Sơn Lâm" }, NOW));
    expect(full.status.map((r) => [r.unitCode, r.state, r.daysLate, r.revision])).toEqual([
      ["CB-A3", "submitted_late", 2, 1],
      ["CB-A5", "overdue", 3, null],
      ["CB-A1", "submitted_on_time", null, 2],
      ["CB-A2", "submitted_on_time", null, 1],
      ["CB-A4", "in_progress", null, null],
      ["CB-B2", "overdue", 3, null],
      ["CB-B1", "submitted_on_time", null, 1],
    ]);
    expect(full.status[0]).toMatchObject({ group: "Đảng ủy xã An Bình", submittedBy: "Vũ Thị Hòa", periodLabel: "Quý IV/2026" });
    // A receipt number only for what was submitted: An Hòa's draft has none to show.
    expect(full.status.find((r) => r.unitCode === "CB-A4")?.reference).toBeNull();
    expect(full.status.filter((r) => r.state.startsWith("submitted")).every((r) => /^BC-/.test(r.reference ?? ""))).toBe(true);
    const [sheet] = full.templates;
    expect(sheet?.columns.map((c) => [c.key, c.type])).toEqual([
      ["so_dang_vien", "number"],
      ["so_cuoc_hop", "number"],
      ["nhan_xet", "text"],
    ]);
    expect(sheet?.rows).toContainEqual({ unitName: "Chi bộ thôn An Lạc", values: [22, 3, "Rất tốt"] });
    expect(sheet?.rows).toHaveLength(4);
    expect(sheet?.repeats[0]?.rows.filter((r) => r.unitName === "Chi bộ thôn An Lạc")).toEqual([
      { unitName: "Chi bộ thôn An Lạc", entry: 1, values: ["05-NQ/CB", 4] },
      { unitName: "Chi bộ thôn An Lạc", entry: 2, values: ["07-KH/CB", 6] },
    ]);
  });

  it("charts progress per commune and the on-time rate per quarter", async () => {
    const root = await id("TU-TINH");
    const progress = await t.db.prisma.$transaction((tx) => chartData(tx, { roots: [root], scopeTitle: "Tỉnh ủy" }, NOW));
    expect(progress.kind).toBe("progress");
    expect(progress.bars.map((b) => [b.label, b.value, b.max])).toEqual([
      ["Đảng ủy xã An Bình", 3, 5],
      ["Đảng ủy xã Bình Minh", 1, 2],
    ]);
    const rate = await t.db.prisma.$transaction((tx) => chartData(tx, { roots: [root], scopeTitle: "Tỉnh ủy", period: { kind: "year", year: 2026 } }, NOW));
    // All 7 units owe the quarter, An Thịnh too (its extended deadline has not
    // come yet): 3 on time out of 7, not 3 out of the 6 already due.
    expect(rate.bars).toEqual([
      {
        label: "Quý IV/2026 (chưa hết hạn)",
        value: 3,
        max: 7,
        segments: [
          { state: "submitted_on_time", count: 3 },
          { state: "submitted_late", count: 1 },
          { state: "in_progress", count: 1 },
          { state: "overdue", count: 2 },
        ],
      },
    ]);
  });

  it("summarises a large subtree: totals, the units not done, a count of the done", async () => {
    const personId_ = await personId("vanphong");
    const scope = (await committeeScope(t.db.prisma, personId_))!;
    const [reply] = await t.db.prisma.$transaction((tx) =>
      statusReply({ tx, person: { id: personId_, fullName: "x" }, args: "", now: NOW, scope }, { fullListMax: 3, openListMax: 2 }),
    );
    const text = reply?.text ?? "";
    expect(text).toContain("Đã nộp 4/7 (57%): ✅ đúng hạn 3 · 🕘 muộn 1");
    expect(text).toContain("Đơn vị chưa nộp (3):");
    expect(text).toContain("… và 1 đơn vị khác chưa nộp");
    expect(text).toContain("✅ 4 đơn vị đã nộp (không liệt kê).");
    expect(text).not.toContain("Chi bộ thôn An Lạc");
  });

  it("takes by default the period whose deadline is nearest: the one being filed, or the one just past due", async () => {
    const root = await id("TU-TINH");
    const template = await t.db.prisma.template.findUniqueOrThrow({ where: { code: "QUY" }, select: { id: true } });
    // Q3 is long done; Q4 is being filed on 1 December, and chased just after its deadline.
    await openPeriod(t.db.prisma, { templateId: template.id, type: "QUARTERLY", year: 2026, number: 3 }, { now: vn("2026-09-01 09:00") });
    const periodOn = async (when: Date) => (await t.db.prisma.$transaction((tx) => resolveSlices(tx, [root], {}, when))).map((s) => s.periodLabel);
    expect(await periodOn(vn("2026-12-01 10:00"))).toEqual(["Quý IV/2026"]);
    expect(await periodOn(vn("2026-12-18 10:00"))).toEqual(["Quý IV/2026"]);
    expect(await periodOn(vn("2026-09-20 10:00"))).toEqual(["Quý III/2026"]);
  });
});
