// Stored updates are handled once each, in order per chat, by any number of
// processors; redeliveries are dropped. Real PostgreSQL, real adapters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlatformName } from "../../src/channels/channel.ts";
import { createSandboxAdapter, sandboxUpdateFrom } from "../../src/channels/sandbox/adapter.ts";
import { openPostgres, type Database } from "../../src/db/database.ts";
import { createUpdateSink } from "../../src/inbound/store.ts";
import { createProcessor, type MessageHandler } from "../../src/inbound/processor.ts";
import { systemClock } from "../../src/clock.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { testLogger } from "../support/logger.ts";

let t: TestDb;
let second: Database;
let sentCount = 0;
const adapter = createSandboxAdapter({ record: () => Promise.resolve(++sentCount), file: () => Promise.resolve(null) });
const channels = new Map<PlatformName, typeof adapter>([["SANDBOX", adapter]]);

// Records each handled message as an audit row inside the update's
// transaction: a visible effect that would double if an update were handled twice.
const recordingHandler: MessageHandler = async (tx, message) => {
  const text = message.content.type === "text" ? message.content.text : "";
  await tx.auditLog.create({ data: { action: "test.handled", entityId: message.chatId, details: { text } } });
  return [{ text: `ok ${text}` }];
};

beforeAll(async () => {
  t = await createTestDb();
  second = openPostgres(t.url, { poolSize: 5 });
});
afterAll(async () => {
  await second.close();
  await t.cleanup();
});

async function handledPerChat(db: Database) {
  const rows = await db.prisma.auditLog.findMany({ where: { action: "test.handled" }, orderBy: { id: "asc" }, select: { entityId: true, details: true } });
  const byChat = new Map<string, string[]>();
  for (const r of rows) {
    const list = byChat.get(r.entityId!) ?? [];
    list.push((r.details as { text: string }).text);
    byChat.set(r.entityId!, list);
  }
  return byChat;
}

describe("update processing", () => {
  it("stores a redelivered update once and handles it once", async () => {
    const sink = createUpdateSink({ prisma: t.db.prisma, adapters: channels });
    const update = sandboxUpdateFrom({ chatId: "dup", text: "một" }, new Date());
    await sink("SANDBOX", [update]);
    await sink("SANDBOX", [update]);
    await sink("SANDBOX", [update, update]);
    const p = createProcessor({ prisma: t.db.prisma, channels, handle: recordingHandler, failureReply: { text: "lỗi" }, logger: testLogger, clock: systemClock });
    await p.drain();
    expect((await handledPerChat(t.db)).get("dup")).toEqual(["một"]);
    const stored = await t.db.prisma.inboundUpdate.findMany({ where: { chatKey: "SANDBOX:dup" }, select: { status: true, payload: true } });
    // Handled updates keep no message text.
    expect(stored).toEqual([{ status: "DONE", payload: null }]);
    const replies = await t.db.prisma.outboundMessage.findMany({ where: { chatId: "dup" }, select: { status: true, payload: true } });
    expect(replies).toEqual([{ status: "SENT", payload: { text: "ok một" } }]);
  });

  it("handles each chat in order while two processes share the work", async () => {
    const sink = createUpdateSink({ prisma: t.db.prisma, adapters: channels });
    const chats = Array.from({ length: 12 }, (_, i) => `order${i}`);
    const perChat = 15;
    // Interleave chats the way real traffic arrives.
    for (let n = 0; n < perChat; n++) {
      await sink(
        "SANDBOX",
        chats.map((chatId) => sandboxUpdateFrom({ chatId, text: String(n) }, new Date())),
      );
    }
    const make = (db: Database) =>
      createProcessor({ prisma: db.prisma, channels, handle: recordingHandler, failureReply: { text: "lỗi" }, logger: testLogger, clock: systemClock, concurrency: 3 });
    const a = make(t.db);
    const b = make(second);
    await Promise.all([a.drain(), b.drain(), a.drain()]);
    const handled = await handledPerChat(t.db);
    for (const chatId of chats) {
      expect(handled.get(chatId)).toEqual(Array.from({ length: perChat }, (_, n) => String(n)));
      const replies = await t.db.prisma.outboundMessage.findMany({ where: { chatId }, orderBy: { sentAt: "asc" }, select: { payload: true, status: true } });
      expect(replies.map((r) => (r.payload as { text: string }).text)).toEqual(Array.from({ length: perChat }, (_, n) => `ok ${n}`));
    }
    expect(await t.db.prisma.inboundUpdate.count({ where: { status: "PENDING" } })).toBe(0);
  });

  it("retries a failing update, then tells the user and keeps it for the operator", async () => {
    const sink = createUpdateSink({ prisma: t.db.prisma, adapters: channels });
    await sink("SANDBOX", [sandboxUpdateFrom({ chatId: "boom", text: "x" }, new Date())]);
    let calls = 0;
    // Counted once it wrote: a first try without a transaction ends at the write (db/deferred.ts).
    const failing: MessageHandler = async (tx) => {
      await tx.auditLog.create({ data: { action: "test.partial", entityId: "boom" } });
      calls += 1;
      throw new Error("handler bug");
    };
    const p = createProcessor({ prisma: t.db.prisma, channels, handle: failing, failureReply: { text: "Xin lỗi" }, logger: testLogger, clock: systemClock, maxAttempts: 3 });
    const pauseEnds = () => t.db.prisma.$executeRaw`UPDATE "ChatLease" SET until = now() - interval '1 second' WHERE "chatKey" = 'SANDBOX:boom'`;
    await p.drain();
    await p.drain();
    // A failure pauses the chat instead of retrying in a hot loop.
    expect(calls).toBe(1);
    for (let i = 0; i < 2; i++) {
      await pauseEnds();
      await p.drain();
    }
    expect(calls).toBe(3);
    // Every failed attempt rolled back its writes: nothing half-saved.
    expect(await t.db.prisma.auditLog.count({ where: { action: "test.partial" } })).toBe(0);
    const row = await t.db.prisma.inboundUpdate.findFirst({ where: { chatKey: "SANDBOX:boom" }, select: { status: true, attempts: true, error: true, payload: true } });
    expect(row).toMatchObject({ status: "FAILED", attempts: 3, error: "Error: handler bug" });
    expect(row?.payload).not.toBeNull();
    const replies = await t.db.prisma.outboundMessage.findMany({ where: { chatId: "boom" }, select: { payload: true, status: true } });
    expect(replies).toEqual([{ status: "SENT", payload: { text: "Xin lỗi" } }]);
  });
});
