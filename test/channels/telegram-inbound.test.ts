import { describe, expect, it } from "vitest";
import { telegramEnvelope, telegramToInbound } from "../../src/channels/telegram/inbound.ts";
import { fixture } from "./helpers.ts";

describe("telegram envelope", () => {
  it("keys a message by update id and chat", () => {
    expect(telegramEnvelope(fixture("telegram-text"))).toEqual({ updateKey: "815263001", chatKey: "TELEGRAM:611234567" });
  });

  it("finds the chat of a tapped button and of a membership change", () => {
    expect(telegramEnvelope(fixture("telegram-callback-query"))?.chatKey).toBe("TELEGRAM:611234567");
    expect(telegramEnvelope(fixture("telegram-my-chat-member"))).toEqual({
      updateKey: "815263007",
      chatKey: "TELEGRAM:611234567",
    });
  });

  it("ignores updates without a chat and garbage", () => {
    expect(telegramEnvelope({ update_id: 5, inline_query: { id: "1", from: { id: 1 }, query: "x" } })).toBeNull();
    expect(telegramEnvelope({ hello: "world" })).toBeNull();
    expect(telegramEnvelope(null)).toBeNull();
  });
});

describe("telegram toInbound", () => {
  it("turns a text message into text with the sender's full name", () => {
    const m = telegramToInbound(fixture("telegram-text"));
    expect(m).toEqual({
      platform: "TELEGRAM",
      updateKey: "815263001",
      chatId: "611234567",
      chatType: "private",
      from: { id: "611234567", displayName: "Lò Văn Thắng" },
      messageId: "4021",
      date: new Date(1752566400 * 1000),
      content: { type: "text", text: "Đã tổ chức 3 buổi sinh hoạt chi bộ" },
    });
  });

  it("keeps a command with its deep-link payload as text", () => {
    expect(telegramToInbound(fixture("telegram-command"))?.content).toEqual({ type: "text", text: "/start inv_7Yk2pQ" });
  });

  it("turns a tapped button into a choice with the query id to acknowledge", () => {
    const m = telegramToInbound(fixture("telegram-callback-query"));
    expect(m?.content).toEqual({ type: "choice", value: "q3:yes" });
    expect(m?.callbackQueryId).toBe("2625163581950392841");
    expect(m?.chatId).toBe("611234567");
    expect(m?.from.id).toBe("611234567");
  });

  it("turns a document into a file with name, type, size and caption; supergroups are groups", () => {
    const m = telegramToInbound(fixture("telegram-document"));
    expect(m?.chatType).toBe("group");
    expect(m?.chatId).toBe("-1001987654321");
    expect(m?.content).toEqual({
      type: "file",
      kind: "document",
      fileId: "BQACAgUAAxkBAAIBZ2hxY2Rl",
      fileName: "bao-cao-quy-3.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      sizeBytes: 18342,
      caption: "Biểu số liệu quý III",
    });
  });

  it("takes the largest size of a photo", () => {
    expect(telegramToInbound(fixture("telegram-photo"))?.content).toEqual({
      type: "file",
      kind: "photo",
      fileId: "AgACAgUAAxkBAAIBaGh-large",
      sizeBytes: 98211,
      caption: "Biên bản họp",
    });
  });

  it("marks stickers, voice and locations unsupported", () => {
    expect(telegramToInbound(fixture("telegram-sticker"))?.content).toEqual({ type: "unsupported", what: "sticker" });
    const base = fixture("telegram-text") as { update_id: number; message: Record<string, unknown> };
    const { text: _text, ...noText } = base.message;
    const voice = { ...base, message: { ...noText, voice: { file_id: "v", duration: 3 } } };
    const location = { ...base, message: { ...noText, location: { latitude: 21.2, longitude: 104.3 } } };
    expect(telegramToInbound(voice)?.content).toEqual({ type: "unsupported", what: "voice" });
    expect(telegramToInbound(location)?.content).toEqual({ type: "unsupported", what: "location" });
  });

  it("does not take an edit as a new answer", () => {
    const base = fixture("telegram-text") as { update_id: number; message: unknown };
    const m = telegramToInbound({ update_id: base.update_id, edited_message: base.message });
    expect(m?.content).toEqual({ type: "unsupported", what: "edited_message" });
  });

  it("has nothing to handle in a membership change or a group service message", () => {
    expect(telegramToInbound(fixture("telegram-my-chat-member"))).toBeNull();
    const base = fixture("telegram-document") as { update_id: number; message: Record<string, unknown> };
    const { document: _d, caption: _c, ...rest } = base.message;
    expect(telegramToInbound({ ...base, message: { ...rest, new_chat_members: [{ id: 1, first_name: "A" }] } })).toBeNull();
  });
});
