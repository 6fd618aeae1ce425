// Handles stored updates: one chat at a time per process, in arrival order,
// many chats in parallel, across any number of processes.
//
// A chat is claimed with a lease row (ChatLease), short and renewed by a
// heartbeat while the chat is held, so a dead process's chats are taken over
// within a lease. The handler's writes, its replies (as outbox rows) and the
// DONE mark commit in one transaction, so a crash either leaves the update
// PENDING (handled again, from scratch) or fully handled. Replies are sent
// after the commit, still under the lease, so they go out in order; each is
// claimed before its platform call (replies.ts), so one that a dead or
// stalled process may have sent is never sent again.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ChannelSender, InboundMessage, OutboundMessage, PlatformName } from "../channels/channel.ts";
import type { Prisma, Tx } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../clock.ts";
import { flushReplies, sendRows, type QueuedReply } from "./replies.ts";

export type MessageHandler = (tx: Tx, message: InboundMessage, now: Date) => Promise<OutboundMessage[]>;

export interface ProcessorDeps {
  prisma: Prisma;
  channels: ReadonlyMap<PlatformName, ChannelSender & { toInbound(raw: unknown): InboundMessage | null }>;
  handle: MessageHandler;
  /** What to tell the user when an update keeps failing. */
  failureReply: OutboundMessage;
  logger: Logger;
  clock: Clock;
  /** Parallel chats per process. */
  concurrency?: number;
  /**
   * How long a claimed chat stays reserved if its process dies (or stalls);
   * renewed every third of it while the chat is held.
   */
  leaseMs?: number;
  /** Polling interval when idle; local stores wake the loop at once. */
  idleMs?: number;
  maxAttempts?: number;
  /** Pause before a failed update is tried again, times its attempts. */
  retryDelayMs?: number;
  /** Unsent replies older than this are retried by whichever process is free. */
  staleReplyMs?: number;
}

export interface Processor {
  start(): void;
  /** Wakes idle loops; called when this process stored new updates. */
  wake(): void;
  /** Finishes the chats in hand, then resolves. */
  stop(): Promise<void>;
  /** Runs until no update is pending (tests and the CLI). */
  drain(): Promise<void>;
  /** Called after each update is handled and its replies sent; returns an unsubscribe. */
  onHandled(listener: (chatKey: string) => void): () => void;
}

interface PendingRow {
  id: bigint;
  platform: PlatformName;
  payload: unknown;
  attempts: number;
}

/** A dead process's chats are taken over within this (plus one idle poll). */
export const LEASE_MS = 7_000;
/** The owner of a chat paused after a failed update. */
const PAUSED = "paused";

