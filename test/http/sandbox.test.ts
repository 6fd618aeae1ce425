// The sandbox over its JSON API, on the embedded database, as a newcomer (or
// a script) uses it: load the example organisation, speak as anyone, see
// each message as Telegram or Zalo shows it, upload a file, download what the
// bot sends, and move the clock to watch reminders and escalation arrive.
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { startTestApp } from "../support/app.ts";
import { SIGNED_PAGE_JPEG } from "../support/quarterly.ts";
import { sandboxClient, textOf, type SandboxClient } from "../support/sandbox-client.ts";

// Tuesday 1 December 2026, 10:00 in Hà Nội: Q4/2026 is due on 15/12 at 17:00.
const clock = fixedClock(new Date("2026-12-01T03:00:00Z"));
let app: App;
let sandbox: SandboxClient;
let zalo: SandboxClient;

beforeAll(async () => {
  // The sandbox beside a listener open to the network: it must get one of its own, on loopback.
  app = await startTestApp({ SANDBOX: "on", REMINDERS: "on", HTTP_HOST: "0.0.0.0", SANDBOX_PORT: "0" }, clock);
  const base = `http://127.0.0.1:${app.sandbox!.port}`;
  sandbox = sandboxClient(base, app.sandbox!.key);
  zalo = sandboxClient(base, app.sandbox!.key, { look: "zalo" });
}, 120_000);
afterAll(async () => {
  await app.stop();
});

const lan = { as: "dothilan" };
const hung = { as: "phamvanhung" };
const office = { as: "tranvanduc" };

