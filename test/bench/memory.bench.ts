// Resident memory of `npm start` on the embedded database: the first start on
// an empty folder, a restart, and after the sandbox loaded the example
// organisation and answered a message. Baseline, in the same run: the same
// start on PostgreSQL (no embedded database in the process). The limit a
// newcomer's laptop or a small VPS should bear is 400 MB at start; the
// figures after use (an export loads exceljs) are reported, not limited.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createEmptyDatabase } from "../support/db.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { sandboxClient } from "../support/sandbox-client.ts";

const LIMIT_MB = 400;
const root = fileURLToPath(new URL("../..", import.meta.url));
// Exactly what `npm start` runs, without npm in front: the measured pid is the bot's.
const startScript = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Math.round(Number(kb) / 1024);
}

async function start(env: Record<string, string>): Promise<{ child: ChildProcess; url: string | undefined }> {
  const child = spawn("sh", ["-c", startScript], {
    cwd: root,
    env: { PATH: process.env.PATH, HTTP_HOST: "127.0.0.1", HTTP_PORT: "0", SANDBOX_PORT: "0", REDIS_URL: testRedisUrl, QUEUE_PREFIX: testQueuePrefix(), LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string | undefined>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("baocao is running")) resolve(/open (http:\/\/\S+) in a browser/.exec(line)?.[1]);
    });
    child.once("exit", (code) => reject(new Error(`the bot exited with ${code}`)));
  });
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

const dataDir = mkdtempSync(join(tmpdir(), "baocao-bench-memory-"));
const pg = await createEmptyDatabase();
try {
  const baseline = await start({ DATABASE_URL: pg.url, SANDBOX: "off" });
  const postgresMb = rssMb(baseline.child.pid!);
  await stop(baseline.child);

  const first = await start({ DATA_DIR: dataDir });
  const firstMb = rssMb(first.child.pid!);
  await stop(first.child);

  const again = await start({ DATA_DIR: dataDir });
  const restartMb = rssMb(again.child.pid!);
  const url = new URL(again.url!);
  const sandbox = sandboxClient(url.origin, url.searchParams.get("key")!);
  await sandbox.post("/sandbox/api/example", {});
  await sandbox.say({ as: "dothilan" }, "/baocao");
  const usedMb = rssMb(again.child.pid!);
  // exceljs and resvg are loaded on the first export and chart.
  await sandbox.say({ as: "tranvanduc" }, "/xuat");
  await sandbox.say({ as: "tranvanduc" }, "/bieudo");
  const exportedMb = rssMb(again.child.pid!);
  await stop(again.child);

  const ratio = firstMb / postgresMb;
  console.log(`start script: ${startScript}`);
  console.log(`embedded, first start on an empty folder: ${firstMb} MB`);
  console.log(`embedded, restart:                        ${restartMb} MB`);
  console.log(`embedded, example loaded and a message:   ${usedMb} MB`);
  console.log(`embedded, then an export and a chart:     ${exportedMb} MB`);
  console.log(`baseline, PostgreSQL start:               ${postgresMb} MB`);
  console.log(`ratio (first start / baseline): ${ratio.toFixed(2)}; limit ${LIMIT_MB} MB`);
  console.log(JSON.stringify({ bench: "memory", first_start_mb: firstMb, restart_mb: restartMb, used_mb: usedMb, exported_mb: exportedMb, postgres_mb: postgresMb, ratio: Number(ratio.toFixed(2)), limit_mb: LIMIT_MB }));
  if (Math.max(firstMb, restartMb) > LIMIT_MB) process.exitCode = 1;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  await pg.drop();
}
