// Updates the database cannot take as they are (U+0000, a lone surrogate, a
// field nested thousands deep, ids of kilobytes) are still taken: stored
// sanitised and answered, or recorded as refused with the reason. Never a
// 503 or a stuck poll, which would make the platform send them forever.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { telegramDriver, zaloDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { freePort } from "../support/ports.ts";

const SECRET = "webhook-secret-0123456789";

type Mode = "webhook" | "polling";

/** The platform side: a user writes, and the status of the first webhook delivery (200 once a poll took it). */
interface Side {
  platform: "TELEGRAM" | "ZALO";
  header: string;
  env(): Record<string, string>;
  send(user: number, text: string): Promise<number>;
  reply(user: number, n: number): Promise<string>;
  /** A hand-made update as JSON text, as a platform could post it. */
  rawUpdate(user: string, messageId: string, text: string, extra: string): string;
  close(): Promise<void>;
}

async function telegramSide(mode: Mode): Promise<Side> {
  const d = await telegramDriver();
  let nextId = 900_000;
  return {
    platform: "TELEGRAM",
    header: "x-telegram-bot-api-secret-token",
    env: () => d.env(),
    async send(user, text) {
      const u = d.emulator.userSends(user, text);
      if (mode === "webhook") return (await d.emulator.waitForDelivery((x) => x.update_id === u.update_id)).status;
      await d.emulator.waitForConfirmed(u.update_id);
      return 200;
    },
    reply: (user, n) => d.reply(user, n),
    rawUpdate: (user, messageId, text, extra) =>
      `{"update_id":${nextId++},"message":{"message_id":${messageId},"date":1,"chat":{"id":${user},"type":"private"},"from":{"id":${user},"is_bot":false,"first_name":"A"},"text":${JSON.stringify(text)},"extra":${extra}}}`,
    close: () => d.close(),
  };
}

async function zaloSide(mode: Mode): Promise<Side> {
  const d = await zaloDriver();
  return {
    platform: "ZALO",
    header: "x-bot-api-secret-token",
    env: () => d.env(),
    async send(user, text) {
      const u = d.emulator.userSends(String(user), text, { id: String(user) });
      const id = u.message.message_id;
      if (mode === "webhook") return (await d.emulator.waitForDelivery((x) => x.message_id === id)).status;
      await d.emulator.waitForTaken(id);
      return 200;
    },
    reply: (user, n) => d.reply(user, n),
    rawUpdate: (user, messageId, text, extra) =>
      `{"event_name":"message.text.received","message":{"message_id":${JSON.stringify(messageId)},"from":{"id":${JSON.stringify(user)},"display_name":"A"},"chat":{"id":${JSON.stringify(user)},"chat_type":"PRIVATE"},"date":1,"text":${JSON.stringify(text)},"extra":${extra}}}`,
    close: () => d.close(),
  };
}

const cases = (["webhook", "polling"] as const).flatMap((mode) => [
  { name: "Telegram", platform: "TELEGRAM", mode, make: () => telegramSide(mode) },
  { name: "Zalo", platform: "ZALO", mode, make: () => zaloSide(mode) },
]);

describe.each(cases)("$name by $mode: text the database refuses as it is", ({ platform, mode, make }) => {
  let t: TestDb;
  let side: Side;
  let app: App;
  let url: string;

  beforeAll(async () => {
    t = await createTestDb();
    side = await make();
    const port = await freePort();
    url = `http://127.0.0.1:${port}/webhook/${side.platform.toLowerCase()}`;
    app = await startTestApp({
      DATABASE_URL: t.url,
      HTTP_PORT: String(port),
      ...side.env(),
      ...(mode === "webhook" && { [`${side.platform}_WEBHOOK_URL`]: url, [`${side.platform}_WEBHOOK_SECRET`]: SECRET }),
    });
  });

  afterAll(async () => {
    await app.stop();
    await side.close();
    await t.cleanup();
  });

  const stored = (user: number | string) =>
    t.db.prisma.inboundUpdate.findMany({ where: { chatKey: `${side.platform}:${String(user)}` }, select: { status: true, error: true }, orderBy: { id: "asc" } });

  it.each([
    ["U+0000", "Xin ch\u0000ào", "U+0000 replaced"],
    ["a lone surrogate", "Xin chào \uD83D", "lone surrogate replaced"],
  ])("takes a text with %s on the first try, answers it and notes the change", async (_what, text, change) => {
    const user = text.includes("\u0000") ? 301 : 302;
    expect(await side.send(user, text)).toBe(200);
    expect(await side.reply(user, 1)).toBe(texts.bot.notLinked);
    expect(await stored(user)).toEqual([{ status: "DONE", error: `stored sanitised: ${change}` }]);
  });

  it.runIf(mode === "webhook")("takes a field nested 100,000 deep and still reads the message", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", [side.header]: SECRET }, body: side.rawUpdate("303", "77", "/start", deep) });
    expect(res.status).toBe(200);
    expect(await side.reply(303, 1)).toBe(texts.bot.welcomeStranger);
    expect(await stored(303)).toEqual([{ status: "DONE", error: "stored sanitised: nested deeper than 32 levels dropped" }]);
  });

  it.runIf(mode === "webhook" && platform === "ZALO")("takes Zalo ids of kilobytes: answers a long message id once, records a long chat id as refused", async () => {
    const post = (body: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json", [side.header]: SECRET }, body });
    const longMessage = side.rawUpdate("304", "m".repeat(3_000), "/start", "null");
    expect((await post(longMessage)).status).toBe(200);
    expect((await post(longMessage)).status).toBe(200); // a redelivery
    expect(await side.reply(304, 1)).toBe(texts.bot.welcomeStranger);
    expect(await stored(304)).toEqual([{ status: "DONE", error: null }]);

    const longChat = "9".repeat(3_000);
    expect((await post(side.rawUpdate(longChat, "305", "/start", "null"))).status).toBe(200);
    const refused = await t.db.prisma.inboundUpdate.findMany({ where: { status: "FAILED" }, select: { chatKey: true, error: true } });
    expect(refused).toEqual([{ chatKey: expect.stringMatching(/^ZALO:sha256:[0-9a-f]{64}$/) as unknown, error: "rejected: chat id longer than 256 characters" }]);
  });
});
