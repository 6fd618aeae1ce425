// Reminders and escalations of open questions, on a small committee built
// here and the real PostgreSQL: who gets what and when, idempotence, answered
// questions, moved deadlines, absences, a unit's own day off, quiet hours and
// notices that outlive a night of downtime. Time is passed in; nothing sleeps.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureShippedHolidays } from "../../src/calendar/holiday-store.ts";
import { toDbDate, toLocalDateTime } from "../../src/calendar/dates.ts";
import { dueMessages } from "../../src/reminders/dispatch.ts";
import { reconcileQuestionReminders } from "../../src/questions/reminders.ts";
import { excerpt } from "../../src/questions/messages.ts";
import { choiceValue, QUESTION_ANSWER, QUESTION_ESCALATION, QUESTION_NOTICE, QUESTION_REMINDER, QUESTION_VERDICT } from "../../src/questions/purposes.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { vn } from "../reports/helpers.ts";

const t0 = texts.questionReminders;
let t: TestDb;
const NOW = vn("2026-12-01 10:00"); // Tuesday
const DEADLINE = vn("2026-12-10 17:00"); // Thursday; the weekend of 12–13/12 comes after it
const unit: Record<"committee" | "cellA" | "cellB", number> = { committee: 0, cellA: 0, cellB: 0 };
const person: Record<"asker" | "head" | "deputy" | "reporter" | "office" | "headB", number> = { asker: 0, head: 0, deputy: 0, reporter: 0, office: 0, headB: 0 };
const identity: Record<string, number> = {};
let refNo = 0;

const local = (d: Date) => {
  const l = toLocalDateTime(d);
  return `${l.date} ${l.time}`;
};

async function rowsOf(questionId: number, where: Record<string, unknown> = {}) {
  const rows = await t.db.prisma.outboundMessage.findMany({
    where: { questionId, ...where },
    select: { id: true, dedupKey: true, purpose: true, step: true, status: true, reason: true, plannedFor: true, platform: true, payload: true, recipient: { select: { code: true } } },
    orderBy: [{ plannedFor: "asc" }, { dedupKey: "asc" }],
  });
  return rows.map((r) => ({
    ...r,
    who: `${r.recipient?.code}:${r.platform}`,
    at: local(r.plannedFor),
    text: (r.payload as { text: string }).text,
    choices: (r.payload as { choices?: unknown }).choices,
  }));
}

async function ask(target: { targetUnitId: number } | { targetPersonId: number }, opts: { deadline?: Date | null; createdAt?: Date; text?: string } = {}) {
  refNo++;
  const reference = `CV-2026-${String(refNo).padStart(4, "0")}`;
  return t.db.prisma.question.create({
    data: {
      reference,
      committeeId: unit.committee,
      askedById: person.asker,
      ...target,
      text: opts.text ?? "Đề nghị đồng chí cho biết tiến độ sửa chữa nhà văn hóa thôn.",
      deadline: opts.deadline === undefined ? DEADLINE : opts.deadline,
      createdAt: opts.createdAt ?? NOW,
    },
    select: { id: true, reference: true },
  });
}

/** A PLANNED row as the question flows plan them (src/questions/store.ts). */
async function plan(questionId: number, purpose: string, code: keyof typeof person, platform: "TELEGRAM" | "ZALO", plannedFor: Date) {
  return t.db.prisma.outboundMessage.create({
    data: {
      dedupKey: `${purpose}:${questionId}:${identity[`${code}:${platform}`]}`,
      purpose,
      step: purpose,
      platform,
      chatId: `${code}-${platform}`,
      recipientId: person[code],
      questionId,
      payload: { text: "x" },
      status: "PLANNED",
      plannedFor,
    },
    select: { id: true },
  });
}

const statusOf = async (id: number) => t.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id }, select: { status: true, reason: true, plannedFor: true } });

