// The sandbox page in a real browser, walked as a newcomer walks it: load
// the example organisation, pick a person, file the whole quarterly report
// with its signed page in the Telegram look and the monthly one in the Zalo
// look, download an export, see a chart, reload, put and answer a question
// across the two looks, and move the clock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { startTestApp } from "../support/app.ts";
import { launchBrowser } from "../support/browser.ts";
import { monthlyAnswers, quarterlyAnswers, QUARTERLY_TITLE, SIGNED_PAGE_JPEG, type Step } from "../support/quarterly.ts";
import { sandboxClient, type SandboxClient, type Who } from "../support/sandbox-client.ts";

// Tuesday 1 December 2026, 10:00 in Hà Nội: Q4/2026 is due on 15/12.
const clock = fixedClock(new Date("2026-12-01T03:00:00Z"));
let app: App;
let api: SandboxClient;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startTestApp({ SANDBOX: "on", REMINDERS: "on" }, clock);
  api = sandboxClient(`http://127.0.0.1:${app.sandbox!.port}`, app.sandbox!.key);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
}, 120_000);
afterAll(async () => {
  await browser.close();
  await app.stop();
});

/** Each message once: switching people and looks restarts the page's polling. */
async function shownOnce(): Promise<void> {
  const ids = await page.evaluate<string[]>(`[...document.querySelectorAll("#log .entry")].map((e) => e.getAttribute("data-id"))`);
  expect(new Set(ids).size).toBe(ids.length);
}

/** The newest entry id the page shows. */
const lastShown = async () => ((await page.locator("#log .entry").count()) === 0 ? 0 : Number(await page.locator("#log .entry").last().getAttribute("data-id")));

/**
 * Does what `act` does on the page, waits until the bot has answered all of
 * it (the API's `idle`) and the page shows the answer, and returns the text
 * of the bot's new messages.
 */
async function act(who: Who, act: () => Promise<void>): Promise<string> {
  const before = await lastShown();
  await act();
  // Waits past our own message: it is in the history before the bot sees it.
  await page.waitForFunction(`Number(document.querySelector("#log .entry:last-child")?.getAttribute("data-id") ?? 0) > ${before}`);
  const mine = await lastShown();
  await api.settle(who, mine);
  const newest = (await api.messages(who)).entries.at(-1)?.id ?? mine;
  await page.waitForSelector(`#log .entry[data-id="${newest}"]`);
  const bot = page.locator("#log .entry.bot");
  const said: string[] = [];
  for (let i = (await bot.count()) - 1; i >= 0; i--) {
    const entry = bot.nth(i);
    if (Number(await entry.getAttribute("data-id")) <= before) break;
    said.unshift((await entry.textContent()) ?? "");
  }
  return said.join("\n");
}

const type = (text: string) => async () => {
  await page.fill("#t", text);
  await page.press("#t", "Enter");
};
// The newest live button with this label: a reminder may have arrived below the question, as in a real chat.
const tap = (label: string) => () => {
  const live = () => page.locator(".kb button:not([disabled])", { hasText: label });
  return page.locator("#log .entry.bot", { has: live() }).last().locator(".kb button:not([disabled])", { hasText: label }).first().click();
};
const photo = () => page.setInputFiles("#file", { name: "trang-ky.jpg", mimeType: "image/jpeg", buffer: Buffer.from(SIGNED_PAGE_JPEG) });

async function pick(name: string): Promise<void> {
  await page.locator("aside button", { hasText: name }).first().click();
  await page.waitForFunction(`document.getElementById("whoname").textContent.startsWith(${JSON.stringify(name)})`);
}

async function walk(who: Who, steps: Step[], look: "telegram" | "zalo"): Promise<string> {
  let last = "";
  for (const step of steps) {
    const action = "say" in step ? type(step.say) : "photo" in step ? photo : look === "telegram" ? tap(step.choose) : type(step.choose);
    last = await act(who, action);
    expect(last, JSON.stringify(step)).toContain(step.expect);
  }
  return last;
}

