// Reminders on a schedule. Two BullMQ job schedulers on the "reminders"
// queue, registered (idempotently) by the scheduler role:
//   open-periods    daily at 06:00 Vietnam time: opens the current periods
//                   and plans their reminders;
//   reminders-tick  every minute: reconciles the plan with the data, then
//                   queues the messages that are due.
// The worker role runs them. Every step is idempotent and safe to run in
// several processes at once, so a duplicate or late job does no harm.
import { createRequire } from "node:module";
import { Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Prisma } from "../src/db/database.ts";
import type { Logger } from "../src/logger.ts";
import type { Clock } from "../src/clock.ts";
import { UTC_OFFSET_MINUTES } from "../src/calendar/dates.ts";
import { reconcileReminders, type ReconcileResult } from "../src/reminders/reconcile.ts";
import { dispatchDue } from "../src/reminders/dispatch.ts";
import { planHolidayNotices } from "../src/reminders/holiday-notice.ts";
import { openDuePeriods, type OpenDuePeriodsResult } from "../src/reminders/open-periods.ts";
import { reconcileQuestionReminders, type QuestionReconcileResult } from "../src/questions/reminders.ts";
import { enqueueOutbound, type Queues } from "./queues.ts";
import type { SchedulerGroup } from "./schedulers.ts";

export const REMINDER_QUEUE = "reminders";
export const TICK_EVERY_MS = 60_000;
/** 06:00 every day, before office hours, so the "opened" notices go out at opening. */
export const OPEN_PERIODS_CRON = "0 6 * * *";
/**
 * The cron's time zone: Vietnam's fixed offset (no daylight saving since
 * 1975, see src/calendar/dates.ts) rather than "Asia/Ho_Chi_Minh", so that
 * cron-parser's luxon computes the runs by arithmetic instead of through an
 * ICU time zone formatter. The first Intl.DateTimeFormat of a process makes
 * about 5 MB of ICU's data and code resident, for the life of the process.
 */
export const OPEN_PERIODS_TZ = `UTC+${UTC_OFFSET_MINUTES / 60}`;

/**
 * For the same reason, gives luxon a locale: without one, its first date asks
 * ICU for the system's locale through an Intl.DateTimeFormat, though it formats
 * nothing for cron-parser. Its instance is the CommonJS one cron-parser
 * requires, found from where cron-parser is; if that fails, nothing changes
 * but the memory.
 */
function giveLuxonALocale(): void {
  try {
    const bullmq = createRequire(import.meta.url).resolve("bullmq");
    const cronParser = createRequire(bullmq).resolve("cron-parser");
    const { Settings } = createRequire(cronParser)("luxon") as { Settings: { defaultLocale: string | null } };
    Settings.defaultLocale ??= "en-US";
  } catch {
    // Another layout of node_modules: luxon asks ICU, as it did.
  }
}
giveLuxonALocale();

const jobName = z.enum(["open-periods", "reminders-tick"]);

export function createReminderQueue(deps: { connection: Redis; prefix: string; onError?: (err: Error) => void }): Queue {
  const queue = new Queue(REMINDER_QUEUE, {
    connection: deps.connection,
    prefix: deps.prefix,
    defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { age: 7 * 24 * 3600 } },
  });
  // Without a listener, a connection error becomes an uncaught exception.
  queue.on("error", deps.onError ?? (() => undefined));
  return queue;
}

export async function scheduleReminderJobs(queue: Queue, tickEveryMs = TICK_EVERY_MS): Promise<void> {
  await queue.upsertJobScheduler("open-periods", { pattern: OPEN_PERIODS_CRON, tz: OPEN_PERIODS_TZ }, { name: "open-periods" });
  await queue.upsertJobScheduler("reminders-tick", { every: tickEveryMs }, { name: "reminders-tick" });
}

/** The two reminder schedulers, for the scheduler role's watch (schedulers.ts). */
export function reminderSchedulers(queue: Queue, tickEveryMs = TICK_EVERY_MS): SchedulerGroup {
  return {
    queue,
    ids: jobName.options,
    register: () => scheduleReminderJobs(queue, tickEveryMs),
    // Today's 06:00 run may have been lost with Redis: opening is idempotent, so run it now.
    restored: async () => {
      await queue.add("open-periods", {});
    },
  };
}

export interface ReminderDeps {
  prisma: Prisma;
  queues: Queues;
  clock: Clock;
}

export interface TickResult {
  reconciled: ReconcileResult;
  questions: QuestionReconcileResult;
  dispatched: { queued: number; skipped: number; postponed: number; expired: number };
}

/** One tick: the plan brought up to date, then the due messages queued. */
export async function runReminderTick(deps: ReminderDeps): Promise<TickResult> {
  const now = deps.clock.now();
  const reconciled = await reconcileReminders(deps.prisma, { now });
  const questions = await reconcileQuestionReminders(deps.prisma, { now });
  await planHolidayNotices(deps.prisma, now);
  const dispatched = await dispatchDue(deps.prisma, now, (rows) => enqueueOutbound(deps.queues, rows));
  return { reconciled, questions, dispatched };
}

/** At start-up: open the current periods and rebuild the whole plan (after downtime or edits). */
export async function runReminderStartup(deps: Omit<ReminderDeps, "queues">): Promise<{ periods: OpenDuePeriodsResult; reconciled: ReconcileResult }> {
  const periods = await openDuePeriods(deps.prisma, deps.clock.now());
  const reconciled = await reconcileReminders(deps.prisma, { now: deps.clock.now() });
  return { periods, reconciled };
}

export function createReminderWorker(deps: ReminderDeps & { connection: Redis; prefix: string; logger: Logger }): Worker {
  const { logger } = deps;
  const worker = new Worker(
    REMINDER_QUEUE,
    async (job) => {
      const name = jobName.safeParse(job.name);
      if (!name.success) throw new UnrecoverableError(`unknown reminder job "${job.name}"`);
      if (name.data === "open-periods") {
        const r = await openDuePeriods(deps.prisma, deps.clock.now());
        for (const f of r.failed) logger.warn({ templateId: f.templateId, err: f.error }, "period not opened");
        logPolicies(logger, r.reconciled);
        logger.info({ opened: r.opened, created: r.reconciled.created }, "periods opened");
        return { opened: r.opened.length, failed: r.failed.length };
      }
      const r = await runReminderTick(deps);
      logPolicies(logger, r.reconciled);
      const { created, updated, revived, cancelled } = r.reconciled;
      logger.debug({ created, updated, revived, cancelled, questions: r.questions, ...r.dispatched }, "reminders tick");
      return { created, updated, cancelled, queued: r.dispatched.queued };
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on("error", (err) => logger.error({ err: err.message }, "reminder worker error"));
  worker.on("failed", (job, err) => logger.warn({ job: job?.name, err: err.message }, "reminder job failed"));
  return worker;
}

function logPolicies(logger: Logger, r: ReconcileResult): void {
  for (const p of r.invalidPolicies) logger.warn({ templateId: p.templateId, problems: p.problems }, "invalid reminder policy, default used");
}
