// Telegram update → envelope / InboundMessage. Pure functions, tested on captured JSON.
import type { InboundContent, InboundMessage, UpdateEnvelope } from "../channel.ts";
import { tgUpdate, type TgMessage, type TgUpdate } from "./schema.ts";

function parse(raw: unknown): TgUpdate | null {
  const r = tgUpdate.safeParse(raw);
  return r.success ? r.data : null;
}

function chatOf(u: TgUpdate): { id: number; type: string } | undefined {
  return (u.message ?? u.edited_message ?? u.callback_query?.message ?? u.my_chat_member)?.chat;
}

export function telegramEnvelope(raw: unknown): UpdateEnvelope | null {
  const u = parse(raw);
  if (u === null) return null;
  const chat = chatOf(u);
  if (chat === undefined) return null;
  return { updateKey: String(u.update_id), chatKey: `TELEGRAM:${String(chat.id)}` };
}

function displayName(user: { first_name?: string; last_name?: string; username?: string }): string | undefined {
  const full = [user.first_name, user.last_name].filter((s) => s !== undefined && s !== "").join(" ");
  return full !== "" ? full : user.username;
}

function chatType(type: string): "private" | "group" | null {
  if (type === "private") return "private";
  if (type === "group" || type === "supergroup") return "group";
  return null; // channels: the bot does not take reports there
}

// Media the bot does not take. "animation" comes before the document check
// because Telegram sends GIFs with both `animation` and `document`.
const unsupportedKinds = [
  "animation", "sticker", "voice", "video", "video_note", "audio", "location", "venue",
  "contact", "poll", "dice", "game", "story", "paid_media", "invoice",
] as const;

// Group service messages (joins, title changes, pins...): nothing to answer.
const serviceKinds = [
  "new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo", "delete_chat_photo",
  "group_chat_created", "supergroup_chat_created", "migrate_to_chat_id", "migrate_from_chat_id",
  "pinned_message", "message_auto_delete_timer_changed", "forum_topic_created", "forum_topic_edited",
  "forum_topic_closed", "forum_topic_reopened", "video_chat_started", "video_chat_ended",
  "video_chat_scheduled", "video_chat_participants_invited", "boost_added", "chat_background_set",
] as const;

function messageContent(m: TgMessage): InboundContent | null {
  const fields = m as Record<string, unknown>;
  for (const kind of unsupportedKinds) if (fields[kind] !== undefined) return { type: "unsupported", what: kind };
  if (m.text !== undefined) return { type: "text", text: m.text };
  if (m.document !== undefined) {
    const d = m.document;
    return {
      type: "file",
      kind: "document",
      fileId: d.file_id,
      ...(d.file_name !== undefined && { fileName: d.file_name }),
      ...(d.mime_type !== undefined && { mimeType: d.mime_type }),
      ...(d.file_size !== undefined && { sizeBytes: d.file_size }),
      ...(m.caption !== undefined && { caption: m.caption }),
    };
  }
  if (m.photo !== undefined && m.photo.length > 0) {
    const largest = m.photo.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    return {
      type: "file",
      kind: "photo",
      fileId: largest.file_id,
      ...(largest.file_size !== undefined && { sizeBytes: largest.file_size }),
      ...(m.caption !== undefined && { caption: m.caption }),
    };
  }
  for (const kind of serviceKinds) if (fields[kind] !== undefined) return null;
  return { type: "unsupported", what: "unknown" };
}

function fromOf(user: TgMessage["from"], chatId: number): InboundMessage["from"] {
  // Anonymous group admins and channel posts have no `from`: fall back to the chat.
  if (user === undefined) return { id: String(chatId) };
  const name = displayName(user);
  return { id: String(user.id), ...(name !== undefined && { displayName: name }) };
}

export function telegramToInbound(raw: unknown): InboundMessage | null {
  const u = parse(raw);
  if (u === null) return null;
  const updateKey = String(u.update_id);

  const cq = u.callback_query;
  if (cq !== undefined) {
    if (cq.message === undefined || cq.data === undefined) return null;
    const type = chatType(cq.message.chat.type);
    if (type === null) return null;
    const name = displayName(cq.from);
    return {
      platform: "TELEGRAM",
      updateKey,
      chatId: String(cq.message.chat.id),
      chatType: type,
      from: { id: String(cq.from.id), ...(name !== undefined && { displayName: name }) },
      messageId: String(cq.message.message_id),
      // A callback query carries no time of its own; this is the keyboard message's time.
      date: new Date(cq.message.date * 1000),
      content: { type: "choice", value: cq.data },
      callbackQueryId: cq.id,
    };
  }

  const edited = u.edited_message !== undefined;
  const m = u.message ?? u.edited_message;
  if (m === undefined) return null; // my_chat_member and other non-message updates
  const type = chatType(m.chat.type);
  if (type === null) return null;
  // An edit does not change an answer already taken; the core tells the user.
  const content = edited ? { type: "unsupported" as const, what: "edited_message" } : messageContent(m);
  if (content === null) return null;
  return {
    platform: "TELEGRAM",
    updateKey,
    chatId: String(m.chat.id),
    chatType: type,
    from: fromOf(m.from, m.chat.id),
    messageId: String(m.message_id),
    date: new Date(m.date * 1000),
    content,
  };
}