describe("the sandbox page", () => {
  it("loads the example organisation on an empty database and lists people to speak as", async () => {
    await page.goto(app.sandbox!.url);
    expect(new URL(page.url()).search).toBe(""); // the key left the address bar for a cookie
    await page.locator("#example").click();
    await page.waitForSelector("aside button >> text=Đỗ Thị Lan");
    expect(await page.isHidden("#empty")).toBe(true);
    for (const group of Object.values(texts.sandbox.page.groups)) expect(await page.locator("aside h2", { hasText: group }).count()).toBe(1);
  });

  it("files the whole quarterly report with its signed page in the Telegram look", async () => {
    const lan = { as: "dothilan" };
    await pick("Đỗ Thị Lan");
    expect(await act(lan, type("/baocao"))).toContain(texts.report.dueHeader);
    expect(await act(lan, tap(QUARTERLY_TITLE))).toContain("Tổng số văn bản cấp ủy");
    const review = await walk(lan, quarterlyAnswers, "telegram");
    expect(review).toContain("Đã nhận tệp");
    // The photo shows in the chat as the official sent it.
    expect(await page.locator("#log .entry.user img").count()).toBe(1);
    expect(await act(lan, tap(texts.report.reviewActions.submit))).toContain("ĐÃ NHẬN BÁO CÁO");
    await shownOnce();
  }, 120_000);

  it("keeps the history over a reload, with the old buttons disabled", async () => {
    await page.reload();
    await page.waitForSelector("#log .entry.bot >> text=ĐÃ NHẬN BÁO CÁO");
    expect(await page.locator("#log .entry.user", { hasText: "/baocao" }).count()).toBe(1);
    const stale = page.locator("#log .entry.bot .kb button", { hasText: QUARTERLY_TITLE }).first();
    expect(await stale.isDisabled()).toBe(true);
  });

  it("files the monthly report in the Zalo look: numbered lines, typed answers", async () => {
    const long = { as: "vuvanlong" };
    await page.locator("#looks button", { hasText: "Zalo" }).click();
    await pick("Vũ Văn Long");
    const list = await act(long, type("/baocao"));
    expect(list).toContain("2. Báo cáo tình hình thôn, bản hằng tháng – Tháng 12/2026");
    expect(await page.locator("#log .kb button").count()).toBe(0);
    expect(await act(long, type("2"))).toContain("Ngày chi bộ sinh hoạt định kỳ trong tháng");
    await walk(long, monthlyAnswers, "zalo");
    expect(await act(long, type(texts.report.reviewActions.submit))).toContain("ĐÃ NHẬN BÁO CÁO");
    await shownOnce();
  }, 60_000);

  it("downloads the export and shows the chart as a picture", async () => {
    const office = { as: "tranvanduc" };
    await page.locator("#looks button", { hasText: "Telegram" }).click();
    await pick("Trần Văn Đức");
    await act(office, type("/xuat Q4/2026"));
    const download = page.waitForEvent("download");
    await page.locator("#log .entry.bot a.doc").last().click();
    expect((await download).suggestedFilename()).toBe("baocao-QUARTERLY-2026-4.xlsx");
    await act(office, type("/bieudo Q4/2026"));
    const chart = page.locator("#log .entry.bot img").last();
    await chart.waitFor();
    // Drawn, not only placed: the browser decoded the PNG.
    await page.waitForFunction(`[...document.querySelectorAll("#log .entry.bot img")].at(-1)?.naturalWidth > 0`);
  });

  it("puts a question in the Telegram look, and the head answers it in the Zalo look", async () => {
    const huong = { as: "nguyenthihuong" };
    const hung = { as: "phamvanhung" };
    await page.locator("#looks button", { hasText: "Telegram" }).click();
    await pick("Nguyễn Thị Hương");
    expect(await act(huong, type("/chatvan"))).toContain("Chất vấn ai?");
    await act(huong, tap("Một đơn vị"));
    expect(await act(huong, type("Chi bộ thôn Tân Lập"))).toContain("kiến nghị");
    await act(huong, tap("Chất vấn"));
    await act(huong, type("Chi bộ cho biết kết quả thu nộp đảng phí năm 2026?"));
    await act(huong, type("xong"));
    await act(huong, type("bỏ qua"));
    expect(await act(huong, type("bỏ qua"))).toContain("KIỂM TRA LẠI");
    const sent = await act(huong, tap("Gửi chất vấn"));
    const ref = /CV-\d{4}-\d{4}/.exec(sent)?.[0] ?? "";
    expect(ref).not.toBe("");

    await page.locator("#looks button", { hasText: "Zalo" }).click();
    await pick("Phạm Văn Hùng");
    // The sandbox's reminder tick (every 10 s) brings the notice: a bound for a hang, not a guess at timing.
    await page.waitForSelector(`#log .entry.bot >> text=CHẤT VẤN ${ref}`, { timeout: 60_000 });
    expect(await page.locator("#log .entry.bot", { hasText: ref }).last().textContent()).toContain("1. Trả lời");
    expect(await act(hung, type("1"))).toContain(`TRẢ LỜI CHẤT VẤN ${ref}`);
    await act(hung, type("Chi bộ đã thu đủ đảng phí năm 2026."));
    expect(await act(hung, type("gửi"))).toContain(`Đã gửi trả lời chất vấn ${ref}`);
    await shownOnce();
  }, 120_000);

  it("moves the clock and the reminder arrives in the chat of a unit that has not reported", async () => {
    await page.locator("#clockbtn").click();
    await page.locator("#presets button", { hasText: "Còn 7 ngày làm việc đến hạn" }).click();
    await page.waitForSelector("#clockbtn.shifted");
    expect(await page.textContent("#clockbtn")).toContain("07:30 thứ Sáu, 04/12/2026");
    // Đồng Tâm filed its monthly report but not the quarterly one.
    await pick("Bùi Thị Thu");
    await page.waitForSelector("#log .entry.bot >> text=Còn 7 ngày làm việc nữa đến hạn nộp Báo cáo công tác cải cách hành chính trong Đảng (quý)");
    await shownOnce();
  });
});
