import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/db.ts";
import { applyImport, type ImportResult } from "../../src/org/import.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import type { OrgImport } from "../../src/org/import-schema.ts";
import { invitationsCsv, renderInvitationTable } from "../../src/org/import-report.ts";
import { exampleData, exampleFile, findUnit, snapshot, tempDir, writeYaml, type ExampleFile } from "./helpers.ts";

let t: TestDb;
const now = new Date("2026-03-02T02:00:00Z");

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.cleanup();
});

function load(file: string): OrgImport {
  const r = loadImportFile(file);
  if (!r.ok) throw new Error(r.problems.join("\n"));
  return r.data;
}

function run(data: OrgImport, at = now): Promise<ImportResult> {
  return applyImport(t.db.prisma, data, { now: at, ttlDays: 14, source: "test" });
}

async function unitId(code: string): Promise<number> {
  return (await t.db.prisma.unit.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;
}

describe("org import", () => {
  let first: ImportResult;

  it("imports the example file", async () => {
    first = await run(load(exampleFile));
    const p = t.db.prisma;
    expect(first.counts.units).toEqual({ created: 17, updated: 0, deactivated: 0 });
    expect(first.counts.people).toEqual({ created: 35, updated: 0, deactivated: 0 });
    expect(first.counts.templates).toEqual({ created: 3, updated: 0, deactivated: 0, newVersions: 3 });
    expect(await p.unit.count()).toBe(17);
    expect(await p.person.count()).toBe(35);
    expect(await p.membership.count()).toBe(42);
    expect(first.counts.memberships).toEqual({ added: 42, removed: 0 });
    expect(await p.template.count()).toBe(3);
    expect(await p.templateVersion.count()).toBe(3);

    // Closure: every unit with itself, plus one row per ancestor.
    const chiDoan = await unitId("CD-THON-TAN-LAP");
    const ancestors = await p.unitClosure.findMany({
      where: { descendantId: chiDoan },
      select: { depth: true, ancestor: { select: { code: true } } },
      orderBy: { depth: "asc" },
    });
    expect(ancestors.map((a) => [a.ancestor.code, a.depth])).toEqual([
      ["CD-THON-TAN-LAP", 0],
      ["DTN-XA", 1],
      ["MTTQ-XA", 2],
      ["DU-XA-TAN-PHONG", 3],
    ]);
    // 17 self rows + 15 at depth 1 + 5 at depth 2 (mass orgs and chi đoàn) + 1 at depth 3.
    expect(await p.unitClosure.count()).toBe(17 + 16 + 5 + 1);
    const root = await unitId("DU-XA-TAN-PHONG");
    expect(await p.unitClosure.count({ where: { ancestorId: root } })).toBe(17);

    // Targets: all nine party cells for CCHC, four villages for the monthly report,
    // the front and its five organisations for the front's monthly report.
    const cchc = await p.template.findUniqueOrThrow({ where: { code: "CCHC-QUY" }, select: { id: true, periodType: true } });
    expect(cchc.periodType).toBe("QUARTERLY");
    expect(await p.templateTarget.count({ where: { templateId: cchc.id } })).toBe(9);
    expect(first.counts.targets).toEqual({ added: 19, removed: 0 });

    // Invitations for every person, none linked yet.
    expect(first.invitations).toHaveLength(35);
    expect(new Set(first.invitations.map((i) => i.code)).size).toBe(35);
    for (const i of first.invitations) {
      expect(i.code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
      expect(i.expiresAt).toEqual(new Date(now.getTime() + 14 * 86_400_000));
    }
    expect(first.invitations[0]).toMatchObject({ fullName: "Hoàng Văn Thành", created: true });
    expect(first.invitations.find((i) => i.personCode === "lyvankhanh")?.units).toEqual([
      { name: "Đảng ủy xã Tân Phong", role: "COMMITTEE_MEMBER" },
      { name: "Ủy ban nhân dân xã Tân Phong", role: "HEAD" },
    ]);

    const audit = await p.auditLog.findMany({ where: { action: "org.import" }, select: { details: true } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ units: { created: 17 }, source: "test" });
  });

  it("prints the invitations with how to use them", () => {
    const table = renderInvitationTable(first.invitations, { telegramBot: "baocao_bot" });
    for (const i of first.invitations) {
      expect(table).toContain(i.code);
      expect(table).toContain(`https://t.me/baocao_bot?start=${i.code}`);
    }
    expect(table).toContain("/start MÃ-MỜI");
    const csv = invitationsCsv(first.invitations, {});
    expect(csv.startsWith("\uFEFFSTT,Mã cán bộ,Họ và tên")).toBe(true);
    expect(csv.split("\r\n")).toHaveLength(35 + 2);
    expect(csv).toContain(`Gửi /start ${first.invitations[0]?.code ?? ""} cho trợ lý`);
  });

  it("changes nothing on a second run and prints the same codes", async () => {
    const before = await snapshot(t.db.prisma);
    const second = await run(load(exampleFile), new Date(now.getTime() + 86_400_000));
    const after = await snapshot(t.db.prisma);
    expect(second.counts).toEqual({
      units: { created: 0, updated: 0, deactivated: 0 },
      people: { created: 0, updated: 0, deactivated: 0 },
      templates: { created: 0, updated: 0, deactivated: 0, newVersions: 0 },
      memberships: { added: 0, removed: 0 },
      targets: { added: 0, removed: 0 },
      bodies: { created: 0, updated: 0, membersAdded: 0, membersRemoved: 0 },
      invitations: { created: 0, kept: 35 },
    });
    expect(second.invitations.map((i) => [i.personCode, i.code])).toEqual(first.invitations.map((i) => [i.personCode, i.code]));
    expect(after).toEqual({ ...before, audit: before.audit + 1 });
  });

  it("applies a changed file: rename, move, removed role, removed unit and person, changed form", async () => {
    const dir = tempDir();
    const data: ExampleFile = exampleData();
    // Rename a unit.
    findUnit(data.units, "CB-TRAM-Y-TE")!.name = "Chi bộ Trạm Y tế xã Tân Phong";
    // Move the chi đoàn from the youth union straight under the front.
    const youth = findUnit(data.units, "DTN-XA")!;
    const chiDoan = youth.children!.pop()!;
    delete youth.children;
    findUnit(data.units, "MTTQ-XA")!.children!.push(chiDoan);
    // Remove one of Vũ Văn Long's two roles.
    const long = data.people.find((p) => p.code === "vuvanlong")!;
    long.roles = long.roles.filter((r) => r.role !== "REPORTER");
    // Drop a unit (and the people only working there) from the file.
    const root = data.units[0]!;
    root.children = root.children!.filter((u) => u.code !== "CB-QUAN-SU");
    data.people = data.people.filter((p) => !["tavanson", "kieuvannam"].includes(p.code));
    // Change the monthly form.
    data.templates[1]!.form!.questions.push({ name: "ghi_chu", type: "text", label: "Ghi chú", required: false });
    const file = writeYaml(dir, "changed.yaml", data);

    const p = t.db.prisma;
    const r = await run(load(file));
    expect(r.counts.units).toEqual({ created: 0, updated: 2, deactivated: 1 });
    expect(r.counts.people).toEqual({ created: 0, updated: 0, deactivated: 2 });
    expect(r.counts.memberships).toEqual({ added: 0, removed: 3 });
    expect(r.counts.templates).toMatchObject({ updated: 1, newVersions: 1 });
    // The quân sự cell is no longer a CCHC target.
    expect(r.counts.targets).toEqual({ added: 0, removed: 1 });
    expect(r.invitations).toHaveLength(33);

    expect((await p.unit.findUniqueOrThrow({ where: { code: "CB-TRAM-Y-TE" } })).name).toBe("Chi bộ Trạm Y tế xã Tân Phong");
    const quanSu = await p.unit.findUniqueOrThrow({ where: { code: "CB-QUAN-SU" }, select: { active: true } });
    expect(quanSu.active).toBe(false);
    expect(await p.person.findUniqueOrThrow({ where: { code: "tavanson" }, select: { active: true } })).toEqual({ active: false });
    // Their unused invitation is revoked, so it cannot be redeemed any more.
    const revoked = await p.invitation.findFirstOrThrow({ where: { person: { code: "tavanson" } }, select: { revokedAt: true } });
    expect(revoked.revokedAt).toEqual(now);

    const moved = await unitId("CD-THON-TAN-LAP");
    const ancestors = await p.unitClosure.findMany({
      where: { descendantId: moved },
      select: { depth: true, ancestor: { select: { code: true } } },
      orderBy: { depth: "asc" },
    });
    expect(ancestors.map((a) => [a.ancestor.code, a.depth])).toEqual([
      ["CD-THON-TAN-LAP", 0],
      ["MTTQ-XA", 1],
      ["DU-XA-TAN-PHONG", 2],
    ]);
    expect(await p.unitClosure.count({ where: { ancestorId: await unitId("DTN-XA") } })).toBe(1);

    const longRoles = await p.membership.findMany({ where: { person: { code: "vuvanlong" } }, select: { role: true } });
    expect(longRoles).toEqual([{ role: "HEAD" }]);

    const monthly = await p.template.findUniqueOrThrow({ where: { code: "TINH-HINH-THANG" }, select: { id: true } });
    const versions = await p.templateVersion.findMany({
      where: { templateId: monthly.id },
      orderBy: { version: "asc" },
      select: { version: true, checksum: true, definition: true },
    });
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]?.checksum).not.toBe(versions[1]?.checksum);
    expect(versions[1]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(versions[1]?.definition)).toContain("ghi_chu");

    // And the changed file is itself idempotent.
    const again = await run(load(file));
    expect(again.counts.units).toEqual({ created: 0, updated: 0, deactivated: 0 });
    expect(again.counts.templates.newVersions).toBe(0);
    expect(again.counts.memberships).toEqual({ added: 0, removed: 0 });
  });

  it("reactivates a unit and person that come back, and issues a fresh invitation", async () => {
    // The example again, but keeping the changed monthly form (version 2).
    const data = exampleData();
    data.templates[1]!.form!.questions.push({ name: "ghi_chu", type: "text", label: "Ghi chú", required: false });
    const file = writeYaml(tempDir(), "back.yaml", data);
    const r = await run(load(file));
    expect(r.counts.templates.newVersions).toBe(0);
    expect(r.counts.people).toEqual({ created: 0, updated: 2, deactivated: 0 });
    expect(await t.db.prisma.unit.findUniqueOrThrow({ where: { code: "CB-QUAN-SU" }, select: { active: true } })).toEqual({ active: true });
    const son = r.invitations.find((i) => i.personCode === "tavanson");
    expect(son?.created).toBe(true);
    expect(son?.code).not.toBe(first.invitations.find((i) => i.personCode === "tavanson")?.code);
  });

  it("makes a new version when a form goes back to an earlier text", async () => {
    // The example's monthly form is version 1; version 2 is the current one.
    const r = await run(load(exampleFile));
    expect(r.counts.templates.newVersions).toBe(1);
    const versions = await t.db.prisma.templateVersion.findMany({
      where: { template: { code: exampleData().templates[1]!.code } },
      orderBy: { version: "asc" },
      select: { version: true, checksum: true },
    });
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(versions[2]!.checksum).toBe(versions[0]!.checksum);
  });
});