beforeAll(async () => {
  t = await createTestDb();
  const { prisma } = t.db;
  await ensureShippedHolidays(prisma, NOW);
  unit.committee = (await prisma.unit.create({ data: { code: "DU-X", name: "Đảng ủy xã Tân Phong", kind: "COMMITTEE" }, select: { id: true } })).id;
  unit.cellA = (await prisma.unit.create({ data: { code: "CB-A", name: "Chi bộ thôn Tân Lập", kind: "PARTY_ORG", parentId: unit.committee }, select: { id: true } })).id;
  unit.cellB = (await prisma.unit.create({ data: { code: "CB-B", name: "Chi bộ thôn Đồng Tâm", kind: "PARTY_ORG", parentId: unit.committee }, select: { id: true } })).id;
  const names = { asker: "Trần Văn An", head: "Phạm Văn Hùng", deputy: "Ngô Văn Bình", reporter: "Đỗ Thị Lan", office: "Lê Thị Mai", headB: "Vũ Văn Long" };
  for (const code of Object.keys(names) as (keyof typeof names)[]) {
    person[code] = (await prisma.person.create({ data: { code, fullName: names[code] }, select: { id: true } })).id;
  }
  await prisma.membership.createMany({
    data: [
      { personId: person.asker, unitId: unit.committee, role: "COMMITTEE_MEMBER" },
      { personId: person.office, unitId: unit.committee, role: "OFFICE" },
      { personId: person.head, unitId: unit.cellA, role: "HEAD" },
      { personId: person.deputy, unitId: unit.cellA, role: "REPORTER" },
      { personId: person.reporter, unitId: unit.cellA, role: "REPORTER" },
      { personId: person.headB, unitId: unit.cellB, role: "HEAD" },
    ],
  });
  await prisma.person.update({ where: { id: person.head }, data: { deputyId: person.deputy } });
  const link = async (code: keyof typeof person, platform: "TELEGRAM" | "ZALO") => {
    const row = await prisma.chatIdentity.create({ data: { personId: person[code], platform, externalId: `${code}-${platform}`, chatId: `${code}-${platform}` }, select: { id: true } });
    identity[`${code}:${platform}`] = row.id;
  };
  await link("asker", "TELEGRAM");
  await link("head", "TELEGRAM"); // the head of Tân Lập reads both apps
  await link("head", "ZALO");
  await link("deputy", "TELEGRAM");
  await link("reporter", "ZALO");
  await link("office", "TELEGRAM");
  await link("headB", "TELEGRAM");
});

beforeEach(async () => {
  const { prisma } = t.db;
  await prisma.outboundMessage.deleteMany({});
  await prisma.question.deleteMany({});
  await prisma.person.updateMany({ data: { absentFrom: null, absentTo: null } });
  await prisma.holiday.deleteMany({ where: { unitId: { not: null } } });
});

afterAll(async () => {
  await t.cleanup();
});

