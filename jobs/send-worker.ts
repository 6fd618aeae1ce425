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
//
// A message costs few round trips (counted by `npm run bench -- fanout`):
//  - Redis (jobs/pace.ts): the pace slot, waited for before the claim (a
//    crash while waiting leaves the row QUEUED) and mostly reserved by the
//    send before it in the worker, with that send's after-step; the chat's
//    gap and the pace guard in one script right before the call; one script
//    after the answer.
//  - PostgreSQL: the claim, which also returns what to send, and the SENT
//    mark.
// The Redis steps of jobs that get to one together (in one turn of the event
// loop, or while the previous call runs) share one script, and so do their
// PostgreSQL steps one statement, which do for each of them what one call each
// would have.
//
// A delivered job completes as soon as the platform has answered; its SENT
// mark goes with the next statement of claims and marks, so the job's place
// in the worker's concurrency is not held by the mark's round trip. The
// completed job ("sent" in Redis) is the record until then: a process that
// stops before the mark is written leaves the row SENDING with its job
// completed, and the next worker's start (or the minute's sweep) writes it
// SENT (jobs/maintenance.ts settleDelivered). A closing worker waits for its
// marks.
import { setTimeout as delay } from "node:timers/promises";
import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import { SendError, type ChannelSender, type OutboundMessage } from "../src/channels/channel.ts";
import { viaPrisma, type Prisma, type Run } from "../src/db/database.ts";
import type { Logger } from "../src/logger.ts";
import type { Clock } from "../src/clock.ts";
import { parseStoredMessage } from "../src/inbound/replies.ts";
import { callPlatform, claimAndSettleSent, giveBack, markInterrupted, settle, unclaim, type SendClaim } from "../src/inbound/delivery.ts";
import { sendQueueName, type SendJobData } from "./queues.ts";
import { holdSlots, paceIntervalMs, paceStep, type SendAt } from "./pace.ts";

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
  /** For the claims and SENT marks: Database.query, which skips the Prisma client on PostgreSQL; default through Prisma. */
  query?: Run;
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

export type SendWorker = Worker<SendJobData, SendResult> & {
  /** Resolves once the SENT marks of the jobs completed so far are written (or given up to the sweep). */
  marked(): Promise<void>;
};

