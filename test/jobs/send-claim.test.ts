// The send worker's claim in PostgreSQL: a row is sent by one job only, a
// row found SENDING is never sent again, and the per-chat spacing holds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { connectRedis } from "../../jobs/redis.ts";
import { createQueues, enqueueOutbound, jobIdFor, sendQueueName, type Queues } from "../../jobs/queues.ts";
import { createSendWorker, type SendResult, type SendWorker } from "../../jobs/send-worker.ts";
import { settleStaleSending, STALE_SENDING_MS } from "../../jobs/maintenance.ts";
import { startWorkerRole } from "../../jobs/workers.ts";
import { createTelegramAdapter } from "../../src/channels/telegram/index.ts";
import { systemClock } from "../../src/clock.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { testLogger } from "../support/logger.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";
import { startHoldProxy, type HoldProxy } from "../support/hold-proxy.ts";

let t: TestDb;
let tg: TelegramEmulator;
let redis: Redis;
let proxy: HoldProxy;
const open: { worker?: SendWorker; queues: Queues }[] = [];

beforeAll(async () => {
  t = await createTestDb();
  // Telegram's per-chat limit on: a message too soon after another gets 429.
  tg = await startTelegramEmulator({ limits: { perChatPerSec: 1 } });
  redis = await connectRedis(testRedisUrl);
  proxy = await startHoldProxy(tg.apiRoot);
});

afterAll(async () => {
  for (const o of open) {
    await o.worker?.close();
    await o.queues.close();
  }
  redis.disconnect();
  await proxy.close();
  await tg.close();
  await t.cleanup();
});

/** A queue prefix of its own, and a worker started on demand that reports each finished job. */
function setup(apiRoot = tg.apiRoot) {
  const prefix = testQueuePrefix();
  const queues = createQueues({ connection: redis, prefix });
  const entry: { worker?: SendWorker; queues: Queues } = { queues };
  open.push(entry);
  const results = new Map<number, SendResult | "failed">();
  let changed: () => void = () => undefined;
  return {
    prefix,
    queues,
    start() {
      const worker = createSendWorker({
        connection: redis,
        queue: queues.send("TELEGRAM"),
        prefix,
        sender: createTelegramAdapter({ token: tg.token, apiRoot, logger: testLogger }),
        prisma: t.db.prisma,
        logger: testLogger,
        clock: systemClock,
        perSecond: 30,
      });
      worker.on("completed", (job, result) => {
        results.set(job.data.outboundId, result);
        changed();
      });
      worker.on("failed", (job, err) => {
        if (job && (err.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1))) {
          results.set(job.data.outboundId, "failed");
          changed();
        }
      });
      entry.worker = worker;
    },
    results,
    /** Resolves when every given row's job has finished and its outcome is written. */
    async finished(ids: number[]): Promise<void> {
      await new Promise<void>((resolve) => {
        const check = () => {
          if (ids.every((id) => results.has(id))) resolve();
        };
        changed = check;
        check();
      });
      await entry.worker?.marked();
    },
  };
}

async function row(chatId: string, key: string, status: "QUEUED" | "SENDING" = "QUEUED", payload: object = { text: `Nhắc ${key}` }) {
  return t.db.prisma.outboundMessage.create({
    data: { dedupKey: key, purpose: "reminder", platform: "TELEGRAM", chatId, payload, status },
    select: { id: true, dedupKey: true, platform: true },
  });
}

const statusOf = (id: number) =>
  t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id }, select: { status: true, reason: true, attempts: true, platformMessageId: true } });

