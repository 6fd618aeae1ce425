// pg warns once per process when a client is handed a query while another
// runs ("Calling client.query() when the client is already executing a query
// is deprecated"), and pg 9 will refuse it. Prisma does that with the sibling
// relations of a nested select inside a transaction; these paths must not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { fixedClock } from "../../src/clock.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { telegramDriver } from "../support/channels.ts";
import { startTestApp } from "../support/app.ts";
import { talk } from "../support/talk.ts";
import { NOW, seedProvince } from "../committee/seed.ts";

const overlapping: string[] = [];
const onWarning = (w: Error) => {
  if (/already executing a query/.test(w.message)) overlapping.push(w.stack ?? w.message);
};

let t: TestDb;
let codes: Map<string, string>;
beforeAll(async () => {
  process.on("warning", onWarning);
  t = await createTestDb();
  codes = await seedProvince(t.db.prisma);
});
afterAll(async () => {
  process.off("warning", onWarning);
  await t.cleanup();
});

/** Warnings are emitted on the next tick: wait one turn of the event loop before looking. */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("one query at a time on a transaction's connection", () => {
  it("reads sibling relations inside a transaction without pg's warning", async () => {
    const got = await t.db.prisma.$transaction(async (tx) =>
      tx.assignment.findMany({
        where: { period: { key: "QUARTERLY-2026-4" } },
        orderBy: { id: "asc" },
        select: {
          unit: { select: { code: true } },
          template: { select: { code: true } },
          period: { select: { key: true } },
          submission: { select: { revisions: { select: { number: true } }, attachments: { select: { id: true } } } },
        },
      }),
    );
    expect(got.length).toBeGreaterThan(3);
    expect(got.every((a) => a.template.code === "QUY" && a.period.key === "QUARTERLY-2026-4")).toBe(true);
    expect(got.find((a) => a.unit.code === "CB-A1")?.submission?.revisions.map((r) => r.number).sort()).toEqual([1, 2]);
    await settled();
    expect(overlapping).toEqual([]);
  });

  it("runs the committee's commands without pg's warning", async () => {
    const channel = await telegramDriver();
    let app: App | undefined;
    try {
      app = await startTestApp({ DATABASE_URL: t.url, ...channel.env() }, fixedClock(NOW));
      const running = app;
      const send = talk(channel, () => running);
      expect((await send(101, `/start ${codes.get("vanphong")}`))[0]).toContain("liên kết thành công");
      for (const command of ["/trangthai", "/xem an lac", "/view CB-A1 Q4/2026 sosanh", "/quahan", "/tonghop", "/summary Q4/2026 nhan xet", "/danhgia 2026", "/bieudo", "/xuat"]) {
        expect((await send(101, command)).length, command).toBeGreaterThan(0);
      }
    } finally {
      await app?.stop();
      await channel.close();
    }
    await settled();
    expect(overlapping).toEqual([]);
  });
});
