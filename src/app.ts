// Composition root: config → logger → database → queues → channels → roles.
// Every role can run alone (ROLES / --role) so a deployment can scale each.
import { join } from "node:path";
import type { Redis } from "ioredis";
import type { ChannelAdapter, PlatformName } from "./channels/channel.ts";
import { createZaloAdapter } from "./channels/zalo/index.ts";
import { createSandboxAdapter } from "./channels/sandbox/adapter.ts";
import { DEFAULT_REDIS_URL, type Config } from "./config.ts";
import { openPglite, openPostgres, type Database, type Run } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { DataDirBusyError } from "./db/data-lock.ts";
import { ensureShippedHolidays } from "./calendar/holiday-store.ts";
import type { Logger } from "./logger.ts";
import type { Clock } from "./clock.ts";
import { createUpdateSink } from "./inbound/store.ts";
import { CONCURRENCY, createProcessor, type Processor } from "./inbound/processor.ts";
import { createBotHandler } from "./bot/handler.ts";
import { createCommitteeCommands, type Exporters } from "./committee/index.ts";
import { createQuestions } from "./questions/index.ts";
import { buildCsvFiles } from "./exports/csv.ts";
import { createAttachFile } from "./conversation/attach.ts";
import { createFileStore } from "./files/storage.ts";
import { createHttpServer, HealthProblem, healthRoute, withTimeout, type HttpServer, type Route } from "./http/server.ts";
import { SANDBOX_KEY_FILE, sandboxRoutes } from "./http/sandbox.ts";
import { mountConsole } from "./http/console/app.ts";
import { createFileLinks, fileLinkFor, loadOrCreateSecret, type FileLinks } from "./http/file-links.ts";
import { createTranscript, UPLOAD_PREFIX } from "./sandbox/transcript.ts";
import { createSandboxClock, type SandboxClock } from "./sandbox/clock.ts";
import { pauseSandboxChats, resumeSandboxChats } from "./sandbox/people.ts";
import { openDuePeriods } from "./reminders/open-periods.ts";
import { vi } from "./texts/vi.ts";
import { connectRedis, REDIS_HELP, RedisUnavailableError } from "../jobs/redis.ts";
import { publishStored, subscribeStored } from "../jobs/inbound-wake.ts";
import { createQueues, type Queues } from "../jobs/queues.ts";
import { startWorkerRole } from "../jobs/workers.ts";
import { maintenanceSchedulers } from "../jobs/maintenance.ts";
import { createReminderQueue, createReminderWorker, reminderSchedulers, runReminderStartup, runReminderTick } from "../jobs/reminders.ts";
import { missingSchedulers, startSchedulerRole } from "../jobs/schedulers.ts";

export class StartupError extends Error {
  override name = "StartupError";
}

export interface App {
  db: Database;
  redis: Redis;
  queues: Queues;
  adapters: ReadonlyMap<PlatformName, ChannelAdapter>;
  processor?: Processor;
  http?: { port: number };
  /** The local web chat, when on: its address (with the key) and its adjustable clock. */
  sandbox?: { port: number; key: string; url: string; clock: SandboxClock };
  /** The one line that says what runs and how to try it. */
  summary: string;
  stop(): Promise<void>;
}

const SANDBOX_TICK_EVERY_MS = 10_000;

export interface AppOptions {
  logger: Logger;
  clock: Clock;
  /** Test hooks: shorter leases so a killed process is taken over quickly; `query` watches the processor's statements outside transactions. */
  processor?: { leaseMs?: number; idleMs?: number; concurrency?: number; query?: Run };
  /** Test hooks: a faster reminder tick and scheduler watch. */
  scheduler?: { tickEveryMs?: number; watchEveryMs?: number };
}