describe("the send worker's claim", { timeout: 120_000 }, () => {
  it("leaves a row another job is sending alone; the sweep settles it as uncertain once stale", async () => {
    const s = setup();
    const r = await row("901", "reminder:901:a", "SENDING");
    await enqueueOutbound(s.queues, [r]);
    s.start();
    await s.finished([r.id]);
    expect(s.results.get(r.id)).toBe("in_flight_elsewhere");
    expect(tg.messagesTo(901)).toHaveLength(0);
    expect((await statusOf(r.id)).status).toBe("SENDING");

    const later = { now: () => new Date(Date.now() + STALE_SENDING_MS + 60_000) };
    expect(await settleStaleSending({ prisma: t.db.prisma, clock: later })).toBe(1);
    expect(await statusOf(r.id)).toMatchObject({ status: "UNCERTAIN", reason: "interrupted during sending" });
  });

  it("writes SENT, and sends nothing again, for a delivery whose worker stopped before recording it", async () => {
    const s = setup();
    const r = await row("908", "reminder:908:a", "SENDING");
    await enqueueOutbound(s.queues, [r]);
    // What a worker leaves that had its message delivered, completed the job
    // and stopped before writing the SENT mark.
    const stopped = new Worker(sendQueueName("TELEGRAM"), () => Promise.resolve("sent"), { connection: redis, prefix: s.prefix });
    await new Promise((resolve) => stopped.once("completed", resolve));
    await stopped.close();
    expect((await statusOf(r.id)).status).toBe("SENDING");

    const next = startWorkerRole({
      connection: redis,
      prefix: s.prefix,
      queues: s.queues,
      prisma: t.db.prisma,
      logger: testLogger,
      clock: systemClock,
      channels: [{ sender: createTelegramAdapter({ token: tg.token, apiRoot: tg.apiRoot, logger: testLogger }), perSecond: 30 }],
    });
    await next.recovered();
    await next.close();
    const stored = await t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: r.id }, select: { status: true, reason: true, sentAt: true } });
    expect(stored).toMatchObject({ status: "SENT", reason: null });
    expect(stored.sentAt).not.toBeNull();
    expect(tg.messagesTo(908)).toHaveLength(0);
  });

  it("marks a row uncertain, without sending, when its own job is re-run after a stall", async () => {
    const s = setup();
    const r = await row("902", "reminder:902:a", "SENDING");
    await enqueueOutbound(s.queues, [r]);
    // What BullMQ's stalled-job recovery records before re-running a job.
    await redis.hset(`${s.prefix}:${sendQueueName("TELEGRAM")}:${jobIdFor(r.dedupKey)}`, "stc", "1");
    s.start();
    await s.finished([r.id]);
    expect(s.results.get(r.id)).toBe("uncertain");
    expect(tg.messagesTo(902)).toHaveLength(0);
    expect(await statusOf(r.id)).toMatchObject({ status: "UNCERTAIN", reason: "interrupted during sending" });
  });

  it("spaces messages to one chat a second apart, without a 429", async () => {
    const s = setup();
    const rows = [await row("903", "reminder:903:a"), await row("903", "reminder:903:b"), await row("903", "reminder:903:c")];
    await enqueueOutbound(s.queues, rows);
    s.start();
    await s.finished(rows.map((r) => r.id));
    const got = tg.messagesTo(903);
    expect(got).toHaveLength(3);
    expect(tg.calls.filter((c) => c.chat_id === "903" && c.error_code === 429)).toHaveLength(0);
    for (let i = 1; i < got.length; i++) expect(got[i]!.at - got[i - 1]!.at).toBeGreaterThanOrEqual(990);
    for (const r of rows) expect(await statusOf(r.id)).toMatchObject({ status: "SENT", attempts: 1 });
  });

  it("keeps a fan-out within the platform's overall limit, without a 429", async () => {
    const limited = await startTelegramEmulator({ limits: { globalPerSec: 30, perChatPerSec: 1 } });
    try {
      const s = setup(limited.apiRoot);
      const rows = [];
      for (let i = 0; i < 90; i++) rows.push(await row(String(9100 + i), `reminder:${9100 + i}:a`));
      await enqueueOutbound(s.queues, rows);
      s.start();
      await s.finished(rows.map((r) => r.id));
      const at = limited.sent.filter((c) => c.method === "sendMessage").map((c) => c.at);
      expect(at).toHaveLength(90);
      expect(limited.calls.filter((c) => c.error_code === 429)).toHaveLength(0);
      // The busiest second holds no more than the limit.
      for (let i = 30; i < at.length; i++) expect(at[i]! - at[i - 30]!).toBeGreaterThanOrEqual(1000);
      for (const r of rows) expect((await statusOf(r.id)).status).toBe("SENT");
    } finally {
      await limited.close();
    }
  });

  it("puts a row back after a transient failure and sends it on the retry", async () => {
    const s = setup();
    tg.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" });
    const r = await row("904", "reminder:904:a");
    await enqueueOutbound(s.queues, [r]);
    s.start();
    await s.finished([r.id]);
    expect(tg.messagesTo(904)).toHaveLength(1);
    expect(await statusOf(r.id)).toMatchObject({ status: "SENT", attempts: 2 });
  });

  it("marks a message uncertain, and does not send it again, when the connection drops after the platform got it", async () => {
    const s = setup(proxy.url);
    proxy.resetNext();
    const r = await row("906", "reminder:906:a");
    await enqueueOutbound(s.queues, [r]);
    s.start();
    await s.finished([r.id]);
    expect(s.results.get(r.id)).toBe("uncertain");
    expect(tg.messagesTo(906)).toHaveLength(1);
    expect(await statusOf(r.id)).toMatchObject({ status: "UNCERTAIN", reason: "no_answer:ECONNRESET", attempts: 1 });
  });

  it("resumes a split message at the part that failed, without repeating the parts delivered", async () => {
    const s = setup();
    // Longer than a caption: the text goes first, then the file; the file fails once.
    const file = { fileName: "bao-cao.pdf", mimeType: "application/pdf", data: Buffer.from("%PDF-1.4 test").toString("base64") };
    const r = await row("907", "reminder:907:a", "QUEUED", { text: "Báo cáo quý. ".repeat(100), file });
    tg.failNext("sendDocument", { error_code: 502, description: "Bad Gateway" });
    await enqueueOutbound(s.queues, [r]);
    s.start();
    await s.finished([r.id]);
    expect(tg.sent.filter((c) => c.chat_id === "907").map((c) => c.method)).toEqual(["sendMessage", "sendDocument"]);
    const stored = await statusOf(r.id);
    expect(stored).toMatchObject({ status: "SENT", attempts: 2 });
    expect(stored.platformMessageId?.split(",")).toHaveLength(2);
  });

  it("records a blocked chat on the person's identity, so planners stop using it", async () => {
    const s = setup();
    const person = await t.db.prisma.person.create({ data: { code: "blocked-905", fullName: "Trần Thị B" }, select: { id: true } });
    await t.db.prisma.chatIdentity.create({ data: { personId: person.id, platform: "TELEGRAM", externalId: "905", chatId: "905" } });
    tg.blockedChats.add("905");
    const r = await row("905", "reminder:905:a");
    await enqueueOutbound(s.queues, [r]);
    s.start();
    await s.finished([r.id]);
    expect(await statusOf(r.id)).toMatchObject({ status: "FAILED", reason: "blocked" });
    const identity = await t.db.prisma.chatIdentity.findFirstOrThrow({ where: { platform: "TELEGRAM", chatId: "905" }, select: { blockedAt: true, blockReason: true } });
    expect(identity.blockedAt).not.toBeNull();
    expect(identity.blockReason).toBe("blocked");
  });
});
