// Delivers proactive messages (reminders, nudges, broadcasts) from the send
// queue of one platform, within the platform's rate limits.
//
// Delivery is at most once. The row is claimed in PostgreSQL (QUEUED →
// SENDING, src/inbound/delivery.ts) before the platform call, so whatever
// BullMQ does (a job run twice after Redis lost its data, a stalled job
// re-run after its worker died) only one run sends. A run that finds its own
// row still SENDING knows an earlier run died between the claim and the
// record of the outcome: the platform has most likely delivered it, so the
// row becomes UNCERTAIN instead of being sent again. So does a send that got
// no answer after its request may have left (a timeout, a reset).
import { setTimeout as delay } from "node:timers/promises";
import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import { SendError, type ChannelSender, type OutboundMessage } from "../src/channels/channel.ts";
import type { Prisma } from "../src/db/database.ts";
import type { Logger } from "../src/logger.ts";
import type { Clock } from "../src/clock.ts";
import { parseStoredMessage } from "../src/inbound/replies.ts";
import { callPlatform, claimRow, giveBack, markInterrupted, settle, settleSent } from "../src/inbound/delivery.ts";
import { sendQueueName, type SendJobData } from "./queues.ts";
import { chatGapKey, takeChatSlot } from "./chat-gap.ts";
import { enterSecond, holdSlots, leaveSecond, paceIntervalMs, reserveSlot } from "./pace.ts";

const jobData = z.object({ outboundId: z.number().int().positive() });

/** Failures after which the chat is marked unusable, so planners stop using it. */
const DEAD_CHAT_REASONS = new Set(["blocked", "user_deactivated", "chat_not_found"]);

export interface SendWorkerDeps {
  connection: Redis;
  /** The platform's send queue, paused as a whole when the platform answers 429. */
  queue: Queue<SendJobData>;
  prefix: string;
  sender: ChannelSender;
  prisma: Prisma;
  logger: Logger;
  clock: Clock;
  /**
   * Messages per second over all chats, shared by every worker of the queue:
   * sends are spaced evenly (jobs/pace.ts), and BullMQ's limiter caps job starts.
   */
  perSecond: number;
  /** Least time between two messages to one chat; Telegram allows about one a second. */
  perChatGapMs?: number;
  concurrency?: number;
  /**
   * How long a job's lock lives without renewal; a killed worker's jobs are
   * re-run (and found SENDING) once it expires. Tests shorten it.
   */
  lockMs?: number;
}

export type SendResult = "sent" | "skipped" | "in_flight_elsewhere" | "uncertain";

