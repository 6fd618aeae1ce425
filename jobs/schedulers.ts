// The BullMQ job schedulers (the maintenance sweep, the reminder tick, the
// daily opening of periods) live only in Redis. A Redis that comes back
// empty (no persistence) or is flushed loses them, and nothing would tick
// again until the bot restarts: reminders would silently stop. So the
// scheduler role registers them at start and, like the worker role's outbox
// watch (workers.ts), checks them again whenever Redis reconnects and on a
// short interval, restoring any that is missing. /healthz names a missing one.
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../src/logger.ts";

/** Schedulers registered together, on one queue. */
export interface SchedulerGroup {
  queue: Queue;
  ids: readonly string[];
  /** Registers every scheduler of the group; idempotent. */
  register(): Promise<void>;
  /** After a restore: what a run lost with Redis must still do (e.g. today's opening). */
  restored?(): Promise<void>;
}

/** How often the scheduler role checks that its schedulers still exist. */
export const SCHEDULER_WATCH_MS = 10_000;

async function missingIn(group: SchedulerGroup): Promise<string[]> {
  const missing: string[] = [];
  for (const id of group.ids) if (!(await group.queue.getJobScheduler(id))) missing.push(id);
  return missing;
}

/** The ids of the expected schedulers that Redis does not hold. */
export async function missingSchedulers(groups: readonly SchedulerGroup[]): Promise<string[]> {
  return (await Promise.all(groups.map(missingIn))).flat();
}

export interface SchedulerWatch {
  /** Resolves when the check under way (if any) has finished. */
  checked(): Promise<void>;
  close(): void;
}

/** Registers the groups, then restores any scheduler that goes missing. */
export async function startSchedulerRole(deps: {
  connection: Redis;
  groups: readonly SchedulerGroup[];
  logger: Logger;
  everyMs?: number;
}): Promise<SchedulerWatch> {
  const { connection, groups, logger } = deps;
  for (const g of groups) await g.register();

  const pass = async (why: string) => {
    try {
      for (const g of groups) {
        const missing = await missingIn(g);
        if (missing.length === 0) continue;
        await g.register();
        await g.restored?.();
        logger.warn({ why, schedulers: missing }, "job schedulers restored");
      }
    } catch (err) {
      logger.warn({ why, err: (err as Error).message }, "job scheduler check failed; retried on the next check");
    }
  };
  let running: Promise<void> | undefined;
  let requested = 0;
  const check = (why: string): Promise<void> => {
    requested += 1;
    running ??= (async () => {
      // Asked again while a pass ran (a reconnect during a check): run once more.
      for (let done = 0; done < requested; ) {
        done = requested;
        await pass(why);
      }
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const onReady = () => void check("redis reconnected");
  connection.on("ready", onReady);
  const watch = setInterval(() => {
    if (!running && connection.status === "ready") void check("watch");
  }, deps.everyMs ?? SCHEDULER_WATCH_MS);
  watch.unref();
  return {
    checked: () => running ?? Promise.resolve(),
    close() {
      clearInterval(watch);
      connection.off("ready", onReady);
    },
  };
}
