import { describe, expect, it } from "vitest";
import { splitText } from "../../src/channels/shared/split.ts";
import { inlineKeyboard, PHOTO_LIMIT_BYTES, planTelegramCalls } from "../../src/channels/telegram/render.ts";
import { planZaloCalls, renderZaloText, zaloTextParts } from "../../src/channels/zalo/render.ts";
import { vi } from "../../src/texts/vi.ts";

const line = (i: number): string => `Dòng ${i}: đã hoàn thành chỉ tiêu phát triển đảng viên mới.`;

describe("splitText", () => {
  it("leaves short texts alone", () => {
    expect(splitText("ngắn", 4096)).toEqual(["ngắn"]);
  });

  it("cuts at line breaks, within the limit, losing nothing", () => {
    const text = Array.from({ length: 300 }, (_, i) => line(i)).join("\n");
    const parts = splitText(text, 4096);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join("")).toBe(text);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    for (const p of parts.slice(0, -1)) expect(p.endsWith("\n")).toBe(true);
  });

  it("cuts a line without breaks at a space, and a run without spaces anywhere but inside a surrogate pair", () => {
    const words = Array.from({ length: 800 }, () => "báo cáo").join(" ");
    const byWords = splitText(words, 2000);
    expect(byWords.join("")).toBe(words);
    for (const p of byWords.slice(0, -1)) expect(p.endsWith(" ")).toBe(true);

    const emoji = "😀".repeat(1500); // 3000 UTF-16 units
    const byUnits = splitText(emoji, 2001);
    expect(byUnits.join("")).toBe(emoji);
    for (const p of byUnits) expect(p.length % 2).toBe(0);
  });
});

describe("telegram rendering", () => {
  it("puts short choices on shared rows and long ones a row each", () => {
    expect(inlineKeyboard([{ value: "y", label: "Có" }, { value: "n", label: "Không" }])).toEqual({
      inline_keyboard: [[{ text: "Có", callback_data: "y" }, { text: "Không", callback_data: "n" }]],
    });
    const long = inlineKeyboard([
      { value: "a", label: "Đảng ủy xã Chiềng Hặc" },
      { value: "b", label: "Chi bộ bản Nà Dạ" },
    ]);
    expect(long.inline_keyboard.map((r) => r.length)).toEqual([1, 1]);
  });

  it("refuses callback data over 64 bytes as a programming error", () => {
    expect(() => inlineKeyboard([{ value: "đ".repeat(33), label: "x" }])).toThrow(/1-64 bytes/);
    expect(() => inlineKeyboard([{ value: "x".repeat(64), label: "x" }])).not.toThrow();
  });

  it("splits over 4096 characters and hangs the keyboard on the last part", () => {
    const text = Array.from({ length: 200 }, (_, i) => line(i)).join("\n");
    const calls = planTelegramCalls({ text, choices: [{ value: "ok", label: "Đồng ý" }] });
    expect(text.length).toBeGreaterThan(2 * 4096);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.every((c) => c.method === "sendMessage" && c.text.length <= 4096)).toBe(true);
    expect(calls.map((c) => (c.method === "sendMessage" ? c.text : "")).join("")).toBe(text);
    expect(calls.slice(0, -1).every((c) => c.reply_markup === undefined)).toBe(true);
    expect(calls.at(-1)?.reply_markup).toEqual({ inline_keyboard: [[{ text: "Đồng ý", callback_data: "ok" }]] });
  });

  it("sends a file with the text as caption when it fits, else text first", () => {
    const file = { fileName: "tong-hop.xlsx", mimeType: "application/octet-stream", data: new Uint8Array([1, 2, 3]) };
    expect(planTelegramCalls({ text: "Tổng hợp quý III", file })).toEqual([
      { method: "sendDocument", file, caption: "Tổng hợp quý III" },
    ]);
    const long = "x".repeat(1500);
    expect(planTelegramCalls({ text: long, file }).map((c) => c.method)).toEqual(["sendMessage", "sendDocument"]);
  });

  it("sends a chart as a photo, shown in the chat, with its buttons", () => {
    const png = { fileName: "bieudo.png", mimeType: "image/png", data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) };
    expect(planTelegramCalls({ text: "Tiến độ", file: png, choices: [{ value: "x", label: "Xem" }] })).toEqual([
      { method: "sendPhoto", file: png, caption: "Tiến độ", reply_markup: { inline_keyboard: [[{ text: "Xem", callback_data: "x" }]] } },
    ]);
    // Over Telegram's 10 MB photo limit: as a document, in full.
    const big = { ...png, data: new Uint8Array(PHOTO_LIMIT_BYTES + 1) };
    expect(planTelegramCalls({ text: "Tiến độ", file: big })[0]?.method).toBe("sendDocument");
  });
});

describe("zalo rendering", () => {
  it("renders choices as numbered lines with the hint", () => {
    const text = renderZaloText({
      text: "Chi bộ đã họp đủ kỳ chưa?",
      choices: [
        { value: "y", label: "Có" },
        { value: "n", label: "Không" },
      ],
    });
    expect(text).toBe(`Chi bộ đã họp đủ kỳ chưa?\n\n1. Có\n2. Không\n${vi.channels.choiceHint}`);
  });

  it("splits over 2000 characters (or a configured limit) without losing characters", () => {
    const text = Array.from({ length: 100 }, (_, i) => line(i)).join("\n");
    const parts = zaloTextParts(text);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join("")).toBe(text);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    const small = zaloTextParts(text, 500);
    expect(small.join("")).toBe(text);
    for (const p of small) expect(p.length).toBeLessThanOrEqual(500);
  });
});

describe("zalo calls", () => {
  const png = { fileName: "bieudo.png", mimeType: "image/png", data: new Uint8Array([1]) };
  const xlsx = { fileName: "baocao.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data: new Uint8Array([1]) };

  it("shows a picture by its link above the text, and a document as a link in the text", () => {
    expect(planZaloCalls({ text: "Tiến độ", file: png }, "https://x.vn/f/1")).toEqual([
      { method: "sendPhoto", photo: "https://x.vn/f/1" },
      { method: "sendMessage", text: `Tiến độ\n\n${vi.channels.fileLink("bieudo.png", "https://x.vn/f/1")}` },
    ]);
    expect(planZaloCalls({ text: "Số liệu", file: xlsx }, "https://x.vn/f/2")).toEqual([
      { method: "sendMessage", text: `Số liệu\n\n${vi.channels.fileLink("baocao.xlsx", "https://x.vn/f/2")}` },
    ]);
  });

  it("says where to get a file when there is no link, and numbers the choices", () => {
    const calls = planZaloCalls({ text: "Số liệu", file: xlsx, choices: [{ value: "a", label: "Mở" }] }, undefined);
    expect(calls).toEqual([{ method: "sendMessage", text: `Số liệu\n\n${vi.channels.fileNotSent("baocao.xlsx")}\n\n1. Mở\n${vi.channels.choiceHint}` }]);
  });
});

describe("files on Zalo without a link", () => {
  it("say where else to get the file, and name no web page the bot does not have", () => {
    const text = vi.channels.fileNotSent("baocao.xlsx");
    expect(text).toContain("Telegram");
    expect(text).not.toMatch(/trang web|website/i);
  });
});
