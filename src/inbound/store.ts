// Writes raw platform updates to Postgres before they are acknowledged.
// Redeliveries hit the unique (platform, updateKey) and are dropped.
//
// A failure here makes the platform send the update again (a webhook's 503,
// a poll offset that does not move), so it must only ever mean "try again
// later". An update the database could never take is stored sanitised, or,
// failing that, recorded as FAILED with the reason: it is never refused.
import { createHash } from "node:crypto";
import type { ChannelAdapter, PlatformName, UpdateEnvelope, UpdateSink } from "../channels/channel.ts";
import { viaPrisma, type Prisma, type Run } from "../db/database.ts";
import { Prisma as P } from "../db/generated/client.ts";
import { sanitiseUpdate, type Change } from "./sanitise.ts";

export interface UpdateStoreDeps {
  prisma: Prisma;
  /** Database.query: the insert skips the Prisma client on PostgreSQL. Default through Prisma. */
  query?: Run;
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
    const stored = await insert(deps.query ?? viaPrisma(deps.prisma), rows);
    // Only chats with an update new here and to be handled: a redelivery wakes nothing.
    if (stored.length > 0) deps.onStored?.([...new Set(stored)]);
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

/** Stores the rows new to the table; returns the chat keys of those to handle. */
async function insert(run: Run, rows: Row[]): Promise<string[]> {
  const write = async (data: Row[]) => {
    const inserted = await run<{ chatKey: string; status: string }>(P.sql`
      INSERT INTO "InboundUpdate" (platform, "updateKey", "chatKey", payload, status, error)
      SELECT r.platform::"Platform", r.key, r.chat, r.payload, r.status::"InboundStatus", r.error
      FROM unnest(${data.map((r) => r.platform)}::text[], ${data.map((r) => r.updateKey)}::text[], ${data.map((r) => r.chatKey)}::text[],
        ${data.map((r) => (r.payload === undefined ? null : JSON.stringify(r.payload)))}::jsonb[], ${data.map((r) => r.status ?? "PENDING")}::text[],
        ${data.map((r) => r.error ?? null)}::text[]) AS r(platform, key, chat, payload, status, error)
      ON CONFLICT (platform, "updateKey") DO NOTHING
      RETURNING "chatKey", status::text AS status`);
    return inserted.filter((r) => r.status === "PENDING").map((r) => r.chatKey);
  };
  try {
    return await write(rows);
  } catch (err) {
    if (refusal(err) === undefined) throw err;
  }
  // One refused update must not hold back the others of a polled batch.
  const stored: string[] = [];
  for (const row of rows) {
    try {
      stored.push(...(await write([row])));
    } catch (err) {
      const reason = refusal(err);
      if (reason === undefined) throw err;
      const { payload: _refused, ...rest } = row;
      stored.push(...(await write([{ ...rest, status: "FAILED", error: `rejected: ${reason}` }])));
    }
  }
  return stored;
}

/**
 * Why the database can never take this data, or undefined for a failure that
 * may pass (the database down, a lost connection): that one is retried.
 */
export function refusal(err: unknown): string | undefined {
  // Thrown before the database: JSON is serialised recursively.
  if (err instanceof RangeError) return err.message.slice(0, 200);
  // Through Prisma, the driver's error is its cause; straight from pg, it is the error.
  const cause = (err as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; originalMessage?: unknown } } } } | null)?.meta?.driverAdapterError?.cause;
  const pgError = err as { code?: unknown; message?: unknown } | null;
  const code = cause?.originalCode ?? (err instanceof Error ? pgError?.code : undefined);
  const message = cause ? cause.originalMessage : pgError?.message;
  // SQLSTATE class 22: data exception; 54: program limit exceeded (a too large index row).
  if (typeof code !== "string" || !/^(22|54)/.test(code)) return undefined;
  return `${code} ${typeof message === "string" ? message : ""}`.trim().slice(0, 200);
}