describe("reconcileQuestionReminders", () => {
  it("reminds the answerer 2 working days before and on the deadline day, then escalates to the heads and the office", async () => {
    const q = await ask({ targetUnitId: unit.cellA });
    const first = await reconcileQuestionReminders(t.db.prisma, { now: NOW });
    expect(first).toMatchObject({ questions: 1, created: 7, updated: 0, cancelled: 0 });

    const rows = await rowsOf(q.id);
    expect(rows.map((r) => `${r.at} ${r.purpose} ${r.step} ${r.who}`)).toEqual([
      `2026-12-08 07:30 ${QUESTION_REMINDER} before-2 head:TELEGRAM`,
      `2026-12-08 07:30 ${QUESTION_REMINDER} before-2 head:ZALO`,
      `2026-12-10 07:30 ${QUESTION_REMINDER} due head:TELEGRAM`,
      `2026-12-10 07:30 ${QUESTION_REMINDER} due head:ZALO`,
      // Friday 11/12 is the 1st working day after; Tuesday 15/12 the 3rd (the weekend does not count).
      `2026-12-11 07:30 ${QUESTION_ESCALATION} heads head:TELEGRAM`,
      `2026-12-11 07:30 ${QUESTION_ESCALATION} heads head:ZALO`,
      `2026-12-15 07:30 ${QUESTION_ESCALATION} office office:TELEGRAM`,
    ]);
    expect(rows.every((r) => r.status === "PLANNED")).toBe(true);
    expect(rows[0]?.dedupKey).toBe(`qremind:${q.id}:before-2:${identity["head:TELEGRAM"]}`);
    expect(rows[6]?.dedupKey).toBe(`qescalate:${q.id}:office:${identity["office:TELEGRAM"]}`);

    const before = rows[0]!;
    expect(before.text).toContain(`Còn 2 ngày làm việc nữa đến hạn trả lời chất vấn ${q.reference} của đồng chí Trần Văn An`);
    expect(before.text).toContain("17:00 thứ Năm, 10/12/2026");
    expect(before.text).toContain("Nội dung: «Đề nghị đồng chí cho biết tiến độ sửa chữa nhà văn hóa thôn.»");
    expect(before.text).toContain(`/traloi ${q.reference}`);
    // The button, as on the new-question notice: on Zalo the renderer numbers it, so one text serves every app.
    expect(before.payload).toEqual({ text: before.text, choices: [{ value: choiceValue.answer(q.id), label: "Trả lời" }] });
    expect(rows[1]?.text).toContain(texts.questions.answerHint(q.reference));
    expect(rows[1]?.text).toBe(rows[0]?.text);
    expect(rows[2]?.text).toContain(`Hôm nay là hạn trả lời chất vấn ${q.reference}`);
    expect(rows[2]?.text).toContain("trước 17:00 hôm nay");

    // The unit's heads are its answerers: they keep the button.
    expect(rows[4]?.text).toContain(`Chất vấn ${q.reference} của đồng chí Trần Văn An gửi Chi bộ thôn Tân Lập đã quá hạn trả lời 1 ngày làm việc`);
    expect(rows[4]?.choices).toEqual([{ value: choiceValue.answer(q.id), label: "Trả lời" }]);
    // The office reads it, it does not answer it.
    const office = rows[6]!;
    expect(office.text).toContain("đã quá hạn trả lời 3 ngày làm việc (hạn 17:00 thứ Năm, 10/12/2026)");
    expect(office.text).toContain(`/xem ${q.reference}`);
    expect(office.text).toContain(t0.officeAction);
    expect(office.choices).toBeUndefined();

    // Nothing for the reporter of the unit (not an answerer) nor for the asker.
    expect(rows.some((r) => r.who.startsWith("reporter") || r.who.startsWith("asker"))).toBe(false);

    // Again, a minute later, and twice at once: no change, no duplicate.
    expect(await reconcileQuestionReminders(t.db.prisma, { now: NOW })).toMatchObject({ created: 0, updated: 0, revived: 0, cancelled: 0 });
    const [a, b] = await Promise.all([
      reconcileQuestionReminders(t.db.prisma, { now: new Date(NOW.getTime() + 60_000) }),
      reconcileQuestionReminders(t.db.prisma, { now: new Date(NOW.getTime() + 60_000) }),
    ]);
    expect(a.created + b.created + a.updated + b.updated + a.cancelled + b.cancelled).toBe(0);
    expect(await t.db.prisma.outboundMessage.count({ where: { questionId: q.id } })).toBe(7);
  });

  it("plans twice at once for a new question without duplicates", async () => {
    const q = await ask({ targetUnitId: unit.cellA });
    const results = await Promise.all([1, 2, 3].map(() => reconcileQuestionReminders(t.db.prisma, { now: NOW })));
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(7);
    expect(await t.db.prisma.outboundMessage.count({ where: { questionId: q.id } })).toBe(7);
  });

  it("a question to a person: the person answers, the heads of their unit are chased without an answer button", async () => {
    const q = await ask({ targetPersonId: person.reporter });
    await reconcileQuestionReminders(t.db.prisma, { now: NOW });
    const rows = await rowsOf(q.id);
    expect(rows.map((r) => `${r.at} ${r.step} ${r.who}`)).toEqual([
      "2026-12-08 07:30 before-2 reporter:ZALO",
      "2026-12-10 07:30 due reporter:ZALO",
      "2026-12-11 07:30 heads head:TELEGRAM",
      "2026-12-11 07:30 heads head:ZALO",
      "2026-12-15 07:30 office office:TELEGRAM",
    ]);
    expect(rows[0]?.choices).toEqual([{ value: choiceValue.answer(q.id), label: "Trả lời" }]);
    const heads = rows[2]!;
    expect(heads.text).toContain(`gửi đồng chí Đỗ Thị Lan đã quá hạn trả lời 1 ngày làm việc`);
    expect(heads.text).toContain(t0.headsAction);
    expect(heads.text).toContain(`/xem ${q.reference}`);
    expect(heads.text).not.toContain("/traloi");
    expect(heads.choices).toBeUndefined();
  });

  it("cuts a long question to an excerpt of at most 200 characters", async () => {
    const long = `${"Đề nghị làm rõ trách nhiệm của chi bộ trong việc chậm triển khai ".repeat(8)}kết thúc.`;
    expect(excerpt(long, 200).length).toBeLessThanOrEqual(200);
    expect(excerpt(long, 200).endsWith("…")).toBe(true);
    expect(excerpt("  hai\n dòng  ")).toBe("hai dòng");
    const q = await ask({ targetUnitId: unit.cellA }, { text: long });
    await reconcileQuestionReminders(t.db.prisma, { now: NOW });
    const text = (await rowsOf(q.id))[0]?.text ?? "";
    expect(text).toContain(`Nội dung: «${excerpt(long, 200)}»`);
    expect(text).not.toContain("kết thúc.");
  });

  it("sends nothing more once the question is answered: planned rows are cancelled, due ones skipped", async () => {
    const q = await ask({ targetUnitId: unit.cellA });
    await reconcileQuestionReminders(t.db.prisma, { now: NOW });
    const notice = await plan(q.id, QUESTION_NOTICE, "deputy", "TELEGRAM", vn("2026-12-02 07:30"));

    // Answered between the reconcile and the dispatch: the due reminders are skipped at claim time.
    await t.db.prisma.question.update({ where: { id: q.id }, data: { status: "ANSWERED", answeredAt: vn("2026-12-08 07:00") } });
    const toAsker = await plan(q.id, QUESTION_ANSWER, "asker", "TELEGRAM", vn("2026-12-08 07:00"));
    const r = await dueMessages(t.db.prisma, vn("2026-12-08 07:30"));
    // The answer goes to the asker; the notice of 02/12 and the two reminders of today do not go.
    expect(r.queued.map((x) => x.id)).toEqual([toAsker.id]);
    expect(r.skipped).toBe(3);
    expect(await statusOf(notice.id)).toMatchObject({ status: "SKIPPED", reason: "answered" });
    expect((await rowsOf(q.id, { step: "before-2" })).map((x) => `${x.status} ${x.reason}`)).toEqual(["SKIPPED answered", "SKIPPED answered"]);

    // The reconcile cancels the rest.
    const after = await reconcileQuestionReminders(t.db.prisma, { now: vn("2026-12-08 07:31") });
    expect(after).toMatchObject({ questions: 0, cancelled: 5 });
    const left = await rowsOf(q.id, { purpose: { in: [QUESTION_REMINDER, QUESTION_ESCALATION] }, status: { not: "SKIPPED" } });
    expect(left.map((x) => `${x.step} ${x.status} ${x.reason}`)).toEqual([
      "due CANCELLED answered",
      "due CANCELLED answered",
      "heads CANCELLED answered",
      "heads CANCELLED answered",
      "office CANCELLED answered",
    ]);
    expect(await reconcileQuestionReminders(t.db.prisma, { now: vn("2026-12-10 07:00") })).toMatchObject({ created: 0, revived: 0, cancelled: 0 });
    expect((await dueMessages(t.db.prisma, vn("2026-12-15 08:00"))).queued).toEqual([]);
  });

  it("a closed (withdrawn) question: its planned rows are cancelled as closed", async () => {
    const q = await ask({ targetUnitId: unit.cellA });
    await reconcileQuestionReminders(t.db.prisma, { now: NOW });
    await t.db.prisma.question.update({ where: { id: q.id }, data: { status: "CLOSED", closedAt: NOW } });
    expect(await reconcileQuestionReminders(t.db.prisma, { now: NOW })).toMatchObject({ cancelled: 7 });
    expect(new Set((await rowsOf(q.id)).map((x) => `${x.status} ${x.reason}`))).toEqual(new Set(["CANCELLED closed"]));
  });

  it("escalates after the deadline on working days only, and only once the deadline has passed", async () => {
    const q = await ask({ targetUnitId: unit.cellA });
    await reconcileQuestionReminders(t.db.prisma, { now: NOW });
    // Friday 11/12 07:30: the heads. Saturday and Sunday: nothing. Tuesday 15/12: the office.
    const friday = await dueMessages(t.db.prisma, vn("2026-12-11 07:30"));
    // (The before-2 and due rows of earlier days were never dispatched in this story: expired, not sent late.)
    expect(friday.expired).toBe(4);
    expect(friday.queued.map((x) => x.dedupKey).sort()).toEqual(
      [`qescalate:${q.id}:heads:${identity["head:TELEGRAM"]}`, `qescalate:${q.id}:heads:${identity["head:ZALO"]}`].sort(),
    );
    expect((await dueMessages(t.db.prisma, vn("2026-12-12 09:00"))).queued).toEqual([]);
    expect((await dueMessages(t.db.prisma, vn("2026-12-14 09:00"))).queued).toEqual([]);
    const tuesday = await dueMessages(t.db.prisma, vn("2026-12-15 07:30"));
    expect(tuesday.queued.map((x) => x.dedupKey)).toEqual([`qescalate:${q.id}:office:${identity["office:TELEGRAM"]}`]);

    // A deadline moved later after the plan: the escalation due now waits for the reconcile, which moves it.
    const q2 = await ask({ targetUnitId: unit.cellB });
    await reconcileQuestionReminders(t.db.prisma, { now: NOW, questionIds: [q2.id] });
    await t.db.prisma.question.update({ where: { id: q2.id }, data: { deadline: vn("2026-12-18 17:00") } });
    const early = await dueMessages(t.db.prisma, vn("2026-12-11 07:35"));
    expect(early.queued).toEqual([]);
    expect((await rowsOf(q2.id, { step: "heads" }))[0]).toMatchObject({ status: "PLANNED", at: "2026-12-11 07:30" });
    await reconcileQuestionReminders(t.db.prisma, { now: vn("2026-12-11 07:36"), questionIds: [q2.id] });
    expect((await rowsOf(q2.id, { purpose: QUESTION_ESCALATION })).map((x) => `${x.step} ${x.status} ${x.at}`)).toEqual([
      "heads PLANNED 2026-12-21 07:30",
      "office PLANNED 2026-12-23 07:30",
    ]);
  });

  it("re-plans when the deadline moves: past steps are not back-filled, except today's", async () => {
    const q = await ask({ targetUnitId: unit.cellA });
    await reconcileQuestionReminders(t.db.prisma, { now: NOW });
    // Wednesday 02/12: the deadline is brought forward to Thursday 03/12. Its before-2 would be
    // Tuesday 01/12 07:30, before the question was asked: the planned row is cancelled.
    const now = vn("2026-12-02 09:00");
    await t.db.prisma.question.update({ where: { id: q.id }, data: { deadline: vn("2026-12-03 17:00") } });
    await reconcileQuestionReminders(t.db.prisma, { now });
    const rows = await rowsOf(q.id, { platform: "TELEGRAM" });
    expect(rows.map((r) => `${r.step} ${r.status} ${r.reason} ${r.at}`)).toEqual([
      "due PLANNED null 2026-12-03 07:30",
      "heads PLANNED null 2026-12-04 07:30",
      "office PLANNED null 2026-12-08 07:30",
      "before-2 CANCELLED replanned 2026-12-08 07:30",
    ]);
    expect(rows[0]?.text).toContain("trước 17:00 hôm nay");
    expect(rows[2]?.text).toContain("(hạn 17:00 thứ Năm, 03/12/2026)");
    // A minute later the caught-up row keeps its time.
    expect(await reconcileQuestionReminders(t.db.prisma, { now: new Date(now.getTime() + 60_000) })).toMatchObject({ created: 0, updated: 0, revived: 0, cancelled: 0 });
    // A question planned for the first time after its deadline: only today's escalation, if any.
    const late = await ask({ targetUnitId: unit.cellA }, { createdAt: vn("2026-11-20 10:00") });
    await reconcileQuestionReminders(t.db.prisma, { now: vn("2026-12-11 09:00"), questionIds: [late.id] });
    expect((await rowsOf(late.id)).map((r) => `${r.step} ${r.at} ${r.who}`)).toEqual([
      "heads 2026-12-11 09:00 head:TELEGRAM",
      "heads 2026-12-11 09:00 head:ZALO",
      "office 2026-12-15 07:30 office:TELEGRAM",
    ]);
    // Removing the deadline cancels what was planned.
    await t.db.prisma.question.update({ where: { id: late.id }, data: { deadline: null } });
    await reconcileQuestionReminders(t.db.prisma, { now: vn("2026-12-11 09:05"), questionIds: [late.id] });
    expect(new Set((await rowsOf(late.id)).map((r) => `${r.status} ${r.reason}`))).toEqual(new Set(["CANCELLED replanned"]));
  });

  it("leaves out a reminder on the day the notice goes out, and before the question was asked", async () => {
    // Asked on Monday 07/12 10:00, due Wednesday 09/12: before-2 (Friday 04/12) came before it; due stays.
    const q = await ask({ targetUnitId: unit.cellA }, { createdAt: vn("2026-12-07 10:00"), deadline: vn("2026-12-09 17:00") });
    await reconcileQuestionReminders(t.db.prisma, { now: vn("2026-12-07 10:00") });
    expect((await rowsOf(q.id, { purpose: QUESTION_REMINDER })).map((r) => `${r.step} ${r.at}`)).toEqual(["due 2026-12-09 07:30", "due 2026-12-09 07:30"]);
    // Asked at 06:00 on the deadline day: the notice at 07:30 says it all.
    const q2 = await ask({ targetUnitId: unit.cellA }, { createdAt: vn("2026-12-09 06:00"), deadline: vn("2026-12-09 17:00") });
    await reconcileQuestionReminders(t.db.prisma, { now: vn("2026-12-09 06:00") });
    expect(await rowsOf(q2.id, { purpose: QUESTION_REMINDER })).toEqual([]);
  });

  it("an absent answerer's reminder goes to their deputy, who may read it", async () => {
    await t.db.prisma.person.update({ where: { id: person.head }, data: { absentFrom: toDbDate("2026-12-07"), absentTo: toDbDate("2026-12-08") } });
    const q = await ask({ targetUnitId: unit.cellA });
    await reconcileQuestionReminders(t.db.prisma, { now: NOW });
    const rows = await rowsOf(q.id, { purpose: QUESTION_REMINDER });
    expect(rows.map((r) => `${r.step} ${r.who}`)).toEqual(["before-2 deputy:TELEGRAM", "due head:TELEGRAM", "due head:ZALO"]);
    expect(rows[0]?.text).toContain(texts.reminders.standIn("Phạm Văn Hùng"));
    expect(rows[0]?.text).toContain(`/xem ${q.reference}`);
    expect(rows[0]?.choices).toBeUndefined();
  });

  it("follows the unit's own days off, in the plan and at dispatch", async () => {
    // Đồng Tâm has a local festival on Wednesday 09/12.
    await t.db.prisma.holiday.create({ data: { date: toDbDate("2026-12-09"), kind: "HOLIDAY", name: "Lễ hội làng", unitId: unit.cellB } });
    const q = await ask({ targetUnitId: unit.cellB });
    await reconcileQuestionReminders(t.db.prisma, { now: NOW });
    expect((await rowsOf(q.id)).map((r) => `${r.step} ${r.at}`)).toEqual([
      "before-2 2026-12-07 07:30",
      "due 2026-12-10 07:30",
      "heads 2026-12-11 07:30",
      "office 2026-12-15 07:30",
    ]);
    // A notice to its head planned for that day waits for the unit's next working morning.
    const notice = await plan(q.id, QUESTION_NOTICE, "headB", "TELEGRAM", vn("2026-12-09 09:00"));
    const r = await dueMessages(t.db.prisma, vn("2026-12-09 09:00"));
    expect(r.queued).toEqual([]);
    expect(local((await statusOf(notice.id)).plannedFor)).toBe("2026-12-10 07:30");
  });
});

