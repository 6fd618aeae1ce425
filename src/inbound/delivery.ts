// One claimed platform call for a stored outbound row, shared by replies
// (replies.ts) and the send worker (jobs/send-worker.ts).
//
// At most once: a row is claimed (QUEUED → SENDING, one conditional UPDATE)
// before the platform call, so only one caller sends it, whatever the
// callers (two processes holding one chat after a stall, a job run twice). A
// caller that finds a row still SENDING knows an earlier try died between the
// call and its record: the platform has most likely shown it, so it becomes
// UNCERTAIN instead of being sent again.
//
// A split message (a long text, a text and a file) records the platform ids
// of the parts delivered in platformMessageId, also while it waits for a
// retry, so the retry starts at the next part.
import { setTimeout as delay } from "node:timers/promises";
import { SendError, type ChannelSender, type OutboundMessage, type SendFailure } from "../channels/channel.ts";
import type { Prisma } from "../db/database.ts";

export const INTERRUPTED = "interrupted during sending";

/**
 * Claims a QUEUED row for sending; returns the ids of its parts already
 * delivered and the tries so far (this one included), or null when it is not
 * QUEUED (another caller has it, or it is settled).
 */
export async function claimRow(prisma: Prisma, id: number): Promise<{ delivered: string[]; attempts: number } | null> {
  const rows = await prisma.$queryRaw<{ platformMessageId: string | null; attempts: number }[]>`
    UPDATE "OutboundMessage" SET status = 'SENDING', attempts = attempts + 1, "updatedAt" = now()
    WHERE id = ${id} AND status = 'QUEUED'
    RETURNING "platformMessageId", attempts`;
  const row = rows[0];
  return row ? { delivered: partIds(row.platformMessageId), attempts: row.attempts } : null;
}

export function partIds(platformMessageId: string | null): string[] {
  return platformMessageId === null || platformMessageId === "" ? [] : platformMessageId.split(",");
}

/** A row found SENDING by a later try: maybe delivered, never sent again. */
export async function markInterrupted(prisma: Prisma, id: number): Promise<boolean> {
  const { count } = await prisma.outboundMessage.updateMany({ where: { id, status: "SENDING" }, data: { status: "UNCERTAIN", reason: INTERRUPTED } });
  return count > 0;
}

export type Outcome =
  | { kind: "sent"; ids: string[] }
  /** `ids`: every part delivered so far, by this try and earlier ones. */
  | { kind: "failed"; failure: SendFailure; ids: string[] }
  /** Not a SendError: whether anything left is unknown. */
  | { kind: "unexpected"; name: string };

/** The platform call for a claimed row, starting after the parts an earlier try delivered. */
export async function callPlatform(sender: ChannelSender, chatId: string, message: OutboundMessage, delivered: readonly string[]): Promise<Outcome> {
  try {
    const ids = await sender.send(chatId, message, delivered.length > 0 ? { fromPart: delivered.length } : undefined);
    return { kind: "sent", ids: [...delivered, ...ids] };
  } catch (err) {
    if (err instanceof SendError) return { kind: "failed", failure: err.failure, ids: [...delivered, ...err.sentIds] };
    return { kind: "unexpected", name: err instanceof Error ? err.name : "unknown" };
  }
}

const joinIds = (ids: readonly string[]) => (ids.length > 0 ? ids.join(",") : null);

/**
 * The outcome of a claimed send; only the claimer writes it. Also over
 * UNCERTAIN: a later try may have marked the row while this one was sending.
 */
export async function settle(
  prisma: Prisma,
  id: number,
  data: { status: "SENT" | "FAILED" | "UNCERTAIN"; reason: string | null; ids?: readonly string[]; sentAt?: Date },
): Promise<void> {
  await prisma.outboundMessage.updateMany({
    where: { id, status: { in: ["SENDING", "UNCERTAIN"] } },
    data: {
      status: data.status,
      reason: data.reason,
      ...(data.sentAt ? { sentAt: data.sentAt } : {}),
      ...(data.ids ? { platformMessageId: joinIds(data.ids) } : {}),
    },
  });
}

/** Gives the claim back for another try (nothing, or only some parts, went out). */
export async function giveBack(prisma: Prisma, id: number, data: { reason?: string | null; ids?: readonly string[]; failed?: boolean } = {}): Promise<void> {
  await prisma.outboundMessage.updateMany({
    where: { id, status: "SENDING" },
    data: {
      status: data.failed === true ? "FAILED" : "QUEUED",
      ...(data.reason !== undefined ? { reason: data.reason } : {}),
      ...(data.ids ? { platformMessageId: joinIds(data.ids) } : {}),
    },
  });
}

/**
 * Records a delivered message, retried through a short database outage:
 * giving up would leave it SENDING, to be settled as UNCERTAIN.
 */
export async function settleSent(prisma: Prisma, id: number, ids: readonly string[], now: Date): Promise<void> {
  for (let n = 0; ; n++) {
    try {
      await settle(prisma, id, { status: "SENT", reason: null, ids, sentAt: now });
      return;
    } catch (err) {
      if (n >= 4) throw err;
      await delay(250 * 2 ** n);
    }
  }
}
