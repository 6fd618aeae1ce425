// Commands are typed the same way on every platform: "/name args". Telegram
// adds "@botname" in groups; Zalo has no native commands, so a typed word
// is all we get, and people type it as they say it: "/trạng thái",
// "/trang thai", "huong dan". A name is matched folded (no diacritics, no
// spaces, lower case) from its first one or two words.
import { fold } from "../conversation/commands.ts";

export type CommandName = "start" | "help" | "link";

const aliases: Record<string, CommandName> = {
  start: "start",
  batdau: "start",
  help: "help",
  huongdan: "help",
  lienket: "link",
  link: "link",
};

export interface ParsedCommand {
  /** Canonical name of the bot's own commands; undefined for others (the committee's, or unknown ones). */
  name: CommandName | undefined;
  /** As typed, folded: "trangthai" for "/Trạng thái", for the committee's lookup and the "unknown command" reply. */
  typed: string;
  args: string;
}

/** Whether a folded name is a command someone knows (the bot's, the committee's). */
export type KnownCommand = (folded: string) => boolean;

const isBotCommand: KnownCommand = (name) => name in aliases;

function split(body: string, known: KnownCommand): { typed: string; args: string } | null {
  const words = body.trim().split(/\s+/);
  // "@botname" is Telegram's way of addressing a command in a group.
  words[0] = (words[0] ?? "").replace(/@[A-Za-z0-9_]+$/, "");
  for (const n of [2, 1]) {
    if (words.length < n) continue;
    const typed = fold(words.slice(0, n).join(""));
    if (known(typed) || isBotCommand(typed)) return { typed, args: words.slice(n).join(" ") };
  }
  return null;
}

/** "/name args": a command, known or not (an unknown one gets a reply saying so). */
export function parseCommand(text: string, known: KnownCommand = () => false): ParsedCommand | null {
  const t = text.trim();
  if (!t.startsWith("/") || t.length > 4000) return null;
  const body = t.slice(1);
  if (!/^[\p{L}\p{N}_]/u.test(body)) return null;
  const found = split(body, known);
  if (found) return { name: aliases[found.typed], ...found };
  const first = body.split(/\s+/)[0] ?? "";
  return { name: undefined, typed: fold(first.replace(/@[A-Za-z0-9_]+$/, "")).slice(0, 64), args: body.slice(first.length).trim() };
}

/**
 * A command typed without its slash ("huong dan", "trang thai Q4/2026"):
 * only a known name counts, only where the message is not an answer, and
 * only a name of two syllables or more: "xem" or "nhắc" alone are words a
 * person says, not commands.
 */
export function parseBareCommand(text: string, known: KnownCommand): ParsedCommand | null {
  const t = text.trim();
  if (t.startsWith("/") || t.length > 200) return null;
  const found = split(t, known);
  return found && found.typed.length >= 6 ? { name: aliases[found.typed], ...found } : null;
}
