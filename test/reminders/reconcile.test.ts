// Reminders planned from the data, on the example commune (xa-tan-phong.yaml)
// and the real PostgreSQL: who gets what and when, idempotence, submissions,
// moved deadlines, escalation, the committee's digest, absences, quiet hours
// and concurrent dispatchers. Time is passed in; nothing sleeps.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureShippedHolidays } from "../../src/calendar/holiday-store.ts";
import { toDbDate, toLocalDateTime } from "../../src/calendar/dates.ts";
import { openPeriod, moveDeadline } from "../../src/reports/periods.ts";
import { reconcileReminders } from "../../src/reminders/reconcile.ts";
import { dueMessages, dispatchDue } from "../../src/reminders/dispatch.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { ids, importExample, vn } from "../reports/helpers.ts";

let t: TestDb;
const NOW = vn("2026-12-01 10:00"); // Tuesday; Q4/2026 is due Tuesday 15/12 17:00
const A: Record<"tanLap" | "dongTam" | "phongThinh", number> = { tanLap: 0, dongTam: 0, phongThinh: 0 };
const identity: Record<string, number> = {};
let committeeId = 0;

const local = (d: Date) => {
  const l = toLocalDateTime(d);
  return `${l.date} ${l.time}`;
};

async function link(code: string, platform: "TELEGRAM" | "ZALO", chatId: string) {
  const personId = await ids(t.db.prisma).person(code);
  const row = await t.db.prisma.chatIdentity.create({ data: { personId, platform, externalId: chatId, chatId }, select: { id: true } });
  identity[`${code}:${platform}`] = row.id;
}

async function rowsOf(assignmentId: number | null, where: Record<string, unknown> = {}) {
  const rows = await t.db.prisma.outboundMessage.findMany({
    where: { ...(assignmentId === null ? {} : { assignmentId }), ...where },
    select: { dedupKey: true, purpose: true, step: true, status: true, reason: true, plannedFor: true, chatId: true, platform: true, payload: true, recipient: { select: { code: true } } },
    orderBy: [{ plannedFor: "asc" }, { dedupKey: "asc" }],
  });
  return rows.map((r) => ({ ...r, who: `${r.recipient?.code}:${r.platform}`, at: local(r.plannedFor), text: (r.payload as { text: string }).text }));
}

beforeAll(async () => {
  t = await createTestDb();
  const { prisma } = t.db;
  await importExample(prisma, NOW);
  await ensureShippedHolidays(prisma, NOW);
  const find = ids(prisma);
  await openPeriod(prisma, { templateId: await find.template("CCHC-QUY"), type: "QUARTERLY", year: 2026, number: 4 }, { now: NOW });
  // The database stamps createdAt with the real time; the period opened "now" in this story.
  await prisma.assignment.updateMany({ data: { createdAt: NOW } });
  A.tanLap = await find.assignment("CB-THON-TAN-LAP", "CCHC-QUY", "QUARTERLY-2026-4");
  A.dongTam = await find.assignment("CB-THON-DONG-TAM", "CCHC-QUY", "QUARTERLY-2026-4");
  A.phongThinh = await find.assignment("CB-THON-PHONG-THINH", "CCHC-QUY", "QUARTERLY-2026-4");
  committeeId = await find.unit("DU-XA-TAN-PHONG");

  await link("dothilan", "TELEGRAM", "101"); // reporter, Tân Lập, on both apps
  await link("dothilan", "ZALO", "z101");
  await link("phamvanhung", "TELEGRAM", "102"); // head, Tân Lập
  await link("vuvanlong", "TELEGRAM", "103"); // head and reporter, Đồng Tâm
  await link("buithithu", "TELEGRAM", "104"); // reporter, Đồng Tâm
  await link("dangthihoa", "TELEGRAM", "105"); // reporter, Phong Thịnh: on leave 1–10/12
  await link("ngovanbinh", "TELEGRAM", "106"); // head, Phong Thịnh, her deputy
  await link("lethimai", "TELEGRAM", "107"); // committee office
  await link("hathiphuong", "TELEGRAM", "108"); // reporter, Trường Tiểu học: blocked the bot
  await prisma.chatIdentity.update({ where: { id: identity["hathiphuong:TELEGRAM"] }, data: { blockedAt: NOW, blockReason: "blocked" } });
  await prisma.person.update({
    where: { code: "dangthihoa" },
    data: { absentFrom: toDbDate("2026-12-01"), absentTo: toDbDate("2026-12-10"), deputyId: await find.person("ngovanbinh") },
  });
});

afterAll(async () => {
  await t.cleanup();
});

