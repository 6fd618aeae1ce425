// Runs the whole app in a child process for crash tests: the parent kills it
// with SIGKILL and starts another. Short leases so a successor takes over a
// dead process's chats quickly.
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { fixedClock, systemClock } from "../../src/clock.ts";
import { startApp } from "../../src/app.ts";

const config = loadConfig(process.env);
const app = await startApp(config, {
  logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
  // Benchmarks run children on the parent's fixed clock.
  clock: process.env.TEST_NOW === undefined ? systemClock : fixedClock(new Date(process.env.TEST_NOW)),
  processor: { leaseMs: Number(process.env.TEST_LEASE_MS ?? 1_000), idleMs: Number(process.env.TEST_IDLE_MS ?? 100) },
});
// Benchmarks wait on this line, as tests in one process wait on onHandled.
if (process.env.TEST_REPORT_HANDLED === "1") app.processor?.onHandled((chatKey) => process.stdout.write(`HANDLED ${chatKey}\n`));
process.stdout.write(`READY ${app.http?.port ?? ""}\n`);
process.on("SIGTERM", () => {
  void app.stop().then(() => process.exit(0));
});
