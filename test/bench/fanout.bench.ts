// Proactive fan-out: reminders to distinct chats through the send worker and
// the Telegram emulator.
// 1. With Telegram's limits on in the emulator (30 messages/s overall, 1/s per
//    chat): the sustained rate as a ratio to the limit, and the 429s it got.
// 2. With the limits lifted: the pipeline's throughput (row claimed, sent,
//    recorded) as a ratio to bare BullMQ no-op jobs on the same Redis with the
//    same concurrency, measured in the same run.
// Duplicates and losses are counted against the emulator's log; both must be 0.
// BENCH_MESSAGES sets the number of messages (default 10,000: ~5.5 minutes at 30/s).
import { performance } from "node:perf_hooks";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { connectRedis } from "../../jobs/redis.ts";
import { createQueues, enqueueOutbound } from "../../jobs/queues.ts";
import { createSendWorker } from "../../jobs/send-worker.ts";
import { createTelegramAdapter } from "../../src/channels/telegram/index.ts";
import { systemClock } from "../../src/clock.ts";
import { createLogger } from "../../src/logger.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";
import { profiled } from "./profile.ts";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const LIMIT = 30;
const CONCURRENCY = 8;
const logger = createLogger("silent");

interface RunResult {
  seconds: number;
  duplicates: number;
  lost: number;
  refused429: number;
  /** Delivery times at the emulator, in order. */
  times: number[];
  /** PostgreSQL round trips during the run (Database.queryCount). */
  queries: number;
  /** Redis commands sent on the worker's connection during the run (the blocking connection BullMQ duplicates from it is not counted). */
  redisCalls: number;
}

/**
 * Counts the commands sent on a connection: ioredis sends every command,
 * also each one of a pipeline or a script call, through sendCommand.
 */
function countRedisCalls(redis: Redis): () => number {
  let calls = 0;
  const send = redis.sendCommand.bind(redis) as (...args: unknown[]) => unknown;
  (redis as { sendCommand: unknown }).sendCommand = (...args: unknown[]) => {
    calls += 1;
    return send(...args);
  };
  return () => calls;
}
let redisCalls: () => number = () => 0;

/** `profile`: the name of the run's CPU profile under BENCH_PROFILE (its sending only). */
async function fanOut(t: TestDb, redis: Redis, tg: TelegramEmulator, opts: { firstChat: number; perSecond: number; profile?: string }): Promise<RunResult> {
  const prefix = testQueuePrefix();
  const chats = Array.from({ length: MESSAGES }, (_, i) => String(opts.firstChat + i));
  for (let i = 0; i < chats.length; i += 1_000) {
    await t.db.prisma.outboundMessage.createMany({
      data: chats.slice(i, i + 1_000).map((chatId) => ({
        dedupKey: `reminder:${chatId}:bench`,
        purpose: "reminder",
        platform: "TELEGRAM" as const,
        chatId,
        payload: { text: `Nhắc báo cáo tháng: đơn vị ${chatId} chưa gửi báo cáo.` },
        status: "QUEUED" as const,
      })),
    });
  }
  const rows = await t.db.prisma.outboundMessage.findMany({
    where: { chatId: { in: chats } },
    select: { id: true, dedupKey: true, platform: true },
    orderBy: { id: "asc" },
  });
  const queues = createQueues({ connection: redis, prefix });
  await enqueueOutbound(queues, rows);

  const before = tg.sent.length;
  const callsBefore = tg.calls.length;
  const queriesBefore = t.db.queryCount();
  const redisBefore = redisCalls();
  let finished = 0;
  let done: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (done = resolve));
  const start = performance.now();
  const worker = createSendWorker({
    connection: redis,
    queue: queues.send("TELEGRAM"),
    prefix,
    sender: createTelegramAdapter({ token: tg.token, apiRoot: tg.apiRoot, logger }),
    prisma: t.db.prisma,
    // As the app wires it (src/app.ts): the claims and marks skip the Prisma client.
    query: t.db.query.bind(t.db),
    logger,
    clock: systemClock,
    perSecond: opts.perSecond,
    concurrency: CONCURRENCY,
  });
  worker.on("completed", () => {
    if (++finished === MESSAGES) done();
  });
  worker.on("failed", (job) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1) && ++finished === MESSAGES) done();
  });
  await (opts.profile ? profiled(opts.profile, () => allDone) : allDone);
  // The run ends when every delivery is recorded, not only sent.
  await worker.marked();
  const seconds = (performance.now() - start) / 1000;
  const queries = t.db.queryCount() - queriesBefore;
  const redisUsed = redisCalls() - redisBefore;
  await worker.close();
  await queues.close();

  const got = new Map<string, number>();
  const times: number[] = [];
  for (const c of tg.sent.slice(before)) {
    if (c.method !== "sendMessage" || c.chat_id === undefined) continue;
    got.set(c.chat_id, (got.get(c.chat_id) ?? 0) + 1);
    times.push(c.at);
  }
  const duplicates = [...got.values()].filter((n) => n >= 2).length;
  const lost = chats.filter((c) => !got.has(c)).length;
  const refused429 = tg.calls.slice(callsBefore).filter((c) => c.error_code === 429).length;
  return { seconds, duplicates, lost, refused429, times, queries, redisCalls: redisUsed };
}

