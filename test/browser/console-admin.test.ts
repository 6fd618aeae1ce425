// The top office's pages in a real browser, on the embedded database (the
// default with no DATABASE_URL, so these scenarios run wherever the tests
// do): the organisation upload (problems by line, dry run, confirm), the
// holiday table and the settings, with files chosen in the file inputs and
// buttons found by their names, as a person finds them.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { App } from "../../src/app.ts";
import type { Prisma } from "../../src/db/database.ts";
import { fixedClock } from "../../src/clock.ts";
import { openPeriod } from "../../src/reports/periods.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { telegramDriver, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk } from "../support/talk.ts";
import { askLink } from "../support/console.ts";
import { launchBrowser } from "../support/browser.ts";
import { EXAMPLES, importExample, lineOf, NEW_UNIT, replaceOnce, WITH_NEW_UNIT } from "../support/example-org.ts";

// Tuesday 1 December 2026, 10:00 in Hà Nội: Q4/2026 is open.
const NOW = new Date("2026-12-01T03:00:00Z");
const MAI = 45;
/** Screenshots for the README (docs/) when CONSOLE_SCREENSHOTS is set; a temporary folder otherwise. */
const SHOTS = process.env.CONSOLE_SCREENSHOTS ?? join(process.env.TMPDIR ?? "/tmp", "baocao-console-shots");
const FORM_FILES = ["cchc-quy.yaml", "thang.yaml"].map((name) => yamlFile(name, readFileSync(join(EXAMPLES, "forms", name), "utf8")));
const t = texts.console.admin;

/** Two mistakes the import tells by line: a unit that does not exist, a phone number that lost its quotes. */
const BROKEN = replaceOnce(replaceOnce(WITH_NEW_UNIT, "{ unit: CB-THON-TAN-LAP, role: HEAD }", "{ unit: CB-KHONG-CO, role: HEAD }"), 'phone: "0912345601"', "phone: 0912345601");

function yamlFile(name: string, text: string) {
  return { name, mimeType: "application/yaml", buffer: Buffer.from(text) };
}

let channel: ChannelDriver | undefined;
let app: App | undefined;
let prisma: Prisma;
let browser: Browser | undefined;
let page: Page;
let base: string;
let quarterlyId: number;

beforeAll(async () => {
  channel = await telegramDriver();
  // No DATABASE_URL: the app opens PGlite in its temporary DATA_DIR.
  app = await startTestApp({ ...channel.env() }, fixedClock(NOW));
  expect(app.db.kind).toBe("pglite");
  prisma = app.db.prisma;
  const codes = await importExample(prisma, NOW, ["quarterly"]);
  quarterlyId = (await prisma.template.findUniqueOrThrow({ where: { code: "CCHC-QUY" }, select: { id: true } })).id;
  const send = talk(channel, () => app!);
  const code = codes.get("lethimai")!;
  expect((await send(MAI, `/start ${code}`))[0]).toContain("liên kết thành công");
  await mkdir(SHOTS, { recursive: true });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "vi-VN" });
  const link = await askLink(send, MAI);
  base = new URL(link).origin;
  await page.goto(link);
  await page.getByRole("button", { name: texts.console.signIn.button }).click();
  await page.waitForSelector("#board table");
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await channel?.close();
});

/** What an import writes. */
async function snapshot() {
  return {
    units: await prisma.unit.count(),
    people: await prisma.person.count(),
    memberships: await prisma.membership.count(),
    targets: await prisma.templateTarget.count(),
    invitations: await prisma.invitation.count(),
  };
}

/** Inputs that no <label for> names (the DOM is not typed here: the page's code is a string). */
const unlabelled = () =>
  page.evaluate<number>(`[...document.querySelectorAll("input:not([type=hidden]), select, textarea")].filter((el) => !el.id || !document.querySelector('label[for="' + el.id + '"]')).length`);

/** The value next to a label in the dry run's or the result's list of changes. */
const countOf = (label: string) => page.locator(`dl.facts dt:text-is(${JSON.stringify(label)}) + dd`).textContent();

const changes = (created: number, updated: number, deactivated: number) => t.import.rows.changes({ created, updated, deactivated });

