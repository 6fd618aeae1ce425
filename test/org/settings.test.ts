// The office's settings from the import file: office hours and a default
// reminder policy, and a template's own policy, applied to the database and
// followed by the reminder planner.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPeriod } from "../../src/reports/periods.ts";
import { reconcileReminders } from "../../src/reminders/reconcile.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { ids, vn } from "../reports/helpers.ts";
import { exampleData, tempDir, writeYaml, type ExampleFile } from "./helpers.ts";

let t: TestDb;
let dir: string;
const NOW = vn("2026-12-01 10:00");

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir();
});
afterAll(async () => {
  await t.cleanup();
});

async function importVariant(change: (d: ExampleFile & Record<string, unknown>) => void) {
  const d = exampleData() as ExampleFile & Record<string, unknown>;
  change(d);
  const loaded = loadImportFile(writeYaml(dir, `s${String(Math.random()).slice(2)}.yaml`, d));
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  await applyImport(t.db.prisma, loaded.data, { now: NOW, ttlDays: 14 });
}

const setting = async (key: string) => (await t.db.prisma.setting.findUnique({ where: { key }, select: { value: true } }))?.value;

describe("settings in the import file", () => {
  it("sets the office hours and the office's reminder policy, and a template's own policy", async () => {
    await importVariant((d) => {
      d.settings = { office_hours: { start: "08:00", end: "16:30" }, reminder_policy: { before_working_days: [5, 2], committee_digest_from: 3 } };
      (d.templates[0] as unknown as Record<string, unknown>).reminder_policy = { before_working_days: [1] };
    });
    expect(await setting("office_hours")).toEqual({ start: "08:00", end: "16:30" });
    expect(await setting("reminder_policy")).toEqual({ beforeWorkingDays: [5, 2], committeeDigestFrom: 3 });
    const templates = await t.db.prisma.template.findMany({ select: { code: true, reminderPolicy: true }, orderBy: { id: "asc" } });
    expect(templates.find((x) => x.code === "CCHC-QUY")?.reminderPolicy).toEqual({ beforeWorkingDays: [1] });
    expect(templates.find((x) => x.code === "TINH-HINH-THANG")?.reminderPolicy).toBeNull();
  });

  it("plans reminders by the template's policy over the office's, in the office's hours", async () => {
    const find = ids(t.db.prisma);
    const quarterly = await find.template("CCHC-QUY");
    const monthly = await find.template("TINH-HINH-THANG");
    await openPeriod(t.db.prisma, { templateId: quarterly, type: "QUARTERLY", year: 2026, number: 4 }, { now: NOW });
    await openPeriod(t.db.prisma, { templateId: monthly, type: "MONTHLY", year: 2026, number: 12 }, { now: NOW });
    await t.db.prisma.assignment.updateMany({ data: { createdAt: NOW } });
    const lan = await find.person("dothilan");
    await t.db.prisma.chatIdentity.create({ data: { personId: lan, platform: "TELEGRAM", externalId: "s1", chatId: "s1" } });
    await reconcileReminders(t.db.prisma, { now: NOW });
    const steps = async (template: number) =>
      (
        await t.db.prisma.outboundMessage.findMany({
          where: { recipientId: lan, assignment: { templateId: template }, step: { startsWith: "before-" } },
          select: { step: true, plannedFor: true },
          orderBy: { plannedFor: "asc" },
        })
      ).map((r) => r.step);
    // The quarterly report's own policy; the monthly one follows the office's.
    expect(await steps(quarterly)).toEqual(["before-1"]);
    expect(await steps(monthly)).toEqual(["before-5", "before-2"]);
    const first = await t.db.prisma.outboundMessage.findFirstOrThrow({ where: { recipientId: lan, step: "before-1" }, select: { plannedFor: true } });
    // Office hours from the file: reminders go out at 08:00, not 07:30.
    expect(first.plannedFor.toISOString()).toMatch(/T01:00:00/);
  });

  it("keeps the settings a new file leaves out, and drops a template policy the file no longer has", async () => {
    await importVariant((d) => {
      delete d.settings;
    });
    expect(await setting("office_hours")).toEqual({ start: "08:00", end: "16:30" });
    const q = await t.db.prisma.template.findUniqueOrThrow({ where: { code: "CCHC-QUY" }, select: { reminderPolicy: true } });
    expect(q.reminderPolicy).toBeNull();
  });
});
