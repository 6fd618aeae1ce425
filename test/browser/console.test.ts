// The web console in a real browser, walked as the office walks it: ask the
// bot (emulated Telegram) for a sign-in link, open it, watch the board while
// an official files a report in chat, open the unit's page, on a desktop and
// on a phone.
import { join } from "node:path";
import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { telegramDriver, type ChannelDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk, type Talk } from "../support/talk.ts";
import { askLink } from "../support/console.ts";
import { launchBrowser } from "../support/browser.ts";
import { importExample } from "../support/example-org.ts";
import { MONTHLY_TITLE, monthlyAnswers } from "../support/quarterly.ts";

// Tuesday 1 December 2026, 10:00 in Hà Nội: Q4/2026 and December are open.
const NOW = new Date("2026-12-01T03:00:00Z");
const users = { mai: 45, hoa: 31 };
const UNIT = "Chi bộ thôn Phong Thịnh";
/** Screenshots for the README (docs/) when CONSOLE_SCREENSHOTS is set; a temporary folder otherwise. */
const SHOTS = process.env.CONSOLE_SCREENSHOTS ?? join(process.env.TMPDIR ?? "/tmp", "baocao-console-shots");

let t: TestDb;
let channel: ChannelDriver;
let app: App;
let send: Talk;
let browser: Browser;
let page: Page;
const clock = fixedClock(NOW);

beforeAll(async () => {
  t = await createTestDb();
  const codes = await importExample(t.db.prisma, NOW, ["quarterly", "monthly"]);
  channel = await telegramDriver();
  // The board refreshes itself every second here, so the test sees it happen.
  app = await startTestApp({ DATABASE_URL: t.url, CONSOLE_REFRESH_SECONDS: "1", ...channel.env() }, clock);
  send = talk(channel, () => app);
  for (const [user, person] of [[users.mai, "lethimai"], [users.hoa, "dangthihoa"]] as const) {
    expect((await send(user, `/start ${codes.get(person)}`))[0]).toContain("liên kết thành công");
  }
  await mkdir(SHOTS, { recursive: true });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "vi-VN" });
}, 120_000);

afterAll(async () => {
  await browser.close();
  await app.stop();
  await channel.close();
  await t.cleanup();
});

/** Browser-side: the board's row of a unit (the DOM is not typed here: the page's code is a string). */
const rowOf = (unit: string) => `[...document.querySelectorAll("#board tbody tr")].find((tr) => tr.querySelector("th a")?.textContent === ${JSON.stringify(unit)})`;

/** The board's cell of a unit in the column of a report. */
async function cellState(unit: string, column: string): Promise<string | null> {
  return page.evaluate<string | null>(`(() => {
    const heads = [...document.querySelectorAll("#board thead tr:first-child th")].map((th) => th.textContent ?? "");
    const col = heads.findIndex((h) => h.includes(${JSON.stringify(column)}));
    return ${rowOf(unit)}?.children[col]?.getAttribute("data-state") ?? null;
  })()`);
}

describe("the web console in a browser", () => {
  it("signs in with the link the bot sent in chat, and shows the board", async () => {
    const link = await askLink(send, users.mai);
    await page.goto(link);
    expect(await page.locator("html").getAttribute("lang")).toBe("vi");
    await page.getByRole("button", { name: texts.console.signIn.button }).click();
    await page.waitForSelector("#board table");
    expect(await page.locator("h1").textContent()).toBe(texts.console.board.title);
    expect(await cellState(UNIT, MONTHLY_TITLE)).toBe("not_started");
    // The cookie is out of the page's reach.
    expect(await page.evaluate<string>("document.cookie")).toBe("");
  });

  it("shows a report submitted in chat a moment before, without a reload", async () => {
    const refreshedBefore = await page.locator("#board").getAttribute("data-refreshed");
    await send(users.hoa, "/baocao");
    await send(users.hoa, { choose: `${MONTHLY_TITLE} – Tháng 12/2026` });
    for (const step of monthlyAnswers) {
      const r = "say" in step ? await send(users.hoa, step.say) : "choose" in step ? await send(users.hoa, { choose: step.choose }) : [];
      expect(r.at(-1) ?? "").toContain(step.expect);
    }
    const receipt = await send(users.hoa, { choose: texts.report.reviewActions.submit });
    expect(receipt.join("\n")).toContain(MONTHLY_TITLE);
    // The page refreshes the grid by itself; nothing here reloads it.
    // (A locator, not waitForFunction: the console's CSP refuses code made from strings.)
    await page.locator("#board tbody tr", { has: page.locator("th a", { hasText: UNIT }) }).locator('[data-state="submitted_on_time"]').waitFor();
    expect(await page.locator("#board").getAttribute("data-refreshed")).not.toBe(refreshedBefore);
    expect(await page.locator("#board .totals").textContent()).toContain("Đã nộp 1/");
    await page.screenshot({ path: join(SHOTS, "console-board.png"), fullPage: false });
  });

  it("opens the unit's page: its answers, revisions and reminder log", async () => {
    await page.locator("#board tbody th a", { hasText: UNIT }).first().click();
    await page.waitForSelector("h1");
    expect(await page.locator("h1").textContent()).toBe(UNIT);
    const answers = await page.locator("#answers + p + .table-wrap").textContent();
    expect(answers).toContain("32");
    expect(answers).toContain("Tổng số đảng viên của chi bộ");
    expect(await page.locator("main").textContent()).toContain("Lần 1:");
    expect(await page.getByRole("heading", { name: texts.console.unit.reminders }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, "console-unit.png"), fullPage: true });
    const audit = await t.db.prisma.auditLog.count({ where: { action: "console.view-unit" } });
    expect(audit).toBe(1);
  });

  it("narrows the board to one report and downloads what it shows, as Excel and CSV", async () => {
    await page.goto(page.url().replace(/\/console\/.*$/, "/console"));
    await page.getByLabel(texts.console.board.template).selectOption({ label: MONTHLY_TITLE });
    await page.getByRole("button", { name: texts.console.board.show }).click();
    await page.waitForURL(/mau=\d+/);
    expect(await page.locator("#board thead tr:first-child th").count()).toBe(2);
    const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: texts.console.board.exportXlsx }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: texts.console.board.exportCsv }).click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv(\.zip)?$/);
    expect(await t.db.prisma.auditLog.count({ where: { action: "console.export" } })).toBe(2);
  });

  it("works on a phone and from the keyboard", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      await phone.context().addCookies(await page.context().cookies());
      await phone.goto(page.url().replace(/\/console\/.*$/, "/console"));
      await phone.waitForSelector("#board table");
      // The page itself never scrolls sideways; the wide grid scrolls in its own box.
      expect(await phone.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
      // Every field has a label.
      const unlabelled = await phone.evaluate<number>(
        `[...document.querySelectorAll("input:not([type=hidden]), select, textarea")].filter((el) => !el.id || !document.querySelector('label[for="' + el.id + '"]')).length`,
      );
      expect(unlabelled).toBe(0);
      // The first Tab reaches the link that skips the menu.
      await phone.keyboard.press("Tab");
      expect(await phone.evaluate<string | null>(`document.activeElement?.getAttribute("href") ?? null`)).toBe("#main");
      await phone.screenshot({ path: join(SHOTS, "console-board-phone.png") });
    } finally {
      await phone.close();
    }
  });
});
