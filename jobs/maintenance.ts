// Periodic housekeeping, run by the worker role through a BullMQ job
// scheduler so that several instances never run it twice at once. PostgreSQL
// is the record of what must be sent; these sweeps make Redis agree with it.
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Prisma } from "../src/db/database.ts";
import type { Logger } from "../src/logger.ts";
import type { Clock } from "../src/clock.ts";
import { enqueueOutbound, jobIdFor, MAINTENANCE_QUEUE, type Queues } from "./queues.ts";
import type { SchedulerGroup } from "./schedulers.ts";
import { INTERRUPTED } from "../src/inbound/delivery.ts";
import { pruneConsole } from "../src/console/sessions.ts";

export const SWEEP_EVERY_MS = 60_000;
/** A QUEUED row untouched this long whose job has finished gets a new one. */
export const STUCK_QUEUED_MS = 10 * 60_000;
/**
 * A row SENDING this long lost its job (its worker died while Redis lost its
 * data); well beyond the longest platform call (grammY gives up after 500 s).
 */
export const STALE_SENDING_MS = 15 * 60_000;

const PAGE = 1_000;

export async function scheduleMaintenance(queues: Queues): Promise<void> {
  await queues.maintenance.upsertJobScheduler("sweep", { every: SWEEP_EVERY_MS }, { name: "sweep" });
}

/** The sweep's scheduler, for the scheduler role's watch (schedulers.ts). */
export function maintenanceSchedulers(queues: Queues): SchedulerGroup {
  return { queue: queues.maintenance, ids: ["sweep"], register: () => scheduleMaintenance(queues) };
}

export interface OutboxDeps {
  prisma: Prisma;
  queues: Queues;
  clock: Clock;
}

/**
 * Queues every due proactive message still QUEUED. A row whose job exists is
 * left alone (BullMQ refuses a second job with the same id), so this is cheap
 * to run whenever Redis may have lost jobs: at start, after a reconnect, in
 * every sweep. A job that runs twice anyway is harmless: the row is claimed
 * in PostgreSQL before sending.
 */
export async function requeueOutbound(deps: OutboxDeps): Promise<number> {
  let after = 0;
  let total = 0;
  for (;;) {
    const rows = await deps.prisma.outboundMessage.findMany({
      where: { id: { gt: after }, status: "QUEUED", purpose: { not: "reply" }, plannedFor: { lte: deps.clock.now() } },
      select: { id: true, dedupKey: true, platform: true },
      orderBy: { id: "asc" },
      take: PAGE,
    });
    if (rows.length === 0) return total;
    await enqueueOutbound(deps.queues, rows);
    total += rows.length;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * Rows QUEUED for long whose job already finished (completed or failed while
 * the row said otherwise, e.g. a status write lost in an outage): their job
 * id is taken, so they get a fresh job.
 */
export async function requeueStuck(deps: OutboxDeps): Promise<number> {
  const rows = await deps.prisma.outboundMessage.findMany({
    where: {
      status: "QUEUED",
      purpose: { not: "reply" },
      plannedFor: { lte: deps.clock.now() },
      updatedAt: { lt: new Date(deps.clock.now().getTime() - STUCK_QUEUED_MS) },
    },
    select: { id: true, dedupKey: true, platform: true },
    orderBy: { id: "asc" },
    take: PAGE,
  });
  let requeued = 0;
  for (const row of rows) {
    const job = await deps.queues.send(row.platform).getJob(jobIdFor(row.dedupKey));
    const state = job ? await job.getState() : "unknown";
    if (job && (state === "completed" || state === "failed")) await job.remove();
    else if (job) continue; // waiting, delayed or active: it will run
    await enqueueOutbound(deps.queues, [row]);
    requeued += 1;
  }
  return requeued;
}

/**
 * Rows SENDING whose job completed "sent": the platform took the message, and
 * the worker stopped (or PostgreSQL was away) before the SENT mark it writes
 * after completing the job (jobs/send-worker.ts). Written SENT now, at the
 * time the job finished; the platform's message ids are not known here. Few
 * rows: those of the messages in flight and of marks lost.
 */
export async function settleDelivered(deps: OutboxDeps): Promise<number> {
  const rows = await deps.prisma.outboundMessage.findMany({
    where: { status: "SENDING", purpose: { not: "reply" } },
    select: { id: true, dedupKey: true, platform: true },
    orderBy: { id: "asc" },
    take: PAGE,
  });
  let settled = 0;
  for (const row of rows) {
    const job = await deps.queues.send(row.platform).getJob(jobIdFor(row.dedupKey));
    if (job?.finishedOn === undefined || job.returnvalue !== "sent" || job.data.outboundId !== row.id) continue;
    const { count } = await deps.prisma.outboundMessage.updateMany({
      where: { id: row.id, status: "SENDING" },
      data: { status: "SENT", reason: null, sentAt: new Date(job.finishedOn) },
    });
    settled += count;
  }
  return settled;
}

/** Rows left SENDING by a job that vanished: maybe delivered, so never re-sent. */
export async function settleStaleSending(deps: { prisma: Prisma; clock: Clock }): Promise<number> {
  const { count } = await deps.prisma.outboundMessage.updateMany({
    where: { status: "SENDING", updatedAt: { lt: new Date(deps.clock.now().getTime() - STALE_SENDING_MS) } },
    data: { status: "UNCERTAIN", reason: INTERRUPTED },
  });
  return count;
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
      const stuck = await requeueStuck(deps);
      const delivered = await settleDelivered(deps);
      const interrupted = await settleStaleSending(deps);
      const { count: leases } = await deps.prisma.chatLease.deleteMany({
        where: { until: { lt: new Date(deps.clock.now().getTime() - 3_600_000) } },
      });
      const consoleRows = await pruneConsole(deps.prisma, deps.clock.now());
      if (stuck > 0 || delivered > 0 || interrupted > 0) deps.logger.warn({ stuck, delivered, interrupted }, "maintenance repaired outbound messages");
      deps.logger.debug({ requeued, stuck, delivered, interrupted, leases, consoleRows }, "maintenance sweep");
      return { requeued, stuck, delivered, interrupted, leases, consoleRows };
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on("error", (err) => deps.logger.error({ err: err.message }, "maintenance worker error"));
  return worker;
}
