// Spacing between messages to one chat (Telegram: about one a second per
// chat), shared by every worker process through one Redis key per chat.
import type { Redis } from "ioredis";
import type { PlatformName } from "../src/channels/channel.ts";

export function chatGapKey(prefix: string, platform: PlatformName, chatId: string): string {
  return `${prefix}:chat-gap:${platform}:${chatId}`;
}

/** Takes the chat's slot; returns 0 when taken, else the milliseconds until it is free. */
export async function takeChatSlot(
  redis: Redis,
  at: { prefix: string; platform: PlatformName; chatId: string; gapMs: number },
): Promise<number> {
  const key = chatGapKey(at.prefix, at.platform, at.chatId);
  if ((await redis.set(key, "1", "PX", at.gapMs, "NX")) === "OK") return 0;
  const ttl = await redis.pttl(key);
  // The key expired between the two calls: try again at once (a tiny wait).
  return ttl > 0 ? ttl : 1;
}
