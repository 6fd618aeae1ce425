// What a newcomer does, on the embedded database, in real processes: import
// the organisation with `npm run org:import`, start the bot, link an account
// with an invitation code, file the quarterly report with the signed report
// as a PDF, then ask for the status and the Excel export as the committee office,
// and put a question that the unit's head answers with a file.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { vi as texts } from "../../src/texts/vi.ts";
import { loadHolidayFile } from "../../src/calendar/holiday-file.ts";
import { SHIPPED_HOLIDAY_FILE } from "../../src/calendar/holiday-store.ts";
import { createHolidayTable } from "../../src/calendar/holidays.ts";
import { DEFAULT_OFFICE_HOURS, nextSendTime } from "../../src/calendar/office-hours.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { quarterlyAnswers, QUARTERLY_TITLE } from "../support/quarterly.ts";
import { sandboxClient, textOf } from "../support/sandbox-client.ts";

/** The smallest file the type check takes as a PDF: its signature and an end marker. */
const SIGNED_PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

const dataDir = mkdtempSync(join(tmpdir(), "baocao-newcomer-"));
const env = { PATH: process.env.PATH, DATA_DIR: dataDir, HTTP_HOST: "127.0.0.1", HTTP_PORT: "0", REDIS_URL: testRedisUrl, QUEUE_PREFIX: testQueuePrefix(), LOG_LEVEL: "warn" };
let bot: ChildProcess | undefined;

afterAll(() => {
  if (bot && bot.exitCode === null && bot.signalCode === null) bot.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

function startBot(): Promise<{ child: ChildProcess; url: URL }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env, stdio: ["ignore", "pipe", "inherit"] });
  bot = child;
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = /open (http:\/\/\S+) in a browser/.exec(line);
      if (m) resolve({ child, url: new URL(m[1]!) });
    });
    child.once("exit", (code) => reject(new Error(`the bot exited early with ${code}`)));
  });
}

