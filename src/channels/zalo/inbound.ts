// Zalo update → envelope / InboundMessage. Pure functions, tested on captured JSON.
import type { InboundContent, InboundMessage, UpdateEnvelope } from "../channel.ts";
import { parseZaloUpdate, type ZaloUpdate } from "./schema.ts";

export function zaloEnvelope(raw: unknown): UpdateEnvelope | null {
  const u = parseZaloUpdate(raw);
  if (u?.message === undefined) return null;
  // Zalo re-delivers the same event; event name + message id is stable across copies.
  return { updateKey: `${u.event_name}:${u.message.message_id}`, chatKey: `ZALO:${u.message.chat.id}` };
}

type ZaloMessage = NonNullable<ZaloUpdate["message"]>;

function photoUrl(m: ZaloMessage): string | undefined {
  if (typeof m.photo === "string" && m.photo !== "") return m.photo;
  if (m.photo_url !== undefined && m.photo_url !== "") return m.photo_url;
  if (typeof m.photo === "object" && m.photo !== null) {
    const url = (m.photo as { url?: unknown }).url;
    if (typeof url === "string" && url !== "") return url;
  }
  return undefined;
}

/** Zalo dates are epoch milliseconds; accept seconds and numeric strings too. */
function toDate(v: number | string | undefined): Date {
  const n = typeof v === "string" ? Number(v) : v;
  if (n === undefined || !Number.isFinite(n)) return new Date(0);
  return new Date(n < 1e12 ? n * 1000 : n);
}

function content(eventName: string, m: ZaloMessage): InboundContent {
  switch (eventName) {
    case "message.text.received":
      return m.text !== undefined ? { type: "text", text: m.text } : { type: "unsupported", what: "empty_text" };
    case "message.image.received": {
      const url = photoUrl(m);
      if (url === undefined) return { type: "unsupported", what: "image_without_url" };
      const caption = m.caption ?? m.text;
      return { type: "file", kind: "photo", fileId: url, ...(caption !== undefined && caption !== "" && { caption }) };
    }
    case "message.sticker.received":
      return { type: "unsupported", what: "sticker" };
    case "message.voice.received":
      return { type: "unsupported", what: "voice" };
    default:
      return { type: "unsupported", what: eventName.replace(/^message\.|\.received$/g, "") || "unknown" };
  }
}

export function zaloToInbound(raw: unknown): InboundMessage | null {
  const u = parseZaloUpdate(raw);
  const m = u?.message;
  if (u === null || m === undefined) return null;
  const name = m.from.display_name;
  return {
    platform: "ZALO",
    updateKey: `${u.event_name}:${m.message_id}`,
    chatId: m.chat.id,
    chatType: m.chat.chat_type === "GROUP" ? "group" : "private",
    from: { id: m.from.id, ...(name !== undefined && name !== "" && { displayName: name }) },
    messageId: m.message_id,
    date: toDate(m.date),
    content: content(u.event_name, m),
  };
}
