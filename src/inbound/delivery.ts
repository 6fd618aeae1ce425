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
import type { Prisma, Run } from "../db/database.ts";
import { Prisma as P } from "../db/generated/client.ts";
import { compose, type WriteOf } from "../db/deferred.ts";

export const INTERRUPTED = "interrupted during sending";

/**
 * Claims a QUEUED row for sending; returns the ids of its parts already
 * delivered and the tries so far (this one included), or null when it is not
 * QUEUED (another caller has it, or it is settled).
 */
export async function claimRow(run: Run, id: number): Promise<{ delivered: string[]; attempts: number } | null> {
  const rows = await run<{ platformMessageId: string | null; attempts: number }>(P.sql`
    UPDATE "OutboundMessage" SET status = 'SENDING', attempts = attempts + 1, "updatedAt" = now()
    WHERE id = ${id} AND status = 'QUEUED'
    RETURNING "platformMessageId", attempts`);
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

/**
 * What a send claim found: the row, claimed, with what to send; or, when it
 * was not QUEUED, the status it had (null: no such row).
 */
export type SendClaim =
  | { claimed: true; chatId: string; payload: unknown; delivered: string[]; attempts: number }
  | { claimed: false; status: string | null };

/**
 * claimRow for the rows of `claim`, returning what to send, and settleSent
 * for the delivered rows of `sent`, in one statement: the send worker needs
 * no read before its claim, and its jobs that get to either step together
 * share one round trip. Each QUEUED row to claim becomes SENDING (one
 * conditional UPDATE, as in claimRow); any other is left alone and reported
 * with its status. An id asked for twice is claimed once: the later asker
 * finds it SENDING, as it would right after the first. Claims are answered in
 * the order of `claim`.
 */
export async function claimAndSettleSent(
  run: Run,
  asks: { claim: readonly number[]; sent: readonly { id: number; ids: readonly string[]; sentAt: Date }[] },
): Promise<SendClaim[]> {
  const unique = [...new Set(asks.claim)];
  const sent = compose([settledWrite(asks.sent.map((r) => ({ id: r.id, ids: r.ids, at: r.sentAt })))], "s");
  const rows = await run<{ id: number; status: string; chatId: string | null; payload: unknown; platformMessageId: string | null; attempts: number | null }>(P.sql`
    WITH ${P.join(sent.ctes, ", ")},
    claimed AS (
      UPDATE "OutboundMessage" SET status = 'SENDING', attempts = attempts + 1, "updatedAt" = now()
      WHERE id = ANY(${unique}::int[]) AND status = 'QUEUED'
      RETURNING id, "chatId", payload, "platformMessageId", attempts)
    SELECT id, 'CLAIMED' AS status, "chatId", payload, "platformMessageId", attempts FROM claimed
    UNION ALL
    SELECT o.id, o.status::text, NULL, NULL, NULL, NULL FROM "OutboundMessage" o
    WHERE o.id = ANY(${unique}::int[]) AND o.id NOT IN (SELECT id FROM claimed)`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const given = new Set<number>();
  return asks.claim.map((id): SendClaim => {
    const r = byId.get(id);
    if (!r) return { claimed: false, status: null };
    if (r.status !== "CLAIMED") return { claimed: false, status: r.status };
    if (given.has(id)) return { claimed: false, status: "SENDING" };
    given.add(id);
    return { claimed: true, chatId: r.chatId ?? "", payload: r.payload, delivered: partIds(r.platformMessageId), attempts: r.attempts ?? 0 };
  });
}

/**
 * Undoes a claim that sent nothing and does not count as a try (the chat was
 * not free yet, the payload cannot be read): back to QUEUED, or FAILED with
 * `failedReason`, with the try taken back. A row marked meanwhile (UNCERTAIN)
 * is left as it is.
 */
export async function unclaim(prisma: Prisma, id: number, failedReason?: string): Promise<void> {
  if (failedReason === undefined) {
    await prisma.$executeRaw`
      UPDATE "OutboundMessage" SET status = 'QUEUED', attempts = attempts - 1, "updatedAt" = now()
      WHERE id = ${id} AND status = 'SENDING'`;
  } else {
    await prisma.$executeRaw`
      UPDATE "OutboundMessage" SET status = 'FAILED', reason = ${failedReason}, attempts = attempts - 1, "updatedAt" = now()
      WHERE id = ${id} AND status = 'SENDING'`;
  }
}

/** A delivered reply whose record (SENT) is yet to be written. */
export interface SentReply {
  id: number;
  ids: readonly string[];
  at: Date;
}

/** The records of delivered replies, as one write (db/deferred.ts); the same as settleSent for each. */
export function settledWrite(sent: readonly SentReply[]): WriteOf {
  return (name) => ({
    what: "sent replies",
    atLeast: 0,
    ctes: [
      [
        name("sent"),
        P.sql`UPDATE "OutboundMessage" o
          SET status = 'SENT', reason = NULL, "sentAt" = s.at, "platformMessageId" = s.ids, "updatedAt" = now()
          FROM unnest(${sent.map((r) => r.id)}::int[], ${sent.map((r) => joinIds(r.ids))}::text[], ${sent.map((r) => r.at)}::timestamptz[]) AS s(id, ids, at)
          WHERE o.id = s.id AND o.status IN ('SENDING', 'UNCERTAIN')
          RETURNING 1`,
      ],
    ],
  });
}
