// Replies are claimed before their platform call, like proactive messages:
// a reply found SENDING (its process died or stalled mid-send) is marked
// UNCERTAIN, never sent again; so is one whose connection dropped after the
// platform may have got it. A split reply resumes at the part that failed,
// and the chat's lease is renewed while a send hangs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChannelAdapter, PlatformName } from "../../src/channels/channel.ts";
import { createTelegramAdapter } from "../../src/channels/telegram/index.ts";
import { openPostgres, type Database } from "../../src/db/database.ts";
import { createUpdateSink } from "../../src/inbound/store.ts";
import { createProcessor, type MessageHandler, type ProcessorDeps } from "../../src/inbound/processor.ts";
import { systemClock } from "../../src/clock.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { testLogger } from "../support/logger.ts";
import { startHoldProxy, type HoldProxy } from "../support/hold-proxy.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";

let t: TestDb;
let other: Database;
let tg: TelegramEmulator;
let proxy: HoldProxy;
let channels: Map<PlatformName, ChannelAdapter>;

const file = { fileName: "bao-cao.pdf", mimeType: "application/pdf", data: new Uint8Array(Buffer.from("%PDF-1.4 test")) };
// "dai" asks for a reply longer than a caption with a file: two platform calls.
const echo: MessageHandler = (_tx, message) => {
  const text = message.content.type === "text" ? message.content.text : "";
  return Promise.resolve([text === "dai" ? { text: "Báo cáo quý. ".repeat(100), file } : { text: `đã nhận: ${text}` }]);
};

beforeAll(async () => {
  t = await createTestDb();
  other = openPostgres(t.url, { poolSize: 3 });
  tg = await startTelegramEmulator();
  proxy = await startHoldProxy(tg.apiRoot);
  channels = new Map([["TELEGRAM", createTelegramAdapter({ token: tg.token, apiRoot: proxy.url, logger: testLogger })]]);
});

// A failed test must not leave sends hanging for the next one.
afterEach(() => proxy.release());

afterAll(async () => {
  await other.close();
  await proxy.close();
  await tg.close();
  await t.cleanup();
});

const processor = (extra: Partial<ProcessorDeps> = {}, db: Database = t.db) =>
  createProcessor({ prisma: db.prisma, channels, handle: echo, failureReply: { text: "lỗi" }, logger: testLogger, clock: systemClock, staleReplyMs: 0, ...extra });

async function userSays(chatId: number, text: string): Promise<void> {
  const sink = createUpdateSink({ prisma: t.db.prisma, adapters: channels });
  await sink("TELEGRAM", [tg.injectUpdate({ message: { message_id: 1, date: 1, chat: { id: chatId, type: "private" }, from: { id: chatId, is_bot: false, first_name: "A" }, text } })]);
}

const repliesIn = (chatId: string) =>
  t.db.prisma.outboundMessage.findMany({ where: { chatId }, orderBy: { id: "asc" }, select: { status: true, reason: true, platformMessageId: true } });

/** Polls a condition (bounded): the database has no events to wait on. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("a reply", { timeout: 120_000 }, () => {
  it("is claimed (SENDING) before the platform call", async () => {
    await userSays(601, "một");
    proxy.hold();
    const draining = processor().drain();
    await proxy.waitHeld(1, 60_000);
    expect((await repliesIn("601")).map((r) => r.status)).toEqual(["SENDING"]);
    proxy.release();
    await draining;
    expect((await repliesIn("601")).map((r) => r.status)).toEqual(["SENT"]);
    expect(tg.messagesTo(601).map((c) => c.text)).toEqual(["đã nhận: một"]);
  });

  it("left SENDING by a process that died is marked uncertain, not sent again; the next one goes out", async () => {
    const base = { purpose: "reply", platform: "TELEGRAM" as const, chatId: "602" };
    await t.db.prisma.outboundMessage.create({ data: { ...base, dedupKey: "reply:test:602:0", payload: { text: "cũ" }, status: "SENDING" } });
    await t.db.prisma.outboundMessage.create({ data: { ...base, dedupKey: "reply:test:602:1", payload: { text: "mới" }, status: "QUEUED" } });
    await processor().drain();
    expect((await repliesIn("602")).map((r) => [r.status, r.reason])).toEqual([
      ["UNCERTAIN", "interrupted during sending"],
      ["SENT", null],
    ]);
    expect(tg.messagesTo(602).map((c) => c.text)).toEqual(["mới"]);
  });

  it("whose connection dropped after the platform got it is marked uncertain, not sent again", async () => {
    await userSays(603, "hai");
    proxy.resetNext();
    const p = processor();
    await p.drain();
    await p.drain();
    expect(tg.messagesTo(603).map((c) => c.text)).toEqual(["đã nhận: hai"]);
    expect((await repliesIn("603")).map((r) => [r.status, r.reason])).toEqual([["UNCERTAIN", "no_answer:ECONNRESET"]]);
  });

  it("split in two resumes at the part that failed", async () => {
    await userSays(604, "dai");
    tg.failNext("sendDocument", { error_code: 502, description: "Bad Gateway" });
    const p = processor();
    await p.drain();
    await p.drain();
    expect(tg.sent.filter((c) => c.chat_id === "604").map((c) => c.method)).toEqual(["sendMessage", "sendDocument"]);
    const [row] = await repliesIn("604");
    expect(row?.status).toBe("SENT");
    expect(row?.platformMessageId?.split(",")).toHaveLength(2);
  });

  it("that hangs keeps its chat: the lease is renewed, and another process does not take the chat", async () => {
    await userSays(605, "ba");
    // Renewed every third of it: long enough that a slow beat on a loaded machine does not lose it.
    const leaseMs = 4_000;
    proxy.hold();
    const first = processor({ leaseMs }).drain();
    await proxy.waitHeld(1, 60_000);
    const [claimed] = await t.db.prisma.$queryRaw<{ until: Date }[]>`SELECT until FROM "ChatLease" WHERE "chatKey" = 'TELEGRAM:605'`;
    // Until the first lease has run out, on the database's clock.
    await until("the first lease ran out", async () => {
      const [r] = await t.db.prisma.$queryRaw<{ past: boolean }[]>`SELECT now() > ${claimed!.until} AS past`;
      return r?.past === true;
    });
    const [lease] = await t.db.prisma.$queryRaw<{ held: boolean }[]>`SELECT until > now() AS held FROM "ChatLease" WHERE "chatKey" = 'TELEGRAM:605'`;
    expect(lease?.held).toBe(true);
    await processor({ leaseMs }, other).drain();
    proxy.release();
    await first;
    expect(tg.messagesTo(605).map((c) => c.text)).toEqual(["đã nhận: ba"]);
    expect((await repliesIn("605")).map((r) => r.status)).toEqual(["SENT"]);
  });
});