describe("the top office's pages in a browser, on the embedded database", () => {
  it("organisation upload: tells the problems by line, then shows a dry run, applies on confirm, and the board has the new unit", async () => {
    await page.getByRole("link", { name: texts.console.layout.import }).click();
    await page.getByRole("heading", { level: 1, name: t.import.title }).waitFor();
    expect(await unlabelled()).toBe(0);
    const before = await snapshot();

    await page.getByLabel(t.import.mainFile).setInputFiles(yamlFile("to-chuc.yaml", BROKEN));
    await page.getByLabel(t.import.formFiles).setInputFiles(FORM_FILES);
    await page.getByRole("button", { name: t.import.check }).click();
    const problems = page.getByRole("alert");
    await problems.waitFor();
    const told = await problems.textContent();
    expect(told).toContain(texts.importCli.problemsHeader(2));
    expect(told).toContain(`(dòng ${lineOf(BROKEN, "CB-KHONG-CO")}): ${texts.importCli.unknownUnit("CB-KHONG-CO")}`);
    expect(told).toContain(`(dòng ${lineOf(BROKEN, "phone: 0912345601")}): ${texts.importCli.phoneNotQuoted}`);
    expect(await snapshot()).toEqual(before);

    // The form is there again, for the corrected file.
    await page.getByLabel(t.import.mainFile).setInputFiles(yamlFile("to-chuc.yaml", WITH_NEW_UNIT));
    await page.getByLabel(t.import.formFiles).setInputFiles(FORM_FILES);
    await page.getByRole("button", { name: t.import.check }).click();
    await page.getByRole("heading", { level: 1, name: t.import.previewTitle }).waitFor();
    expect(await page.getByRole("status").textContent()).toContain(t.import.previewNote("to-chuc.yaml"));
    expect(await countOf(t.import.rows.units)).toBe(changes(1, 0, 0));
    expect(await countOf(t.import.rows.people)).toBe(changes(1, 0, 0));
    expect(await countOf(t.import.rows.targets)).toBe(t.import.rows.addedRemoved(1, 0));
    expect(await page.locator("main ul li").allTextContents()).toEqual(["to-chuc.yaml", "cchc-quy.yaml", "thang.yaml"]);
    await page.screenshot({ path: join(SHOTS, "console-import.png"), fullPage: true });
    // A dry run: nothing written yet.
    expect(await snapshot()).toEqual(before);
    expect(await prisma.unit.findUnique({ where: { code: "CB-THON-TAN-MOI" }, select: { id: true } })).toBeNull();

    await page.getByRole("button", { name: t.import.confirm }).click();
    await page.getByRole("heading", { level: 1, name: t.import.doneTitle }).waitFor();
    expect(await page.getByRole("status").textContent()).toContain(t.import.done("to-chuc.yaml"));
    expect(await countOf(t.import.rows.units)).toBe(changes(1, 0, 0));
    expect(await prisma.unit.findUniqueOrThrow({ where: { code: "CB-THON-TAN-MOI" }, select: { active: true, name: true } })).toEqual({ active: true, name: NEW_UNIT });
    const invitation = await prisma.invitation.findFirstOrThrow({ where: { person: { code: "nguyenvanmoi" } }, select: { code: true } });
    expect(await page.getByRole("row", { name: /Nguyễn Văn Mới/ }).locator("code").textContent()).toBe(invitation.code);

    // The board lists the new chi bộ among the units to narrow it to...
    await page.getByRole("link", { name: texts.console.layout.board }).click();
    await page.waitForSelector("#board table");
    expect(await page.getByLabel(texts.console.board.unit, { exact: true }).locator("option", { hasText: NEW_UNIT }).count()).toBe(1);
    // ...and, once the daily opener has given it the open quarter's report, in the grid.
    await openPeriod(prisma, { templateId: quarterlyId, type: "QUARTERLY", year: 2026, number: 4 }, { now: NOW });
    await page.goto(`${base}/console`);
    await page.locator("#board tbody tr", { has: page.locator("th a", { hasText: NEW_UNIT }) }).locator('[data-state="not_started"]').waitFor();
  });

  it("the upload form can be sent from the keyboard alone", async () => {
    await page.goto(`${base}/console/nhap`);
    // Choosing a file opens the system's dialog, out of the page's reach; the rest is keys.
    await page.getByLabel(t.import.mainFile).setInputFiles(yamlFile("to-chuc.yaml", BROKEN));
    await page.getByLabel(t.import.mainFile).focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate<string | null>(`document.activeElement?.id ?? null`)).toBe("bieumau");
    await page.keyboard.press("Tab");
    expect(await page.evaluate<string | null>(`document.activeElement?.textContent ?? null`)).toBe(t.import.check);
    await page.keyboard.press("Enter");
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toContain(texts.importCli.unknownUnit("CB-KHONG-CO"));
  });

  describe("holiday table", () => {
    const BAD = ["days:", "  - { date: 2027-01-01, name: Tết Dương lịch }", "  - { date: 2027-02-30, name: Ngày không có }", ""].join("\n");
    const GOOD = [
      "days:",
      "  - { date: 2027-01-01, name: Tết Dương lịch }",
      "  - { date: 09/01/2027, kind: WORKDAY, name: Làm bù cho ngày 08/02 }",
      "  - { date: 2027-02-08, name: Tết Nguyên đán }",
      "",
    ].join("\n");

    it("tells a mistake by line and keeps the table; takes a good 2027 file and shows its days", async () => {
      await page.getByRole("link", { name: texts.console.layout.holidays }).click();
      await page.getByRole("heading", { level: 2, name: t.holidays.yearTitle(2026) }).waitFor();
      expect(await unlabelled()).toBe(0);
      const before = await prisma.holiday.count();

      await page.getByLabel(t.holidays.file).setInputFiles(yamlFile("nghi-2027.yaml", BAD));
      await page.getByRole("button", { name: t.holidays.upload }).click();
      await page.getByRole("alert").waitFor();
      expect(await page.getByRole("alert").textContent()).toContain(`(nghi-2027.yaml, dòng 3): ${texts.calendar.holidayFile.badDate("2027-02-30")}`);
      expect(await prisma.holiday.count()).toBe(before);

      await page.getByLabel(t.holidays.file).setInputFiles(yamlFile("nghi-2027.yaml", GOOD));
      await page.getByRole("button", { name: t.holidays.upload }).click();
      await page.getByRole("heading", { level: 2, name: t.holidays.yearTitle(2027) }).waitFor();
      expect(await page.getByRole("status").textContent()).toContain(texts.holidaysCli.done("nghi-2027.yaml", [2027], 3, 0, 0));
      expect(await prisma.holiday.count({ where: { unitId: null, date: { gte: new Date("2027-01-01T00:00:00Z") } } })).toBe(3);

      // From this year's page, the link to 2027, as a person would follow it.
      await page.getByRole("link", { name: texts.console.layout.holidays }).click();
      await page.getByRole("navigation", { name: t.holidays.otherYears }).getByRole("link", { name: "2027" }).click();
      await page.getByRole("heading", { level: 2, name: t.holidays.yearTitle(2027) }).waitFor();
      const rows = await page.locator("main table tbody tr").all();
      expect(await Promise.all(rows.map((r) => r.getAttribute("data-date")))).toEqual(["2027-01-01", "2027-01-09", "2027-02-08"]);
      expect(await page.getByRole("row", { name: /09\/01\/2027/ }).locator("td").allTextContents()).toEqual(["Thứ Bảy", t.holidays.kinds.WORKDAY, "Làm bù cho ngày 08/02"]);
    });
  });

  describe("settings", () => {
    const setting = async (key: string) => (await prisma.setting.findUnique({ where: { key }, select: { value: true } }))?.value;

    it("tells a bad value next to its field and keeps what was typed; saves a good one, shown again after a reload", async () => {
      await page.getByRole("link", { name: texts.console.layout.settings }).click();
      await page.getByRole("heading", { level: 1, name: t.settings.title }).waitFor();
      expect(await unlabelled()).toBe(0);
      const before = { hours: await setting("office_hours"), policy: await setting("reminder_policy") };
      const start = page.getByLabel(t.settings.start);
      const end = page.getByLabel(t.settings.end);
      const days = page.getByLabel(t.settings.before);

      await start.fill("17:00");
      await end.fill("08:00");
      await days.fill("7, ba");
      await page.getByRole("button", { name: t.settings.save }).click();
      await page.getByRole("alert").waitFor();
      expect(await page.locator("#s-end-error").textContent()).toBe(texts.calendar.officeHours.startAfterEnd);
      expect(await end.getAttribute("aria-describedby")).toBe("s-end-error");
      expect(await end.getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#s-before-error").textContent()).toBe(t.settings.badDayList);
      expect(await start.inputValue()).toBe("17:00");
      expect(await end.inputValue()).toBe("08:00");
      expect(await days.inputValue()).toBe("7, ba");
      expect({ hours: await setting("office_hours"), policy: await setting("reminder_policy") }).toEqual(before);

      await start.fill("08:00");
      await end.fill("16:30");
      await days.fill("5, 2");
      await page.getByRole("button", { name: t.settings.save }).click();
      await page.getByRole("status").filter({ hasText: t.settings.saved }).waitFor();
      expect(await setting("office_hours")).toEqual({ start: "08:00", end: "16:30" });
      expect(await setting("reminder_policy")).toMatchObject({ beforeWorkingDays: [5, 2] });

      // A fresh GET, not a reload of the POST's answer.
      await page.goto(`${base}/console/caidat`);
      expect(await page.getByRole("status").count()).toBe(0);
      expect(await page.getByLabel(t.settings.start).inputValue()).toBe("08:00");
      expect(await page.getByLabel(t.settings.end).inputValue()).toBe("16:30");
      expect(await page.getByLabel(t.settings.before).inputValue()).toBe("5, 2");
    });
  });
});
