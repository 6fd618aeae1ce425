// The November notice to the committee office: next year's official holiday
// schedule is not loaded. Real PostgreSQL (and Redis for the tick), with the
// clock moved by hand.
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { connectRedis } from "../../jobs/redis.ts";
import { createQueues, jobIdFor, type Queues } from "../../jobs/queues.ts";
import { runReminderTick } from "../../jobs/reminders.ts";
import { toDbDate } from "../../src/calendar/dates.ts";
import { ensureShippedHolidays, importHolidays } from "../../src/calendar/holiday-store.ts";
import { fixedClock } from "../../src/clock.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { dueMessages } from "../../src/reminders/dispatch.ts";
import { holidayNoticeKey, noticeYear, planHolidayNotices } from "../../src/reminders/holiday-notice.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { testQueuePrefix, testRedisUrl } from "../support/app.ts";
import { ids, vn } from "../reports/helpers.ts";

let t: TestDb;
const people = { office: 0, office2: 0, member: 0 };

beforeAll(async () => {
  t = await createTestDb();
  const p = t.db.prisma;
  const file = loadImportFile(join(import.meta.dirname, "../committee/org.yaml"));
  if (!file.ok) throw new Error(file.problems.join("\n"));
  await applyImport(p, file.data, { now: vn("2026-10-01 09:00"), ttlDays: 30 });
  await ensureShippedHolidays(p, vn("2026-10-01 09:00"));
  const id = ids(p);
  people.office = await id.person("vanphong");
  people.member = await id.person("capuya");
  const tinh = await id.unit("TU-TINH");
  // A second office person, on leave in early November.
  people.office2 = (
    await p.person.create({
      data: {
        code: "vanphong2",
        fullName: "Nguyễn Thị Thư",
        absentFrom: toDbDate("2026-10-26"),
        absentTo: toDbDate("2026-11-06"),
        memberships: { create: { unitId: tinh, role: "OFFICE" } },
      },
      select: { id: true },
    })
  ).id;
  await p.chatIdentity.createMany({
    data: [
      { personId: people.office, platform: "TELEGRAM", externalId: "701", chatId: "701" },
      // A second Telegram account of the same person: one notice per platform.
      { personId: people.office, platform: "TELEGRAM", externalId: "702", chatId: "702" },
      { personId: people.office, platform: "ZALO", externalId: "z701", chatId: "z701" },
      { personId: people.office2, platform: "ZALO", externalId: "z703", chatId: "z703" },
      { personId: people.member, platform: "TELEGRAM", externalId: "704", chatId: "704" },
    ],
  });
});

afterAll(async () => {
  await t.cleanup();
});

beforeEach(async () => {
  await t.db.prisma.outboundMessage.deleteMany({ where: { purpose: "notice" } });
  await t.db.prisma.holiday.deleteMany({ where: { date: { gte: toDbDate("2027-01-01") } } });
});

const notices = () =>
  t.db.prisma.outboundMessage.findMany({
    where: { purpose: "notice" },
    select: { dedupKey: true, chatId: true, status: true, reason: true, plannedFor: true, payload: true },
    orderBy: { dedupKey: "asc" },
  });

