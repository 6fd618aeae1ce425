// An idle processor polls for work. Each poll's wait was kept in a list that
// only a stored update emptied, so a processor that nothing wakes (its own
// role in a split deployment, or quiet hours) grew by about 470 bytes a poll,
// for good: over 300 MB a day at the default poll.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "../../src/db/database.ts";
import { createProcessor } from "../../src/inbound/processor.ts";
import { systemClock } from "../../src/clock.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { testLogger } from "../support/logger.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.cleanup());

/** The database, counting the processor's polls (each looks for candidates with one $queryRaw). */
function counting(prisma: Prisma) {
  let polls = 0;
  let waiting: { at: number; resolve: () => void } | undefined;
  const proxy = new Proxy(prisma, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== "$queryRaw" || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        polls += 1;
        if (waiting !== undefined && polls >= waiting.at) waiting.resolve();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    prisma: proxy,
    polls: (n: number) => new Promise<void>((resolve) => (waiting = { at: polls + n, resolve })),
  };
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe("an idle processor", () => {
  it("keeps nothing per poll", async () => {
    const db = counting(t.db.prisma);
    const p = createProcessor({ prisma: db.prisma, channels: new Map(), handle: () => Promise.resolve([]), failureReply: { text: "x" }, logger: testLogger, clock: systemClock, idleMs: 1 });
    p.start();
    try {
      await db.polls(2_000); // warm-up: compiled code, Prisma's caches
      const before = heapAfterGc();
      await db.polls(6_000);
      const perPoll = (heapAfterGc() - before) / 6_000;
      // Before the fix: about 470 bytes a poll (2.8 MB here); now some warm-up residue.
      expect(perPoll).toBeLessThan(200);
    } finally {
      await p.stop();
    }
  });
});