/** Deliveries per second over the whole seconds from the first delivery on. */
function sustainedRate(times: number[]): number {
  const first = times[0] ?? 0;
  const last = times[times.length - 1] ?? 0;
  const wholeSeconds = Math.floor((last - first) / 1000);
  if (wholeSeconds < 1) return times.length;
  return times.filter((at) => at < first + wholeSeconds * 1000).length / wholeSeconds;
}

/** The most deliveries in any one-second window. */
function busiestSecond(times: number[]): number {
  let most = 0;
  let from = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[from]! >= 1000) from++;
    most = Math.max(most, i - from + 1);
  }
  return most;
}

/** Bare BullMQ: the same number of no-op jobs, same Redis, same concurrency. */
async function bareBullmq(redis: Redis): Promise<number> {
  const prefix = testQueuePrefix();
  const queue = new Queue("noop", { connection: redis, prefix });
  for (let i = 0; i < MESSAGES; i += 500) {
    await queue.addBulk(Array.from({ length: Math.min(500, MESSAGES - i) }, (_, k) => ({ name: "noop", data: { n: i + k }, opts: { jobId: `n${i + k}` } })));
  }
  let finished = 0;
  let done: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (done = resolve));
  const start = performance.now();
  const worker = new Worker("noop", () => Promise.resolve("ok"), { connection: redis, prefix, concurrency: CONCURRENCY });
  worker.on("completed", () => {
    if (++finished === MESSAGES) done();
  });
  await allDone;
  const seconds = (performance.now() - start) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return MESSAGES / seconds;
}

const t = await createTestDb();
const redis = await connectRedis(testRedisUrl);
redisCalls = countRedisCalls(redis);
const limited = await startTelegramEmulator({ limits: { globalPerSec: LIMIT, perChatPerSec: 1 } });
const free = await startTelegramEmulator();
try {
  console.log(`messages: ${MESSAGES} to distinct chats, concurrency ${CONCURRENCY}`);

  const a = await fanOut(t, redis, limited, { firstChat: 1_000_000, perSecond: LIMIT });
  const rate = sustainedRate(a.times);
  console.log(`limits on (${LIMIT}/s overall, 1/s per chat): ${rate.toFixed(1)} messages/s sustained, busiest second ${busiestSecond(a.times)}, 429s ${a.refused429}, ${a.seconds.toFixed(1)} s`);

  const b = await fanOut(t, redis, free, { firstChat: 2_000_000, perSecond: 1_000_000, profile: "fanout" });
  const pipelinePerS = MESSAGES / b.seconds;
  const baselinePerS = await bareBullmq(redis);
  console.log(`limits lifted: pipeline ${pipelinePerS.toFixed(0)} messages/s; bare BullMQ no-op jobs ${baselinePerS.toFixed(0)} jobs/s`);
  const queriesPerMessage = b.queries / MESSAGES;
  const redisPerMessage = b.redisCalls / MESSAGES;
  console.log(`limits lifted, per message: ${queriesPerMessage.toFixed(2)} PostgreSQL round trips, ${redisPerMessage.toFixed(2)} Redis commands`);

  const statuses = await t.db.prisma.outboundMessage.groupBy({ by: ["status"], _count: true });
  console.log(`rows: ${statuses.map((s) => `${s.status} ${s._count}`).join(", ")}`);
  const duplicates = a.duplicates + b.duplicates;
  const lost = a.lost + b.lost;
  console.log(`duplicates ${duplicates}, lost ${lost}`);
  console.log(
    JSON.stringify({
      bench: "fanout",
      messages: MESSAGES,
      limit_ratio: Number((rate / LIMIT).toFixed(3)),
      pipeline_ratio: Number((pipelinePerS / baselinePerS).toFixed(3)),
      duplicates,
      lost,
      ...(a.refused429 > 0 ? { refused_429: a.refused429 } : {}),
      queries_per_message: Number(queriesPerMessage.toFixed(2)),
      redis_calls_per_message: Number(redisPerMessage.toFixed(2)),
    }),
  );
  if (duplicates > 0 || lost > 0) process.exitCode = 1;
} finally {
  await limited.close();
  await free.close();
  redis.disconnect();
  await t.cleanup();
}
