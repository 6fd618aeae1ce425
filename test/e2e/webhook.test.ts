// Webhook delivery on both platforms: the secret header is checked, bad
// bodies are refused, redeliveries are answered once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { telegramDriver, zaloDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { freePort } from "../support/ports.ts";

const SECRET = "webhook-secret-0123456789";

const cases = [
  { name: "Telegram", make: telegramDriver, header: "x-telegram-bot-api-secret-token", prefix: "TELEGRAM" },
  { name: "Zalo", make: zaloDriver, header: "x-bot-api-secret-token", prefix: "ZALO" },
] as const;

describe.each(cases)("$name webhook", ({ make, header, prefix }) => {
  let t: TestDb;
  let channel: Awaited<ReturnType<typeof make>>;
  let app: App;
  let url: string;

  beforeAll(async () => {
    t = await createTestDb();
    channel = await make();
    const port = await freePort();
    url = `http://127.0.0.1:${port}/webhook/${prefix.toLowerCase()}`;
    app = await startTestApp({
      DATABASE_URL: t.url,
      HTTP_PORT: String(port),
      ...channel.env(),
      [`${prefix}_WEBHOOK_URL`]: url,
      [`${prefix}_WEBHOOK_SECRET`]: SECRET,
    });
  });

  afterAll(async () => {
    await app.stop();
    await channel.close();
    await t.cleanup();
  });

  it("registers the webhook with its secret and answers through it", async () => {
    expect(channel.emulator.webhook()).toEqual({ url, secret: SECRET });
    channel.say(201, "/start");
    expect(await channel.reply(201, 1)).toBe(texts.bot.welcomeStranger);
  });

  it("refuses a wrong or missing secret and a malformed body", async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    expect((await post({ [header]: "wrong-secret-000000" }, "{}")).status).toBe(401);
    expect((await post({}, "{}")).status).toBe(401);
    expect((await post({ [header]: SECRET }, "{not json")).status).toBe(400);
    expect((await post({ [header]: SECRET }, JSON.stringify({ hello: "world" }))).status).toBe(400);
    // Nothing of these reached the store.
    expect(await t.db.prisma.inboundUpdate.count()).toBe(1);
  });

  it("answers a redelivered update once", async () => {
    channel.say(202, "/huongdan");
    expect(await channel.reply(202, 1)).toBe(texts.bot.help(false));
    const [update] = (await t.db.prisma.inboundUpdate.findMany({ where: { chatKey: `${prefix}:202` }, select: { updateKey: true } }));
    // The platform sends the same update again, as both do on timeouts.
    const raw = prefix === "TELEGRAM"
      ? { update_id: Number(update!.updateKey), message: { message_id: 1, date: 1, chat: { id: 202, type: "private" }, from: { id: 202, is_bot: false, first_name: "A" }, text: "/huongdan" } }
      : { event_name: update!.updateKey.split(":")[0], message: { message_id: update!.updateKey.split(":").slice(1).join(":"), from: { id: "202", display_name: "A" }, chat: { id: "202", chat_type: "PRIVATE" }, date: 1, text: "/huongdan" } };
    const again = await fetch(url, { method: "POST", headers: { "content-type": "application/json", [header]: SECRET }, body: JSON.stringify(raw) });
    expect(again.status).toBe(200);
    channel.say(202, "/help");
    expect(await channel.reply(202, 2)).toBe(texts.bot.help(false));
    expect(channel.replies(202)).toHaveLength(2);
  });
});
