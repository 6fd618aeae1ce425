// The worker role alone, in a child process, for fault tests: the parent
// kills it with SIGKILL, restarts its Redis, runs two at once. It composes
// the role exactly as the app does (startWorkerRole), with a short job lock
// (TEST_LOCK_MS) so a killed worker's jobs are re-run within seconds.
// Prints READY once started, and one line per finished job: "JOB <id> <result>".
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { systemClock } from "../../src/clock.ts";
import { openPostgres } from "../../src/db/database.ts";
import { createTelegramAdapter } from "../../src/channels/telegram/index.ts";
import { connectRedis } from "../../jobs/redis.ts";
import { createQueues } from "../../jobs/queues.ts";
import { startWorkerRole } from "../../jobs/workers.ts";

const config = loadConfig({ ...process.env, ROLES: "worker" });
if (!config.databaseUrl || !config.redisUrl || !config.telegram) throw new Error("worker-child needs DATABASE_URL, REDIS_URL and TELEGRAM_*");
const logger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
const db = openPostgres(config.databaseUrl);
const redis = await connectRedis(config.redisUrl);
const queues = createQueues({ connection: redis, prefix: config.queuePrefix });
const telegram = createTelegramAdapter({ token: config.telegram.token, apiRoot: config.telegram.apiRoot, logger });
const role = startWorkerRole({
  connection: redis,
  prefix: config.queuePrefix,
  queues,
  prisma: db.prisma,
  logger,
  clock: systemClock,
  channels: [{ sender: telegram, perSecond: config.telegram.perSecond }],
  lockMs: Number(process.env.TEST_LOCK_MS ?? 2_000),
});
for (const w of role.sendWorkers) {
  w.on("completed", (job, result) => process.stdout.write(`JOB ${job.data.outboundId} ${result}\n`));
  w.on("failed", (job) => {
    if (job) process.stdout.write(`JOB ${job.data.outboundId} failed\n`);
  });
}
await role.recovered();
process.stdout.write("READY\n");
process.on("SIGTERM", () => {
  void role
    .close()
    .then(() => queues.close())
    .then(() => db.close())
    .finally(() => {
      redis.disconnect();
      process.exit(0);
    });
});
