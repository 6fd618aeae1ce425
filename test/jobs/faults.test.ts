// Proactive delivery under faults, with real worker processes, PostgreSQL and
// Redis: two workers at once, a worker killed with SIGKILL mid fan-out, Redis
// restarted empty mid fan-out. Every count is taken from what the Telegram
// emulator received: "duplicates" are chats that got a message twice, "lost"
// are rows whose message never arrived.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis } from "../../jobs/redis.ts";
import { createQueues, enqueueOutbound } from "../../jobs/queues.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { startOwnRedis, type OwnRedis } from "../support/redis-server.ts";
import { startHoldProxy, type HoldProxy } from "../support/hold-proxy.ts";
import { CallLog } from "../emulators/common.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";

const MESSAGES = 2_000;
/** The send worker's concurrency: at most this many messages are in flight per process. */
const CONCURRENCY = 8;
/**
 * Waits follow progress, not the clock: a wait fails only when nothing
 * happened (no message, no finished job) for this long. A loaded machine is
 * slow, not stuck.
 */
const STALL_MS = 60_000;
/** Only against a hang: progress, not this, decides. */
const TEST_BOUND_MS = 600_000;

let t: TestDb;
let tg: TelegramEmulator;
let proxy: HoldProxy;
let ownRedis: OwnRedis | undefined;
const children: ChildProcess[] = [];
/** One entry per job a worker process finished: "<pid> JOB <id> <result>". */
const jobLines = new CallLog<string>();

beforeAll(async () => {
  t = await createTestDb();
  tg = await startTelegramEmulator(); // no rate limits: these tests are about faults
  proxy = await startHoldProxy(tg.apiRoot);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await ownRedis?.stop();
  await proxy.close();
  await tg.close();
  await t.cleanup();
});