describe("the office's November notice about next year's holiday schedule", () => {
  it("asks about next year only from 1 November, Vietnam time", () => {
    expect(noticeYear(vn("2026-10-31 23:59"))).toBeNull();
    expect(noticeYear(new Date("2026-10-31T17:00:00Z"))).toBe(2027); // 00:00 on 01/11 in Hà Nội
    expect(noticeYear(vn("2026-12-31 20:00"))).toBe(2027);
    expect(noticeYear(vn("2027-01-02 09:00"))).toBeNull();
  });

  it("plans nothing in October", async () => {
    expect(await planHolidayNotices(t.db.prisma, vn("2026-10-30 10:00"))).toEqual({ year: null, created: 0, replanned: 0, cancelled: 0 });
    expect(await notices()).toEqual([]);
  });

  it("from 1 November: one message per office person and platform, at the next office opening, once", async () => {
    // Sunday 01/11/2026: it waits for Monday 07:30.
    const r = await planHolidayNotices(t.db.prisma, vn("2026-11-01 06:00"));
    expect(r).toMatchObject({ year: 2027, created: 2 });
    const rows = await notices();
    expect(rows.map((n) => [n.dedupKey, n.chatId, n.status]).sort()).toEqual([
      [holidayNoticeKey(2027, people.office, "TELEGRAM"), "701", "PLANNED"],
      [holidayNoticeKey(2027, people.office, "ZALO"), "z701", "PLANNED"],
    ]);
    expect(rows[0]?.dedupKey).toBe(`holidays:2027:${people.office}:TELEGRAM`);
    for (const n of rows) expect(n.plannedFor).toEqual(vn("2026-11-02 07:30"));
    const text = (rows[0]?.payload as { text: string }).text;
    expect(text).toContain("Chưa có lịch nghỉ lễ, Tết chính thức năm 2027");
    expect(text).toContain("01/01–03/01; 04/02–10/02; 16/04–18/04; 30/04–03/05; 02/09–05/09");
    expect(text).toContain("npm run calendar:holidays");

    // Not due on Sunday; queued on Monday morning like a reminder.
    expect((await dueMessages(t.db.prisma, vn("2026-11-01 10:00"))).queued).toEqual([]);
    const due = await dueMessages(t.db.prisma, vn("2026-11-02 07:30"));
    expect(due.queued.map((q) => q.dedupKey).sort()).toEqual(rows.map((n) => n.dedupKey));

    // Sent; later ticks plan nothing more for them (the colleague back from leave gets hers).
    const sent = (at: string) => t.db.prisma.outboundMessage.updateMany({ where: { purpose: "notice", status: "QUEUED" }, data: { status: "SENT", sentAt: vn(at) } });
    await sent("2026-11-02 07:31");
    for (const [at, created] of [["2026-11-02 08:00", 0], ["2026-11-20 10:00", 1], ["2026-12-28 10:00", 0]] as const) {
      expect(await planHolidayNotices(t.db.prisma, vn(at))).toMatchObject({ created, replanned: 0 });
      await dueMessages(t.db.prisma, vn(at));
      await sent(at);
    }
    expect(await t.db.prisma.outboundMessage.count({ where: { purpose: "notice", recipientId: people.office } })).toBe(2);
  });

  it("reaches an office person back from leave, and never a committee member", async () => {
    const chats = async () => (await notices()).map((n) => n.chatId).sort();
    await planHolidayNotices(t.db.prisma, vn("2026-11-02 09:00"));
    expect(await chats()).toEqual(["701", "z701"]);
    await planHolidayNotices(t.db.prisma, vn("2026-11-09 09:00"));
    expect(await chats()).toEqual(["701", "z701", "z703"]);
    expect((await notices()).some((n) => n.chatId === "704")).toBe(false);
  });

  it("after downtime, a notice planned for a day gone by goes out at the next opening instead of expiring", async () => {
    await planHolidayNotices(t.db.prisma, vn("2026-11-02 09:00"));
    // Down from Monday evening to Thursday: Thursday's tick moves the planned rows to now.
    const r = await planHolidayNotices(t.db.prisma, vn("2026-11-05 09:00"));
    expect(r).toMatchObject({ created: 0, replanned: 2 });
    for (const n of await notices()) expect(n.plannedFor).toEqual(vn("2026-11-05 09:00"));
    // One that dispatch expired meanwhile (another process) is brought back.
    await t.db.prisma.outboundMessage.updateMany({ where: { purpose: "notice" }, data: { status: "CANCELLED", reason: "expired" } });
    expect(await planHolidayNotices(t.db.prisma, vn("2026-11-06 08:00"))).toMatchObject({ replanned: 2 });
    expect((await notices()).map((n) => n.status)).toEqual(["PLANNED", "PLANNED"]);
  });

  it("stops once the office loads next year's schedule: planned notices are cancelled, none planned", async () => {
    await planHolidayNotices(t.db.prisma, vn("2026-11-01 06:00"));
    await importHolidays(t.db.prisma, [{ date: "2027-02-05", kind: "HOLIDAY", name: "Tết Nguyên đán" }], { now: vn("2026-11-01 07:00") });
    expect(await planHolidayNotices(t.db.prisma, vn("2026-11-01 07:05"))).toEqual({ year: null, created: 0, replanned: 0, cancelled: 2 });
    expect((await notices()).map((n) => [n.status, n.reason])).toEqual([
      ["CANCELLED", "loaded"],
      ["CANCELLED", "loaded"],
    ]);
  });

  it("asks nothing about a year already loaded (November 2025: 2026 ships with the app)", async () => {
    expect(await planHolidayNotices(t.db.prisma, vn("2025-11-03 09:00"))).toMatchObject({ year: null, created: 0 });
    expect(await notices()).toEqual([]);
  });
});

describe("the reminder tick", () => {
  let redis: Redis;
  let queues: Queues;

  beforeAll(async () => {
    redis = await connectRedis(testRedisUrl);
    queues = createQueues({ connection: redis, prefix: testQueuePrefix() });
  });

  afterAll(async () => {
    for (const platform of ["TELEGRAM", "ZALO"] as const) await queues.send(platform).obliterate({ force: true });
    await queues.close();
    redis.disconnect();
  });

  it("plans the notices and queues them on the send queues in office hours", async () => {
    const clock = fixedClock(vn("2026-11-02 09:00"));
    const r = await runReminderTick({ prisma: t.db.prisma, queues, clock });
    expect(r.dispatched.queued).toBe(2);
    const rows = await notices();
    expect(rows.map((n) => n.status)).toEqual(["QUEUED", "QUEUED"]);
    expect(await queues.send("TELEGRAM").getJob(jobIdFor(holidayNoticeKey(2027, people.office, "TELEGRAM")))).toBeDefined();
    expect(await queues.send("ZALO").getJob(jobIdFor(holidayNoticeKey(2027, people.office, "ZALO")))).toBeDefined();
    clock.advance(60_000);
    expect((await runReminderTick({ prisma: t.db.prisma, queues, clock })).dispatched.queued).toBe(0);
  });
});