export function createSendWorker(deps: SendWorkerDeps): Worker<SendJobData, SendResult> {
  const { prisma, sender, logger } = deps;
  const platform = sender.platform;
  const gapMs = deps.perChatGapMs ?? 1_000;
  const intervalMs = paceIntervalMs(deps.perSecond);

  async function process(job: Job<SendJobData, SendResult>, token: string | undefined): Promise<SendResult> {
    const parsed = jobData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError("malformed job data");
    const id = parsed.data.outboundId;
    const row = await prisma.outboundMessage.findUnique({ where: { id }, select: { status: true, chatId: true, payload: true } });
    if (!row) return "skipped";
    if (row.status === "SENDING") {
      // This job ran before (its worker died, or it failed after the claim):
      // the message may well have reached the platform. A fresh job finding
      // SENDING is a second job for the row (re-queued after Redis lost its
      // data) while the first is still sending; the maintenance sweep settles
      // rows left SENDING by a job that vanished with Redis.
      if (job.attemptsMade === 0 && job.stalledCounter === 0) return "in_flight_elsewhere";
      if (await markInterrupted(prisma, id)) logger.warn({ outboundId: id, job: job.id }, "send interrupted earlier; marked uncertain, not sent again");
      return "uncertain";
    }
    // Cancelled, skipped, sent, failed or uncertain: nothing to do.
    if (row.status !== "QUEUED") return "skipped";

    let message: OutboundMessage;
    try {
      message = parseStoredMessage(row.payload);
    } catch {
      await prisma.outboundMessage.updateMany({ where: { id, status: "QUEUED" }, data: { status: "FAILED", reason: "malformed payload" } });
      throw new UnrecoverableError("malformed payload");
    }

    const waitMs = await takeChatSlot(deps.connection, { prefix: deps.prefix, platform, chatId: row.chatId, gapMs });
    if (waitMs > 0) {
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError();
    }
    // Waited for before the claim, so a crash while waiting leaves the row QUEUED.
    const slotInMs = await reserveSlot(deps.connection, { prefix: deps.prefix, platform, intervalMs });
    if (slotInMs > 0) await delay(slotInMs);

    const claimed = await claimRow(prisma, id);
    // Another job has it, or it was cancelled or sent in between.
    if (!claimed) return "skipped";

    const logged = { prefix: deps.prefix, platform, id: `${id}:${job.attemptsStarted}` };
    try {
      for (;;) {
        const waitMs = await enterSecond(deps.connection, { ...logged, perSecond: deps.perSecond });
        if (waitMs === 0) break;
        await delay(waitMs);
      }
    } catch (err) {
      // Nothing went out: give the claim back, or the retry would take it for interrupted.
      await giveBack(prisma, id);
      throw err;
    }
    const outcome = await callPlatform(sender, row.chatId, message, claimed.delivered);
    // Best effort: a Redis hiccup must not turn a delivered message into a failed job.
    await leaveSecond(deps.connection, logged).catch(() => undefined);
    if (outcome.kind === "sent") {
      // The chat's gap counts again from the end of this send: a slow request
      // must not let the next message arrive closer than the gap.
      await deps.connection.set(chatGapKey(deps.prefix, platform, row.chatId), "1", "PX", gapMs).catch(() => undefined);
      await settleSent(prisma, id, outcome.ids, deps.clock.now());
      return "sent";
    }
    if (outcome.kind === "unexpected") {
      await settle(prisma, id, { status: "UNCERTAIN", reason: `unexpected error: ${outcome.name}` });
      throw new UnrecoverableError("unexpected send error");
    }
    const f = outcome.failure;
    if (f.kind === "rate_limited") {
      await giveBack(prisma, id, { ids: outcome.ids });
      await holdSlots(deps.connection, { prefix: deps.prefix, platform, ms: f.retryAfterSec * 1000 });
      await deps.queue.rateLimit(f.retryAfterSec * 1000);
      throw Worker.RateLimitError();
    }
    if (f.kind === "transient") {
      // Known not to have arrived: retried with backoff, from the part that failed.
      await giveBack(prisma, id, { reason: f.reason, ids: outcome.ids });
      throw new SendError(f);
    }
    if (f.kind === "ambiguous") {
      // Maybe shown: never sent again (see the module comment).
      await settle(prisma, id, { status: "UNCERTAIN", reason: f.reason, ids: outcome.ids });
      logger.warn({ outboundId: id, job: job.id, reason: f.reason }, "no answer from the platform; marked uncertain, not sent again");
      return "uncertain";
    }
    await settle(prisma, id, { status: "FAILED", reason: f.reason, ids: outcome.ids });
    if (DEAD_CHAT_REASONS.has(f.reason) && (platform === "TELEGRAM" || platform === "ZALO")) {
      await prisma.chatIdentity.updateMany({
        where: { platform, chatId: row.chatId, blockedAt: null },
        data: { blockedAt: deps.clock.now(), blockReason: f.reason },
      });
    }
    throw new UnrecoverableError(f.reason);
  }

  const worker = new Worker<SendJobData, SendResult>(sendQueueName(platform), process, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency ?? 8,
    limiter: { max: deps.perSecond, duration: 1_000 },
    ...(deps.lockMs !== undefined ? { lockDuration: deps.lockMs, stalledInterval: Math.ceil(deps.lockMs / 2) } : {}),
  });
  worker.on("failed", (job, err) => {
    if (!job) return;
    const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
    logger.warn({ job: job.id, queue: worker.name, reason: err.message, exhausted }, "send job failed");
    if (exhausted) {
      void prisma.outboundMessage
        .updateMany({ where: { id: job.data.outboundId, status: "QUEUED" }, data: { status: "FAILED", reason: `gave up: ${err.message}` } })
        .catch(() => undefined);
    }
  });
  worker.on("error", (err) => logger.error({ err: err.message, queue: worker.name }, "send worker error"));
  return worker;
}