function startWorker(env: { redisUrl: string; prefix: string; apiRoot?: string }): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/worker-child.ts"], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: t.url,
      REDIS_URL: env.redisUrl,
      QUEUE_PREFIX: env.prefix,
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: env.apiRoot ?? tg.apiRoot,
      // The platform limits are off here; the queue's limiter must not be the bottleneck.
      TELEGRAM_MESSAGES_PER_SECOND: "1000",
      TEST_LOCK_MS: "2000",
      ...(process.env.TEST_LOG_LEVEL ? { TEST_LOG_LEVEL: process.env.TEST_LOG_LEVEL } : {}),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line === "READY") resolve(child);
      else if (line.startsWith("JOB ")) jobLines.push(`${child.pid} ${line}`);
    });
    child.once("exit", (code, signal) => reject(new Error(`worker exited early (${code ?? signal})`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

interface FanOut {
  ids: number[];
  chats: string[];
  /** Emulator log length when the fan-out was queued. */
  before: number;
}

/** Stores MESSAGES reminders to distinct chats, QUEUED, and queues their jobs. */
async function fanOut(redisUrl: string, prefix: string, firstChat: number): Promise<FanOut> {
  const chats = Array.from({ length: MESSAGES }, (_, i) => String(firstChat + i));
  await t.db.prisma.outboundMessage.createMany({
    data: chats.map((chatId) => ({
      dedupKey: `reminder:${chatId}:faults`,
      purpose: "reminder",
      platform: "TELEGRAM" as const,
      chatId,
      payload: { text: `Nhắc báo cáo ${chatId}` },
      status: "QUEUED" as const,
    })),
  });
  const rows = await t.db.prisma.outboundMessage.findMany({
    where: { chatId: { in: chats } },
    select: { id: true, dedupKey: true, platform: true },
    orderBy: { id: "asc" },
  });
  const before = tg.sent.length;
  const redis = await connectRedis(redisUrl);
  const queues = createQueues({ connection: redis, prefix });
  try {
    await enqueueOutbound(queues, rows);
  } finally {
    await queues.close();
    redis.disconnect();
  }
  return { ids: rows.map((r) => r.id), chats, before };
}

/** Resolves once the emulator has received `n` messages since the fan-out was queued; fails on a stall. */
async function received(f: FanOut, n: number): Promise<void> {
  for (;;) {
    const got = tg.sent.length - f.before;
    if (got >= n) return;
    await tg.waitFor(() => tg.sent.length - f.before > got, STALL_MS).catch(() => {
      throw new Error(`no message for ${STALL_MS} ms after ${got} of ${n}`);
    });
  }
}

/** Resolves once no row of the fan-out is QUEUED or SENDING; checked whenever a worker finishes a job; fails on a stall. */
async function settled(f: FanOut): Promise<void> {
  const open = () => t.db.prisma.outboundMessage.count({ where: { id: { in: f.ids }, status: { in: ["QUEUED", "SENDING"] } } });
  for (;;) {
    const seen = jobLines.items.length;
    const left = await open();
    if (left === 0) return;
    await jobLines.waitFor((_line) => jobLines.items.length > seen, STALL_MS, "finished job").catch(() => {
      throw new Error(`no job finished for ${STALL_MS} ms with ${left} messages open`);
    });
  }
}

interface Tally {
  duplicates: number;
  lost: number;
  statuses: Record<string, number>;
  uncertainDelivered: number;
  uncertainUndelivered: number;
}

async function tally(f: FanOut): Promise<Tally> {
  const got = new Map<string, number>();
  for (const c of tg.sent.slice(f.before)) {
    if (c.method === "sendMessage" && c.chat_id !== undefined) got.set(c.chat_id, (got.get(c.chat_id) ?? 0) + 1);
  }
  const rows = await t.db.prisma.outboundMessage.findMany({ where: { id: { in: f.ids } }, select: { chatId: true, status: true, reason: true } });
  const statuses: Record<string, number> = {};
  let lost = 0;
  let uncertainDelivered = 0;
  let uncertainUndelivered = 0;
  for (const r of rows) {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    const n = got.get(r.chatId) ?? 0;
    if (n === 0) lost += 1;
    if (r.status === "UNCERTAIN") {
      expect(r.reason).toBe("interrupted during sending");
      if (n > 0) uncertainDelivered += 1;
      else uncertainUndelivered += 1;
    }
  }
  const duplicates = [...got.values()].filter((n) => n >= 2).length;
  return { duplicates, lost, statuses, uncertainDelivered, uncertainUndelivered };
}

describe("proactive delivery under faults", () => {
  it("two worker processes at once deliver every message exactly once", async () => {
    const prefix = testQueuePrefix();
    const workers = await Promise.all([startWorker({ redisUrl: testRedisUrl, prefix }), startWorker({ redisUrl: testRedisUrl, prefix })]);
    const linesBefore = jobLines.items.length;
    const f = await fanOut(testRedisUrl, prefix, 10_000_000);
    await received(f, MESSAGES);
    await settled(f);
    const result = await tally(f);
    console.log("two workers:", JSON.stringify(result));
    expect(result.duplicates).toBe(0);
    expect(result.lost).toBe(0);
    expect(result.statuses).toEqual({ SENT: MESSAGES });
    // Both processes took part.
    const pids = new Set(jobLines.items.slice(linesBefore).map((l) => l.split(" ")[0]));
    expect(pids).toEqual(new Set(workers.map((w) => String(w.pid))));
    await Promise.all(workers.map(kill));
  }, TEST_BOUND_MS);

  it("a worker killed with SIGKILL after the platform accepted its messages sends none of them again", async () => {
    const prefix = testQueuePrefix();
    const f = await fanOut(testRedisUrl, prefix, 20_000_000);
    const first = await startWorker({ redisUrl: testRedisUrl, prefix, apiRoot: proxy.url });
    await received(f, MESSAGES / 3);
    // Every message in flight reaches the platform, whose answers are withheld:
    // the kill lands after delivery and before the worker records it.
    proxy.hold();
    await proxy.waitHeld(CONCURRENCY, STALL_MS);
    await kill(first);
    proxy.release();
    expect(tg.sent.length - f.before).toBeLessThan(MESSAGES);

    const second = await startWorker({ redisUrl: testRedisUrl, prefix, apiRoot: proxy.url });
    await received(f, MESSAGES);
    await settled(f);
    const result = await tally(f);
    console.log("kill after delivery:", JSON.stringify(result));
    expect(result.duplicates).toBe(0);
    expect(result.lost).toBe(0);
    // The messages in flight at the kill are marked, not re-sent.
    expect(result.statuses).toEqual({ SENT: MESSAGES - CONCURRENCY, UNCERTAIN: CONCURRENCY });
    expect(result.uncertainDelivered).toBe(CONCURRENCY);
    await kill(second);
  }, TEST_BOUND_MS);

  it("a worker killed with SIGKILL at any moment duplicates nothing and drops nothing", async () => {
    const prefix = testQueuePrefix();
    const f = await fanOut(testRedisUrl, prefix, 30_000_000);
    const first = await startWorker({ redisUrl: testRedisUrl, prefix });
    await received(f, MESSAGES / 3);
    await kill(first);
    expect(tg.sent.length - f.before).toBeLessThan(MESSAGES);
    const second = await startWorker({ redisUrl: testRedisUrl, prefix });
    await settled(f);
    const result = await tally(f);
    console.log("blind kill:", JSON.stringify(result));
    expect(result.duplicates).toBe(0);
    // Every row ends SENT or UNCERTAIN. A message claimed but not yet on the
    // wire when the process died is UNCERTAIN without having arrived: the
    // price of never sending twice, at most one per message in flight.
    expect((result.statuses.SENT ?? 0) + (result.statuses.UNCERTAIN ?? 0)).toBe(MESSAGES);
    expect(result.lost).toBe(result.uncertainUndelivered);
    expect(result.uncertainUndelivered).toBeLessThanOrEqual(CONCURRENCY);
    await kill(second);
  }, TEST_BOUND_MS);

  it("Redis restarted empty mid fan-out: every message still delivered, once", async () => {
    ownRedis = await startOwnRedis();
    const prefix = testQueuePrefix();
    const f = await fanOut(ownRedis.url, prefix, 40_000_000);
    const worker = await startWorker({ redisUrl: ownRedis.url, prefix });
    await received(f, MESSAGES / 3);
    await ownRedis.restart();
    expect(tg.sent.length - f.before).toBeLessThan(MESSAGES);
    await received(f, MESSAGES);
    await settled(f);
    const result = await tally(f);
    console.log("redis restarted:", JSON.stringify(result));
    expect(result.duplicates).toBe(0);
    expect(result.lost).toBe(0);
    expect(result.statuses).toEqual({ SENT: MESSAGES });
    await kill(worker);
  }, TEST_BOUND_MS);
});

