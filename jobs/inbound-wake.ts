// Wakes processors in other processes when updates are stored (roles split:
// webhooks or pollers in one process, processors in others). Without it a
// processor finds new updates only at its next idle poll. Best effort: a
// lost message costs one poll interval, nothing more.
import type { Redis } from "ioredis";

const channel = (prefix: string) => `${prefix}:inbound-stored`;
/** A chat key is at most 256 characters (inbound/store.ts); a batch of polled updates fits easily. */
const MAX_KEYS = 200;

/** Tells the processors which chats have new updates; never waits or throws. */
export function publishStored(redis: Redis, prefix: string, chatKeys: readonly string[]): void {
  if (chatKeys.length === 0) return;
  void redis.publish(channel(prefix), chatKeys.slice(0, MAX_KEYS).join("\n")).catch(() => undefined);
}

/** Calls `onStored` with the chats of each batch stored elsewhere; returns the unsubscribe. */
export async function subscribeStored(redis: Redis, prefix: string, onStored: (chatKeys: string[]) => void): Promise<() => Promise<void>> {
  // A subscribed connection can do nothing else: its own.
  const sub = redis.duplicate();
  sub.on("error", () => undefined);
  sub.on("message", (_channel: string, message: string) => onStored(message.split("\n").filter((k) => k.length > 0)));
  await sub.subscribe(channel(prefix));
  return async () => {
    await sub.quit().catch(() => undefined);
    sub.disconnect();
  };
}
