// Memory kept after malformed webhook posts (bodies that fail validation, as
// a scanner or a broken proxy sends them), on both platforms' routes of one
// app started as `npm start` starts it. Baseline, in the same run: the heap
// after a warm-up of the same posts. Measured after forced collections, so
// garbage that V8 has not collected yet (RSS grows with it) does not count.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createTestDb } from "../support/db.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { startTelegramEmulator } from "../emulators/telegram.ts";
import { startZaloEmulator } from "../emulators/zalo.ts";
import type { Measure } from "./webhook-memory.child.ts";
import { startSettings } from "../support/start-script.ts";

const POSTS = Number(process.env.BENCH_POSTS ?? 20_000);
const WARM_UP = 2_000;
const SECRET = "bench-webhook-secret-0123";
const root = fileURLToPath(new URL("../..", import.meta.url));

const malformed = [
  { path: "/webhook/telegram", header: "x-telegram-bot-api-secret-token", body: JSON.stringify({ hello: "world" }) },
  { path: "/webhook/telegram", header: "x-telegram-bot-api-secret-token", body: JSON.stringify({ update_id: "seven", message: { text: "x" } }) },
  { path: "/webhook/zalo", header: "x-bot-api-secret-token", body: JSON.stringify({ event_name: 5, message: "x" }) },
  { path: "/webhook/zalo", header: "x-bot-api-secret-token", body: "{not json" },
];

function next<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve(m as T));
    child.once("exit", (code) => reject(new Error(`the app exited with ${code}`)));
  });
}

async function post(port: number, n: number): Promise<void> {
  let sent = 0;
  // Eight at a time, as a platform's retries or a scanner would.
  const worker = async () => {
    while (sent < n) {
      const m = malformed[sent++ % malformed.length]!;
      const r = await fetch(`http://127.0.0.1:${port}${m.path}`, { method: "POST", headers: { "content-type": "application/json", [m.header]: SECRET }, body: m.body });
      await r.arrayBuffer();
      if (r.status !== 400) throw new Error(`expected 400, got ${r.status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

const t = await createTestDb();
const telegram = await startTelegramEmulator();
const zalo = await startZaloEmulator();
const child = fork(fileURLToPath(new URL("./webhook-memory.child.ts", import.meta.url)), [], {
  cwd: root,
  execArgv: ["--expose-gc", ...startSettings().nodeFlags, "--import", "tsx"],
  stdio: ["ignore", "ignore", "inherit", "ipc"],
  env: {
    ...startSettings().env,
    PATH: process.env.PATH,
    DATABASE_URL: t.url,
    REDIS_URL: testRedisUrl,
    QUEUE_PREFIX: testQueuePrefix(),
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: "0",
    REMINDERS: "off",
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_WEBHOOK_URL: "https://bot.example.vn/webhook/telegram",
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    ZALO_BOT_TOKEN: zalo.token,
    ZALO_API_ROOT: zalo.apiRoot,
    ZALO_WEBHOOK_URL: "https://bot.example.vn/webhook/zalo",
    ZALO_WEBHOOK_SECRET: SECRET,
  },
});
try {
  const { port } = await next<{ port: number }>(child);
  const measure = () => {
    child.send("measure");
    return next<Measure>(child);
  };
  await post(port, WARM_UP);
  const before = await measure();
  await post(port, POSTS / 2);
  const half = await measure();
  await post(port, POSTS / 2);
  const after = await measure();
  const keptPerPost = Math.round(((after.heapMb - before.heapMb) * 1048576) / POSTS);
  const ratio = after.heapMb / before.heapMb;
  console.log(`malformed webhook posts: ${POSTS} (after a warm-up of ${WARM_UP})`);
  console.log(`heap after gc: ${before.heapMb} MB -> ${half.heapMb} MB -> ${after.heapMb} MB (${keptPerPost} bytes kept a post)`);
  console.log(`rss after gc:  ${before.rssMb} MB -> ${half.rssMb} MB -> ${after.rssMb} MB`);
  console.log(`ratio (heap after / baseline heap after the warm-up): ${ratio.toFixed(3)}`);
  console.log(JSON.stringify({ bench: "webhook-memory", posts: POSTS, heap_before_mb: before.heapMb, heap_after_mb: after.heapMb, rss_before_mb: before.rssMb, rss_after_mb: after.rssMb, kept_bytes_per_post: keptPerPost, ratio: Number(ratio.toFixed(3)) }));
} finally {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.send("stop");
  await exited;
  await telegram.close();
  await zalo.close();
  await t.cleanup();
}
