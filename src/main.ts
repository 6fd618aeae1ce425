// `npm start`: runs every role in one process (or those named by ROLES /
// --role=...). Start-up problems end in clear lines (one per bad setting), never a stack trace.
import { existsSync } from "node:fs";
import { loadConfig, configWarnings, ConfigError } from "./config.ts";
import { createLogger } from "./logger.ts";
import { systemClock } from "./clock.ts";

async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  // Before the errors: a mistyped name is often why a setting is missing.
  for (const line of configWarnings(process.env)) process.stderr.write(`${line}\n`);
  let config;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.lines.join("\n")}\n`);
      process.exit(1);
    }
    throw err;
  }
  // Generated at install (npm's postinstall) or image build, not at every start.
  // The compiled bundle (dist/, `npm run build`) holds the client already.
  if (import.meta.url.endsWith(".ts") && !existsSync(new URL("./db/generated/client.ts", import.meta.url))) {
    process.stderr.write("Cannot start: the Prisma client is not generated (src/db/generated is missing). Run `npm install` or `npm run db:generate`.\n");
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);

  // Handlers first: a signal that comes while the app starts (or just as its
  // line is printed) must not kill it halfway, which would leave the
  // embedded database's lock and unfinished work behind.
  const run: { starting?: Promise<{ summary: string; stop(): Promise<void> }>; stopping: boolean } = { stopping: false };
  const shutdown = (signal: string) => {
    if (run.stopping) return;
    run.stopping = true;
    logger.info({ signal }, "shutting down");
    // A stuck dependency must not keep a stopped container alive forever, and
    // the exit must come before a process manager's own SIGKILL (docker
    // stop's default is 10 s).
    const force = setTimeout(() => process.exit(1), 8_000);
    force.unref();
    void (run.starting ?? Promise.resolve(undefined))
      .then((app) => app?.stop())
      .then(() => {
        logger.info("stopped");
        process.exit(0);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));

  // Loaded after the configuration is known good, so config errors are instant.
  const { startApp, StartupError } = await import("./app.ts");
  run.starting = startApp(config, { logger, clock: systemClock }).catch((err: unknown) => {
    if (err instanceof StartupError) {
      process.stderr.write(`Cannot start: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  });
  const app = await run.starting;
  if (!run.stopping) process.stdout.write(`${app.summary}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`Cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
