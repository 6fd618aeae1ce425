// Writes raw platform updates to Postgres before they are acknowledged.
// Redeliveries hit the unique (platform, updateKey) and are dropped.
import type { ChannelAdapter, PlatformName, UpdateSink } from "../channels/channel.ts";
import type { Prisma } from "../db/database.ts";

export interface UpdateStoreDeps {
  prisma: Prisma;
  adapters: ReadonlyMap<PlatformName, Pick<ChannelAdapter, "envelope">>;
  /** Called after new updates are stored, to wake the processor at once. */
  onStored?: () => void;
}

export function createUpdateSink(deps: UpdateStoreDeps): UpdateSink {
  return async (platform, rawUpdates) => {
    const adapter = deps.adapters.get(platform);
    if (!adapter) throw new Error(`no adapter for ${platform}`);
    const rows = [];
    for (const raw of rawUpdates) {
      const env = adapter.envelope(raw);
      // Updates without a chat (e.g. polls, channel posts) carry nothing to answer.
      if (env) rows.push({ platform, updateKey: env.updateKey, chatKey: env.chatKey, payload: raw as object });
    }
    if (rows.length === 0) return;
    const { count } = await deps.prisma.inboundUpdate.createMany({ data: rows, skipDuplicates: true });
    if (count > 0) deps.onStored?.();
  };
}
