// Inbound pipeline throughput: updates stored, handled in order per chat and
// answered (reply recorded and delivered), against a baseline measured in
// the same run: one plain INSERT per update into the same table.
import { performance } from "node:perf_hooks";
import type { PlatformName } from "../../src/channels/channel.ts";
import { createSandboxAdapter, sandboxUpdateFrom } from "../../src/channels/sandbox/adapter.ts";
import { createUpdateSink } from "../../src/inbound/store.ts";
import { createProcessor } from "../../src/inbound/processor.ts";
import { createBotHandler } from "../../src/bot/handler.ts";
import { systemClock } from "../../src/clock.ts";
import { createLogger } from "../../src/logger.ts";
import { createTestDb } from "../support/db.ts";

const UPDATES = Number(process.env.BENCH_UPDATES ?? 2_000);
const CHATS = 200;
const BATCH = 100;

const t = await createTestDb();
try {
  const prisma = t.db.prisma;

  // Baseline: one row per update, nothing else.
  let start = performance.now();
  for (let i = 0; i < UPDATES; i++) {
    await prisma.inboundUpdate.create({
      data: { platform: "SANDBOX", updateKey: `base-${i}`, chatKey: `BASE:${i % CHATS}`, payload: { text: "/huongdan" }, status: "DONE" },
      select: { id: true },
    });
  }
  const baselinePerS = UPDATES / ((performance.now() - start) / 1000);

  // Sending costs nothing here, so the figure is the pipeline's own.
  let sent = 0;
  const adapter = createSandboxAdapter({ record: () => Promise.resolve(++sent), file: () => Promise.resolve(null) });
  const channels = new Map<PlatformName, typeof adapter>([["SANDBOX", adapter]]);
  // Wired as the app wires them (src/app.ts).
  const query = t.db.query.bind(t.db);
  const sink = createUpdateSink({ prisma, query, adapters: channels });
  const processor = createProcessor({
    prisma,
    query,
    channels,
    handle: createBotHandler({ attachFile: () => Promise.reject(new Error("no files in this benchmark")) }),
    failureReply: { text: "x" },
    logger: createLogger("silent"),
    clock: systemClock,
    concurrency: 4,
  });
  const updates = Array.from({ length: UPDATES }, (_, i) => sandboxUpdateFrom({ chatId: `c${i % CHATS}`, text: "/huongdan" }, new Date()));

  start = performance.now();
  const queriesBefore = t.db.queryCount();
  // Stored in batches, as a poller receives them, while the processor runs.
  const storing = (async () => {
    for (let i = 0; i < UPDATES; i += BATCH) await sink("SANDBOX", updates.slice(i, i + BATCH));
  })();
  const workers = [processor.drain(), processor.drain(), processor.drain(), processor.drain()];
  await storing;
  await Promise.all(workers);
  await processor.drain();
  const seconds = (performance.now() - start) / 1000;
  // Storing included: the poller's batched INSERTs are part of each update's cost.
  const perUpdate = (t.db.queryCount() - queriesBefore) / UPDATES;
  const handled = await prisma.outboundMessage.count({ where: { status: "SENT" } });
  if (handled !== UPDATES) throw new Error(`expected ${UPDATES} replies, got ${handled}`);
  const perS = UPDATES / seconds;

  console.log(`updates: ${UPDATES} over ${CHATS} chats`);
  console.log(`pipeline (store + handle + reply): ${perS.toFixed(0)} updates/s`);
  console.log(`baseline (one INSERT per update):  ${baselinePerS.toFixed(0)} rows/s`);
  console.log(`ratio: ${(perS / baselinePerS).toFixed(2)}`);
  console.log(`queries per update (at the driver): ${perUpdate.toFixed(1)}`);
  console.log(
    JSON.stringify({
      bench: "ingest",
      updates: UPDATES,
      per_s: Math.round(perS),
      baseline_per_s: Math.round(baselinePerS),
      ratio: Number((perS / baselinePerS).toFixed(3)),
      queries_per_update: Number(perUpdate.toFixed(1)),
    }),
  );
} finally {
  await t.cleanup();
}
