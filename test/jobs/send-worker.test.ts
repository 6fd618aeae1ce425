// Proactive messages go through the BullMQ send queue: one job per message
// id, 429 honoured, permanent failures recorded with their reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { connectRedis } from "../../jobs/redis.ts";
import { createQueues, enqueueOutbound, type Queues } from "../../jobs/queues.ts";
import { createSendWorker, type SendWorker } from "../../jobs/send-worker.ts";
import { requeueOutbound } from "../../jobs/maintenance.ts";
import { createTelegramAdapter } from "../../src/channels/telegram/index.ts";
import { systemClock } from "../../src/clock.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { testLogger } from "../support/logger.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";

let t: TestDb;
let tg: TelegramEmulator;
let redis: Redis;
let queues: Queues;
let worker: SendWorker;
const finished: number[] = [];
let onFinished: (() => void) | undefined;
const prefix = testQueuePrefix();

beforeAll(async () => {
  t = await createTestDb();
  tg = await startTelegramEmulator();
  redis = await connectRedis(testRedisUrl);
  queues = createQueues({ connection: redis, prefix });
  const adapter = createTelegramAdapter({ token: tg.token, apiRoot: tg.apiRoot, logger: testLogger });
  worker = createSendWorker({ connection: redis, queue: queues.send("TELEGRAM"), prefix, sender: adapter, prisma: t.db.prisma, logger: testLogger, clock: systemClock, perSecond: 30 });
  const done = (id: number) => {
    finished.push(id);
    onFinished?.();
  };
  worker.on("completed", (job) => done((job.data).outboundId));
  worker.on("failed", (job, err) => {
    if (job && (err.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1))) done((job.data).outboundId);
  });
});

afterAll(async () => {
  await worker.close();
  await queues.close();
  redis.disconnect();
  await tg.close();
  await t.cleanup();
});

/** Resolves when every given message has finished (sent, failed or skipped) and its outcome is written. */
async function untilFinished(ids: number[]): Promise<void> {
  await new Promise<void>((resolve) => {
    const check = () => {
      if (ids.every((id) => finished.includes(id))) {
        onFinished = undefined;
        resolve();
      }
    };
    onFinished = check;
    check();
  });
  await worker.marked();
}

async function plan(chatId: string, key: string) {
  return t.db.prisma.outboundMessage.create({
    data: { dedupKey: key, purpose: "nudge", platform: "TELEGRAM", chatId, payload: { text: `Nhắc ${key}` }, status: "QUEUED" },
    select: { id: true, dedupKey: true, platform: true },
  });
}

describe("the send queue", { timeout: 120_000 }, () => {
  it("sends each planned message once, however often it is queued", async () => {
    const rows = [await plan("801", "nudge:801:q1"), await plan("802", "nudge:802:q1")];
    await enqueueOutbound(queues, rows);
    await enqueueOutbound(queues, rows);
    await untilFinished(rows.map((r) => r.id));
    // A maintenance sweep re-queues nothing that was sent.
    expect(await requeueOutbound({ prisma: t.db.prisma, queues, clock: systemClock })).toBe(0);
    expect(tg.messagesTo(801).map((c) => c.text)).toEqual(["Nhắc nudge:801:q1"]);
    expect(tg.messagesTo(802).map((c) => c.text)).toEqual(["Nhắc nudge:802:q1"]);
    const stored = await t.db.prisma.outboundMessage.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: { status: true, sentAt: true } });
    expect(stored.every((s) => s.status === "SENT" && s.sentAt !== null)).toBe(true);
  });

  it("waits out a 429 and then delivers", async () => {
    tg.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 });
    const row = await plan("803", "nudge:803:q1");
    await enqueueOutbound(queues, [row]);
    await untilFinished([row.id]);
    const refused = tg.calls.filter((c) => c.chat_id === "803" && !c.ok);
    const delivered = tg.messagesTo(803);
    expect(refused).toHaveLength(1);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.at - refused[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it("records a blocked chat as failed with its reason, without retrying", async () => {
    tg.blockedChats.add("804");
    const row = await plan("804", "nudge:804:q1");
    await enqueueOutbound(queues, [row]);
    await untilFinished([row.id]);
    expect(await t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: row.id }, select: { status: true, reason: true } })).toEqual({
      status: "FAILED",
      reason: "blocked",
    });
    expect(tg.calls.filter((c) => c.chat_id === "804")).toHaveLength(1);
  });
});