export async function startApp(config: Config, opts: AppOptions): Promise<App> {
  const { logger } = opts;
  const roles = config.roles;
  const allRoles = roles.size === 5;
  if (!config.databaseUrl && !allRoles) {
    throw new StartupError("Running roles separately needs DATABASE_URL: the embedded database serves a single process.");
  }

  let db: Database;
  try {
    // A connection for each chat in hand (one in a transaction holds it while
    // it waits), and room beside them for sends, the poller, the heartbeat and
    // the console; made as they are needed.
    const poolSize = CONCURRENCY + 6;
    db = config.databaseUrl ? openPostgres(config.databaseUrl, { prepare: config.preparedStatements, poolSize }) : await openPglite(join(config.dataDir, "pglite"));
  } catch (err) {
    if (err instanceof DataDirBusyError) throw new StartupError(err.message);
    throw err;
  }
  const cleanups: (() => Promise<unknown>)[] = [() => db.close()];
  const stopAll = async () => {
    // Each step is bounded: with Redis or PostgreSQL gone, closing a client
    // can wait forever, and a shutdown must still finish.
    for (const f of cleanups.reverse()) {
      await withTimeout(f(), 3_000).catch((err: unknown) => logger.warn({ err: String(err) }, "shutdown step failed"));
    }
  };

  try {
    try {
      const applied = await migrate(db);
      if (applied.length > 0) logger.info({ migrations: applied }, "database migrated");
      // A fresh install gets the shipped holiday table; an edited one is never touched.
      const holidays = await ensureShippedHolidays(db.prisma, opts.clock.now());
      if (holidays) logger.info({ years: holidays.years, days: holidays.created }, "holiday table loaded");
    } catch (err) {
      throw new StartupError(`Database ${db.where} is not usable: ${(err as Error).message}`);
    }
    // In the sandbox the page can move time; everywhere else it is the given clock.
    const sandboxClock = config.sandbox ? await openSandbox(db, opts.clock) : undefined;
    if (!config.sandbox) {
      const paused = await pauseSandboxChats(db.prisma, opts.clock.now());
      if (paused > 0) logger.warn({ chats: paused }, "sandbox chats paused: the sandbox is off, so nothing is sent to them");
    }
    const clock: Clock = sandboxClock ?? opts.clock;

    let redis: Redis;
    try {
      redis = await connectRedis(config.redisUrl ?? DEFAULT_REDIS_URL);
    } catch (err) {
      if (err instanceof RedisUnavailableError) {
        throw new StartupError(config.redisUrl ? `${err.message}.` : `${err.message}: ${REDIS_HELP}.`);
      }
      throw err;
    }
    cleanups.push(async () => {
      await withTimeout(redis.quit(), 1_000).catch(() => undefined);
      redis.disconnect();
    });
    const queues = createQueues({
      connection: redis,
      prefix: config.queuePrefix,
      onError: (err) => logger.warn({ err: err.message }, "queue connection error"),
    });
    cleanups.push(() => queues.close());
    const reminderQueue = createReminderQueue({
      connection: redis,
      prefix: config.queuePrefix,
      onError: (err) => logger.warn({ err: err.message }, "queue connection error"),
    });
    cleanups.push(() => reminderQueue.close());
    // The job schedulers the scheduler role keeps, and /healthz checks.
    // The sandbox ticks faster, so a question, a nudge or a request reaches the other chat within seconds.
    const tickEveryMs = opts.scheduler?.tickEveryMs ?? (config.sandbox ? SANDBOX_TICK_EVERY_MS : undefined);
    const schedulers = [maintenanceSchedulers(queues), ...(config.reminders ? [reminderSchedulers(reminderQueue, tickEveryMs)] : [])];

    // Signed links to generated files (Zalo cannot send documents): made by
    // whichever role sends, served by the http role.
    let fileLinks: FileLinks | undefined;
    if (config.fileLinks) {
      const secret =
        config.fileLinks.secret ??
        (await loadOrCreateSecret(config.dataDir).catch((err: unknown) => {
          throw new StartupError(`Cannot keep the file link secret in ${config.dataDir} (${(err as Error).message}); set FILE_LINK_SECRET.`);
        }));
      fileLinks = createFileLinks({
        secret,
        baseUrl: config.fileLinks.publicUrl,
        store: createFileStore(config.files, config.dataDir),
        now: () => clock.now(),
        logger: logger.child({ role: "http" }),
      });
    }

    const adapters = new Map<PlatformName, ChannelAdapter>();
    if (config.telegram) {
      // Loaded only with a token: grammY and its fetch (node-fetch, whatwg-url)
      // are about 4 MB of heap that a bot without Telegram would keep idle.
      const { createTelegramAdapter } = await import("./channels/telegram/adapter.ts");
      adapters.set(
        "TELEGRAM",
        createTelegramAdapter({
          token: config.telegram.token,
          apiRoot: config.telegram.apiRoot,
          webhookUrl: config.telegram.webhookUrl,
          webhookSecret: config.telegram.webhookSecret,
          logger: logger.child({ channel: "telegram" }),
        }),
      );
    }
    if (config.zalo) {
      adapters.set(
        "ZALO",
        createZaloAdapter({
          token: config.zalo.token,
          apiRoot: config.zalo.apiRoot,
          webhookUrl: config.zalo.webhookUrl,
          webhookSecret: config.zalo.webhookSecret,
          logger: logger.child({ channel: "zalo" }),
          ...(fileLinks && config.fileLinks && { fileLink: fileLinkFor(fileLinks, config.fileLinks.ttlMs, logger.child({ channel: "zalo" })) }),
        }),
      );
    }
    const fileStore = createFileStore(config.files, config.dataDir);
    const transcript = createTranscript(db.prisma, fileStore);
    if (config.sandbox) {
      adapters.set(
        "SANDBOX",
        createSandboxAdapter({
          record: (chatId, message) => transcript.addOut(chatId, message, clock.now()),
          file: (key) => (key.startsWith(UPLOAD_PREFIX) ? fileStore.get(key).catch(() => null) : Promise.resolve(null)),
        }),
      );
    }

    // Where /dangnhap's links point: PUBLIC_URL, or this process's own loopback listener once it listens.
    let consoleBase: string | null = config.console.publicUrl ?? null;
    let processor: Processor | undefined;
    if (roles.has("processor")) {
      const attachments = createFileStore(config.files, config.dataDir);
      const attachFile = createAttachFile({ channels: adapters, store: attachments });
      processor = createProcessor({
        prisma: db.prisma,
        query: (sql) => db.query(sql),
        channels: adapters,
        handle: createBotHandler({
          attachFile,
          committee: createCommitteeCommands({ exporters: lazyExporters, console: { baseUrl: () => consoleBase }, more: createQuestions({ attachFile, readFile: (key) => attachments.get(key) }) }),
        }),
        failureReply: { text: vi.common.internalError },
        logger: logger.child({ role: "processor" }),
        clock,
        ...opts.processor,
      });
    }
    // Stored here and handled here: the local processor wakes. Roles split:
    // the processors in other processes hear of it through Redis.
    const storesHere = roles.has("http") || roles.has("poller");
    const sink = createUpdateSink({
      prisma: db.prisma,
      query: (sql) => db.query(sql),
      adapters,
      onStored: (chatKeys) => (processor ? processor.wake(chatKeys) : publishStored(redis, config.queuePrefix, chatKeys)),
    });
    if (processor && !storesHere) {
      const p = processor;
      cleanups.push(await subscribeStored(redis, config.queuePrefix, (chatKeys) => p.wake(chatKeys)));
    }

    let http: HttpServer | undefined;
    let sandboxInfo: App["sandbox"];
    let httpPort: number | undefined;
    if (roles.has("http")) {
      const routes: Route[] = [
        healthRoute({
          database: () => db.ping(),
          queue: () => queues.ping(),
          schedulers: async () => {
            const missing = await missingSchedulers(schedulers);
            if (missing.length > 0) throw new HealthProblem(`missing: ${missing.join(", ")}`);
          },
        }),
      ];
      for (const [platform, adapter] of adapters) {
        if (platform === "SANDBOX") continue;
        const path = `/webhook/${platform.toLowerCase()}`;
        routes.push({ method: "POST", path, handle: async (req) => ({ status: await adapter.webhook(req.headers, req.body, sink) }) });
      }
      const sandboxKey = sandboxClock && (await loadOrCreateSecret(config.dataDir, SANDBOX_KEY_FILE));
      const sandbox =
        sandboxClock &&
        sandboxKey &&
        sandboxRoutes({
          prisma: db.prisma,
          sink,
          clock: sandboxClock,
          transcript,
          store: fileStore,
          key: sandboxKey,
          maxFileBytes: config.files.maxBytes,
          inviteTtlDays: config.inviteTtlDays,
          logger: logger.child({ role: "sandbox" }),
          async afterClockChange() {
            // Nothing is opened or sent on a schedule with REMINDERS=off; a jump changes nothing there either.
            if (!config.reminders) return null;
            const opened = await openDuePeriods(db.prisma, clock.now());
            const tick = await runReminderTick({ prisma: db.prisma, queues, clock });
            return { opened: opened.opened.filter((o) => o.created > 0).length, queued: tick.dispatched.queued };
          },
        });
      // The sandbox shares the main listener only when that one is loopback; otherwise it gets its own.
      const sandboxAlone = sandbox && !isLoopback(config.http.host);
      if (sandbox && !sandboxAlone) routes.push(...sandbox);
      if (fileLinks) routes.push(fileLinks.route);
      const consoleMount = mountConsole({
        prisma: db.prisma,
        now: () => clock.now(),
        sessionMs: config.console.sessionMs,
        refreshSeconds: config.console.refreshSeconds,
        ...(config.console.publicUrl !== undefined && { publicUrl: config.console.publicUrl }),
        exporters: lazyExporters,
        maxUploadBytes: config.files.maxBytes,
        inviteTtlDays: config.inviteTtlDays,
        files: fileStore,
        ...(config.reminders && { afterChange: () => openDuePeriods(db.prisma, clock.now()) }),
        queues: { queues: () => [...(["TELEGRAM", "ZALO", "SANDBOX"] as const).filter((p) => adapters.has(p)).map((p) => queues.send(p)), queues.maintenance, reminderQueue], allowRetries: config.console.queueRetries },
        logger: logger.child({ role: "console" }),
      });
      http = createHttpServer({ logger: logger.child({ role: "http" }), routes, mount: consoleMount });
      try {
        httpPort = (await http.listen(config.http.port, config.http.host)).port;
        if (consoleBase === null && isLoopback(config.http.host)) consoleBase = `http://127.0.0.1:${httpPort}`;
      } catch (err) {
        throw new StartupError(`Cannot listen on ${config.http.host}:${config.http.port} (${(err as Error).message}); set HTTP_PORT.`);
      }
      const server = http;
      cleanups.push(() => server.close());
      if (sandbox) {
        let port = httpPort;
        if (sandboxAlone) {
          const own = createHttpServer({ logger: logger.child({ role: "sandbox" }), routes: sandbox });
          try {
            port = (await own.listen(config.sandboxPort, "127.0.0.1")).port;
          } catch (err) {
            throw new StartupError(`Cannot listen on 127.0.0.1:${config.sandboxPort} for the sandbox (${(err as Error).message}); set SANDBOX_PORT.`);
          }
          cleanups.push(() => own.close());
        }
        sandboxInfo = { port, key: sandboxKey, url: `http://127.0.0.1:${port}/sandbox?key=${sandboxKey}`, clock: sandboxClock };
      }
      // Webhooks are registered by the role that receives them.
      for (const [platform, adapter] of adapters) {
        if (isWebhook(config, platform)) await adapter.configureDelivery();
      }
    }

    const pollers = new AbortController();
    const polling: Promise<void>[] = [];
    if (roles.has("poller")) {
      for (const [platform, adapter] of adapters) {
        if (platform === "SANDBOX" || isWebhook(config, platform)) continue;
        await adapter.configureDelivery();
        polling.push(adapter.poll(sink, pollers.signal));
      }
    }
    cleanups.push(async () => {
      pollers.abort();
      await Promise.allSettled(polling);
    });

    if (processor) {
      const p = processor;
      p.start();
      cleanups.push(() => p.stop());
    }

    if (roles.has("worker")) {
      const perSecond = (platform: PlatformName) => (platform === "TELEGRAM" ? config.telegram?.perSecond : platform === "ZALO" ? config.zalo?.perSecond : 100);
      const workerRole = startWorkerRole({
        connection: redis,
        prefix: config.queuePrefix,
        queues,
        prisma: db.prisma,
        query: (sql) => db.query(sql),
        logger: logger.child({ role: "worker" }),
        clock,
        channels: [...adapters.values()].map((sender) => ({ sender, perSecond: perSecond(sender.platform) ?? 30 })),
      });
      cleanups.push(() => workerRole.close());
      if (config.reminders) {
        const reminderWorker = createReminderWorker({ connection: redis, prefix: config.queuePrefix, prisma: db.prisma, queues, logger: logger.child({ role: "worker" }), clock });
        cleanups.push(() => reminderWorker.close());
      }
    }

    if (roles.has("scheduler")) {
      const watch = await startSchedulerRole({ connection: redis, groups: schedulers, logger: logger.child({ role: "scheduler" }), everyMs: opts.scheduler?.watchEveryMs });
      cleanups.push(() => Promise.resolve(watch.close()));
      if (config.reminders) {
        // Open the periods due and plan their reminders now, not at the first tick.
        try {
          const r = await runReminderStartup({ prisma: db.prisma, clock });
          logger.info({ opened: r.periods.opened.length, planned: r.reconciled.created }, "reminders reconciled");
        } catch (err) {
          logger.warn({ err: (err as Error).message }, "reminder start-up failed; the next tick retries");
        }
      } else {
        await reminderQueue.removeJobScheduler("open-periods");
        await reminderQueue.removeJobScheduler("reminders-tick");
      }
    }

    const summary = await describe(config, adapters, db, sandboxInfo?.url);
    return {
      db,
      redis,
      queues,
      adapters,
      processor,
      http: httpPort === undefined ? undefined : { port: httpPort },
      sandbox: sandboxInfo,
      summary,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

// exceljs and resvg cost tens of MB of memory: loaded on the first export.
const lazyExporters: Exporters = {
  buildWorkbook: async (data) => (await import("./exports/workbook.ts")).buildWorkbook(data),
  buildCsvFiles,
  renderChart: async (spec) => (await import("./exports/chart.ts")).renderChart(spec),
};

const isLoopback = (host: string) => host === "127.0.0.1" || host === "::1" || host === "localhost";

/**
 * The sandbox's clock, after checking the database is one it may run on:
 * it links every person to a sandbox chat, which must never happen to an
 * organisation that uses the real channels.
 */
async function openSandbox(db: Database, base: Clock): Promise<SandboxClock> {
  const real = await db.prisma.chatIdentity.count({ where: { platform: { in: ["TELEGRAM", "ZALO"] } } });
  if (real > 0) {
    throw new StartupError(
      `The sandbox (on because no bot token is set, or SANDBOX=on) will not run on a database where ${real} Telegram or Zalo account(s) are linked: it lets anyone on this machine speak as any person. Set SANDBOX=off, or use another DATA_DIR or DATABASE_URL.`,
    );
  }
  await resumeSandboxChats(db.prisma);
  return createSandboxClock(db.prisma, base);
}

function isWebhook(config: Config, platform: PlatformName): boolean {
  if (platform === "TELEGRAM") return Boolean(config.telegram?.webhookUrl);
  if (platform === "ZALO") return Boolean(config.zalo?.webhookUrl);
  return false;
}

async function describe(config: Config, adapters: ReadonlyMap<PlatformName, ChannelAdapter>, db: Database, sandboxUrl: string | undefined): Promise<string> {
  const parts: string[] = [];
  const tries: string[] = [];
  const telegram = adapters.get("TELEGRAM");
  if (telegram) {
    const { username } = await telegram.describe().catch(() => ({ username: undefined }));
    parts.push(`Telegram on (${isWebhook(config, "TELEGRAM") ? "webhook" : "long polling"}${username ? `, @${username}` : ""})`);
    tries.push(username ? `open https://t.me/${username} and send /start` : "send /start to the bot on Telegram");
  } else parts.push("Telegram off (no TELEGRAM_BOT_TOKEN)");
  if (adapters.has("ZALO")) {
    parts.push(`Zalo on (${isWebhook(config, "ZALO") ? "webhook" : "polling"})`);
    tries.push("send /start to the bot on Zalo");
  } else parts.push("Zalo off (no ZALO_BOT_TOKEN)");
  if (sandboxUrl !== undefined) {
    parts.push("sandbox on (this machine only)");
    tries.unshift(`open ${sandboxUrl} in a browser on this machine`);
  }
  const database = db.kind === "pglite" ? `embedded database in ${db.where} (set DATABASE_URL for production)` : `PostgreSQL ${db.where}`;
  const how = tries.length > 0 ? `Try it: ${tries.join(", or ")}.` : "Set TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN to talk to the bot (see .env.example).";
  return `baocao is running: ${parts.join(", ")}; ${database}; roles ${[...config.roles].join(",")}. ${how}`;
}
