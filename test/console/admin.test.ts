// The top office's pages, driven over HTTP as a browser would: the
// organisation upload (check, dry run, confirm; form files; refused files),
// the holiday table and the settings. Then the same upload on the embedded
// database (PGlite).
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import type { Prisma } from "../../src/db/database.ts";
import { fixedClock } from "../../src/clock.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { telegramDriver, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk, type Talk } from "../support/talk.ts";
import { askLink, signIn, type ConsoleClient } from "../support/console.ts";
import { EXAMPLE, EXAMPLES, importExample, lineOf, replaceOnce, WITH_NEW_UNIT } from "../support/example-org.ts";

// Tuesday 1 December 2026, 10:00 in Hà Nội.
const NOW = new Date("2026-12-01T03:00:00Z");
const MAI = 45;
const CCHC = readFileSync(join(EXAMPLES, "forms/cchc-quy.yaml"), "utf8");
const THANG = readFileSync(join(EXAMPLES, "forms/thang.yaml"), "utf8");
const t = texts.console.admin;

interface UploadFile {
  field: string;
  name: string;
  text: string;
}

const formFiles = (thang = THANG): UploadFile[] => [
  { field: "bieumau", name: "cchc-quy.yaml", text: CCHC },
  { field: "bieumau", name: "thang.yaml", text: thang },
];

/** A multipart form post, as the browser sends a form with file inputs. */
function upload(client: ConsoleClient, path: string, files: UploadFile[]): Promise<Response> {
  const form = new FormData();
  form.set("_csrf", client.csrf);
  for (const f of files) form.append(f.field, new Blob([f.text], { type: "application/yaml" }), f.name);
  return fetch(`${client.base}${path}`, { method: "POST", headers: { cookie: client.cookie }, body: form, redirect: "manual" });
}

const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** Presses the preview page's confirm button: its form's fields, posted back. */
function confirm(client: ConsoleClient, preview: string): Promise<Response> {
  const start = preview.indexOf('action="/console/nhap/ap-dung"');
  expect(start).toBeGreaterThan(0);
  const form = preview.slice(start, preview.indexOf("</form>", start));
  const fields = [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, unescapeHtml(m[2]!)] as [string, string]);
  return fetch(`${client.base}/console/nhap/ap-dung`, { method: "POST", headers: { cookie: client.cookie }, body: new URLSearchParams(fields), redirect: "manual" });
}

const countsRow = (label: string, value: string) => `<dt>${label}</dt><dd>${value}</dd>`;
const changes = (created: number, updated: number, deactivated: number) => t.import.rows.changes({ created, updated, deactivated });
const leftTempDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith("baocao-nhap-"));

/** What an import writes: counts of every table it touches. */
async function snapshot(prisma: Prisma) {
  return {
    units: await prisma.unit.count(),
    people: await prisma.person.count(),
    memberships: await prisma.membership.count(),
    versions: await prisma.templateVersion.count(),
    targets: await prisma.templateTarget.count(),
    invitations: await prisma.invitation.count(),
    imports: await prisma.auditLog.count({ where: { action: "org.import" } }),
  };
}

/** Imports the example, starts the app and signs the top office (Lê Thị Mai) in to the console. */
async function setUp(env: Record<string, string>) {
  const channel = await telegramDriver();
  const app = await startTestApp({ ...env, ...channel.env() }, fixedClock(NOW));
  const code = (await importExample(app.db.prisma, NOW)).get("lethimai")!;
  const send: Talk = talk(channel, () => app);
  expect((await send(MAI, `/start ${code}`))[0]).toContain("liên kết thành công");
  const office = await signIn(await askLink(send, MAI));
  const mai = (await app.db.prisma.person.findUniqueOrThrow({ where: { code: "lethimai" }, select: { id: true } })).id;
  return { channel, app, office, mai };
}

