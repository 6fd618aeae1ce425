// The update store, as the pollers use it: whatever a platform hands over is
// kept (sanitised, or recorded as refused with the reason), and only an
// unreachable database makes the caller try again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlatformName } from "../../src/channels/channel.ts";
import { telegramEnvelope, telegramToInbound } from "../../src/channels/telegram/inbound.ts";
import { openPostgres } from "../../src/db/database.ts";
import { createUpdateSink } from "../../src/inbound/store.ts";
import { sanitiseUpdate } from "../../src/inbound/sanitise.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { freePort } from "../support/ports.ts";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  // A refusal no sanitising foresees, made by the database itself.
  await t.db.prisma.$executeRawUnsafe(`
    CREATE FUNCTION refuse_marked() RETURNS trigger AS $$
    BEGIN
      IF NEW.payload ? 'refuse_me' THEN RAISE EXCEPTION 'value out of range' USING ERRCODE = '22003'; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  await t.db.prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_marked BEFORE INSERT ON "InboundUpdate" FOR EACH ROW EXECUTE FUNCTION refuse_marked()`);
});
afterAll(() => t.cleanup());

const adapters = new Map<PlatformName, { envelope: typeof telegramEnvelope }>([["TELEGRAM", { envelope: telegramEnvelope }]]);

let nextId = 1;
function update(chat: number, text: string, extra: Record<string, unknown> = {}) {
  return { update_id: nextId++, message: { message_id: nextId, date: 1, chat: { id: chat, type: "private" }, from: { id: chat, is_bot: false, first_name: "A" }, text }, ...extra };
}

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const rows = (chat: number) =>
  t.db.prisma.inboundUpdate.findMany({ where: { chatKey: `TELEGRAM:${chat}` }, select: { status: true, error: true, payload: true }, orderBy: { id: "asc" } });

describe("the update store", () => {
  it("keeps a whole polled batch, the unstorable parts made storable, and reads the messages back", async () => {
    let stored = 0;
    const sink = createUpdateSink({ prisma: t.db.prisma, adapters, onStored: () => stored++ });
    const batch = [
      update(401, "Báo cáo"),
      update(401, "a\u0000b"),
      update(401, "c\uDC00d", { ["key\u0000"]: "\uD800" }),
      update(401, "/start", { extra: nested(5_000) }),
    ];
    await sink("TELEGRAM", batch);
    expect(stored).toBe(1);
    const got = await rows(401);
    expect(got.map((r) => r.error)).toEqual([
      null,
      "stored sanitised: U+0000 replaced",
      "stored sanitised: lone surrogate replaced, U+0000 replaced",
      "stored sanitised: nested deeper than 32 levels dropped",
    ]);
    expect(got.map((r) => r.status)).toEqual(["PENDING", "PENDING", "PENDING", "PENDING"]);
    const messages = got.map((r) => telegramToInbound(r.payload));
    expect(messages.map((m) => (m?.content.type === "text" ? m.content.text : null))).toEqual(["Báo cáo", "a\uFFFDb", "c\uFFFDd", "/start"]);

    // The poll that is repeated after a crash stores nothing twice.
    await sink("TELEGRAM", batch);
    expect(await rows(401)).toHaveLength(4);
    expect(stored).toBe(1);
  });

  it("records an update the database refuses for reasons of its own as FAILED with the reason, and keeps the rest", async () => {
    const sink = createUpdateSink({ prisma: t.db.prisma, adapters });
    await sink("TELEGRAM", [update(402, "one"), update(402, "two", { refuse_me: true }), update(402, "three")]);
    const got = await rows(402);
    expect(got.map((r) => [r.status, r.error])).toEqual([
      ["PENDING", null],
      ["FAILED", "rejected: 22003 value out of range"],
      ["PENDING", null],
    ]);
    expect(got[1]!.payload).toBeNull();
  });

  it("fails, so the platform sends again, only when the database cannot be reached", async () => {
    const down = openPostgres(`postgresql://postgres@127.0.0.1:${await freePort()}/nothing`, { poolSize: 1, connectTimeoutMs: 2_000 });
    try {
      const sink = createUpdateSink({ prisma: down.prisma, adapters });
      await expect(sink("TELEGRAM", [update(403, "a\u0000b")])).rejects.toThrow();
    } finally {
      await down.close();
    }
  });
});

describe("sanitising", () => {
  it("leaves a clean update as it is, keeps pairs of surrogates and treats __proto__ as a plain key", () => {
    const clean = { update_id: 1, message: { text: "Chào 👋 anh", entities: [{ type: "bold", offset: 0, length: 4 }] } };
    expect(sanitiseUpdate(clean)).toEqual({ value: clean, changes: [] });
    const tricky = JSON.parse('{"__proto__": {"polluted": true}, "a": "x"}') as unknown;
    const { value } = sanitiseUpdate(tricky);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":true},"a":"x"}');
  });
});
