// The job schedulers live only in Redis. A Redis restarted empty (no
// persistence) or flushed must not stop reminders for good: the scheduler
// role restores every scheduler on reconnect and whenever one disappears,
// and /healthz names a missing one. Real PostgreSQL, a private redis-server,
// the whole app, the Telegram emulator.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import type { Clock } from "../../src/clock.ts";
import { createReminderQueue, scheduleReminderJobs } from "../../jobs/reminders.ts";
import { scheduleMaintenance } from "../../jobs/maintenance.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { startTestApp } from "../support/app.ts";
import { startOwnRedis, type OwnRedis } from "../support/redis-server.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";
import { vn } from "../reports/helpers.ts";

let t: TestDb;
let tg: TelegramEmulator;
let redis: OwnRedis;
const apps: App[] = [];

// A Tuesday morning in office hours, running at the wall clock's pace.
const offset = vn("2026-12-01 09:00").getTime() - Date.now();
const clock: Clock = { now: () => new Date(Date.now() + offset) };

beforeAll(async () => {
  t = await createTestDb();
  tg = await startTelegramEmulator();
  redis = await startOwnRedis();
});

afterAll(async () => {
  for (const app of apps) await app.stop();
  await redis.stop();
  await tg.close();
  await t.cleanup();
});

async function start(env: Record<string, string>): Promise<App> {
  const app = await startTestApp(
    { DATABASE_URL: t.url, REDIS_URL: redis.url, REMINDERS: "on", TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, ...env },
    clock,
    // A tick and a watch much faster than in production, so the test waits seconds, not minutes.
    { scheduler: { tickEveryMs: 200, watchEveryMs: 200 } },
  );
  apps.push(app);
  return app;
}

/** Committee nudges, due now: PLANNED until a reminder tick queues them. */
async function nudge(chats: string[]): Promise<void> {
  await t.db.prisma.outboundMessage.createMany({
    data: chats.map((chatId) => ({
      dedupKey: `nudge:schedulers:${chatId}`,
      purpose: "nudge",
      platform: "TELEGRAM" as const,
      chatId,
      payload: { text: `Nhắc báo cáo ${chatId}` },
      status: "PLANNED" as const,
      plannedFor: clock.now(),
    })),
  });
}

const chatsFrom = (first: number) => Array.from({ length: 5 }, (_, i) => String(first + i));

/** Resolves once every chat got a message (bounded: a stall fails the test). */
async function deliveredTo(chats: string[]): Promise<void> {
  await tg.waitFor(() => chats.every((c) => tg.messagesTo(c).length > 0), 120_000);
}

/** Resolves once the worker has recorded the outcome of every nudge (polled, bounded). */
async function settled(chats: string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const open = () => t.db.prisma.outboundMessage.count({ where: { chatId: { in: chats }, status: { in: ["PLANNED", "QUEUED", "SENDING"] } } });
  while ((await open()) > 0) {
    if (Date.now() > deadline) throw new Error(`${await open()} nudges still open after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("job schedulers after Redis lost its data", { timeout: 300_000 }, () => {
  it("come back after a restart without persistence and after a flush: every nudge delivered, once", async () => {
    await start({});
    const before = chatsFrom(7100);
    await nudge(before);
    await deliveredTo(before);

    await redis.restart();
    const afterRestart = chatsFrom(7200);
    await nudge(afterRestart);
    await deliveredTo(afterRestart);

    // A flush keeps the connection: only the watch notices.
    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();
    const afterFlush = chatsFrom(7300);
    await nudge(afterFlush);
    await deliveredTo(afterFlush);

    const all = [...before, ...afterRestart, ...afterFlush];
    await settled(all);
    for (const chat of all) expect(tg.messagesTo(chat).map((c) => c.text)).toEqual([`Nhắc báo cáo ${chat}`]);
    const rows = await t.db.prisma.outboundMessage.groupBy({ by: ["status"], where: { chatId: { in: all } }, _count: true });
    expect(rows).toEqual([{ status: "SENT", _count: all.length }]);
  });

  it("/healthz names a missing scheduler until one is registered", async () => {
    // No scheduler role: nothing registers them on this Redis prefix.
    const app = await start({ ROLES: "http", QUEUE_PREFIX: "baocao-test-health-schedulers" });
    const health = async () => {
      const r = await fetch(`http://127.0.0.1:${app.http!.port}/healthz`);
      return { status: r.status, body: (await r.json()) as Record<string, string> };
    };
    expect(await health()).toEqual({
      status: 503,
      body: { status: "down", database: "ok", queue: "ok", schedulers: "missing: sweep, open-periods, reminders-tick" },
    });
    const reminders = createReminderQueue({ connection: app.redis, prefix: "baocao-test-health-schedulers" });
    try {
      await scheduleMaintenance(app.queues);
      await scheduleReminderJobs(reminders);
      expect(await health()).toEqual({ status: 200, body: { status: "ok", database: "ok", queue: "ok", schedulers: "ok" } });
    } finally {
      await reminders.obliterate({ force: true });
      await reminders.close();
    }
  });
});
