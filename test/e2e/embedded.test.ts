// `npm start` with no DATABASE_URL and no token: the embedded database, the
// sandbox chat behind its key, one line saying how to try it, history kept
// across a restart, and a clean SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, request, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { vi as texts } from "../../src/texts/vi.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { freePort } from "../support/ports.ts";
import { sandboxClient, textOf } from "../support/sandbox-client.ts";

const dataDir = mkdtempSync(join(tmpdir(), "baocao-embedded-"));
const prefix = testQueuePrefix();
let child: ChildProcess | undefined;
let proxy: Server | undefined;

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  proxy?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(port: number): Promise<{ child: ChildProcess; line: string }> {
  // HTTP_HOST is left to its default: with the sandbox on, that is loopback.
  const c = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, HTTP_PORT: String(port), REDIS_URL: testRedisUrl, QUEUE_PREFIX: prefix, LOG_LEVEL: "warn" },
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

/**
 * nginx's default `proxy_pass http://127.0.0.1:<port>;`: it connects from
 * loopback, sends `Host: 127.0.0.1:<port>` and no X-Forwarded-For, so the
 * sandbox cannot tell it from a local browser by the connection alone.
 */
function hostRewritingProxy(port: number): Promise<number> {
  proxy = createServer((req, res) => {
    const headers = { ...req.headers, host: `127.0.0.1:${port}` };
    const out = request({ host: "127.0.0.1", port, path: req.url, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(out);
  });
  return new Promise((resolve) => proxy!.listen(0, "127.0.0.1", () => resolve((proxy!.address() as { port: number }).port)));
}

describe("npm start with nothing configured", () => {
  it("runs on the embedded database with the sandbox behind its key, keeps the history, and stops cleanly", async () => {
    const port = await freePort();
    const first = await start(port);
    expect(first.line).toContain("Telegram off (no TELEGRAM_BOT_TOKEN), Zalo off (no ZALO_BOT_TOKEN), sandbox on (this machine only)");
    expect(first.line).toContain(`embedded database in ${join(dataDir, "pglite")}`);
    const m = /Try it: open (http:\/\/127\.0\.0\.1:(\d+)\/sandbox\?key=([A-Za-z0-9_-]{43})) in a browser on this machine\.$/.exec(first.line);
    expect(m).not.toBeNull();
    const [, url, shownPort, key] = m!;
    expect(Number(shownPort)).toBe(port);
    const base = `http://127.0.0.1:${port}`;

    // The page: the key from the line moves into a cookie; without it, a polite refusal.
    const bare = await fetch(`${base}/sandbox`);
    expect(bare.status).toBe(403);
    expect(await bare.text()).toContain(texts.sandbox.needKey);
    const opened = await fetch(url!, { redirect: "manual" });
    expect(opened.status).toBe(303);
    const cookie = opened.headers.get("set-cookie")!.split(";")[0]!;
    expect(opened.headers.get("set-cookie")).toContain("HttpOnly; SameSite=Strict");
    const page = await fetch(`${base}/sandbox`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(texts.sandbox.title);

    // Whoever comes through a proxy is refused: with the forwarding headers even holding the key,
    // and through one that rewrites Host (nginx's default) because it has no key.
    expect((await fetch(`${base}/sandbox/api/state`, { headers: { "x-sandbox-key": key!, "x-forwarded-for": "203.0.113.7" } })).status).toBe(403);
    const via = `http://127.0.0.1:${await hostRewritingProxy(port)}`;
    expect((await fetch(`${via}/sandbox`)).status).toBe(403);
    expect((await fetch(`${via}/sandbox/api/messages?chat=p1&look=telegram`)).status).toBe(403);
    const redeem = await fetch(`${via}/sandbox/api/send`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ chat: "stranger", text: "/start ABCDEFGH" }) });
    expect(redeem.status).toBe(403);
    // A cross-site form post (text/plain) is refused even with the cookie: the page's script sends JSON.
    const crossSite = await fetch(`${base}/sandbox/api/send`, { method: "POST", headers: { "content-type": "text/plain", cookie }, body: JSON.stringify({ chat: "victim", text: "/start ABCDEFGH" }) });
    expect(crossSite.status).toBe(415);

    const sandbox = sandboxClient(base, key!);
    const visitor = { chat: "web-test" };
    expect(textOf(await sandbox.say(visitor, "/batdau"))).toBe(texts.bot.welcomeStranger);
    expect(await stop(first.child)).toBe(0);

    // The data and the chat history outlive the process; the key stays the same.
    const second = await start(port);
    expect(second.line).toContain(`key=${key}`);
    expect(textOf(await sandbox.say(visitor, "/huongdan"))).toBe(texts.bot.help(false));
    const history = await sandbox.messages(visitor);
    expect(history.entries.map((e) => [e.from, textOf([e])])).toEqual([
      ["user", "/batdau"],
      ["bot", texts.bot.welcomeStranger],
      ["user", "/huongdan"],
      ["bot", texts.bot.help(false)],
    ]);
    expect(await stop(second.child)).toBe(0);
  }, 120_000);
});
