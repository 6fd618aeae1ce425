// Sends queued replies of one chat, oldest first. Called under the chat's
// lease, so replies never overtake each other.
import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";
import { SendError, type ChannelSender, type OutboundMessage, type PlatformName } from "../channels/channel.ts";
import type { Prisma } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../clock.ts";

const storedMessage = z.object({
  text: z.string(),
  choices: z.array(z.object({ value: z.string(), label: z.string(), aliases: z.array(z.string()).optional() })).optional(),
  typedChoices: z.literal("words").optional(),
  file: z.object({ fileName: z.string(), mimeType: z.string(), data: z.string() }).optional(),
});

export function parseStoredMessage(payload: unknown): OutboundMessage {
  const m = storedMessage.parse(payload);
  return {
    text: m.text,
    ...(m.choices ? { choices: m.choices } : {}),
    ...(m.typedChoices ? { typedChoices: m.typedChoices } : {}),
    ...(m.file ? { file: { fileName: m.file.fileName, mimeType: m.file.mimeType, data: Buffer.from(m.file.data, "base64") } } : {}),
  };
}

export interface FlushDeps {
  prisma: Prisma;
  channels: ReadonlyMap<PlatformName, ChannelSender>;
  logger: Logger;
  clock: Clock;
  /** Longest retry_after honoured inline; longer waits leave the reply queued. */
  maxInlineWaitSec?: number;
  /**
   * Called before waiting out a 429: renews the chat's lease so no other
   * process takes the chat (and its queued replies) meanwhile. False: the
   * lease is lost, stop sending.
   */
  beforeWait?: (ms: number) => Promise<boolean>;
  maxAttempts?: number;
}

/** Returns false when a reply could not be sent yet (it stays queued). */
export async function flushReplies(deps: FlushDeps, platform: PlatformName, chatId: string): Promise<boolean> {
  const channel = deps.channels.get(platform);
  if (!channel) return false;
  const rows = await deps.prisma.outboundMessage.findMany({
    where: { platform, chatId, purpose: "reply", status: "QUEUED" },
    orderBy: { id: "asc" },
    select: { id: true, payload: true, attempts: true },
  });
  return sendRows(deps, platform, chatId, rows);
}

export interface QueuedReply {
  id: number;
  payload: unknown;
  attempts: number;
}

/** Sends the given queued replies in order; false when one could not go yet. */
export async function sendRows(deps: FlushDeps, platform: PlatformName, chatId: string, rows: readonly QueuedReply[]): Promise<boolean> {
  const channel = deps.channels.get(platform);
  if (!channel) return false;
  for (const row of rows) {
    if (!(await sendOne(deps, channel, chatId, row))) return false;
  }
  return true;
}

async function sendOne(
  deps: FlushDeps,
  channel: ChannelSender,
  chatId: string,
  row: { id: number; payload: unknown; attempts: number },
): Promise<boolean> {
  const maxWait = deps.maxInlineWaitSec ?? 30;
  const maxAttempts = deps.maxAttempts ?? 5;
  let attempts = row.attempts;
  for (;;) {
    attempts += 1;
    try {
      const ids = await channel.send(chatId, parseStoredMessage(row.payload));
      await deps.prisma.outboundMessage.update({
        where: { id: row.id },
        data: { status: "SENT", sentAt: deps.clock.now(), attempts, platformMessageId: ids.join(",") },
        select: { id: true },
      });
      return true;
    } catch (err) {
      const failure = err instanceof SendError ? err.failure : { kind: "transient" as const, reason: "unexpected" };
      if (failure.kind === "rate_limited" && failure.retryAfterSec <= maxWait && attempts < maxAttempts) {
        if (deps.beforeWait && !(await deps.beforeWait(failure.retryAfterSec * 1000))) return false;
        await delay(failure.retryAfterSec * 1000);
        continue;
      }
      const permanent = failure.kind === "permanent" || attempts >= maxAttempts;
      const reason = failure.kind === "rate_limited" ? `rate_limited:${failure.retryAfterSec}s` : failure.reason;
      deps.logger.warn({ outbound: row.id, kind: failure.kind, reason, attempts }, permanent ? "reply not delivered" : "reply delayed");
      await deps.prisma.outboundMessage.update({
        where: { id: row.id },
        data: { attempts, reason, ...(permanent ? { status: "FAILED" as const } : {}) },
        select: { id: true },
      });
      // A permanent failure must not hold back the replies after it.
      return permanent;
    }
  }
}