describe("dispatching messages about questions", () => {
  it("respects quiet hours: nothing at night, the due rows wait for the morning", async () => {
    const q = await ask({ targetUnitId: unit.cellA });
    await reconcileQuestionReminders(t.db.prisma, { now: NOW });
    const notice = await plan(q.id, QUESTION_NOTICE, "head", "TELEGRAM", vn("2026-12-07 21:00"));
    // Monday 22:00: the notice (due 21:00) is held back to Tuesday 07:30, with the before-2 reminders.
    const night = await dueMessages(t.db.prisma, vn("2026-12-07 22:00"));
    expect(night).toMatchObject({ queued: [], postponed: 1, expired: 0 });
    expect(local((await statusOf(notice.id)).plannedFor)).toBe("2026-12-08 07:30");
    expect((await dueMessages(t.db.prisma, vn("2026-12-08 07:00"))).queued).toEqual([]);
    const morning = await dueMessages(t.db.prisma, vn("2026-12-08 07:30"));
    expect(morning.queued).toHaveLength(3);
    expect(new Set(morning.queued.map((x) => x.dedupKey.split(":")[0]))).toEqual(new Set([QUESTION_NOTICE, "qremind"]));
  });

  it("a notice planned at night is sent the next morning, not expired, even after downtime; a reminder of an earlier day is", async () => {
    const q = await ask({ targetUnitId: unit.cellA });
    // Planned for 22:00 on Monday (no dispatcher ran that night), as are an answer, a verdict and a stale reminder.
    const notice = await plan(q.id, QUESTION_NOTICE, "head", "TELEGRAM", vn("2026-12-07 22:00"));
    const answer = await plan(q.id, QUESTION_ANSWER, "asker", "TELEGRAM", vn("2026-12-07 22:00"));
    const verdict = await plan(q.id, QUESTION_VERDICT, "head", "ZALO", vn("2026-12-07 22:00"));
    const reminder = await plan(q.id, QUESTION_REMINDER, "head", "ZALO", vn("2026-12-07 07:30"));
    const r = await dueMessages(t.db.prisma, vn("2026-12-08 08:00"));
    expect(r.expired).toBe(1);
    expect(r.queued.map((x) => x.id).sort((a, b) => a - b)).toEqual([notice.id, answer.id, verdict.id].sort((a, b) => a - b));
    expect(await statusOf(reminder.id)).toMatchObject({ status: "CANCELLED", reason: "expired" });
  });

  it("skips the question rows of a chat that blocked the bot", async () => {
    const q = await ask({ targetUnitId: unit.cellA });
    const notice = await plan(q.id, QUESTION_NOTICE, "head", "ZALO", vn("2026-12-08 07:30"));
    await t.db.prisma.chatIdentity.update({ where: { id: identity["head:ZALO"] }, data: { blockedAt: NOW, blockReason: "blocked" } });
    try {
      const r = await dueMessages(t.db.prisma, vn("2026-12-08 08:00"));
      expect(r.queued).toEqual([]);
      expect(await statusOf(notice.id)).toMatchObject({ status: "SKIPPED", reason: "blocked" });
    } finally {
      await t.db.prisma.chatIdentity.update({ where: { id: identity["head:ZALO"] }, data: { blockedAt: null, blockReason: null } });
    }
  });
});