describe("the top office's pages, on PostgreSQL", () => {
  let db: TestDb;
  let channel: ChannelDriver;
  let app: App;
  let office: ConsoleClient;
  let mai: number;
  let prisma: Prisma;

  beforeAll(async () => {
    db = await createTestDb();
    ({ channel, app, office, mai } = await setUp({ DATABASE_URL: db.url }));
    prisma = db.db.prisma;
  }, 120_000);

  afterAll(async () => {
    await app.stop();
    await channel.close();
    await db.cleanup();
  });

  describe("organisation upload", () => {
    it("shows the upload form, labelled", async () => {
      const res = await office.get("/console/nhap");
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('enctype="multipart/form-data"');
      expect(html).toContain('<label for="tep">');
      expect(html).toContain('<label for="bieumau">');
      expect(html).toMatch(/<input type="file" id="bieumau" name="bieumau"[^>]* multiple/);
      expect(html).toContain('aria-current="page"');
    });

    it("refuses a file with problems, telling each with its line, and changes nothing", async () => {
      const before = await snapshot(prisma);
      const broken = replaceOnce(replaceOnce(EXAMPLE, "{ unit: CB-THON-TAN-LAP, role: HEAD }", "{ unit: CB-KHONG-CO, role: HEAD }"), 'phone: "0912345601"', "phone: 0912345601");
      const res = await upload(office, "/console/nhap/thu", [{ field: "tep", name: "to-chuc.yaml", text: broken }, ...formFiles()]);
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain('role="alert"');
      const text = unescapeHtml(html);
      expect(text).toContain(`(dòng ${lineOf(broken, "CB-KHONG-CO")}): ${texts.importCli.unknownUnit("CB-KHONG-CO")}`);
      expect(text).toContain(`(dòng ${lineOf(broken, "phone: 0912345601")}): ${texts.importCli.phoneNotQuoted}`);
      // The form again, to choose the fixed file.
      expect(html).toContain('action="/console/nhap/thu"');
      expect(await snapshot(prisma)).toEqual(before);
      expect(leftTempDirs()).toEqual([]);
    });

    it("asks for the organisation file next to its input", async () => {
      const res = await upload(office, "/console/nhap/thu", formFiles());
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(`<p class="field-error" id="tep-error">${t.import.noMainFile}</p>`);
      expect(html).toMatch(/id="tep"[^>]*aria-describedby="tep-hint tep-error"[^>]*aria-invalid="true"/);
    });

    it("reads no file outside the upload: a form_file leaving the folder, or a file name with a folder, is refused", async () => {
      const before = await snapshot(prisma);
      const tricky = replaceOnce(EXAMPLE, "form_file: forms/thang.yaml", "form_file: ../../../../etc/passwd");
      const res = await upload(office, "/console/nhap/thu", [{ field: "tep", name: "to-chuc.yaml", text: tricky }, ...formFiles()]);
      expect(res.status).toBe(422);
      const text = unescapeHtml(await res.text());
      expect(text).toContain(`(dòng ${lineOf(tricky, "etc/passwd")}): ${t.import.unsafeFormFile("../../../../etc/passwd")}`);
      expect(text).not.toContain("root:");

      const named = await upload(office, "/console/nhap/thu", [{ field: "tep", name: "to-chuc.yaml", text: EXAMPLE }, { field: "bieumau", name: ".thang.yaml", text: THANG }]);
      expect(named.status).toBe(422);
      expect(unescapeHtml(await named.text())).toContain(t.import.badName(".thang.yaml"));
      const folder = await upload(office, "/console/nhap/thu", [{ field: "tep", name: "../to-chuc.yaml", text: EXAMPLE }, ...formFiles()]);
      expect(folder.status).toBe(422);
      expect(unescapeHtml(await folder.text())).toContain(t.import.badName("../to-chuc.yaml"));
      expect(await snapshot(prisma)).toEqual(before);
    });

    it("tells a form file that was not uploaded where the organisation file names it", async () => {
      const res = await upload(office, "/console/nhap/thu", [{ field: "tep", name: "to-chuc.yaml", text: EXAMPLE }, { field: "bieumau", name: "cchc-quy.yaml", text: CCHC }]);
      expect(res.status).toBe(422);
      expect(unescapeHtml(await res.text())).toContain(`(dòng ${lineOf(EXAMPLE, "form_file: forms/thang.yaml")}): ${texts.importCli.fileNotFound("forms/thang.yaml")}`);
    });

    let preview = "";

    it("runs a valid, changed file as a dry run: shows what would change and changes nothing", async () => {
      const before = await snapshot(prisma);
      const kept = await prisma.invitation.count({ where: { usedAt: null, revokedAt: null, expiresAt: { gt: NOW } } });
      const dryRuns = await prisma.auditLog.count({ where: { action: "console.import-dry-run" } });
      const res = await upload(office, "/console/nhap/thu", [{ field: "tep", name: "to-chuc.yaml", text: WITH_NEW_UNIT }, ...formFiles(), { field: "bieumau", name: "ghi-chu.yaml", text: "x: 1\n" }]);
      expect(res.status).toBe(200);
      preview = await res.text();
      expect(preview).toContain(t.import.previewNote("to-chuc.yaml"));
      expect(preview).toContain(countsRow(t.import.rows.units, changes(1, 0, 0)));
      expect(preview).toContain(countsRow(t.import.rows.people, changes(1, 0, 0)));
      expect(preview).toContain(countsRow(t.import.rows.versions, "0"));
      // The new chi bộ gets the quarterly report (every PARTY_ORG under the committee).
      expect(preview).toContain(countsRow(t.import.rows.targets, t.import.rows.addedRemoved(1, 0)));
      expect(preview).toContain(countsRow(t.import.rows.invitations, t.import.rows.invitationsPreview(1, kept)));
      expect(unescapeHtml(preview)).toContain(t.import.unused(["ghi-chu.yaml"]));
      // And by name, so a unit dropped by mistake shows before anything changes.
      expect(unescapeHtml(preview)).toContain(`${t.import.names.unitsCreated} (1)</h3><p>Chi bộ thôn Tân Mới</p>`);
      expect(unescapeHtml(preview)).toContain(`${t.import.names.peopleCreated} (1)</h3><p>Nguyễn Văn Mới</p>`);
      expect(preview).not.toContain(t.import.names.unitsDeactivated);
      expect(preview).toContain(`<button type="submit">${t.import.confirm}</button>`);
      expect(await snapshot(prisma)).toEqual(before);
      expect(await prisma.unit.findUnique({ where: { code: "CB-THON-TAN-MOI" }, select: { id: true } })).toBeNull();
      const audit = await prisma.auditLog.findMany({ where: { action: "console.import-dry-run" }, select: { actorId: true, details: true }, orderBy: { id: "asc" } });
      expect(audit).toHaveLength(dryRuns + 1);
      expect(audit.at(-1)).toMatchObject({ actorId: mai, details: { ok: true, file: "to-chuc.yaml", "units.created": 1, "people.created": 1 } });
      expect(leftTempDirs()).toEqual([]);
    });

    it("applies it on confirm, and lists the invitation codes to hand out", async () => {
      expect(preview).not.toBe("");
      const res = await confirm(office, preview);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(t.import.done("to-chuc.yaml"));
      expect(html).toContain(countsRow(t.import.rows.units, changes(1, 0, 0)));
      const unit = await prisma.unit.findUniqueOrThrow({ where: { code: "CB-THON-TAN-MOI" }, select: { active: true, name: true } });
      expect(unit).toEqual({ active: true, name: "Chi bộ thôn Tân Mới" });
      const invitation = await prisma.invitation.findFirstOrThrow({ where: { person: { code: "nguyenvanmoi" } }, select: { code: true } });
      expect(html).toContain(`<code data-code="nguyenvanmoi">${invitation.code}</code>`);
      expect(html).toContain("Nguyễn Văn Mới");
      // The import's own audit row names who ran it; the console's has the counts.
      const imported = await prisma.auditLog.findFirstOrThrow({ where: { action: "org.import" }, orderBy: { id: "desc" }, select: { actorId: true, details: true } });
      expect(imported).toMatchObject({ actorId: mai, details: { source: "to-chuc.yaml" } });
      const ours = await prisma.auditLog.findFirstOrThrow({ where: { action: "console.import" }, select: { actorId: true, details: true } });
      expect(ours).toMatchObject({ actorId: mai, details: { file: "to-chuc.yaml", "units.created": 1 } });
      // A second confirm of the same files changes nothing more.
      const again = await confirm(office, preview);
      expect(again.status).toBe(200);
      expect(await again.text()).toContain(countsRow(t.import.rows.units, changes(0, 0, 0)));
    });

    it("takes a changed form file: a new version of its template", async () => {
      const template = await prisma.template.findUniqueOrThrow({ where: { code: "HOAT-DONG-THANG-MTTQ" }, select: { id: true } });
      const versions = () => prisma.templateVersion.count({ where: { templateId: template.id } });
      expect(await versions()).toBe(1);
      const thang = `${THANG.trimEnd()}\n\n  - name: y_kien_khac\n    type: long_text\n    label: Ý kiến khác\n    required: false\n`;
      const res = await upload(office, "/console/nhap/thu", [{ field: "tep", name: "to-chuc.yaml", text: WITH_NEW_UNIT }, ...formFiles(thang)]);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(countsRow(t.import.rows.versions, "1"));
      expect(html).toContain(countsRow(t.import.rows.templates, changes(0, 1, 0)));
      expect(await versions()).toBe(1);
      expect((await confirm(office, html)).status).toBe(200);
      expect(await versions()).toBe(2);
      const latest = await prisma.templateVersion.findFirstOrThrow({ where: { templateId: template.id }, orderBy: { version: "desc" }, select: { definition: true } });
      expect(JSON.stringify(latest.definition)).toContain("y_kien_khac");
    });

    it("refuses a confirm form that our preview did not write", async () => {
      const before = await snapshot(prisma);
      const res = await office.post("/console/nhap/ap-dung", { ten: "to-chuc.yaml", noidung: "not gzip!" });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(t.import.badConfirm);
      expect(await snapshot(prisma)).toEqual(before);
    });
  });

  describe("holiday table", () => {
    const BROKEN = ["days:", "  - { date: 2027-01-01, name: Tết Dương lịch }", "  - { date: 2027-02-30, name: Ngày không có }", "  - { date: 2027-01-04, kind: WORKDAY, name: Làm bù thứ Hai }", ""].join("\n");
    const GOOD = [
      "# Lịch năm 2027 (thử)",
      "days:",
      "  - { date: 2027-01-01, name: Tết Dương lịch }",
      "  - { date: 09/01/2027, kind: WORKDAY, name: Làm bù cho ngày 08/02 }",
      "  - { date: 2027-02-08, name: Tết Nguyên đán }",
      "",
    ].join("\n");

    it("shows this year's office-wide days, with links to the other years", async () => {
      const res = await office.get("/console/ngaynghi");
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(`<h2>${t.holidays.yearTitle(2026)}</h2>`);
      // The shipped calendar: Quốc khánh 2026 (Wednesday 2 September).
      expect(html).toMatch(/<tr data-date="2026-09-02"><th scope="row">02\/09\/2026<\/th><td>Thứ Tư<\/td><td data-kind="HOLIDAY">Nghỉ<\/td>/);
      expect(html).toContain('<a href="/console/ngaynghi?nam=2025">2025</a>');
      expect(html).toContain('<label for="tep">');
    });

    it("refuses a file with problems, by line, and changes nothing", async () => {
      const before = await prisma.holiday.count();
      const res = await upload(office, "/console/ngaynghi", [{ field: "tep", name: "nghi-2027.yaml", text: BROKEN }]);
      expect(res.status).toBe(422);
      const text = unescapeHtml(await res.text());
      expect(text).toContain(texts.holidaysCli.problemsHeader(2));
      expect(text).toContain(`(nghi-2027.yaml, dòng 3): ${texts.calendar.holidayFile.badDate("2027-02-30")}`);
      expect(text).toContain(`(nghi-2027.yaml, dòng 4): ${texts.calendar.holidayFile.workdayOnWeekday("04/01/2027")}`);
      expect(await prisma.holiday.count()).toBe(before);
    });

    it("loads a good file, says what changed and shows that year", async () => {
      const res = await upload(office, "/console/ngaynghi", [{ field: "tep", name: "nghi-2027.yaml", text: GOOD }]);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(unescapeHtml(html)).toContain(texts.holidaysCli.done("nghi-2027.yaml", [2027], 3, 0, 0));
      expect(html).toContain(`<h2>${t.holidays.yearTitle(2027)}</h2>`);
      expect(html).toMatch(/<tr data-date="2027-01-09"><th scope="row">09\/01\/2027<\/th><td>Thứ Bảy<\/td><td data-kind="WORKDAY">Làm bù<\/td><td>Làm bù cho ngày 08\/02<\/td>/);
      const rows = await prisma.holiday.findMany({ where: { unitId: null, date: { gte: new Date("2027-01-01T00:00:00Z") } }, select: { kind: true, name: true }, orderBy: { date: "asc" } });
      expect(rows).toEqual([
        { kind: "HOLIDAY", name: "Tết Dương lịch" },
        { kind: "WORKDAY", name: "Làm bù cho ngày 08/02" },
        { kind: "HOLIDAY", name: "Tết Nguyên đán" },
      ]);
      const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "console.holidays" }, orderBy: { id: "desc" }, select: { actorId: true, details: true } });
      expect(audit).toMatchObject({ actorId: mai, details: { file: "nghi-2027.yaml", years: "2027", created: 3 } });
      expect(await prisma.auditLog.count({ where: { action: "holidays.import", actorId: mai } })).toBe(1);
      // And the year is a link from the others.
      const current = await (await office.get("/console/ngaynghi")).text();
      expect(current).toContain('<a href="/console/ngaynghi?nam=2027">2027</a>');
      const shown = await (await office.get("/console/ngaynghi?nam=2027")).text();
      expect(shown).toContain("Tết Nguyên đán");
    });
  });

  describe("settings", () => {
    const setting = async (key: string) => (await prisma.setting.findUnique({ where: { key }, select: { value: true } }))?.value;

    it("shows the office hours and the reminder policy in force, labelled", async () => {
      const html = await (await office.get("/console/caidat")).text();
      // From the example's settings.
      expect(html).toMatch(/<label for="s-start">[^<]*<\/label><input id="s-start" name="batdau" value="07:30" type="time"/);
      expect(html).toContain('<input id="s-before" name="nhactruoc" value="7, 3, 1"');
      expect(html).toMatch(/<input id="s-maxOverdue" name="quahan" value="10"/);
      expect(html).toMatch(/<label class="inline" for="s-enabled"><input type="checkbox" id="s-enabled" name="nhac" value="1" checked/);
    });

    it("refuses bad values, each told next to its field, keeps what was typed and saves nothing", async () => {
      const before = { hours: await setting("office_hours"), policy: await setting("reminder_policy") };
      const res = await office.post("/console/caidat", { batdau: "25:00", ketthuc: "17:00", nhac: "1", nhactruoc: "7, ba", quahan: "-1", baodungdau: "0", tonghop: "" });
      expect(res.status).toBe(422);
      const html = await res.text();
      const errorOf = (field: string) => unescapeHtml(new RegExp(`<p class="field-error" id="s-${field}-error">([^<]*)</p>`).exec(html)?.[1] ?? "");
      expect(errorOf("start")).toBe(texts.calendar.officeHours.badTime);
      expect(errorOf("before")).toBe(t.settings.badDayList);
      expect(errorOf("maxOverdue")).toBe(texts.validation.tooSmall(0));
      expect(errorOf("escalate")).toBe(texts.validation.tooSmall(1));
      expect(errorOf("digest")).toBe(texts.validation.empty);
      expect(errorOf("end")).toBe("");
      expect(html).toContain('role="alert"');
      expect(html).toMatch(/id="s-start"[^>]*aria-describedby="s-start-error" aria-invalid="true"/);
      // As typed, and the boxes left unticked stay unticked.
      expect(html).toContain('name="batdau" value="25:00"');
      expect(html).toContain('name="nhactruoc" value="7, ba"');
      expect(html).not.toMatch(/name="baomoky" value="1" checked/);
      expect({ hours: await setting("office_hours"), policy: await setting("reminder_policy") }).toEqual(before);

      const order = await office.post("/console/caidat", { batdau: "17:00", ketthuc: "08:00", nhac: "1", nhactruoc: "61", quahan: "5", baodungdau: "2", tonghop: "3" });
      expect(order.status).toBe(422);
      const again = await order.text();
      expect(unescapeHtml(again)).toContain(`<p class="field-error" id="s-end-error">${texts.calendar.officeHours.startAfterEnd}</p>`);
      expect(unescapeHtml(again)).toContain(`<p class="field-error" id="s-before-error">${t.settings.dayInList(61, texts.validation.tooBig(60))}</p>`);
    });

    it("saves good values as both Setting rows, in the import's shapes, and shows them", async () => {
      const res = await office.post("/console/caidat", { batdau: "08:00", ketthuc: "16:30", nhac: "1", nhactruoc: "1, 3", sanghan: "1", quahan: "5", baodungdau: "2", tonghop: "3" });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(t.settings.saved);
      expect(await setting("office_hours")).toEqual({ start: "08:00", end: "16:30" });
      expect(await setting("reminder_policy")).toEqual({
        enabled: true,
        openedNotice: false,
        beforeWorkingDays: [3, 1],
        deadlineMorning: true,
        maxOverdueReminders: 5,
        escalateToHeadsFrom: 2,
        committeeDigestFrom: 3,
      });
      const shown = await (await office.get("/console/caidat")).text();
      expect(shown).toContain('name="batdau" value="08:00"');
      expect(shown).toContain('name="nhactruoc" value="3, 1"');
      expect(shown).not.toMatch(/name="baomoky" value="1" checked/);
      const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "console.settings" }, select: { actorId: true, details: true } });
      expect(audit).toMatchObject({ actorId: mai, details: { start: "08:00", end: "16:30", beforeWorkingDays: "3, 1", openedNotice: false, maxOverdueReminders: 5 } });
    });
  });
});

describe("the organisation upload on the embedded database (PGlite)", () => {
  let channel: ChannelDriver | undefined;
  let app: App | undefined;
  let office: ConsoleClient;

  beforeAll(async () => {
    // No DATABASE_URL: the app opens PGlite in its temporary DATA_DIR.
    ({ channel, app, office } = await setUp({}));
    expect(app.db.kind).toBe("pglite");
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    await channel?.close();
  });

  it("runs the dry run (rolled back) and applies on confirm", async () => {
    const prisma = app!.db.prisma;
    const before = await snapshot(prisma);
    const res = await upload(office, "/console/nhap/thu", [{ field: "tep", name: "to-chuc.yaml", text: WITH_NEW_UNIT }, ...formFiles()]);
    expect(res.status).toBe(200);
    const preview = await res.text();
    expect(preview).toContain(countsRow(t.import.rows.units, changes(1, 0, 0)));
    expect(await snapshot(prisma)).toEqual(before);
    const done = await confirm(office, preview);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(t.import.done("to-chuc.yaml"));
    expect(await prisma.unit.findUnique({ where: { code: "CB-THON-TAN-MOI" }, select: { active: true } })).toEqual({ active: true });
  });
});
