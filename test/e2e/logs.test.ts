// Logs carry no message texts, invitation codes or tokens, even at debug
// level and when deliveries fail.
import { Writable } from "node:stream";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { systemClock } from "../../src/clock.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";
import { startZaloEmulator, type ZaloEmulator } from "../emulators/zalo.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";

let t: TestDb;
let tg: TelegramEmulator;
let zalo: ZaloEmulator;
let app: App;
let code: string;
const lines: string[] = [];

beforeAll(async () => {
  t = await createTestDb();
  const file = loadImportFile(join(import.meta.dirname, "../../examples/xa-tan-phong.yaml"));
  if (!file.ok) throw new Error(file.problems.join("\n"));
  code = (await applyImport(t.db.prisma, file.data, { now: new Date(), ttlDays: 14 })).invitations[0]!.code;
  tg = await startTelegramEmulator();
  zalo = await startZaloEmulator();
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString("utf8"));
      cb();
    },
  });
  const config = loadConfig({
    DATABASE_URL: t.url,
    REDIS_URL: testRedisUrl,
    QUEUE_PREFIX: testQueuePrefix(),
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: "0",
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    ZALO_BOT_TOKEN: zalo.token,
    ZALO_API_ROOT: zalo.apiRoot,
  });
  app = await startApp(config, { logger: createLogger("trace", sink), clock: systemClock, processor: { idleMs: 50 } });
});

afterAll(async () => {
  await app.stop();
  await tg.close();
  await zalo.close();
  await t.cleanup();
});

describe("logs", () => {
  it("never contain what people wrote, their codes or the bot tokens", async () => {
    const secretText = "Nội dung riêng tư 987654";
    tg.userSends(301, secretText);
    zalo.userSends("302", secretText, { id: "302" });
    tg.userSends(303, `/start ${code}`);
    // A failed delivery is logged with its reason, not its text.
    tg.blockedChats.add("304");
    tg.userSends(304, secretText);
    tg.failNext("getUpdates", { error_code: 500, description: "Internal Server Error" });
    await tg.waitFor((c) => c.chat_id === "303");
    await zalo.waitFor((c) => c.chat_id === "302");
    await tg.waitFor((c) => String(c.chat_id) === "301");
    await new Promise<void>((resolve) => {
      const check = async () => {
        const row = await t.db.prisma.outboundMessage.findFirst({ where: { chatId: "304", status: "FAILED" }, select: { id: true } });
        if (row) resolve();
        else setImmediate(() => void check());
      };
      void check();
    });
    const all = lines.join("");
    expect(all.length).toBeGreaterThan(0);
    for (const forbidden of [secretText, code, tg.token, zalo.token, tg.token.split(":")[1]!]) {
      expect(all).not.toContain(forbidden);
    }
  });
});
