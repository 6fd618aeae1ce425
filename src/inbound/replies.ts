// Sends queued replies of one chat, oldest first. Called under the chat's
// lease, so replies never overtake each other. Each reply is claimed before
// its platform call (delivery.ts), so a process that stalls past its lease
// cannot let another send the same reply: at most once, like proactive
// messages.
import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";
import type { ChannelSender, OutboundMessage, PlatformName } from "../channels/channel.ts";
import { viaPrisma, type Prisma, type Run } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../clock.ts";
import { callPlatform, claimRow, giveBack, markInterrupted, settle, settleSent, type SentReply } from "./delivery.ts";

export { settledWrite, type SentReply } from "./delivery.ts";

const storedMessage = z.object({
  text: z.string(),
  choices: z.array(z.object({ value: z.string(), label: z.string(), aliases: z.array(z.string()).optional() })).optional(),
  typedChoices: z.enum(["words", "numbered"]).optional(),
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
  /** For the claims: Database.query (see there); default through Prisma. */
  query?: Run;
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
  /**
   * Takes a delivered reply's record for the caller's next statement
   * (settledWrite) instead of writing it now. The caller must write it.
   */
  settleLater?: (sent: SentReply) => void;
}


/** Returns false when a reply could not be sent yet (it stays queued). */
export async function flushReplies(deps: FlushDeps, platform: PlatformName, chatId: string): Promise<boolean> {
  const channel = deps.channels.get(platform);
  if (!channel) return false;
  // SENDING: left by a process that died (or stalled past its lease) mid-send.
  const rows = await deps.prisma.outboundMessage.findMany({
    where: { platform, chatId, purpose: "reply", status: { in: ["QUEUED", "SENDING"] } },
    orderBy: { id: "asc" },
    select: { id: true, payload: true },
  });
  return sendRows(deps, platform, chatId, rows);
}

export interface QueuedReply {
  id: number;
  payload: unknown;
  /**
   * Queued already claimed (SENDING, first try), by the statement that
   * queued it: no claim before its first platform call.
   */
  claimed?: boolean;
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

/**
 * Claims a reply, then sends it (see delivery.ts: at most once). Returns
 * false when it must wait (it stays queued and holds back later replies).
 */
async function sendOne(deps: FlushDeps, channel: ChannelSender, chatId: string, row: QueuedReply): Promise<boolean> {
  const { prisma, logger } = deps;
  const maxWait = deps.maxInlineWaitSec ?? 30;
  const maxAttempts = deps.maxAttempts ?? 5;
  let message: OutboundMessage;
  try {
    message = parseStoredMessage(row.payload);
  } catch {
    await prisma.outboundMessage.updateMany({ where: { id: row.id, status: { in: ["QUEUED", "SENDING"] } }, data: { status: "FAILED", reason: "malformed payload" } });
    return true;
  }
  let first = row.claimed === true;
  for (;;) {
    const claimed = first ? { delivered: [], attempts: 1 } : await claimRow(deps.query ?? viaPrisma(prisma), row.id);
    first = false;
    if (!claimed) {
      // Found SENDING: an earlier try died (or stalled) between its claim
      // (for a reply queued claimed, the statement that queued it) and the
      // record of the platform call. Maybe delivered, so never sent again.
      if (await markInterrupted(prisma, row.id)) logger.warn({ outbound: row.id }, "reply interrupted earlier; marked uncertain, not sent again");
      return true;
    }
    const outcome = await callPlatform(channel, chatId, message, claimed.delivered);
    if (outcome.kind === "sent") {
      if (deps.settleLater) deps.settleLater({ id: row.id, ids: outcome.ids, at: deps.clock.now() });
      else await settleSent(prisma, row.id, outcome.ids, deps.clock.now());
      return true;
    }
    if (outcome.kind === "unexpected") {
      await settle(prisma, row.id, { status: "UNCERTAIN", reason: `unexpected error: ${outcome.name}` });
      logger.warn({ outbound: row.id, err: outcome.name }, "reply failed unexpectedly; marked uncertain, not sent again");
      return true;
    }
    const failure = outcome.failure;
    if (failure.kind === "ambiguous") {
      await settle(prisma, row.id, { status: "UNCERTAIN", reason: failure.reason, ids: outcome.ids });
      logger.warn({ outbound: row.id, reason: failure.reason }, "no answer from the platform; reply marked uncertain, not sent again");
      return true;
    }
    const attempts = claimed.attempts;
    if (failure.kind === "rate_limited" && failure.retryAfterSec <= maxWait && attempts < maxAttempts) {
      // Given back while waiting: a crash meanwhile leaves it QUEUED, not "interrupted".
      await giveBack(prisma, row.id, { reason: `rate_limited:${failure.retryAfterSec}s`, ids: outcome.ids });
      if (deps.beforeWait && !(await deps.beforeWait(failure.retryAfterSec * 1000))) return false;
      await delay(failure.retryAfterSec * 1000);
      continue;
    }
    const permanent = failure.kind === "permanent" || attempts >= maxAttempts;
    const reason = failure.kind === "rate_limited" ? `rate_limited:${failure.retryAfterSec}s` : failure.reason;
    logger.warn({ outbound: row.id, kind: failure.kind, reason, attempts }, permanent ? "reply not delivered" : "reply delayed");
    await giveBack(prisma, row.id, { reason, ids: outcome.ids, failed: permanent });
    // A permanent failure must not hold back the replies after it.
    return permanent;
  }
}
