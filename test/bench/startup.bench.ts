// `npm start` exactly as a user runs it, on PostgreSQL (migrations already
// applied) and Redis: the time from `npm start` to the line that says it runs,
// and the resident memory of the whole process tree at idle (npm's own node
// process, a shell if one stays, the bot, and any child such as tsx's esbuild
// service), read from /proc. Baseline, in the same run: an idle `node -e`
// started the same way through npm (npm's process and a bare node: the floor
// no app can go below). Targets: tree < 150 MB at idle, ready < 5 s.
// BENCH_STARTS (default 3) starts are measured; the figures are their medians.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createTestDb } from "../support/db.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";

const TARGET_RSS_MB = 150;
const TARGET_READY_S = 5;
const STARTS = Number(process.env.BENCH_STARTS ?? 3);
const IDLE_MS = Number(process.env.BENCH_IDLE_S ?? 5) * 1000;
const root = fileURLToPath(new URL("../..", import.meta.url));

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
  rssKb: number;
  /** Proportional set size: pages shared with other processes (node's own code, shared by npm and the bot) counted once in all. */
  pssKb: number;
}

function readProc(pid: number): Proc | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    if (/^State:\s+Z/m.test(status)) return undefined;
    return {
      pid,
      ppid: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]),
      // Kernel threads and exiting processes have no VmRSS line.
      rssKb: Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0),
      pssKb: pssOf(pid),
      cmdline: readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim(),
    };
  } catch {
    return undefined; // gone meanwhile
  }
}

function pssOf(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** `pid` and all its live descendants. */
function tree(pid: number): Proc[] {
  const all = readdirSync("/proc").filter((e) => /^\d+$/.test(e)).map((e) => readProc(Number(e))).filter((p) => p !== undefined);
  const found: Proc[] = [];
  const wanted = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if ((wanted.has(p.pid) || wanted.has(p.ppid)) && !found.includes(p)) {
        found.push(p);
        wanted.add(p.pid);
        grew = true;
      }
    }
  }
  return found;
}

const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Measure {
  readyS: number;
  treeMb: number;
  /** The tree's own memory: its PSS summed, so pages its processes share count once. */
  treePssMb: number;
  /** The process that is neither npm nor a wrapper: the one with the most memory besides npm's. */
  botMb: number;
  npmMb: number;
  procs: string[];
}

async function npmStart(cwd: string, env: Record<string, string>, ready: (line: string) => boolean): Promise<Measure> {
  const t0 = performance.now();
  const child = spawn("npm", ["start"], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME ?? "/root", ...env }, stdio: ["ignore", "pipe", "inherit"] });
  try {
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`npm start exited early with ${code}`));
      child.once("exit", onExit);
      createInterface({ input: child.stdout }).on("line", (line) => {
        if (!ready(line)) return;
        child.off("exit", onExit);
        resolve();
      });
    });
    const readyS = (performance.now() - t0) / 1000;
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const procs = tree(child.pid!);
    const npm = procs.find((p) => p.pid === child.pid)!;
    const others = procs.filter((p) => p.pid !== child.pid).sort((a, b) => b.rssKb - a.rssKb);
    return {
      readyS,
      treeMb: mb(procs.reduce((s, p) => s + p.rssKb, 0)),
      treePssMb: mb(procs.reduce((s, p) => s + p.pssKb, 0)),
      npmMb: mb(npm.rssKb),
      botMb: mb(others[0]?.rssKb ?? 0),
      procs: procs.map((p) => `${mb(p.rssKb).toFixed(1).padStart(6)} MB  ${p.pid}  ${p.cmdline.slice(0, 110)}`),
    };
  } finally {
    await stop(child);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

// The baseline: a package whose `npm start` is a bare idle node.
const bare = mkdtempSync(join(tmpdir(), "baocao-bench-startup-"));
writeFileSync(join(bare, "package.json"), JSON.stringify({ name: "bare", private: true, scripts: { start: `exec node -e "console.log('ready'); setInterval(() => {}, 1 << 30)"` } }));
// Migrations applied, as on every start after the first.
const pg = await createTestDb();
try {
  const base: Measure[] = [];
  const runs: Measure[] = [];
  for (let i = 0; i < STARTS; i += 1) {
    base.push(await npmStart(bare, {}, (l) => l === "ready"));
    // As a user runs it: DATABASE_URL and REDIS_URL, nothing else that matters
    // (no token: the sandbox is on, as on a first try); port 0 to share the machine.
    runs.push(await npmStart(root, { DATABASE_URL: pg.url, REDIS_URL: testRedisUrl, QUEUE_PREFIX: testQueuePrefix(), HTTP_PORT: "0", SANDBOX_PORT: "0", LOG_LEVEL: "warn" }, (l) => l.startsWith("baocao is running")));
    const r = runs.at(-1)!;
    console.log(`start ${i + 1}: ready in ${r.readyS.toFixed(2)} s; idle tree ${r.treeMb} MB RSS summed, ${r.treePssMb} MB PSS (baseline ${base.at(-1)!.treeMb} MB, ready in ${base.at(-1)!.readyS.toFixed(2)} s)`);
    for (const line of r.procs) console.log(`    ${line}`);
  }
  const fig = {
    idle_rss_mb: median(runs.map((r) => r.treeMb)),
    idle_pss_mb: median(runs.map((r) => r.treePssMb)),
    bot_rss_mb: median(runs.map((r) => r.botMb)),
    npm_rss_mb: median(runs.map((r) => r.npmMb)),
    start_to_ready_s: Number(median(runs.map((r) => r.readyS)).toFixed(2)),
    first_start_to_ready_s: Number(runs[0]!.readyS.toFixed(2)),
    baseline_rss_mb: median(base.map((r) => r.treeMb)),
    baseline_ready_s: Number(median(base.map((r) => r.readyS)).toFixed(2)),
  };
  const ratio = fig.idle_rss_mb / fig.baseline_rss_mb;
  console.log(`start script: ${(JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start}`);
  console.log(`npm start on PostgreSQL and Redis, median of ${STARTS}: ready in ${fig.start_to_ready_s} s (first ${fig.first_start_to_ready_s} s; target < ${TARGET_READY_S} s)`);
  console.log(`idle process tree: ${fig.idle_rss_mb} MB RSS summed (npm ${fig.npm_rss_mb} MB, bot ${fig.bot_rss_mb} MB; target < ${TARGET_RSS_MB} MB); ${fig.idle_pss_mb} MB PSS (node's code shared by npm and the bot counted once)`);
  console.log(`baseline, an idle node -e through npm start: ${fig.baseline_rss_mb} MB, ready in ${fig.baseline_ready_s} s`);
  console.log(`ratio (tree / baseline): ${ratio.toFixed(2)}`);
  console.log(JSON.stringify({ bench: "startup", starts: STARTS, ...fig, ratio: Number(ratio.toFixed(2)), target_rss_mb: TARGET_RSS_MB, target_ready_s: TARGET_READY_S }));
} finally {
  rmSync(bare, { recursive: true, force: true });
  await pg.cleanup();
}
