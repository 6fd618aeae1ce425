// OutboundMessage → Zalo text parts. Zalo has no buttons: choices become
// numbered lines and the core maps a typed number or label back to the choice.
import type { Choice, OutboundMessage } from "../channel.ts";
import { splitText } from "../shared/split.ts";
import { vi } from "../../texts/vi.ts";

export const ZALO_TEXT_LIMIT = 2000;

export function numberedChoices(choices: Choice[]): string {
  const lines = choices.map((c, i) => `${i + 1}. ${c.label}`);
  return [...lines, vi.channels.choiceHint].join("\n");
}

/** The whole text as the user should read it, before splitting. */
export function renderZaloText(msg: Pick<OutboundMessage, "text" | "choices" | "typedChoices">, extraLines: string[] = []): string {
  const blocks = [msg.text.trimEnd(), ...extraLines];
  // Where numbers already mean something else, the text says which words to type.
  const choices = msg.choices ?? [];
  if (choices.length > 0 && msg.typedChoices === undefined) blocks.push(numberedChoices(choices));
  if (choices.length > 0 && msg.typedChoices === "numbered") blocks.push(vi.channels.choiceHint);
  return blocks.filter((b) => b.trim() !== "").join("\n\n");
}

/** Parts of at most `maxLen` characters; whitespace-only parts are dropped (Zalo refuses them). */
export function zaloTextParts(text: string, maxLen = ZALO_TEXT_LIMIT): string[] {
  return splitText(text, maxLen).filter((p) => p.trim() !== "");
}

export type ZaloCall = { method: "sendPhoto"; photo: string } | { method: "sendMessage"; text: string };

/**
 * The Zalo calls that show a message. Zalo bots cannot send documents and send
 * pictures only by URL: a file travels as `fileUrl` (a download link), a
 * picture also as a photo above the text; with no link the text says where
 * to get the file instead.
 */
export function planZaloCalls(msg: OutboundMessage, fileUrl: string | undefined, maxLen = ZALO_TEXT_LIMIT): ZaloCall[] {
  const extra: string[] = [];
  const calls: ZaloCall[] = [];
  if (msg.file !== undefined) {
    if (fileUrl !== undefined) {
      extra.push(vi.channels.fileLink(msg.file.fileName, fileUrl));
      if (msg.file.mimeType.startsWith("image/")) calls.push({ method: "sendPhoto", photo: fileUrl }); // charts show inline
    } else {
      extra.push(vi.channels.fileNotSent(msg.file.fileName));
    }
  }
  for (const text of zaloTextParts(renderZaloText(msg, extra), maxLen)) calls.push({ method: "sendMessage", text });
  if (calls.length === 0) throw new Error("outbound message without text or file");
  return calls;
}
