// `npm start` with no DATABASE_URL and no token: the embedded database, the
// sandbox chat, one line saying how to try it, and a clean SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { vi as texts } from "../../src/texts/vi.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { freePort } from "../support/ports.ts";

const dataDir = mkdtempSync(join(tmpdir(), "baocao-embedded-"));
const prefix = testQueuePrefix();
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(port: number): Promise<{ child: ChildProcess; line: string }> {
  const c = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, HTTP_HOST: "127.0.0.1", HTTP_PORT: String(port), REDIS_URL: testRedisUrl, QUEUE_PREFIX: prefix, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  child = c;
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: c.stdout }).on("line", (l) => {
      if (l.startsWith("baocao is running")) resolve(l);
    });
    c.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
  });
  return { child: c, line };
}

const stop = (c: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    c.once("exit", (code) => resolve(code));
    c.kill("SIGTERM");
  });

async function chat(port: number, chatId: string, text: string, expectedCount: number) {
  const base = `http://127.0.0.1:${port}/sandbox/api`;
  const sent = await fetch(`${base}/send`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ chatId, text }) });
  expect(sent.status).toBe(202);
  // The page polls the same endpoint; so does the test, until the reply lands.
  for (;;) {
    const r = await fetch(`${base}/messages?chatId=${chatId}&after=0`);
    const messages = (await r.json()) as { text: string }[];
    if (messages.length >= expectedCount) return messages.map((m) => m.text);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("npm start with nothing configured", () => {
  it("runs on the embedded database, answers in the sandbox, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const first = await start(port);
    expect(first.line).toContain("Telegram off (no TELEGRAM_BOT_TOKEN), Zalo off (no ZALO_BOT_TOKEN)");
    expect(first.line).toContain(`embedded database in ${join(dataDir, "pglite")}`);
    expect(first.line).toContain(`Try it: open http://127.0.0.1:${port}/sandbox and type /batdau.`);

    const page = await fetch(`http://127.0.0.1:${port}/sandbox`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(texts.sandbox.title);
    // Through a reverse proxy the request is someone else's: refused.
    const proxied = await fetch(`http://127.0.0.1:${port}/sandbox`, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(proxied.status).toBe(403);
    // A cross-site form post (text/plain) is refused: the page's script sends JSON.
    const crossSite = await fetch(`http://127.0.0.1:${port}/sandbox/api/send`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ chatId: "victim", text: "/start ABCDEFGH" }) });
    expect(crossSite.status).toBe(415);

    expect(await chat(port, "web-test", "/batdau", 1)).toEqual([texts.bot.welcomeStranger]);
    expect(await stop(first.child)).toBe(0);

    // The data outlives the process.
    const second = await start(port);
    expect(await chat(port, "web-test", "/huongdan", 2)).toEqual([texts.bot.welcomeStranger, texts.bot.help(false)]);
    expect(await stop(second.child)).toBe(0);
  }, 120_000);
});
