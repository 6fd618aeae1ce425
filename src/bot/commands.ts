// Commands are typed the same way on every platform: "/name args". Telegram
// adds "@botname" in groups; Zalo has no native commands, so a typed word
// is all we get.

export type CommandName = "start" | "help";

const aliases: Record<string, CommandName> = {
  start: "start",
  batdau: "start",
  help: "help",
  huongdan: "help",
};

export interface ParsedCommand {
  /** Canonical name, or undefined for an unknown command. */
  name: CommandName | undefined;
  /** As typed, lower-cased, for the "unknown command" reply. */
  typed: string;
  args: string;
}

export function parseCommand(text: string): ParsedCommand | null {
  const m = /^\/([A-Za-z0-9_]{1,64})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return null;
  const typed = m[1]!.toLowerCase();
  return { name: aliases[typed], typed, args: (m[2] ?? "").trim() };
}
