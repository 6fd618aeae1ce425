// Menus typed rather than tapped: Zalo has no buttons, so "1" or a label
// typed back picks from the options the bot last showed. These find which
// options those are, and pick from them.
import type { Choice, PlatformName } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import { fold } from "./commands.ts";

const WEEK_MS = 7 * 24 * 3600_000;

function choicesOf(payload: unknown): Choice[] {
  const choices = (payload as { choices?: unknown } | undefined)?.choices;
  if (!Array.isArray(choices)) return [];
  return choices.filter((c): c is Choice => typeof c === "object" && c !== null && typeof (c as Choice).value === "string" && typeof (c as Choice).label === "string");
}

/**
 * The options of the last reminder or notice the bot sent this person, so
 * that "1" typed on Zalo after a reminder opens its report, as a tap does on
 * Telegram. Only looked at when no conversation menu is in hand.
 */
export async function recentMenu(tx: Tx, personId: number, now: Date): Promise<Choice[] | undefined> {
  // The newest that offered a choice: a notice or a digest sent after a reminder has none to take its place.
  const rows = await tx.outboundMessage.findMany({
    where: { recipientId: personId, purpose: { not: "reply" }, status: "SENT", sentAt: { gte: new Date(now.getTime() - WEEK_MS) } },
    orderBy: [{ sentAt: "desc" }, { id: "desc" }],
    select: { payload: true },
    take: 5,
  });
  for (const row of rows) {
    const choices = choicesOf(row.payload);
    if (choices.length > 0) return choices;
  }
  return undefined;
}

/**
 * The options of the newest message with options in this chat, a reply or a
 * proactive message alike: what the person has in front of them, whichever
 * came last. Messages on their way count as newest.
 */
export async function newestChatMenu(tx: Tx, platform: PlatformName, chatId: string, now: Date): Promise<Choice[] | undefined> {
  const rows = await tx.outboundMessage.findMany({
    where: {
      platform,
      chatId,
      OR: [{ status: { in: ["QUEUED", "SENDING"] } }, { status: { in: ["SENT", "UNCERTAIN"] }, sentAt: { gte: new Date(now.getTime() - WEEK_MS) } }],
    },
    // The row's own write time breaks ties: a notice planned before a reply may go out after it.
    orderBy: [{ sentAt: { sort: "desc", nulls: "first" } }, { updatedAt: "desc" }, { id: "desc" }],
    select: { payload: true },
    take: 10,
  });
  for (const row of rows) {
    const choices = choicesOf(row.payload);
    if (choices.length > 0) return choices;
  }
  return undefined;
}

/** A typed number or label picks from the menu last shown; `digits: false` where numbers mean something else. */
export function pickFromMenu(text: string, menu: readonly Choice[] | undefined, digits = true): string | undefined {
  if (!menu || menu.length === 0) return undefined;
  const typed = text.trim();
  if (/^\d{1,3}$/.test(typed)) return digits ? menu[Number(typed) - 1]?.value : undefined;
  const f = fold(typed);
  return menu.find((c) => fold(c.label) === f || c.aliases?.includes(f))?.value;
}
