// Starts the whole app in-process against a test database, the shared Redis
// (with a queue prefix of its own) and the given emulators.
import { randomBytes } from "node:crypto";
import { loadConfig } from "../../src/config.ts";
import { startApp, type App } from "../../src/app.ts";
import { systemClock, type Clock } from "../../src/clock.ts";
import { testLogger } from "./logger.ts";

export const testRedisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export function testQueuePrefix(): string {
  return `baocao-test-${randomBytes(4).toString("hex")}`;
}

export async function startTestApp(env: Record<string, string>, clock: Clock = systemClock): Promise<App> {
  const config = loadConfig({
    REDIS_URL: testRedisUrl,
    QUEUE_PREFIX: testQueuePrefix(),
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: "0",
    SANDBOX: "off",
    // Scenario tests count replies; scheduled reminders would interleave.
    REMINDERS: "off",
    ...env,
  });
  return startApp(config, { logger: testLogger, clock, processor: { idleMs: 50 } });
}
