// `npm start` as a process manager runs it: systemd sends SIGTERM, pm2 SIGINT,
// to the pid it started, which is npm's. The bot must stop cleanly within
// 10 s and leave no process behind (a shell between npm and node would die
// and orphan the bot, which then keeps running).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "baocao-npm-start-"));
// Every process of the tree inherits it, so the tree can be found in /proc
// even after a process has been re-parented.
const marker = `BAOCAO_TEST_TREE=${randomBytes(8).toString("hex")}`;

interface Proc {
  pid: number;
  cmdline: string;
}

/** Live (not zombie) processes whose environment carries the marker. */
function markedProcesses(): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (!environ.includes(marker)) continue;
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${entry}/status`, "utf8"))) continue;
      found.push({ pid: Number(entry), cmdline: readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim() });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

afterAll(() => {
  for (const p of markedProcesses()) process.kill(p.pid, "SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `npm start` and resolves at the first stdout line `ready` accepts. */
function npmStart(ready: (line: string) => boolean = (l) => l.startsWith("baocao is running"), dir = dataDir, logLevel = "warn"): Promise<ChildProcess> {
  const [name, value] = marker.split("=") as [string, string];
  const child = spawn("npm", ["start"], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      DATA_DIR: dir,
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: "0",
      REDIS_URL: testRedisUrl,
      QUEUE_PREFIX: testQueuePrefix(),
      LOG_LEVEL: logLevel,
      [name]: value,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`npm start exited early with ${code}`));
    child.once("exit", onExit);
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (!ready(line)) return;
      child.off("exit", onExit);
      resolve(child);
    });
  });
}

/** Resolves with the exit code, or rejects when the process is still there after `ms`. */
function exitWithin(child: ChildProcess, ms: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running ${ms} ms after the signal`)), ms);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function gone(ms: number): Promise<Proc[]> {
  const until = Date.now() + ms;
  for (;;) {
    const left = markedProcesses();
    if (left.length === 0 || Date.now() > until) return left;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("npm start under a process manager", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("stops cleanly within 10 s on %s to npm's pid, leaving no process behind", async (signal) => {
    const npm = await npmStart();
    const tree = markedProcesses();
    expect(tree.map((p) => p.pid)).toContain(npm.pid);
    expect(tree.some((p) => /src\/main\.ts|scripts\/start\.mjs/.test(p.cmdline))).toBe(true);

    const exited = exitWithin(npm, 10_000);
    npm.kill(signal);
    // 0: the app's own graceful stop finished, not its forced exit.
    expect(await exited).toBe(0);
    // npm waits for its child, so nothing should be left; the bound only
    // covers the kernel finishing the exits.
    expect(await gone(2_000)).toEqual([]);
  }, 120_000);

  it("stops cleanly when the signal comes while it is still starting, and leaves the data folder free", async () => {
    const fresh = mkdtempSync(join(tmpdir(), "baocao-npm-start-early-"));
    try {
      // The first log line of a first start: migrations applied, the rest still to come.
      const npm = await npmStart((l) => l.includes("database migrated"), fresh, "info");
      const exited = exitWithin(npm, 10_000);
      npm.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(await gone(2_000)).toEqual([]);
      expect(existsSync(join(fresh, "pglite.lock"))).toBe(false);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 120_000);
});
