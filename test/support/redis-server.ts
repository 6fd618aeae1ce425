// A Redis server of the test's own, on a free port, that the test may stop
// and start again on the same port. It keeps nothing on disk, so a restart
// comes back empty, as a Redis without persistence does after a crash.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { freePort } from "./ports.ts";

export interface OwnRedis {
  url: string;
  stop(): Promise<void>;
  /** Starts it again on the same port (empty); a no-op while it runs. */
  start(): Promise<void>;
  /** stop() then start(): every key is gone. */
  restart(): Promise<void>;
}

function spawnRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.includes("Ready to accept connections")) resolve(child);
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined = await spawnRedis(port);
  const own: OwnRedis = {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child) await kill(child);
      child = undefined;
    },
    async start() {
      if (child) return;
      // The port was just freed by our own server; retry while the kernel
      // has not released it yet (bounded only against a port taken for good).
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          child = await spawnRedis(port);
          return;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    },
    async restart() {
      await own.stop();
      await own.start();
    },
  };
  return own;
}