describe("reconcileReminders", () => {
  it("plans every step for the right people at the right times, and a second run changes nothing", async () => {
    const first = await reconcileReminders(t.db.prisma, { now: NOW });
    expect(first.created).toBeGreaterThan(0);
    expect(first.invalidPolicies).toEqual([]);

    const lan = (await rowsOf(A.tanLap)).filter((r) => r.who === "dothilan:TELEGRAM");
    expect(lan.map((r) => `${r.at} ${r.purpose} ${r.step}`).slice(0, 7)).toEqual([
      "2026-12-01 10:00 opened opened",
      "2026-12-04 07:30 reminder before-7",
      "2026-12-10 07:30 reminder before-3",
      "2026-12-14 07:30 reminder before-1",
      "2026-12-15 07:30 reminder deadline",
      "2026-12-16 07:30 reminder overdue-1",
      "2026-12-17 07:30 reminder overdue-2",
    ]);
    expect(lan).toHaveLength(15);
    expect(lan.every((r) => r.status === "PLANNED")).toBe(true);
    expect(lan[1]?.dedupKey).toBe(`remind:${A.tanLap}:before-7:${identity["dothilan:TELEGRAM"]}`);
    expect(lan[0]?.text).toContain("Đã mở kỳ báo cáo: Báo cáo công tác cải cách hành chính trong Đảng (quý) – Quý IV/2026");
    expect(lan[0]?.text).toContain("Hạn nộp: 17:00 thứ Ba, 15/12/2026");
    expect(lan[1]?.text).toContain("Còn 7 ngày làm việc nữa");
    expect(lan[4]?.text).toContain("Hôm nay là hạn nộp");
    expect(lan[6]?.text).toContain("quá hạn 2 ngày làm việc");
    expect(lan[1]?.payload).toEqual({ text: lan[1]?.text, choices: [{ value: `open:${A.tanLap}`, label: texts.reminders.openLabel }] });
    // The same person on Zalo gets each step too, with the typing hint.
    const lanZalo = (await rowsOf(A.tanLap)).filter((r) => r.who === "dothilan:ZALO");
    expect(lanZalo).toHaveLength(15);
    expect(lanZalo[1]?.text).toContain(texts.reminders.zaloHint);

    // The head: escalations from the 2nd overdue working day, never before.
    const hung = (await rowsOf(A.tanLap)).filter((r) => r.who === "phamvanhung:TELEGRAM");
    expect(hung.map((r) => `${r.at} ${r.purpose} ${r.step}`)[0]).toBe("2026-12-17 07:30 escalation escalation-2");
    expect(hung).toHaveLength(9);
    expect(hung[0]?.text).toContain("Chi bộ thôn Tân Lập chưa nộp");

    // Đồng Tâm: both reporters; the head is one of them, so no escalation for him.
    const dongTam = await rowsOf(A.dongTam);
    expect(new Set(dongTam.map((r) => r.who))).toEqual(new Set(["vuvanlong:TELEGRAM", "buithithu:TELEGRAM"]));
    expect(dongTam.some((r) => r.purpose === "escalation")).toBe(false);

    // The blocked account gets nothing; units nobody linked get nothing.
    expect(await rowsOf(null, { chatId: "108" })).toEqual([]);
    expect(await t.db.prisma.outboundMessage.count()).toBe(15 * 2 + 9 + 15 * 2 + 15 + 9);

    const second = await reconcileReminders(t.db.prisma, { now: NOW });
    expect(second).toMatchObject({ created: 0, updated: 0, revived: 0, cancelled: 0 });
    expect(await reconcileReminders(t.db.prisma, { now: new Date(NOW.getTime() + 60_000) })).toMatchObject({ created: 0, updated: 0, cancelled: 0 });
  });

  it("skips a person on leave and reminds their deputy instead, once", async () => {
    const rows = await rowsOf(A.phongThinh, { purpose: { in: ["opened", "reminder"] } });
    const firstFour = rows.slice(0, 4).map((r) => `${r.at} ${r.step} ${r.who}`);
    expect(firstFour).toEqual([
      "2026-12-01 10:00 opened ngovanbinh:TELEGRAM",
      "2026-12-04 07:30 before-7 ngovanbinh:TELEGRAM",
      "2026-12-10 07:30 before-3 ngovanbinh:TELEGRAM", // absentTo is inclusive
      "2026-12-14 07:30 before-1 dangthihoa:TELEGRAM",
    ]);
    expect(rows[1]?.text).toContain(texts.reminders.standIn("Đặng Thị Hoa"));
    expect(rows[3]?.text).not.toContain("nhận thay");
    // Back from leave, she gets the overdue reminders and he, the head, the escalations.
    const escalations = await rowsOf(A.phongThinh, { purpose: "escalation" });
    expect(escalations.map((r) => r.who)).toEqual(Array(9).fill("ngovanbinh:TELEGRAM"));
  });

  it("queues the due messages once even with two dispatchers at the same moment", async () => {
    const [a, b] = await Promise.all([dueMessages(t.db.prisma, NOW), dueMessages(t.db.prisma, NOW)]);
    const queued = [...a.queued, ...b.queued];
    // The opened notices of 10:00: Lan twice (two apps), Long, Thu, and Bình for Hoa.
    expect(queued).toHaveLength(5);
    expect(new Set(queued.map((r) => r.id)).size).toBe(5);
    expect(new Set(queued.map((r) => r.dedupKey.split(":")[0]))).toEqual(new Set(["opened"]));
    expect(await t.db.prisma.outboundMessage.count({ where: { status: "QUEUED" } })).toBe(5);
    // What the send worker does with them.
    await t.db.prisma.outboundMessage.updateMany({ where: { status: "QUEUED" }, data: { status: "SENT", sentAt: NOW } });
    // Nothing else is due; a later reconcile leaves sent rows alone.
    expect((await dueMessages(t.db.prisma, NOW)).queued).toEqual([]);
    expect(await reconcileReminders(t.db.prisma, { now: NOW })).toMatchObject({ created: 0, updated: 0, cancelled: 0 });
  });

  it("queues nothing at night: the due rows wait for the next working morning, and a missed day is not sent late", async () => {
    const friday22 = vn("2026-12-04 22:00");
    const enqueued: number[] = [];
    const r = await dispatchDue(t.db.prisma, friday22, (rows) => {
      enqueued.push(...rows.map((x) => x.id));
      return Promise.resolve();
    });
    expect(r.queued).toBe(0);
    expect(enqueued).toEqual([]);
    // The before-7 reminders of Friday 07:30 (never dispatched) → Monday 07:30.
    expect(r.postponed).toBe(5);
    const waiting = await rowsOf(null, { step: "before-7" });
    expect(waiting.map((w) => `${w.status} ${w.at}`)).toEqual(Array(5).fill("PLANNED 2026-12-07 07:30"));

    // Monday morning: "7 working days left" is no longer true, so it is not sent late.
    const monday = vn("2026-12-07 06:00");
    await reconcileReminders(t.db.prisma, { now: monday });
    expect((await rowsOf(null, { step: "before-7" })).map((w) => w.status)).toEqual(Array(5).fill("CANCELLED"));
    expect((await dueMessages(t.db.prisma, vn("2026-12-07 07:30"))).queued).toEqual([]);
  });

  it("cancels what is left once the report is submitted", async () => {
    await t.db.prisma.assignment.update({ where: { id: A.dongTam }, data: { status: "SUBMITTED", firstSubmittedAt: NOW, lastSubmittedAt: NOW } });
    const r = await reconcileReminders(t.db.prisma, { now: vn("2026-12-07 08:00") });
    const rows = await rowsOf(A.dongTam);
    expect(rows.filter((x) => x.status === "PLANNED")).toEqual([]);
    expect(rows.filter((x) => x.status === "CANCELLED" && x.reason === "submitted")).toHaveLength(2 * 13);
    expect(rows.filter((x) => x.status === "SENT")).toHaveLength(2); // the opened notices stay as they were
    expect(r.cancelled).toBeGreaterThanOrEqual(26);
  });

  it("re-plans when the deadline moves, without duplicates, and never touches what was sent", async () => {
    const now = vn("2026-12-07 08:00");
    const planned = async () => (await rowsOf(A.tanLap, { status: "PLANNED" })).filter((r) => r.who === "dothilan:TELEGRAM");
    await moveDeadline(t.db.prisma, [A.tanLap], vn("2026-12-09 17:00"), { now, actorId: null });
    await reconcileReminders(t.db.prisma, { now, assignmentIds: [A.tanLap] });
    let lan = await planned();
    expect(lan.map((r) => `${r.at} ${r.step}`).slice(0, 3)).toEqual(["2026-12-08 07:30 before-1", "2026-12-09 07:30 deadline", "2026-12-10 07:30 overdue-1"]);
    expect(lan).toHaveLength(12);
    expect(lan[0]?.text).toContain("17:00 thứ Tư, 09/12/2026");
    // before-3 (now Friday 04/12, past) is no longer planned.
    expect((await rowsOf(A.tanLap, { step: "before-3", chatId: "101" }))[0]).toMatchObject({ status: "CANCELLED", reason: "replanned" });

    await moveDeadline(t.db.prisma, [A.tanLap], vn("2026-12-22 17:00"), { now, actorId: null });
    await reconcileReminders(t.db.prisma, { now, assignmentIds: [A.tanLap] });
    lan = await planned();
    expect(lan.map((r) => `${r.at} ${r.step}`).slice(0, 5)).toEqual([
      "2026-12-11 07:30 before-7",
      "2026-12-17 07:30 before-3",
      "2026-12-21 07:30 before-1",
      "2026-12-22 07:30 deadline",
      "2026-12-23 07:30 overdue-1",
    ]);
    expect(lan).toHaveLength(14);
    const escalations = await rowsOf(A.tanLap, { purpose: "escalation", status: "PLANNED" });
    expect(escalations[0]?.at).toBe("2026-12-24 07:30");
    expect(escalations).toHaveLength(9);
    // The opened notice went out before the moves and is as it was.
    expect((await rowsOf(A.tanLap, { purpose: "opened" })).map((r) => `${r.status} ${r.at}`)).toEqual(["SENT 2026-12-01 10:00", "SENT 2026-12-01 10:00"]);
    expect(await reconcileReminders(t.db.prisma, { now, assignmentIds: [A.tanLap] })).toMatchObject({ created: 0, updated: 0, revived: 0, cancelled: 0 });
  });

  it("after the deadline: the head from the 2nd overdue working day, the committee office a digest from the 5th", async () => {
    // Phong Thịnh is still due 15/12. Thursday 17/12 is overdue day 2.
    const day2 = await rowsOf(A.phongThinh, { plannedFor: vn("2026-12-17 07:30") });
    expect(day2.map((r) => `${r.purpose} ${r.step} ${r.who}`)).toEqual(["escalation escalation-2 ngovanbinh:TELEGRAM", "reminder overdue-2 dangthihoa:TELEGRAM"]);
    expect(await rowsOf(A.phongThinh, { plannedFor: vn("2026-12-16 07:30"), purpose: "escalation" })).toEqual([]);

    // Monday 21/12 is day 4: no digest yet.
    await reconcileReminders(t.db.prisma, { now: vn("2026-12-21 06:00") });
    expect(await rowsOf(null, { purpose: "digest" })).toEqual([]);
    // Tuesday 22/12 is day 5 for the seven units still due 15/12 (Tân Lập was extended, Đồng Tâm submitted).
    await reconcileReminders(t.db.prisma, { now: vn("2026-12-22 06:00") });
    const digest = await rowsOf(null, { purpose: "digest" });
    expect(digest.map((r) => `${r.at} ${r.who} ${r.dedupKey}`)).toEqual([
      `2026-12-22 07:30 lethimai:TELEGRAM digest:${committeeId}:2026-12-22:${identity["lethimai:TELEGRAM"]}`,
    ]);
    const text = digest[0]?.text ?? "";
    expect(text).toContain("TỔNG HỢP BÁO CÁO QUÁ HẠN – Đảng ủy xã Tân Phong, ngày 22/12/2026");
    expect(text).toContain("Chi bộ thôn Phong Thịnh – Báo cáo công tác cải cách hành chính trong Đảng (quý) – Quý IV/2026: quá hạn 5 ngày làm việc");
    expect(text).not.toContain("Tân Lập");
    expect(text).not.toContain("Đồng Tâm");
    expect(text.match(/quá hạn 5 ngày/g)).toHaveLength(7);
    expect(digest[0]?.payload).not.toHaveProperty("choices");
    expect(await reconcileReminders(t.db.prisma, { now: vn("2026-12-22 06:30") })).toMatchObject({ created: 0, updated: 0, cancelled: 0 });

    // A unit that files before the digest goes is taken off the list.
    await t.db.prisma.assignment.update({ where: { id: A.phongThinh }, data: { status: "SUBMITTED" } });
    await reconcileReminders(t.db.prisma, { now: vn("2026-12-22 07:00") });
    const after = (await rowsOf(null, { purpose: "digest" }))[0]?.text ?? "";
    expect(after).not.toContain("Phong Thịnh");
    expect(after.match(/quá hạn 5 ngày/g)).toHaveLength(6);
  });
  it("takes office hours from the office's setting", async () => {
    const { prisma } = t.db;
    // The example file sets 07:30–17:00; the office changes it.
    const hours = { start: "08:00", end: "16:30" };
    await prisma.setting.upsert({ where: { key: "office_hours" }, create: { key: "office_hours", value: hours }, update: { value: hours } });
    await reconcileReminders(prisma, { now: vn("2026-12-08 06:00"), assignmentIds: [A.tanLap] });
    const lan = (await rowsOf(A.tanLap, { status: "PLANNED" })).filter((r) => r.who === "dothilan:TELEGRAM");
    expect(lan.map((r) => `${r.at} ${r.step}`).slice(0, 2)).toEqual(["2026-12-11 08:00 before-7", "2026-12-17 08:00 before-3"]);
    // At 16:45 the office is closed: held back to Monday 08:00.
    const r = await dueMessages(prisma, vn("2026-12-11 16:45"));
    expect(r).toMatchObject({ queued: [], postponed: 2 });
    expect((await rowsOf(A.tanLap, { step: "before-7", status: "PLANNED" })).map((x) => x.at)).toEqual(["2026-12-14 08:00", "2026-12-14 08:00"]);
    await prisma.setting.delete({ where: { key: "office_hours" } });
  });
});
