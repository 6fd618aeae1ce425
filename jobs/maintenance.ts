// Periodic housekeeping, run by the scheduler role through a BullMQ job
// scheduler so that several instances never run it twice at once.
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Prisma } from "../src/db/database.ts";
import type { Logger } from "../src/logger.ts";
import type { Clock } from "../src/clock.ts";
import { enqueueOutbound, MAINTENANCE_QUEUE, type Queues } from "./queues.ts";

export const SWEEP_EVERY_MS = 60_000;

export async function scheduleMaintenance(queues: Queues): Promise<void> {
  await queues.maintenance.upsertJobScheduler("sweep", { every: SWEEP_EVERY_MS }, { name: "sweep" });
}

/** Re-queues proactive messages whose job was lost (e.g. Redis was wiped). */
export async function requeueOutbound(deps: { prisma: Prisma; queues: Queues; clock: Clock }): Promise<number> {
  const rows = await deps.prisma.outboundMessage.findMany({
    where: { status: "QUEUED", purpose: { not: "reply" }, plannedFor: { lte: deps.clock.now() } },
    select: { id: true, dedupKey: true, platform: true },
    orderBy: { id: "asc" },
    take: 5_000,
  });
  await enqueueOutbound(deps.queues, rows);
  return rows.length;
}

export function createMaintenanceWorker(deps: {
  connection: Redis;
  prefix: string;
  prisma: Prisma;
  queues: Queues;
  logger: Logger;
  clock: Clock;
}): Worker {
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async () => {
      const requeued = await requeueOutbound(deps);
      const { count: leases } = await deps.prisma.chatLease.deleteMany({
        where: { until: { lt: new Date(deps.clock.now().getTime() - 3_600_000) } },
      });
      deps.logger.debug({ requeued, leases }, "maintenance sweep");
      return { requeued, leases };
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on("error", (err) => deps.logger.error({ err: err.message }, "maintenance worker error"));
  return worker;
}
