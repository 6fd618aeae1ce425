// Starts the whole app in-process against a test database, the shared Redis
// (with a queue prefix of its own) and the given emulators.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config.ts";
import { startApp, type App, type AppOptions } from "../../src/app.ts";
import { systemClock, type Clock } from "../../src/clock.ts";
import { testLogger } from "./logger.ts";

export const testRedisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export function testQueuePrefix(): string {
  return `baocao-test-${randomBytes(4).toString("hex")}`;
}

/** Without a DATA_DIR of the caller's, stored files go to a temporary folder, removed on stop. */
export async function startTestApp(env: Record<string, string>, clock: Clock = systemClock, hooks: Pick<AppOptions, "scheduler" | "processor"> = {}): Promise<App> {
  const dataDir = env.DATA_DIR === undefined ? await mkdtemp(join(tmpdir(), "baocao-app-")) : undefined;
  const removeDataDir = () => (dataDir === undefined ? Promise.resolve() : rm(dataDir, { recursive: true, force: true }));
  const config = loadConfig({
    REDIS_URL: testRedisUrl,
    QUEUE_PREFIX: testQueuePrefix(),
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: "0",
    SANDBOX: "off",
    // Scenario tests count replies; scheduled reminders would interleave.
    REMINDERS: "off",
    ...(dataDir !== undefined && { DATA_DIR: dataDir }),
    ...env,
  });
  let app: App;
  try {
    app = await startApp(config, { logger: testLogger, clock, ...hooks, processor: { idleMs: 50, ...hooks.processor } });
  } catch (err) {
    await removeDataDir();
    throw err;
  }
  return {
    ...app,
    stop: async () => {
      await app.stop();
      await removeDataDir();
    },
  };
}
