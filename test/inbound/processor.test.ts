// Stored updates are handled once each, in order per chat, by any number of
// processors; redeliveries are dropped. Real PostgreSQL, real adapters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
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

  it("releases a chat and hands over the next one when another process's release deadlocks with it", async () => {
    // The processor handles chat X, then releases it and claims chat Y in one
    // statement. Another process holds Y's lease row and then wants X's, as
    // its own release-and-claim of Y then X would: PostgreSQL cancels one of
    // the two. The processor's connections detect it first (3 s against 60 s).
    const processDb = openPostgres(`${t.url}?options=-c%20deadlock_timeout%3D3s`, { poolSize: 3 });
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    try {
      const [x, y] = ["SANDBOX:dlx", "SANDBOX:dly"];
      await other.query(`INSERT INTO "ChatLease" ("chatKey", owner, until) VALUES ($1, 'other', now() - interval '1 second')`, [y]);
      const sink = createUpdateSink({ prisma: processDb.prisma, adapters: channels });
      await sink("SANDBOX", [sandboxUpdateFrom({ chatId: "dlx", text: "x" }, new Date()), sandboxUpdateFrom({ chatId: "dly", text: "y" }, new Date())]);
      await other.query("SET deadlock_timeout = '60s'");
      await other.query("BEGIN");
      await other.query(`SELECT 1 FROM "ChatLease" WHERE "chatKey" = $1 FOR UPDATE`, [y]);

      const p = createProcessor({ prisma: processDb.prisma, query: processDb.query.bind(processDb), channels, handle: recordingHandler, failureReply: { text: "lỗi" }, logger: testLogger, clock: systemClock, concurrency: 1 });
      const handled = new Set<string>();
      const bothHandled = new Promise<void>((resolve) =>
        p.onHandled((k) => {
          handled.add(k);
          if (handled.has(x) && handled.has(y)) resolve();
        }),
      );
      p.start();
      p.wake([x, y]);

      // The release of X waits for Y's lease row (nothing else of the processor touches it).
      for (;;) {
        const { rows } = await other.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`);
        if (rows.length > 0) break;
        await new Promise((r) => setImmediate(r));
      }
      // Now the other process wants X's lease row too: a deadlock.
      await other.query(`SELECT 1 FROM "ChatLease" WHERE "chatKey" = $1 FOR UPDATE`, [x]).catch(() => undefined);
      await other.query("ROLLBACK");

      await bothHandled;
      await p.stop();
      expect((await handledPerChat(processDb)).get("dly")).toEqual(["y"]);
      // Both released: the cancelled statement changed nothing, and was not left so.
      expect(await processDb.prisma.chatLease.findMany({ where: { chatKey: { in: [x, y] }, owner: { not: "other" } } })).toEqual([]);
    } finally {
      await other.end();
      await processDb.close();
    }
  }, 60_000);
});