export function createSendWorker(deps: SendWorkerDeps): SendWorker {
  const { prisma, sender, logger } = deps;
  const query = deps.query ?? viaPrisma(prisma);
  const platform = sender.platform;
  const gapMs = deps.perChatGapMs ?? 1_000;
  const concurrency = deps.concurrency ?? 8;
  const intervalMs = paceIntervalMs(deps.perSecond);
  const pace = { prefix: deps.prefix, platform };
  // Each step is shared by the jobs that get to it together (see the module comment).
  type PaceAsk = { reserve: true } | { enter: SendAt } | { leave: SendAt & { gapMs?: number } };
  const paced = batched(async (asks: PaceAsk[]) => {
    const enters = asks.flatMap((a) => ("enter" in a ? [a.enter] : []));
    const reservations = asks.filter((a) => "reserve" in a).length;
    const { reserved, entered } = await paceStep(deps.connection, { ...pace, intervalMs, perSecond: deps.perSecond, gapMs }, {
      reserve: reservations,
      enter: enters,
      leave: asks.flatMap((a) => ("leave" in a ? [a.leave] : [])),
    });
    let r = 0;
    let e = 0;
    return asks.map((a) => ("reserve" in a ? reserved[r++]! : "enter" in a ? entered[e++]! : 0));
  });
  const reserve = async () => (await paced({ reserve: true })) as number;
  /**
   * Pace slots reserved by sends as they finish, each for the send that
   * follows in the worker: it then has its slot without a round trip of its
   * own (the reservation rode on the finishing send's after-step). Each is
   * the local time the slot starts. A slot more than a second past is not
   * used: the pace has moved on since, and using it would bunch sends.
   */
  const spareSlots: Promise<number | undefined>[] = [];
  const reserveSpare = () => {
    if (spareSlots.length >= concurrency) return;
    spareSlots.push(reserve().then((ms) => Date.now() + ms, () => undefined));
  };
  /** Milliseconds until this send's slot: a spare one, or one reserved now. */
  const slotIn = async (): Promise<number> => {
    const spare = spareSlots.shift();
    const at = spare ? await spare : undefined;
    if (at !== undefined && Date.now() - at < 1_000) return Math.max(0, at - Date.now());
    return reserve();
  };
  const enter = (send: SendAt) => paced({ enter: send });
  const leave = (send: SendAt & { gapMs?: number }) => paced({ leave: send });
  type Delivered = { id: number; ids: readonly string[]; sentAt: Date };
  // Claims and SENT marks share one statement.
  const store = batched(async (asks: ({ claim: number } | { sent: Delivered })[]) => {
    const claims = asks.flatMap((a) => ("claim" in a ? [a.claim] : []));
    const answers = await claimAndSettleSent(query, { claim: claims, sent: asks.flatMap((a) => ("sent" in a ? [a.sent] : [])) });
    let next = 0;
    return asks.map((a) => ("claim" in a ? answers[next++]! : undefined));
  });
  const claim = async (id: number) => (await store({ claim: id }))!;
  /** Retried through a short database outage; past that the sweep writes it from the completed job. */
  const markSent = async (row: Delivered) => {
    for (let n = 0; ; n++) {
      try {
        await store({ sent: row });
        return;
      } catch (err) {
        if (n >= 4) throw err;
        await delay(250 * 2 ** n);
      }
    }
  };
  /** Marks being written, for close() to wait for. */
  const marking = new Set<Promise<void>>();
  const recordSent = (row: Delivered, left: Promise<unknown>) => {
    const done = Promise.all([left, markSent(row)]).then(
      () => undefined,
      (err: unknown) => logger.warn({ outboundId: row.id, err: (err as Error).message }, "SENT mark not written; the sweep writes it"),
    );
    marking.add(done);
    void done.finally(() => marking.delete(done));
  };

  async function process(job: Job<SendJobData, SendResult>, token: string | undefined): Promise<SendResult> {
    const parsed = jobData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError("malformed job data");
    const id = parsed.data.outboundId;

    // Waited for before the claim, so a crash while waiting leaves the row QUEUED.
    const slotInMs = await slotIn();
    if (slotInMs > 0) await delay(slotInMs);

    const row: SendClaim = await claim(id);
    if (!row.claimed) {
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
      // Gone, cancelled, skipped, sent, failed or uncertain, or claimed by
      // another job just now: nothing to do.
      return "skipped";
    }

    let message: OutboundMessage;
    try {
      message = parseStoredMessage(row.payload);
    } catch {
      await unclaim(prisma, id, "malformed payload");
      throw new UnrecoverableError("malformed payload");
    }

    const at: SendAt = { chatId: row.chatId, id: `${id}:${job.attemptsStarted}` };
    let entered: number | { chatBusyMs: number };
    try {
      for (;;) {
        entered = await enter(at);
        if (entered === 0 || typeof entered === "object") break;
        await delay(entered);
      }
    } catch (err) {
      // Nothing went out: give the claim back, or the retry would take it for interrupted.
      await giveBack(prisma, id);
      throw err;
    }
    if (typeof entered === "object") {
      // The chat had a message less than the gap ago: nothing went out, and
      // this was no try. Back to QUEUED, and the job waits for the chat.
      await unclaim(prisma, id);
      await job.moveToDelayed(Date.now() + entered.chatBusyMs, token);
      throw new DelayedError();
    }

    const outcome = await callPlatform(sender, row.chatId, message, row.delivered);
    // Best effort: a Redis hiccup must not turn a delivered message into a
    // failed job. After a delivery the chat's gap counts again from the end
    // of this send: a slow request must not let the next message arrive
    // closer than the gap.
    const left = leave(outcome.kind === "sent" ? { ...at, gapMs } : at).catch(() => undefined);
    if (outcome.kind === "sent") reserveSpare();
    if (outcome.kind === "sent") {
      recordSent({ id, ids: outcome.ids, sentAt: deps.clock.now() }, left);
      return "sent";
    }
    await left;
    if (outcome.kind === "unexpected") {
      await settle(prisma, id, { status: "UNCERTAIN", reason: `unexpected error: ${outcome.name}` });
      throw new UnrecoverableError("unexpected send error");
    }
    const f = outcome.failure;
    if (f.kind === "rate_limited") {
      await giveBack(prisma, id, { ids: outcome.ids });
      // Slots reserved before the hold would not honour it.
      spareSlots.length = 0;
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
    concurrency,
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
  // Whoever closes the worker (the app's shutdown, the tests) also waits for
  // the SENT marks of the jobs it completed.
  const closeWorker = worker.close.bind(worker);
  const marked = async () => {
    await Promise.all(marking);
  };
  worker.close = async (force?: boolean) => {
    await closeWorker(force);
    await marked();
  };
  return Object.assign(worker, { marked });
}

/**
 * One call for the requests that come together: those made in the same turn
 * of the event loop, and those made while the previous call runs (group
 * commit). `run` answers in the order of its items.
 */
function batched<T, R>(run: (items: T[]) => Promise<R[]>): (item: T) => Promise<R> {
  type Waiting = { item: T; resolve: (r: R) => void; reject: (err: unknown) => void };
  let waiting: Waiting[] = [];
  let running = false;
  let scheduled = false;
  const flush = async () => {
    scheduled = false;
    if (running || waiting.length === 0) return;
    running = true;
    const batch = waiting;
    waiting = [];
    try {
      const results = await run(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      running = false;
      if (waiting.length > 0) schedule();
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      schedule();
    });
}
