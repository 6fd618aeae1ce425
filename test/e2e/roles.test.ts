// The roles run as separate processes: an http process takes webhooks and
// stores updates, a processor process (another machine, in production)
// handles them and replies. They share only PostgreSQL and Redis.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { freePort } from "../support/ports.ts";

let t: TestDb;
let tg: TelegramEmulator;
const children: ChildProcess[] = [];
const prefix = testQueuePrefix();
/** Waits follow events; this bound only fails a hang (a loaded machine is slow, not stuck). */
const BOUND_MS = 120_000;

function startRole(role: string, port: number): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", `--role=${role}`], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: t.url,
      REDIS_URL: testRedisUrl,
      QUEUE_PREFIX: prefix,
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(port),
      LOG_LEVEL: "silent",
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/webhook/telegram`,
      TELEGRAM_WEBHOOK_SECRET: "roles-secret",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("baocao is running")) resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`${role} exited early with ${code}`)));
  });
}

beforeAll(async () => {
  t = await createTestDb();
  tg = await startTelegramEmulator();
});

afterAll(async () => {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once("exit", () => resolve());
          c.kill("SIGTERM");
        }),
    ),
  );
  await tg.close();
  await t.cleanup();
});

describe("separate roles", () => {
  it("an http process stores a webhook update and a processor process answers it", async () => {
    const port = await freePort();
    const http = await startRole("http", port);
    expect(http).toContain("roles http.");
    expect(tg.webhook()?.url).toBe(`http://127.0.0.1:${port}/webhook/telegram`);

    tg.userSends(401, "/batdau");
    await tg.waitForDelivery((d) => d.status === 200, BOUND_MS);
    // Stored, not handled: no processor runs yet.
    expect(await t.db.prisma.inboundUpdate.findMany({ select: { status: true } })).toEqual([{ status: "PENDING" }]);
    expect(tg.messagesTo(401)).toHaveLength(0);

    await startRole("processor", 0);
    const reply = await tg.waitFor((c) => c.chat_id === "401", BOUND_MS);
    expect(reply.text).toBe(texts.bot.welcomeStranger);
  }, 4 * BOUND_MS);
});
