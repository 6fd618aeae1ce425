// The reminder jobs on the real Redis: schedulers registered idempotently,
// the worker opening periods and queuing what is due on the send queues.
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { connectRedis } from "../../jobs/redis.ts";
import { createQueues, jobIdFor, type Queues } from "../../jobs/queues.ts";
import { createReminderQueue, createReminderWorker, OPEN_PERIODS_CRON, OPEN_PERIODS_TZ, scheduleReminderJobs, TICK_EVERY_MS } from "../../jobs/reminders.ts";
import { ensureShippedHolidays } from "../../src/calendar/holiday-store.ts";
import { fixedClock } from "../../src/clock.ts";
import { openDuePeriods } from "../../src/reminders/open-periods.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { testLogger } from "../support/logger.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { ids, importExample, vn } from "../reports/helpers.ts";

const NOW = vn("2026-12-01 10:00");
let t: TestDb;
let redis: Redis;
let queues: Queues;
let queue: Queue;
let worker: Worker | undefined;
const prefix = testQueuePrefix();
const clock = fixedClock(NOW);

beforeAll(async () => {
  t = await createTestDb();
  await importExample(t.db.prisma, NOW);
  await ensureShippedHolidays(t.db.prisma, NOW);
  redis = await connectRedis(testRedisUrl);
  queues = createQueues({ connection: redis, prefix });
  queue = createReminderQueue({ connection: redis, prefix });
});

afterAll(async () => {
  await worker?.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await queues.close();
  redis.disconnect();
  await t.cleanup();
});

/** Runs one job through the worker and resolves with its return value. */
async function run(name: "open-periods" | "reminders-tick"): Promise<unknown> {
  const w = worker;
  if (!w) throw new Error("no worker");
  const job = await queue.add(name, {});
  return new Promise((resolve, reject) => {
    const done = (j: { id?: string | undefined }, value: unknown) => {
      if (j.id !== job.id) return;
      w.off("completed", done);
      resolve(value);
    };
    w.on("completed", done);
    w.once("failed", (_j, err) => reject(err));
  });
}

describe("reminder jobs", () => {
  it("computes the schedule without an ICU date formatter (the first one makes about 5 MB resident)", async () => {
    // luxon (cron-parser's) keeps the formatters it made: start it afresh.
    const bullmq = createRequire(import.meta.url).resolve("bullmq");
    const luxon = createRequire(createRequire(bullmq).resolve("cron-parser"))("luxon") as { Settings: { resetCaches(): void } };
    luxon.Settings.resetCaches();
    const made: unknown[] = [];
    const original = Intl.DateTimeFormat;
    const counting = new Proxy(original, {
      construct: (target, args: unknown[]) => (made.push(args), Reflect.construct(target, args) as object),
      apply: (target, self, args: unknown[]) => (made.push(args), Reflect.apply(target, self, args) as unknown),
    });
    Intl.DateTimeFormat = counting;
    try {
      await scheduleReminderJobs(queue);
    } finally {
      Intl.DateTimeFormat = original;
      await queue.removeJobScheduler("open-periods");
      await queue.removeJobScheduler("reminders-tick");
    }
    expect(made).toEqual([]);
  });

  it("registers the two job schedulers, idempotently", async () => {
    await scheduleReminderJobs(queue);
    await scheduleReminderJobs(queue);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(["open-periods", "reminders-tick"]);
    const open = schedulers.find((s) => s.key === "open-periods");
    expect(open).toMatchObject({ pattern: OPEN_PERIODS_CRON, tz: OPEN_PERIODS_TZ });
    // 06:00 in Vietnam is 23:00 UTC the day before.
    const next = new Date(Number(open?.next));
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([23, 0]);
    expect(next.getTime() - Date.now()).toBeGreaterThan(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
    expect(Number(schedulers.find((s) => s.key === "reminders-tick")?.every)).toBe(TICK_EVERY_MS);
    // The rest of this file runs jobs by hand, at the test clock's time.
    await queue.removeJobScheduler("open-periods");
    await queue.removeJobScheduler("reminders-tick");
    await queue.obliterate({ force: true });
  });

  it("opens the current period of every periodic template, once", async () => {
    const first = await openDuePeriods(t.db.prisma, NOW);
    expect(first.opened.map((o) => o.periodKey).sort()).toEqual(["MONTHLY-2026-12", "MONTHLY-2026-12", "QUARTERLY-2026-4"]);
    expect(first.opened.reduce((n, o) => n + o.created, 0)).toBe(9 + 4 + 6);
    expect(first.failed).toEqual([]);
    const again = await openDuePeriods(t.db.prisma, NOW);
    expect(again.opened.every((o) => o.created === 0)).toBe(true);
    expect(again.reconciled).toMatchObject({ created: 0, updated: 0, cancelled: 0 });
  });

  it("the worker's tick queues the due notices on the send queue, each once", async () => {
    const lan = await ids(t.db.prisma).person("dothilan");
    await t.db.prisma.chatIdentity.create({ data: { personId: lan, platform: "TELEGRAM", externalId: "501", chatId: "501" } });
    worker = createReminderWorker({ connection: redis, prefix, prisma: t.db.prisma, queues, logger: testLogger, clock });
    await run("open-periods");
    await run("reminders-tick");
    // Lan reports for Chi bộ thôn Tân Lập: the quarterly and the monthly report.
    const rows = await t.db.prisma.outboundMessage.findMany({ where: { chatId: "501", status: "QUEUED" }, select: { dedupKey: true, purpose: true } });
    expect(rows.map((r) => r.purpose)).toEqual(["opened", "opened"]);
    for (const r of rows) expect(await queues.send("TELEGRAM").getJob(jobIdFor(r.dedupKey))).toBeDefined();
    // The next tick, a minute later, queues nothing again.
    clock.advance(60_000);
    expect(await run("reminders-tick")).toMatchObject({ created: 0, queued: 0 });
    expect(await queues.send("TELEGRAM").count()).toBe(2);
  });
});
