// Runs the whole app in a child process for crash tests: the parent kills it
// with SIGKILL and starts another. Short leases so a successor takes over a
// dead process's chats quickly.
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { systemClock } from "../../src/clock.ts";
import { startApp } from "../../src/app.ts";

const config = loadConfig(process.env);
const app = await startApp(config, {
  logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
  clock: systemClock,
  processor: { leaseMs: Number(process.env.TEST_LEASE_MS ?? 1_000), idleMs: 100 },
});
process.stdout.write(`READY ${app.http?.port ?? ""}\n`);
process.on("SIGTERM", () => {
  void app.stop().then(() => process.exit(0));
});
