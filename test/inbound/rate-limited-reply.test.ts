// A reply refused with 429 is sent again after retry_after, once, and the
// chat stays with the process that waits: another process does not take it
// (and its queued reply) meanwhile.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChannelAdapter, PlatformName } from "../../src/channels/channel.ts";
import { createTelegramAdapter } from "../../src/channels/telegram/index.ts";
import { openPostgres, type Database } from "../../src/db/database.ts";
import { createUpdateSink } from "../../src/inbound/store.ts";
import { createProcessor, type MessageHandler } from "../../src/inbound/processor.ts";
import { systemClock } from "../../src/clock.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { testLogger } from "../support/logger.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";

let t: TestDb;
let other: Database;
let tg: TelegramEmulator;
let channels: Map<PlatformName, ChannelAdapter>;

const echo: MessageHandler = (_tx, message) => Promise.resolve([{ text: `đã nhận: ${message.content.type === "text" ? message.content.text : ""}` }]);

beforeAll(async () => {
  t = await createTestDb();
  other = openPostgres(t.url, { poolSize: 3 });
  tg = await startTelegramEmulator();
  channels = new Map([["TELEGRAM", createTelegramAdapter({ token: tg.token, apiRoot: tg.apiRoot, logger: testLogger })]]);
});

afterAll(async () => {
  await other.close();
  await tg.close();
  await t.cleanup();
});

describe("a reply refused with 429", () => {
  it("goes out once after retry_after, while a second process finds the chat taken", async () => {
    const sink = createUpdateSink({ prisma: t.db.prisma, adapters: channels });
    await sink("TELEGRAM", [tg.injectUpdate({ message: { message_id: 1, date: 1, chat: { id: 701, type: "private" }, from: { id: 701, is_bot: false, first_name: "A" }, text: "một" } })]);
    tg.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 });
    const make = (db: Database) =>
      createProcessor({ prisma: db.prisma, channels, handle: echo, failureReply: { text: "lỗi" }, logger: testLogger, clock: systemClock, leaseMs: 500, staleReplyMs: 0 });
    const first = make(t.db);
    const second = make(other);
    const waiting = first.drain();
    // While the first waits out the 429 (longer than its 0.5 s lease), the second tries.
    await new Promise<void>((resolve) => {
      const check = () => (tg.calls.some((c) => c.error_code === 429) ? resolve() : setImmediate(check));
      check();
    });
    // The waiting process holds the chat for the whole wait, well past its usual lease.
    let held = 0;
    while (tg.messagesTo(701).length === 0 && held <= 0.8) {
      const [lease] = await t.db.prisma.$queryRaw<{ ahead: number }[]>`
        SELECT extract(epoch FROM until - now())::float AS ahead FROM "ChatLease" WHERE "chatKey" = 'TELEGRAM:701'`;
      held = Math.max(held, lease?.ahead ?? 0);
    }
    expect(held).toBeGreaterThan(0.8);
    await second.drain();
    await waiting;
    await second.drain();
    expect(tg.messagesTo(701).map((c) => c.text)).toEqual(["đã nhận: một"]);
    expect(await t.db.prisma.outboundMessage.findMany({ select: { status: true } })).toEqual([{ status: "SENT" }]);
  });
});
