// A bot process killed with SIGKILL while it handles updates, twice, then
// restarted: no update is lost and none is handled twice, and no reply is
// sent twice. The handled effect counted is the invitation attempt each
// "/start CODE" records.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/db.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { CONCURRENCY } from "../../src/inbound/processor.ts";

const USERS = 20;
const PER_USER = 10;
const TOTAL = USERS * PER_USER;
/** Waits follow events; this bound only fails a hang (a loaded machine is slow, not stuck). */
const BOUND_MS = 180_000;

let t: TestDb;
let tg: TelegramEmulator;
const children: ChildProcess[] = [];

function startBot(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/app-child.ts"], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: t.url,
      REDIS_URL: testRedisUrl,
      QUEUE_PREFIX: prefix,
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: "0",
      SANDBOX: "off",
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TEST_LEASE_MS: "1000",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      if (line.startsWith("READY")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`bot exited early with ${code}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

const prefix = testQueuePrefix();

/** Resolves once every update is handled and every reply settled (polled, bounded). */
async function allSettled(timeoutMs = BOUND_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stored = await t.db.prisma.inboundUpdate.count();
    const pending = await t.db.prisma.inboundUpdate.count({ where: { status: "PENDING" } });
    const open = await t.db.prisma.outboundMessage.count({ where: { purpose: "reply", status: { in: ["QUEUED", "SENDING"] } } });
    if (stored === TOTAL && pending === 0 && open === 0) return;
    if (Date.now() > deadline) throw new Error(`not settled after ${timeoutMs} ms: ${stored} stored, ${pending} pending, ${open} replies open`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const repliesTo = (user: number) => tg.messagesTo(user).map((c) => c.text ?? "");

beforeAll(async () => {
  t = await createTestDb();
  tg = await startTelegramEmulator();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await tg.close();
  await t.cleanup();
});

describe("a bot process killed mid-work", () => {
  it("loses no update and handles none twice", async () => {
    // Interleaved traffic from many chats, all waiting before the bot starts.
    for (let n = 0; n < PER_USER; n++) {
      for (let u = 1; u <= USERS; u++) tg.userSends(5000 + u, `/start SAI${n}`);
    }

    let bot = await startBot();
    await tg.waitFor(() => tg.sent.length >= TOTAL / 4, BOUND_MS);
    await kill(bot);
    // The kill landed in the middle of the work, not after it.
    expect(tg.sent.length).toBeLessThan(TOTAL);

    bot = await startBot();
    await tg.waitFor(() => tg.sent.length >= TOTAL / 2, BOUND_MS);
    await kill(bot);
    expect(tg.sent.length).toBeLessThan(TOTAL);

    bot = await startBot();
    await allSettled();

    // Nothing lost: every update stored once and handled.
    const updates = await t.db.prisma.inboundUpdate.groupBy({ by: ["status"], _count: true });
    expect(updates).toEqual([{ status: "DONE", _count: TOTAL }]);

    // Nothing handled twice: exactly one recorded attempt per message.
    const attempts = await t.db.prisma.linkAttempt.groupBy({ by: ["externalId"], _count: true });
    expect(attempts).toHaveLength(USERS);
    for (const a of attempts) expect(a._count).toBe(PER_USER);

    // One reply per update in the outbox. A reply the kill caught in the
    // middle of its platform call is UNCERTAIN (maybe delivered, never sent
    // again): at most one per chat in hand, CONCURRENCY chats per process.
    const replies = await t.db.prisma.outboundMessage.groupBy({ by: ["status"], where: { purpose: "reply" }, _count: true });
    const byStatus = Object.fromEntries(replies.map((r) => [r.status, r._count]));
    expect((byStatus.SENT ?? 0) + (byStatus.UNCERTAIN ?? 0)).toBe(TOTAL);
    expect(byStatus.UNCERTAIN ?? 0).toBeLessThanOrEqual(2 * CONCURRENCY);

    // Per chat, replies follow the messages' order: five refusals of a wrong
    // code, then the throttle. None is repeated; only an uncertain one may be missing.
    for (let u = 1; u <= USERS; u++) {
      const got = repliesTo(5000 + u);
      const firstThrottle = got.indexOf(texts.link.throttled);
      expect(got.slice(0, firstThrottle).every((r) => r === texts.link.invalid)).toBe(true);
      expect(got.slice(firstThrottle).every((r) => r === texts.link.throttled)).toBe(true);
      const uncertain = await t.db.prisma.outboundMessage.count({ where: { chatId: String(5000 + u), status: "UNCERTAIN" } });
      expect(got.length).toBeLessThanOrEqual(PER_USER);
      expect(got.length).toBeGreaterThanOrEqual(PER_USER - uncertain);
    }
    await kill(bot);
  }, 4 * BOUND_MS);
});
