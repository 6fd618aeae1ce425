// The worker role: one send worker per channel, the maintenance worker, and
// the watch that re-queues stored messages whenever Redis may have lost its
// jobs (a restart without persistence, a flush, an eviction).
import type { Redis } from "ioredis";
import type { ChannelSender } from "../src/channels/channel.ts";
import type { Prisma, Run } from "../src/db/database.ts";
import type { Logger } from "../src/logger.ts";
import type { Clock } from "../src/clock.ts";
import type { Queues } from "./queues.ts";
import { createSendWorker, type SendWorker } from "./send-worker.ts";
import { createMaintenanceWorker, requeueOutbound, scheduleMaintenance, settleDelivered } from "./maintenance.ts";

/** How often the watch checks that Redis still holds its data. */
export const WATCH_EVERY_MS = 10_000;

export interface WorkerRoleDeps {
  connection: Redis;
  prefix: string;
  queues: Queues;
  prisma: Prisma;
  /** Database.query, for the send workers' claims and marks. */
  query?: Run;
  logger: Logger;
  clock: Clock;
  channels: { sender: ChannelSender; perSecond: number }[];
  /** Test hooks: a short job lock, so a killed worker's jobs are re-run quickly. */
  lockMs?: number;
  concurrency?: number;
}

export interface WorkerRole {
  sendWorkers: SendWorker[];
  /** Resolves when the recovery pass under way (if any) has finished. */
  recovered(): Promise<void>;
  close(): Promise<void>;
}

export function startWorkerRole(deps: WorkerRoleDeps): WorkerRole {
  const { connection, logger } = deps;
  const sendWorkers = deps.channels.map(({ sender, perSecond }) =>
    createSendWorker({
      connection,
      queue: deps.queues.send(sender.platform),
      prefix: deps.prefix,
      sender,
      prisma: deps.prisma,
      ...(deps.query ? { query: deps.query } : {}),
      logger: logger.child({ channel: sender.platform }),
      clock: deps.clock,
      perSecond,
      ...(deps.lockMs !== undefined ? { lockMs: deps.lockMs } : {}),
      ...(deps.concurrency !== undefined ? { concurrency: deps.concurrency } : {}),
    }),
  );
  const maintenance = createMaintenanceWorker({ connection, prefix: deps.prefix, prisma: deps.prisma, queues: deps.queues, logger, clock: deps.clock });

  // A key that exists while Redis keeps its data: gone means jobs are gone too.
  const sentinel = `${deps.prefix}:outbox-watch`;
  let running: Promise<void> | undefined;
  let requested = 0;
  let failed = false;
  const pass = async (why: string) => {
    try {
      // Set first: a loss during the pass removes it and triggers another.
      await connection.set(sentinel, "1");
      // Lost with the data too; idempotent, so every worker may do it.
      await scheduleMaintenance(deps.queues);
      const requeued = await requeueOutbound(deps);
      // A worker that stopped before writing the marks of its last deliveries.
      const delivered = await settleDelivered(deps);
      failed = false;
      logger.info({ why, requeued, delivered }, "outbound messages re-queued");
    } catch (err) {
      failed = true;
      logger.warn({ why, err: (err as Error).message }, "re-queue failed; retried on the next check");
    }
  };
  const recover = (why: string): Promise<void> => {
    requested += 1;
    running ??= (async () => {
      // Asked again while a pass ran (another reconnect): run once more.
      for (let done = 0; done < requested; ) {
        done = requested;
        await pass(why);
      }
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const onReady = () => void recover("redis reconnected");
  connection.on("ready", onReady);
  const watch = setInterval(() => {
    if (running || connection.status !== "ready") return;
    if (failed) {
      void recover("retry");
      return;
    }
    void connection.exists(sentinel).then(
      (n) => (n === 0 ? recover("redis lost its data") : undefined),
      () => undefined,
    );
  }, WATCH_EVERY_MS);
  watch.unref();
  void recover("worker started");

  return {
    sendWorkers,
    recovered: () => running ?? Promise.resolve(),
    async close() {
      clearInterval(watch);
      connection.off("ready", onReady);
      await Promise.all([...sendWorkers, maintenance].map((w) => w.close()));
    },
  };
}
