// What a typed "1" answers when nothing is in hand: the buttons of the newest
// proactive message the person got (a reminder's "Mở báo cáo", a question's
// "Trả lời"). Zalo has no buttons, so the numbers it printed are the menu.
import type { Choice } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";

export async function recentMenu(tx: Tx, personId: number, now: Date): Promise<Choice[] | undefined> {
  const since = new Date(now.getTime() - 7 * 24 * 3600_000);
  // The newest that offered a choice: a notice or a digest sent after a reminder has none to take its place.
  const rows = await tx.outboundMessage.findMany({
    where: { recipientId: personId, purpose: { not: "reply" }, status: "SENT", sentAt: { gte: since } },
    orderBy: [{ sentAt: "desc" }, { id: "desc" }],
    select: { payload: true },
    take: 5,
  });
  for (const row of rows) {
    const choices = (row.payload as { choices?: unknown } | undefined)?.choices;
    if (!Array.isArray(choices) || choices.length === 0) continue;
    return choices.filter((c): c is Choice => typeof c === "object" && c !== null && typeof (c as Choice).value === "string" && typeof (c as Choice).label === "string");
  }
  return undefined;
}