describe("the sandbox", () => {
  it("listens on its own loopback listener when HTTP_HOST faces the network", async () => {
    expect(app.sandbox!.port).not.toBe(app.http!.port);
    expect((await fetch(`http://127.0.0.1:${app.http!.port}/sandbox`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${app.http!.port}/healthz`)).status).toBe(200);
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a?.family === "IPv4" && !a.internal)?.address;
  it.skipIf(external === undefined)("answers nothing on the machine's other addresses", async () => {
    await expect(fetch(`http://${external}:${app.sandbox!.port}/sandbox`)).rejects.toThrow();
    // The main listener does answer there: the refusal is the sandbox's own.
    expect((await fetch(`http://${external}:${app.http!.port}/healthz`)).status).toBe(200);
  });

  it("offers the example organisation on an empty database, once, and lists everyone to speak as", async () => {
    expect((await sandbox.api<{ empty: boolean }>("/sandbox/api/state")).empty).toBe(true);
    const loaded = await sandbox.post<{ message: string }>("/sandbox/api/example", {});
    expect(loaded.message).toContain("Đã nạp tổ chức mẫu: 17 đơn vị, 35 người");
    await expect(sandbox.post("/sandbox/api/example", {})).rejects.toThrow(/409/);
    const { people } = await sandbox.api<{ people: { code: string; chat: string; roles: { role: string }[]; invitation: string | null }[] }>("/sandbox/api/people");
    expect(people).toHaveLength(35);
    const roles = new Set(people.flatMap((p) => p.roles.map((r) => r.role)));
    expect(roles).toEqual(new Set(["REPORTER", "HEAD", "COMMITTEE_MEMBER", "OFFICE"]));
    // Codes still work for whoever wants to try linking from the visitor chat.
    const code = people.find((p) => p.code === "lethimai")!.invitation!;
    expect(textOf(await sandbox.say({ chat: "web-visitor" }, `/start ${code}`))).toContain("liên kết thành công");
  });

  it("shows the same message as Telegram (buttons) and as Zalo (numbered lines)", async () => {
    const asTelegram = await sandbox.say(lan, "/baocao");
    // The reply itself: a reminder may come in between (the sandbox ticks every 10 s).
    const reply = asTelegram.find((e) => textOf([e]).includes(texts.report.dueHeader))!;
    const list = reply.bubbles;
    expect(list[0]).toMatchObject({ kind: "text", buttons: [[{ label: expect.stringContaining("Quý IV/2026") as string }], [{ label: expect.stringContaining("Tháng 12/2026") as string }]] });
    const asZalo = (await zalo.messages(lan)).entries.find((e) => e.id === reply.id)!;
    expect(asZalo.bubbles.every((b) => !("buttons" in b))).toBe(true);
    // Numbered once, in the list itself, with how to answer.
    expect(textOf([asZalo])).toMatch(/\n1\. Báo cáo công tác cải cách hành chính trong Đảng \(quý\) – Quý IV\/2026\n/);
    expect(textOf([asZalo])).toMatch(/\n2\. Báo cáo tình hình thôn, bản hằng tháng – Tháng 12\/2026\n/);
    expect(textOf([asZalo]).split("Quý IV/2026").length - 1).toBe(1);
    expect(textOf([asZalo])).toContain(texts.channels.choiceHint);
    // On Zalo a typed number picks from the list, as on the real platform.
    expect(textOf(await zalo.say(lan, "2"))).toContain("Ngày chi bộ sinh hoạt định kỳ trong tháng");
    expect(textOf(await zalo.say(lan, "/huy"))).toContain("Hủy bản nháp");
    await sandbox.choose(lan, "Có");
  });

  it("refuses a request without the key before reading its body, and a person's chat to anyone but them", async () => {
    const big = await fetch(`http://127.0.0.1:${app.sandbox!.port}/sandbox/api/upload?as=dothilan&name=a.pdf`, {
      method: "POST",
      headers: { "content-type": "application/pdf" },
      body: new Uint8Array(15 * 1024 * 1024),
    });
    expect(big.status).toBe(403);
    expect(((await big.json()) as { error: string }).error).toBe(texts.sandbox.needKey);
    // "p999" is nobody's chat yet: it cannot be taken to link someone else to it.
    await expect(sandbox.say({ chat: "p999" }, "/start ABCDEFGH")).rejects.toThrow(/404/);
  });

  it("takes an uploaded photo through the real file path, and serves it back to the page", async () => {
    const replies = await sandbox.upload(hung, SIGNED_PAGE_JPEG, "trang-ky.jpg", "image/jpeg");
    expect(textOf(replies)).toBe(texts.bot.fileNotExpected);
    const shown = (await sandbox.messages(hung)).entries.find((e) => e.from === "user")!;
    expect(shown.bubbles[0]).toMatchObject({ kind: "photo" });
    const file = await sandbox.file((shown.bubbles[0] as { url: string }).url);
    expect(file.status).toBe(200);
    expect(file.type).toBe("image/jpeg");
    expect(file.bytes).toEqual(SIGNED_PAGE_JPEG);
    // Never a form post in disguise, and never over the size the bot takes.
    const plain = await fetch(`http://127.0.0.1:${app.sandbox!.port}/sandbox/api/upload?as=phamvanhung&name=a.txt`, {
      method: "POST",
      headers: { "x-sandbox-key": app.sandbox!.key, "content-type": "text/plain" },
      body: "x",
    });
    expect(plain.status).toBe(415);
    await expect(sandbox.upload(hung, new Uint8Array(21 * 1024 * 1024), "lon.pdf", "application/pdf")).rejects.toThrow(/413/);
  });

  it("sends a chart as a photo and an export as a document, both downloadable", async () => {
    const chart = (await sandbox.say(office, "/bieudo")).flatMap((e) => e.bubbles).find((b) => b.kind === "photo");
    expect(chart).toBeDefined();
    const png = await sandbox.file((chart as { url: string }).url);
    expect(png.type).toBe("image/png");
    expect(Array.from(png.bytes.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    // Zalo has no documents: the same export is a link in the text, to the same file.
    // The replies to /xuat, in the Zalo look (a reminder may come in between: the sandbox ticks every 10 s).
    const replies = new Set((await sandbox.say(office, "/xuat")).map((e) => e.id));
    const shown = (await zalo.messages(office)).entries.filter((e) => replies.has(e.id));
    const link = /https?:\/\/\S+\/sandbox\/api\/files\/\d+/.exec(textOf(shown))?.[0];
    expect(link).toBeDefined();
    const xlsx = await zalo.file(link!);
    expect(xlsx.disposition).toMatch(/^attachment; filename\*=UTF-8''baocao-.*\.xlsx$/);
    expect(Array.from(xlsx.bytes.slice(0, 2))).toEqual([0x50, 0x4b]); // a zip, as .xlsx files are
  });

  it("moves the clock: reminders, then escalation to the head, then the office's digest arrive by themselves", async () => {
    const state = await sandbox.api<{ about: string; presets: { label: string; at: string }[] }>("/sandbox/api/clock");
    expect(state.about).toContain("Quý IV/2026, 17:00 thứ Ba, 15/12/2026");
    const preset = (label: string) => state.presets.find((p) => p.label.startsWith(label))!.at;
    const mark = async (who: { as: string }) => (await sandbox.messages(who)).entries.at(-1)?.id ?? 0;

    let since = await mark(lan);
    const week = await sandbox.post<{ shifted: boolean; message: string }>("/sandbox/api/clock", { at: preset("Còn 7 ngày") });
    expect(week.shifted).toBe(true);
    expect(week.message).toContain("07:30 thứ Sáu, 04/12/2026");
    await sandbox.waitFor(lan, since, (t) => t.includes("Còn 7 ngày làm việc nữa đến hạn nộp Báo cáo công tác cải cách hành chính"));

    since = await mark(hung);
    await sandbox.post("/sandbox/api/clock", { at: preset("Quá hạn 3 ngày") });
    await sandbox.waitFor(hung, since, (t) => t.includes("Chi bộ thôn Tân Lập chưa nộp Báo cáo công tác cải cách hành chính trong Đảng (quý) – Quý IV/2026, đã quá hạn 3 ngày làm việc"));

    since = await mark(office);
    await sandbox.post("/sandbox/api/clock", { at: preset("Quá hạn 5 ngày") });
    await sandbox.waitFor(office, since, (t) => t.includes("TỔNG HỢP BÁO CÁO QUÁ HẠN"));

    const back = await sandbox.post<{ shifted: boolean }>("/sandbox/api/clock", { at: null });
    expect(back.shifted).toBe(false);
    expect(app.sandbox!.clock.now()).toEqual(clock.now());
  }, 90_000);
});
