// Writes raw platform updates to Postgres before they are acknowledged.
// Redeliveries hit the unique (platform, updateKey) and are dropped.
//
// A failure here makes the platform send the update again (a webhook's 503,
// a poll offset that does not move), so it must only ever mean "try again
// later". An update the database could never take is stored sanitised, or,
// failing that, recorded as FAILED with the reason: it is never refused.
import { createHash } from "node:crypto";
import type { ChannelAdapter, PlatformName, UpdateEnvelope, UpdateSink } from "../channels/channel.ts";
import type { Prisma } from "../db/database.ts";
import { sanitiseUpdate, type Change } from "./sanitise.ts";

export interface UpdateStoreDeps {
  prisma: Prisma;
  adapters: ReadonlyMap<PlatformName, Pick<ChannelAdapter, "envelope">>;
  /** Called after new updates are stored, with their chats, to wake the processor at once. */
  onStored?: (chatKeys: string[]) => void;
}

/**
 * Far longer than any real id. An index row holds at most about 2.7 kB, so a
 * Zalo message or chat id of that size (Zalo's ids are strings) could never
 * be stored as it is.
 */
export const MAX_KEY_LENGTH = 256;

interface Row {
  platform: PlatformName;
  updateKey: string;
  chatKey: string;
  payload?: object;
  status?: "FAILED";
  /** Why the update was changed or refused; the processor's errors come later. */
  error?: string;
}

export function createUpdateSink(deps: UpdateStoreDeps): UpdateSink {
  return async (platform, rawUpdates) => {
    const adapter = deps.adapters.get(platform);
    if (!adapter) throw new Error(`no adapter for ${platform}`);
    const rows: Row[] = [];
    for (const raw of rawUpdates) {
      const { value, changes } = sanitiseUpdate(raw);
      const env = adapter.envelope(value);
      // Updates without a chat (e.g. polls, channel posts) carry nothing to answer.
      if (env) rows.push(toRow(platform, env, value as object, changes));
    }
    if (rows.length === 0) return;
    const count = await insert(deps.prisma, rows);
    if (count > 0) deps.onStored?.([...new Set(rows.filter((r) => r.status !== "FAILED").map((r) => r.chatKey))]);
  };
}

function digest(key: string): string {
  return `sha256:${createHash("sha256").update(key).digest("hex")}`;
}

function toRow(platform: PlatformName, env: UpdateEnvelope, payload: object, changes: Change[]): Row {
  // Hashed, a long update key still finds its redeliveries.
  const updateKey = env.updateKey.length > MAX_KEY_LENGTH ? digest(env.updateKey) : env.updateKey;
  if (env.chatKey.length > MAX_KEY_LENGTH) {
    // No platform would take a reply to such a chat: kept for a look, never handled.
    return { platform, updateKey, chatKey: `${platform}:${digest(env.chatKey)}`, payload, status: "FAILED", error: `rejected: chat id longer than ${MAX_KEY_LENGTH} characters` };
  }
  return { platform, updateKey, chatKey: env.chatKey, payload, ...(changes.length > 0 && { error: `stored sanitised: ${changes.join(", ")}` }) };
}

async function insert(prisma: Prisma, rows: Row[]): Promise<number> {
  const createMany = async (data: Row[]) => (await prisma.inboundUpdate.createMany({ data, skipDuplicates: true })).count;
  try {
    return await createMany(rows);
  } catch (err) {
    if (refusal(err) === undefined) throw err;
  }
  // One refused update must not hold back the others of a polled batch.
  let count = 0;
  for (const row of rows) {
    try {
      count += await createMany([row]);
    } catch (err) {
      const reason = refusal(err);
      if (reason === undefined) throw err;
      const { payload: _refused, ...rest } = row;
      count += await createMany([{ ...rest, status: "FAILED", error: `rejected: ${reason}` }]);
    }
  }
  return count;
}

/**
 * Why the database can never take this data, or undefined for a failure that
 * may pass (the database down, a lost connection): that one is retried.
 */
export function refusal(err: unknown): string | undefined {
  // Thrown before the database: Prisma serialises JSON recursively.
  if (err instanceof RangeError) return err.message.slice(0, 200);
  const cause = (err as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; originalMessage?: unknown } } } } | null)?.meta?.driverAdapterError?.cause;
  const code = cause?.originalCode;
  // SQLSTATE class 22: data exception; 54: program limit exceeded (a too large index row).
  if (typeof code !== "string" || !/^(22|54)/.test(code)) return undefined;
  return `${code} ${typeof cause?.originalMessage === "string" ? cause.originalMessage : ""}`.trim().slice(0, 200);
}