describe("a newcomer on the embedded database", () => {
  it("imports, links, files the quarterly report with its signed PDF, gets the status and the export, and asks and answers a question", async () => {
    const csv = join(dataDir, "invitations.csv");
    const imported = spawnSync(process.execPath, ["--import", "tsx", "src/org/import-cli.ts", "examples/xa-tan-phong.yaml", "--out", csv], { env, encoding: "utf8" });
    expect(imported.stderr).toBe("");
    expect(imported.status).toBe(0);
    const code = readFileSync(csv, "utf8")
      .split("\n")
      .map((l) => l.split(","))
      .find((cells) => cells[1] === "dothilan")?.[5];
    expect(code).toMatch(/^[A-Z2-9]{8}$/);

    const { child, url } = await startBot();
    const key = url.searchParams.get("key")!;
    const sandbox = sandboxClient(url.origin, key);
    const lan = { chat: "web-newcomer" };

    // Linking: the code from the import, typed in the chat.
    const linked = textOf(await sandbox.say(lan, `/start ${code}`));
    expect(linked).toContain("liên kết thành công");
    expect(linked).toContain("Đỗ Thị Lan");

    expect(textOf(await sandbox.say(lan, "/baocao"))).toContain(texts.report.dueHeader);
    expect(textOf(await sandbox.choose(lan, QUARTERLY_TITLE))).toContain("Tổng số văn bản cấp ủy");
    let last = "";
    for (const step of quarterlyAnswers) {
      const replies =
        "say" in step ? await sandbox.say(lan, step.say) : "choose" in step ? await sandbox.choose(lan, step.choose) : await sandbox.upload(lan, SIGNED_PDF, "bao-cao-co-chu-ky.pdf", "application/pdf");
      last = textOf(replies);
      expect(last, JSON.stringify(step)).toContain(step.expect);
    }
    expect(last).toContain("Đã nhận tệp bao-cao-co-chu-ky.pdf");
    const receipt = textOf(await sandbox.choose(lan, texts.report.reviewActions.submit));
    expect(receipt).toContain("ĐÃ NHẬN BÁO CÁO");

    // The committee office, spoken as from the person list.
    const office = { as: "tranvanduc" };
    const status = textOf(await sandbox.say(office, "/trangthai"));
    expect(status).toContain("Chi bộ thôn Tân Lập");
    expect(status).toMatch(/✅/);
    const exported = await sandbox.say(office, "/xuat");
    const doc = exported.flatMap((e) => e.bubbles).find((b) => b.kind === "document");
    if (doc?.kind !== "document") throw new Error("no document in the reply to /xuat");
    const file = await sandbox.file(doc.url);
    expect(file.status).toBe(200);
    expect(file.disposition).toContain("attachment");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(file.bytes) as unknown as ArrayBuffer);
    const cells = book.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String));
    expect(cells).toContain("Chi bộ thôn Tân Lập");

    // The office's web console: the sign-in link the bot sends, then the board and the unit's page.
    const link = /http:\/\/\S+\/console\/dangnhap\?t=[A-Za-z0-9_-]+/.exec(textOf(await sandbox.say(office, "/dangnhap")))?.[0];
    if (link === undefined) throw new Error("no sign-in link in the reply to /dangnhap");
    const signedIn = await fetch(`${new URL(link).origin}/console/dangnhap`, { method: "POST", body: new URLSearchParams({ t: new URL(link).searchParams.get("t")! }), redirect: "manual" });
    expect(signedIn.status).toBe(303);
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0]!;
    const board = await (await fetch(`${url.origin}/console`, { headers: { cookie } })).text();
    const row = /<tr><th scope="row"><a href="\/console\/donvi\/(\d+)">Chi bộ thôn Tân Lập<\/a><\/th>(.*?)<\/tr>/.exec(board);
    expect(row?.[2]).toContain('data-state="submitted_on_time"');
    const unitPage = await (await fetch(`${url.origin}/console/donvi/${row?.[1]}`, { headers: { cookie } })).text();
    expect(unitPage).toContain("bao-cao-co-chu-ky.pdf");
    expect(cells.some((c) => c.includes("Quy trình chuyển sinh hoạt đảng"))).toBe(true);

    // A question (chất vấn): asked by a committee member, answered by the unit's head with a file, judged.
    const huong = { as: "nguyenthihuong" };
    const hung = { as: "phamvanhung" };
    expect(textOf(await sandbox.say(huong, "/chatvan"))).toContain("Chất vấn ai?");
    await sandbox.choose(huong, "Một đơn vị");
    expect(textOf(await sandbox.say(huong, "Chi bộ thôn Tân Lập"))).toContain("kiến nghị");
    await sandbox.choose(huong, "Chất vấn");
    await sandbox.say(huong, "Chi bộ cho biết kết quả thu nộp đảng phí quý IV?");
    await sandbox.say(huong, "xong");
    await sandbox.say(huong, "bỏ qua");
    await sandbox.say(huong, "bỏ qua");
    const asked = textOf(await sandbox.choose(huong, "Gửi chất vấn"));
    const ref = /CV-\d{4}-\d{4}/.exec(asked)?.[0];
    expect(ref, asked).toBeDefined();
    // The question goes out in office hours only: outside them (this runs at any
    // hour), the sandbox's clock moves to the next opening, so it goes out now.
    const shipped = loadHolidayFile(SHIPPED_HOLIDAY_FILE);
    if (!shipped.ok) throw new Error(shipped.problems.join("\n"));
    // Five minutes on, so a run at the very end of office hours does not land just after them.
    const opening = nextSendTime(new Date(Date.now() + 5 * 60_000), DEFAULT_OFFICE_HOURS, createHolidayTable(shipped.entries));
    await sandbox.post("/sandbox/api/clock", { at: opening.toISOString() });
    // The clock set to its own time sends what is due now, instead of waiting for the next minute's tick.
    const sendDue = async () => sandbox.post("/sandbox/api/clock", { at: (await sandbox.api<{ now: string }>("/sandbox/api/clock")).now });
    const newest = async (who: { as: string }) => Math.max(0, ...(await sandbox.messages(who)).entries.map((e) => e.id));
    const seenByHung = await newest(hung);
    await sendDue();
    await sandbox.waitFor(hung, seenByHung, (text) => text.includes(ref!));
    expect(textOf(await sandbox.choose(hung, "Trả lời"))).toContain(`TRẢ LỜI CHẤT VẤN ${ref}`);
    await sandbox.say(hung, "Chi bộ đã thu đủ đảng phí quý IV.");
    expect(textOf(await sandbox.upload(hung, SIGNED_PDF, "tra-loi.pdf", "application/pdf"))).toContain("tra-loi.pdf");
    expect(textOf(await sandbox.say(hung, "gửi"))).toContain(`Đã gửi trả lời chất vấn ${ref}`);
    const seenByHuong = await newest(huong);
    await sendDue();
    await sandbox.waitFor(huong, seenByHuong, (text) => text.includes(`TRẢ LỜI CHẤT VẤN ${ref}`));
    expect(textOf(await sandbox.choose(huong, "Hài lòng"))).toContain("hài lòng");
    const thread = textOf(await sandbox.say(huong, `/xem ${ref}`));
    expect(thread).toContain("tra-loi.pdf");
    expect(thread).toContain("Đánh giá của người chất vấn");

    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 240_000);
});
