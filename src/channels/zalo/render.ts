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
  if (msg.choices !== undefined && msg.choices.length > 0 && msg.typedChoices !== "words") blocks.push(numberedChoices(msg.choices));
  return blocks.filter((b) => b.trim() !== "").join("\n\n");
}

/** Parts of at most `maxLen` characters; whitespace-only parts are dropped (Zalo refuses them). */
export function zaloTextParts(text: string, maxLen = ZALO_TEXT_LIMIT): string[] {
  return splitText(text, maxLen).filter((p) => p.trim() !== "");
}
