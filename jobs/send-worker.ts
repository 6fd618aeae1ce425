// Delivers proactive messages (reminders, nudges, broadcasts) from the send
// queue of one platform, within the platform's rate limits.
import { UnrecoverableError, Worker, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import { SendError, type ChannelSender } from "../src/channels/channel.ts";
import type { Prisma } from "../src/db/database.ts";
import type { Logger } from "../src/logger.ts";
import type { Clock } from "../src/clock.ts";
import { parseStoredMessage } from "../src/inbound/replies.ts";
import { sendQueueName, type SendJobData } from "./queues.ts";

const jobData = z.object({ outboundId: z.number().int().positive() });

export interface SendWorkerDeps {
  connection: Redis;
  /** The platform's send queue, paused as a whole when the platform answers 429. */
  queue: Queue<SendJobData>;
  prefix: string;
  sender: ChannelSender;
  prisma: Prisma;
  logger: Logger;
  clock: Clock;
  perSecond: number;
  concurrency?: number;
}

export function createSendWorker(deps: SendWorkerDeps): Worker<SendJobData> {
  const { prisma, sender, logger } = deps;
  const worker: Worker<SendJobData> = new Worker<SendJobData>(
    sendQueueName(sender.platform),
    async (job) => {
      const parsed = jobData.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError("malformed job data");
      const row = await prisma.outboundMessage.findUnique({
        where: { id: parsed.data.outboundId },
        select: { id: true, status: true, chatId: true, payload: true, attempts: true },
      });
      // Cancelled, skipped or already sent: nothing to do.
      if (!row || row.status !== "QUEUED") return "skipped";
      try {
        const ids = await sender.send(row.chatId, parseStoredMessage(row.payload));
        await prisma.outboundMessage.update({
          where: { id: row.id },
          data: { status: "SENT", sentAt: deps.clock.now(), attempts: row.attempts + 1, platformMessageId: ids.join(",") },
          select: { id: true },
        });
        return "sent";
      } catch (err) {
        if (!(err instanceof SendError)) throw err;
        const f = err.failure;
        if (f.kind === "rate_limited") {
          await deps.queue.rateLimit(f.retryAfterSec * 1000);
          throw Worker.RateLimitError();
        }
        await prisma.outboundMessage.update({
          where: { id: row.id },
          data: { attempts: row.attempts + 1, reason: f.reason, ...(f.kind === "permanent" ? { status: "FAILED" as const } : {}) },
          select: { id: true },
        });
        if (f.kind === "permanent") throw new UnrecoverableError(f.reason);
        throw err;
      }
    },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency ?? 8,
      limiter: { max: deps.perSecond, duration: 1_000 },
    },
  );
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
