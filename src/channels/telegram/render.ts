// OutboundMessage → the sequence of Telegram calls that shows it. Pure.
import type { Choice, OutboundMessage } from "../channel.ts";
import { splitText } from "../shared/split.ts";

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
export const CALLBACK_DATA_LIMIT = 64;

export interface InlineButton {
  text: string;
  callback_data: string;
}
export interface InlineKeyboard {
  inline_keyboard: InlineButton[][];
}

export type TelegramCall =
  | { method: "sendMessage"; text: string; reply_markup?: InlineKeyboard }
  | {
      /** sendPhoto for pictures (a chart shows in the chat), sendDocument for everything else. */
      method: "sendDocument" | "sendPhoto";
      file: { fileName: string; mimeType: string; data: Uint8Array };
      caption?: string;
      reply_markup?: InlineKeyboard;
    };

/** Telegram recompresses photos and refuses them over 10 MB; larger pictures go as documents. */
export const PHOTO_LIMIT_BYTES = 10 * 1024 * 1024;

function fileMethod(file: { mimeType: string; data: Uint8Array }): "sendDocument" | "sendPhoto" {
  return /^image\/(png|jpeg|webp)$/.test(file.mimeType) && file.data.byteLength <= PHOTO_LIMIT_BYTES ? "sendPhoto" : "sendDocument";
}

/** Short labels share a row (numbers, "Có"/"Không"); long ones get a row each. */
export function inlineKeyboard(choices: Choice[]): InlineKeyboard {
  for (const c of choices) {
    const bytes = Buffer.byteLength(c.value, "utf8");
    // A programming error, not a send failure: the core must keep values short.
    if (bytes === 0 || bytes > CALLBACK_DATA_LIMIT) {
      throw new Error(`choice value must be 1-${CALLBACK_DATA_LIMIT} bytes of UTF-8, got ${bytes}`);
    }
  }
  const longest = Math.max(0, ...choices.map((c) => c.label.length));
  const perRow = longest <= 3 ? 5 : longest <= 12 ? 2 : 1;
  const rows: InlineButton[][] = [];
  for (let i = 0; i < choices.length; i += perRow) {
    rows.push(choices.slice(i, i + perRow).map((c) => ({ text: c.label, callback_data: c.value })));
  }
  return { inline_keyboard: rows };
}

/** The keyboard rides on the last call, so it stays under everything else. */
export function planTelegramCalls(msg: OutboundMessage): TelegramCall[] {
  const keyboard = msg.choices !== undefined && msg.choices.length > 0 ? inlineKeyboard(msg.choices) : undefined;
  const hasText = msg.text.trim() !== "";
  const calls: TelegramCall[] = [];

  if (msg.file !== undefined && (!hasText || msg.text.length <= CAPTION_LIMIT)) {
    calls.push({ method: fileMethod(msg.file), file: msg.file, ...(hasText && { caption: msg.text }) });
  } else {
    if (!hasText) throw new Error("outbound message without text or file");
    // Telegram refuses whitespace-only messages; such parts carry nothing visible.
    for (const part of splitText(msg.text, TEXT_LIMIT)) {
      if (part.trim() !== "") calls.push({ method: "sendMessage", text: part });
    }
    if (msg.file !== undefined) calls.push({ method: fileMethod(msg.file), file: msg.file });
  }
  const last = calls.at(-1);
  if (keyboard !== undefined && last !== undefined) last.reply_markup = keyboard;
  return calls;
}
