// The sandbox draws each stored message with the real channel's renderer.
import { describe, expect, it } from "vitest";
import { showEntry } from "../../src/sandbox/looks.ts";
import type { Entry } from "../../src/sandbox/transcript.ts";
import { vi } from "../../src/texts/vi.ts";

const at = new Date("2026-12-01T03:00:00Z");
const url = (id: number) => `http://127.0.0.1:8080/sandbox/api/files/${id}`;
const out = (message: Extract<Entry, { direction: "out" }>["message"], file?: { name: string; mimeType: string; size: number }): Entry => ({
  id: 7,
  chatId: "p1",
  at,
  direction: "out",
  message,
  ...(file && { file }),
});

describe("sandbox looks", () => {
  it("splits a long message into Zalo's 2,000-character parts, and keeps it whole up to Telegram's 4,096", () => {
    const text = Array.from({ length: 60 }, (_, i) => `${i + 1}. Chi bộ thôn số ${i + 1}: đã nộp đúng hạn, đủ số liệu.`).join("\n");
    expect(text.length).toBeGreaterThan(2000);
    expect(text.length).toBeLessThan(4096);
    const zalo = showEntry(out({ text }), "zalo", url).bubbles;
    expect(zalo.length).toBe(2);
    expect(zalo.map((b) => (b.kind === "text" ? b.text : "")).join("")).toBe(text);
    expect(zalo.every((b) => b.kind === "text" && b.text.length <= 2000)).toBe(true);
    expect(showEntry(out({ text }), "telegram", url).bubbles).toEqual([{ kind: "text", text }]);
  });

  it("gives Telegram buttons and Zalo numbered lines for the same choices", () => {
    const message = { text: "Chọn báo cáo.", choices: [{ value: "open:1", label: "Báo cáo quý" }, { value: "open:2", label: "Báo cáo tháng" }] };
    expect(showEntry(out(message), "telegram", url).bubbles).toEqual([
      { kind: "text", text: "Chọn báo cáo.", buttons: [[{ label: "Báo cáo quý", value: "open:1" }], [{ label: "Báo cáo tháng", value: "open:2" }]] },
    ]);
    expect(showEntry(out(message), "zalo", url).bubbles).toEqual([{ kind: "text", text: `Chọn báo cáo.\n\n1. Báo cáo quý\n2. Báo cáo tháng\n${vi.channels.choiceHint}` }]);
  });

  it("shows an export as a document on Telegram and as a link on Zalo; a chart as a picture on both", () => {
    const xlsx = { name: "baocao.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", size: 5120 };
    expect(showEntry(out({ text: "Số liệu" }, xlsx), "telegram", url).bubbles).toEqual([{ kind: "document", url: url(7), name: "baocao.xlsx", size: 5120, caption: "Số liệu" }]);
    expect(showEntry(out({ text: "Số liệu" }, xlsx), "zalo", url).bubbles).toEqual([{ kind: "text", text: `Số liệu\n\n${vi.channels.fileLink("baocao.xlsx", url(7))}` }]);
    const png = { name: "bieudo.png", mimeType: "image/png", size: 2048 };
    expect(showEntry(out({ text: "Tiến độ" }, png), "telegram", url).bubbles).toEqual([{ kind: "photo", url: url(7), caption: "Tiến độ" }]);
    expect(showEntry(out({ text: "Tiến độ" }, png), "zalo", url).bubbles[0]).toEqual({ kind: "photo", url: url(7) });
  });

  it("shows what the user did: text, a tapped button by its label, an uploaded photo or document", () => {
    const base = { id: 3, chatId: "p1", at, direction: "in" as const };
    expect(showEntry({ ...base, said: { text: "/baocao" } }, "zalo", url).bubbles).toEqual([{ kind: "text", text: "/baocao" }]);
    expect(showEntry({ ...base, said: { choice: "open:1", label: "Báo cáo quý" } }, "telegram", url).bubbles).toEqual([{ kind: "choice", text: "Báo cáo quý" }]);
    const file = { name: "ky.pdf", kind: "document" as const, mimeType: "application/pdf", size: 900, storageKey: "sandbox/x" };
    expect(showEntry({ ...base, said: { file }, file: { name: "ky.pdf", mimeType: "application/pdf", size: 900 } }, "telegram", url).bubbles).toEqual([
      { kind: "document", url: url(3), name: "ky.pdf", size: 900 },
    ]);
    expect(showEntry({ ...base, said: { file: { ...file, kind: "photo" } } }, "zalo", url).bubbles).toEqual([{ kind: "photo", url: url(3) }]);
  });
});
