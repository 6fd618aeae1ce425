import { describe, expect, it } from "vitest";
import { zaloEnvelope, zaloToInbound } from "../../src/channels/zalo/inbound.ts";
import { fixture } from "./helpers.ts";

describe("zalo envelope", () => {
  it("keys by event name and message id, so re-deliveries collapse", () => {
    expect(zaloEnvelope(fixture("zalo-text"))).toEqual({
      updateKey: "message.text.received:2d758cb5e222177a4e35",
      chatKey: "ZALO:6ede9afa66b88fe6d6a9",
    });
  });

  it("unwraps the {ok, result} form of getUpdates replies and webhook bodies", () => {
    expect(zaloEnvelope(fixture("zalo-get-updates-reply"))).toEqual({
      updateKey: "message.text.received:7c6b5a4f3e2d1c0b9a88",
      chatKey: "ZALO:6ede9afa66b88fe6d6a9",
    });
  });

  it("ignores payloads without a message", () => {
    expect(zaloEnvelope({ event_name: "user.follow" })).toBeNull();
    expect(zaloEnvelope({ ok: false, error_code: 408 })).toBeNull();
  });
});

describe("zalo toInbound", () => {
  it("turns a text message into text", () => {
    expect(zaloToInbound(fixture("zalo-text"))).toEqual({
      platform: "ZALO",
      updateKey: "message.text.received:2d758cb5e222177a4e35",
      chatId: "6ede9afa66b88fe6d6a9",
      chatType: "private",
      from: { id: "6ede9afa66b88fe6d6a9", displayName: "Cầm Thị Hoa" },
      messageId: "2d758cb5e222177a4e35",
      date: new Date(1750316131602),
      content: { type: "text", text: "2" },
    });
  });

  it("turns an image into a photo file whose id is the URL", () => {
    expect(zaloToInbound(fixture("zalo-image"))?.content).toEqual({
      type: "file",
      kind: "photo",
      fileId: "https://photo-stal.zdn.vn/pv/s2/abc123/ketqua.jpg",
      caption: "Ảnh biên bản",
    });
  });

  it("marks stickers and unsupported messages unsupported; GROUP chats are groups", () => {
    expect(zaloToInbound(fixture("zalo-sticker"))?.content).toEqual({ type: "unsupported", what: "sticker" });
    const m = zaloToInbound(fixture("zalo-unsupported"));
    expect(m?.content).toEqual({ type: "unsupported", what: "unsupported" });
    expect(m?.chatType).toBe("group");
  });

  it("reads the wrapped form too", () => {
    expect(zaloToInbound(fixture("zalo-get-updates-reply"))?.content).toEqual({ type: "text", text: "Xin chào" });
  });

  it("never yields a choice: Zalo has no buttons", () => {
    const kinds = ["zalo-text", "zalo-image", "zalo-sticker", "zalo-unsupported", "zalo-get-updates-reply"].map(
      (f) => zaloToInbound(fixture(f))?.content.type,
    );
    expect(kinds).not.toContain("choice");
  });
});
