// The sandbox page shows each message as one of the real channels would, from
// that channel's own renderer: Telegram (buttons, documents, photos) or Zalo
// (numbered choices, 2,000-character parts, files as links). Pure.
import type { OutboundMessage } from "../channels/channel.ts";
import { planTelegramCalls } from "../channels/telegram/render.ts";
import { planZaloCalls } from "../channels/zalo/render.ts";
import type { Entry } from "./transcript.ts";

export const looks = ["telegram", "zalo"] as const;
export type Look = (typeof looks)[number];

export interface Button {
  label: string;
  value: string;
}

export type Bubble =
  | { kind: "text"; text: string; buttons?: Button[][] }
  | { kind: "photo"; url: string; caption?: string; buttons?: Button[][] }
  | { kind: "document"; url: string; name: string; size: number; caption?: string; buttons?: Button[][] }
  /** A button the user tapped: shown as what it said. */
  | { kind: "choice"; text: string };

export interface ShownEntry {
  id: number;
  from: "user" | "bot";
  at: string;
  bubbles: Bubble[];
}

/** `fileUrl(id)`: where the page fetches the file of entry `id`. */
export function showEntry(entry: Entry, look: Look, fileUrl: (id: number) => string): ShownEntry {
  const url = fileUrl(entry.id);
  const base = { id: entry.id, at: entry.at.toISOString() };
  if (entry.direction === "in") {
    const said = entry.said;
    let bubble: Bubble;
    if ("text" in said) bubble = { kind: "text", text: said.text };
    else if ("choice" in said) bubble = { kind: "choice", text: said.label };
    else if (said.file.kind === "photo") bubble = { kind: "photo", url };
    else bubble = { kind: "document", url, name: said.file.name, size: entry.file?.size ?? 0 };
    return { ...base, from: "user", bubbles: [bubble] };
  }
  // The renderers read the file's name and type, not its bytes (the page
  // fetches those); Telegram's photo limit is the one rule that reads the
  // size, and the bot sends no picture near 10 MB.
  const message: OutboundMessage = {
    ...entry.message,
    ...(entry.file && { file: { fileName: entry.file.name, mimeType: entry.file.mimeType, data: new Uint8Array(0) } }),
  };
  return { ...base, from: "bot", bubbles: look === "telegram" ? telegramBubbles(message, url, entry.file?.size ?? 0) : zaloBubbles(message, url) };
}

function telegramBubbles(message: OutboundMessage, url: string, size: number): Bubble[] {
  return planTelegramCalls(message).map((call): Bubble => {
    const buttons = call.reply_markup?.inline_keyboard.map((row) => row.map((b) => ({ label: b.text, value: b.callback_data })));
    const extra = { ...(buttons && { buttons }), ...(call.method !== "sendMessage" && call.caption !== undefined && { caption: call.caption }) };
    if (call.method === "sendMessage") return { kind: "text", text: call.text, ...extra };
    if (call.method === "sendPhoto") return { kind: "photo", url, ...extra };
    return { kind: "document", url, name: call.file.fileName, size, ...extra };
  });
}

function zaloBubbles(message: OutboundMessage, url: string): Bubble[] {
  return planZaloCalls(message, message.file ? url : undefined).map((call): Bubble =>
    call.method === "sendPhoto" ? { kind: "photo", url: call.photo } : { kind: "text", text: call.text },
  );
}
