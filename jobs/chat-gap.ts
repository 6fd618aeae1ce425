// Spacing between messages to one chat (Telegram: about one a second per
// chat), shared by every worker process through one Redis key per chat. The
// send worker takes it right before the platform call, in the same round
// trip as the pace guard, and starts it again when the platform's answer is
// back (jobs/pace.ts paceStep).
import type { PlatformName } from "../src/channels/channel.ts";

export function chatGapKey(prefix: string, platform: PlatformName, chatId: string): string {
  return `${prefix}:chat-gap:${platform}:${chatId}`;
}