export function createProcessor(deps: ProcessorDeps): Processor {
  // Says which process holds a chat, for whoever looks at ChatLease.
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = deps.leaseMs ?? LEASE_MS;
  const idleMs = deps.idleMs ?? 500;
  const maxAttempts = deps.maxAttempts ?? 5;
  const concurrency = deps.concurrency ?? 4;
  const staleReplyMs = deps.staleReplyMs ?? 20_000;
  const retryDelayMs = deps.retryDelayMs ?? 2_000;
  const { prisma, logger } = deps;
  let running = false;
  let loops: Promise<void>[] = [];
  let wakers: (() => void)[] = [];
  const handledListeners = new Set<(chatKey: string) => void>();

  function wake(): void {
    const w = wakers;
    wakers = [];
    for (const f of w) f();
  }

  function idle(): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, idleMs);
      function done() {
        clearTimeout(t);
        // Woken by its timer, it leaves the list: a processor that nothing
        // wakes (its own role, or no traffic) kept one per poll, for good.
        wakers = wakers.filter((w) => w !== done);
        resolve();
      }
      wakers.push(done);
    });
  }

  async function candidates(): Promise<string[]> {
    // Chats with pending updates, chats whose replies were left unsent (a
    // crash after commit, or a platform outage) for a while, and chats with a
    // reply left SENDING (its process died mid-send: settled, not re-sent).
    const rows = await prisma.$queryRaw<{ chatKey: string }[]>`
      SELECT c."chatKey", min(c.first) AS first FROM (
        SELECT u."chatKey", min(u.id) AS first
        FROM "InboundUpdate" u WHERE u.status = 'PENDING' GROUP BY u."chatKey"
        UNION ALL
        SELECT o.platform::text || ':' || o."chatId", 0
        FROM "OutboundMessage" o
        WHERE o.purpose = 'reply'
          AND (o.status = 'SENDING' OR (o.status = 'QUEUED' AND o."updatedAt" < now() - make_interval(secs => ${staleReplyMs / 1000})))
      ) c
      LEFT JOIN "ChatLease" l ON l."chatKey" = c."chatKey"
      WHERE l."chatKey" IS NULL OR l.until < now()
      GROUP BY c."chatKey"
      ORDER BY min(c.first)
      LIMIT 16`;
    return rows.map((r) => r.chatKey);
  }

  async function claim(chatKey: string): Promise<boolean> {
    const rows = await prisma.$queryRaw<{ previous: string | null }[]>`
      WITH prev AS (SELECT owner FROM "ChatLease" WHERE "chatKey" = ${chatKey})
      INSERT INTO "ChatLease" ("chatKey", owner, until)
      VALUES (${chatKey}, ${owner}, now() + make_interval(secs => ${leaseMs / 1000}))
      ON CONFLICT ("chatKey") DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
        WHERE "ChatLease".until < now()
      RETURNING (SELECT owner FROM prev) AS previous`;
    const previous = rows[0]?.previous ?? null;
    // A lease left to run out (not released, not a pause): its process died or stalled.
    if (previous !== null && previous !== PAUSED && previous !== owner) logger.warn({ from: previous }, "took over a chat whose process stopped renewing its lease");
    return rows.length === 1;
  }

  /** Keeps the lease for a wait of `ms`, plus the usual lease after it. */
  async function renewFor(chatKey: string, ms: number): Promise<boolean> {
    const n = await prisma.$executeRaw`
      UPDATE "ChatLease" SET until = now() + make_interval(secs => ${(ms + leaseMs) / 1000})
      WHERE "chatKey" = ${chatKey} AND owner = ${owner}`;
    return n === 1;
  }

  // The heartbeat: one UPDATE renews every chat this process holds. A chat
  // whose lease row is no longer ours was taken over (this process stalled
  // past its lease): its loop stops at the next step.
  const held = new Map<string, number>();
  const lost = new Set<string>();
  let holds = 0;
  let beat: NodeJS.Timeout | undefined;
  let beating = false;

  async function heartbeat(): Promise<void> {
    if (beating || held.size === 0) return;
    beating = true;
    const holding = new Map(held);
    try {
      const kept = await prisma.$queryRaw<{ chatKey: string }[]>`
        UPDATE "ChatLease" SET until = greatest(until, now() + make_interval(secs => ${leaseMs / 1000}))
        WHERE owner = ${owner} AND "chatKey" = ANY(${[...holding.keys()]})
        RETURNING "chatKey"`;
      const ours = new Set(kept.map((r) => r.chatKey));
      // Only for holds that began before this beat: a chat released and
      // claimed again meanwhile is not lost.
      for (const [chatKey, hold] of holding) if (!ours.has(chatKey) && held.get(chatKey) === hold) lost.add(chatKey);
    } catch (err) {
      // The lease may run out meanwhile; the replies' claim keeps that safe.
      logger.warn({ err: errorSummary(err) }, "chat lease renewal failed");
    } finally {
      beating = false;
    }
  }

  function hold(chatKey: string): void {
    held.set(chatKey, ++holds);
    lost.delete(chatKey);
    if (!beat) {
      beat = setInterval(() => void heartbeat(), Math.max(1, Math.floor(leaseMs / 3)));
      beat.unref();
    }
  }

  function unhold(chatKey: string): void {
    held.delete(chatKey);
    lost.delete(chatKey);
    if (held.size === 0 && beat) {
      clearInterval(beat);
      beat = undefined;
    }
  }

  /** Pauses the chat (no process holds it meanwhile). */
  async function holdFor(chatKey: string, ms: number): Promise<void> {
    await prisma.$executeRaw`
      UPDATE "ChatLease" SET owner = ${PAUSED}, until = now() + make_interval(secs => ${ms / 1000})
      WHERE "chatKey" = ${chatKey} AND owner = ${owner}`;
  }

  async function release(chatKey: string): Promise<void> {
    await prisma.$executeRaw`DELETE FROM "ChatLease" WHERE "chatKey" = ${chatKey} AND owner = ${owner}`;
  }

  async function pendingBatch(chatKey: string): Promise<PendingRow[]> {
    return prisma.$queryRaw<PendingRow[]>`
      SELECT id, platform::text AS platform, payload, attempts FROM "InboundUpdate"
      WHERE "chatKey" = ${chatKey} AND status = 'PENDING'
      ORDER BY id LIMIT 20`;
  }

  /** Handles one update; returns its queued replies, or false when it failed and the chat should wait. */
  async function handleOne(row: PendingRow): Promise<QueuedReply[] | false> {
    const channel = deps.channels.get(row.platform);
    const log = logger.child({ update: row.id.toString(), platform: row.platform });
    const now = deps.clock.now();
    let queued: QueuedReply[] = [];
    try {
      await prisma.$transaction(async (tx) => {
        // Marking first takes the row lock: a second process holding a stale
        // lease blocks here, then finds the update done and handles nothing.
        const marked = await tx.$executeRaw`
          UPDATE "InboundUpdate" SET status = 'DONE', "processedAt" = ${now}, payload = NULL
          WHERE id = ${row.id} AND status = 'PENDING'`;
        if (marked !== 1) return;
        const message = channel?.toInbound(row.payload) ?? null;
        const replies = message ? await deps.handle(tx, message, now) : [];
        if (message) queued = await queueReplies(tx, row.id, message, replies);
      });
    } catch (err) {
      const attempts = row.attempts + 1;
      const giveUp = attempts >= maxAttempts;
      log.error({ err: errorSummary(err), attempts }, giveUp ? "update failed for good" : "update failed, will retry");
      await prisma.$executeRaw`
        UPDATE "InboundUpdate" SET attempts = ${attempts}, error = ${errorSummary(err)},
          status = ${giveUp ? "FAILED" : "PENDING"}::"InboundStatus"
        WHERE id = ${row.id} AND status = 'PENDING'`;
      if (!giveUp) return false;
      const message = channel?.toInbound(row.payload);
      return message ? await queueReplies(prisma, row.id, message, [deps.failureReply]).catch(() => []) : [];
    }
    log.debug("update handled");
    return queued;
  }

  async function queueReplies(tx: Tx | Prisma, updateId: bigint, message: InboundMessage, replies: OutboundMessage[]): Promise<QueuedReply[]> {
    if (replies.length === 0) return [];
    const rows = await tx.outboundMessage.createManyAndReturn({
      select: { id: true, payload: true },
      data: replies.map((reply, i) => ({
        dedupKey: `reply:${message.platform}:${updateId.toString()}:${i}`,
        purpose: "reply",
        platform: message.platform,
        chatId: message.chatId,
        inboundUpdateId: updateId,
        payload: toJson(reply),
        status: "QUEUED" as const,
      })),
      skipDuplicates: true,
    });
    if (message.callbackQueryId) {
      // Acknowledging a button is cosmetic; it never blocks handling.
      const channel = deps.channels.get(message.platform);
      void channel?.answerChoice?.(message.callbackQueryId).catch(() => undefined);
    }
    return rows.sort((a, b) => a.id - b.id);
  }

  async function processChat(chatKey: string): Promise<void> {
    hold(chatKey);
    try {
      if (await processHeld(chatKey)) await release(chatKey);
    } finally {
      unhold(chatKey);
    }
  }

  /** Handles a claimed chat; false when it must stay reserved (paused, or no longer ours). */
  async function processHeld(chatKey: string): Promise<boolean> {
    const [platform, ...rest] = chatKey.split(":");
    const chatId = rest.join(":");
    // A 429 wait extends the lease first, so the chat stays ours while we wait.
    const deliver = {
      prisma,
      channels: deps.channels,
      logger,
      clock: deps.clock,
      beforeWait: async (ms: number) => !lost.has(chatKey) && (await renewFor(chatKey, ms)),
    };
    const flush = () => flushReplies(deliver, platform as PlatformName, chatId);
    // Replies left unsent by a crash go out before anything newer.
    let backlog = !(await flush());
    for (;;) {
      const rows = await pendingBatch(chatKey);
      if (rows.length === 0) return true;
      for (const row of rows) {
        // Taken over by another process while this one stalled: it carries on.
        if (lost.has(chatKey)) return false;
        const replies = await handleOne(row);
        if (replies === false) {
          // Keep the chat reserved for a while, so a failing update is not
          // retried in a hot loop and later updates do not overtake it.
          await holdFor(chatKey, retryDelayMs * row.attempts + retryDelayMs);
          return false;
        }
        // Straight from the transaction when nothing older waits; otherwise
        // through the queue, oldest first.
        backlog = !(backlog ? await flush() : await sendRows(deliver, platform as PlatformName, chatId, replies));
        for (const l of handledListeners) l(chatKey);
      }
    }
  }

  /** One pass: claims and processes chats until none is pending. Returns whether work was done. */
  async function pass(): Promise<boolean> {
    let worked = false;
    for (const chatKey of await candidates()) {
      if (!running && !draining) break;
      if (!(await claim(chatKey))) continue;
      worked = true;
      await processChat(chatKey);
    }
    return worked;
  }

  let draining = false;

  async function loop(): Promise<void> {
    while (running) {
      try {
        if (!(await pass())) await idle();
      } catch (err) {
        logger.error({ err: errorSummary(err) }, "update processor error; retrying");
        await idle();
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loops = Array.from({ length: concurrency }, () => loop());
    },
    wake,
    onHandled(listener) {
      handledListeners.add(listener);
      return () => handledListeners.delete(listener);
    },
    async stop() {
      running = false;
      wake();
      await Promise.all(loops);
      loops = [];
    },
    async drain() {
      draining = true;
      try {
        while (await pass()) {
          /* keep going until a pass finds nothing */
        }
      } finally {
        draining = false;
      }
    },
  };
}

export function errorSummary(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 500);
  return String(err).slice(0, 500);
}

function toJson(message: OutboundMessage): object {
  // Files are not stored in the outbox row; they are rendered again on retry.
  const { file, ...rest } = message;
  return file ? { ...rest, file: { fileName: file.fileName, mimeType: file.mimeType, data: Buffer.from(file.data).toString("base64") } } : rest;
}
