import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureShippedHolidays } from "../../src/calendar/holiday-store.ts";
import { EditAfterDeadlineError, InvalidRequestError, NotAllowedToFileError, NotFoundError } from "../../src/reports/errors.ts";
import { openPeriod } from "../../src/reports/periods.ts";
import {
  deleteAnswers,
  discardDraft,
  draftAnswers,
  newReference,
  openDraft,
  revisionAnswers,
  revisions,
  saveAnswer,
  submit,
  type SubmittedAnswer,
} from "../../src/reports/submissions.ts";
import { createTestDb, waitersOnLock, type TestDb } from "../support/db.ts";
import { ids, importExample, inTx, vn } from "./helpers.ts";

let t: TestDb;
let id: ReturnType<typeof ids>;
const now = vn("2026-12-01 09:00");
const Q4 = "QUARTERLY-2026-4"; // deadline 17:00 15/12/2026, no edits after it
const DEC = "MONTHLY-2026-12"; // deadline 17:00 16/12/2026, edits allowed after it

beforeAll(async () => {
  t = await createTestDb();
  const p = t.db.prisma;
  await importExample(p, now);
  await ensureShippedHolidays(p, now);
  id = ids(p);
  await openPeriod(p, { templateId: await id.template("CCHC-QUY"), type: "QUARTERLY", year: 2026, number: 4 }, { now });
  await openPeriod(p, { templateId: await id.template("TINH-HINH-THANG"), type: "MONTHLY", year: 2026, number: 12 }, { now });
});
afterAll(async () => {
  await t.cleanup();
});

async function draftFor(unitCode: string, templateCode: string, periodKey: string, personCode: string, at = now) {
  const assignmentId = await id.assignment(unitCode, templateCode, periodKey);
  const personId = await id.person(personCode);
  const d = await inTx(t.db.prisma, (tx) => openDraft(tx, { assignmentId, personId, now: at }));
  return { ...d, assignmentId, personId };
}

function assignment(assignmentId: number) {
  return t.db.prisma.assignment.findUniqueOrThrow({
    where: { id: assignmentId },
    select: { status: true, firstSubmittedAt: true, lastSubmittedAt: true, submittedLate: true },
  });
}

const plain = (path: string, value: SubmittedAnswer["value"]): SubmittedAnswer => ({ path, questionName: path, value });

describe("openDraft", () => {
  it("creates the submission once and marks the assignment in progress", async () => {
    const first = await draftFor("CB-THON-TAN-LAP", "CCHC-QUY", Q4, "dothilan");
    expect(first.created).toBe(true);
    expect(first.reference).toMatch(/^BC-[2-9A-HJKMNP-Z]{6}$/);
    expect((await assignment(first.assignmentId)).status).toBe("IN_PROGRESS");
    // The head opens the same report: same submission.
    const again = await draftFor("CB-THON-TAN-LAP", "CCHC-QUY", Q4, "phamvanhung");
    expect(again).toMatchObject({ submissionId: first.submissionId, reference: first.reference, created: false });
    expect(await t.db.prisma.submission.count({ where: { assignmentId: first.assignmentId } })).toBe(1);
  });

  it("refuses a person who may not file, and an unknown assignment", async () => {
    const assignmentId = await id.assignment("CB-THON-TAN-LAP", "CCHC-QUY", Q4);
    const err = await inTx(t.db.prisma, async (tx) => openDraft(tx, { assignmentId, personId: await id.person("buithithu"), now })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotAllowedToFileError);
    expect(err).toMatchObject({ assignmentId });
    await expect(
      inTx(t.db.prisma, async (tx) => openDraft(tx, { assignmentId: 999_999, personId: await id.person("dothilan"), now })),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("draws another reference when one is taken, without breaking the transaction", async () => {
    const taken = (await t.db.prisma.submission.findFirstOrThrow({ select: { reference: true } })).reference;
    const assignmentId = await id.assignment("CB-THON-DONG-TAM", "CCHC-QUY", Q4);
    const personId = await id.person("buithithu");
    const offers = [taken, taken, "BC-ZZZZZZ"];
    const d = await inTx(t.db.prisma, async (tx) => {
      const r = await openDraft(tx, { assignmentId, personId, now }, { reference: () => offers.shift()! });
      // The transaction is still usable after the collisions.
      await saveAnswer(tx, { submissionId: r.submissionId, path: "x", value: 1, personId, now });
      return r;
    });
    expect(d).toMatchObject({ reference: "BC-ZZZZZZ", created: true });
    expect(offers).toEqual([]);
  });

  it("makes references from the unambiguous alphabet", () => {
    const seq = [0, 30, 5, 12, 29, 1];
    expect(newReference((max) => seq.shift()! % max)).toBe("BC-2Z7EY3");
    for (let i = 0; i < 200; i++) expect(newReference()).toMatch(/^BC-[^01OIL]{6}$/);
  });
});

describe("answers", () => {
  it("keeps both of two concurrent answers to one submission (writers are serialised)", async () => {
    const { submissionId, personId } = await draftFor("CB-THON-PHONG-THINH", "CCHC-QUY", Q4, "dangthihoa");
    const head = await id.person("ngovanbinh");
    const p = t.db.prisma;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let firstSaved!: () => void;
    const saved = new Promise<void>((r) => (firstSaved = r));

    // Two transactions on two connections: the first holds its lock until released.
    const one = p.$transaction(
      async (tx) => {
        await saveAnswer(tx, { submissionId, path: "so_van_ban", value: 12, personId, now });
        firstSaved();
        await gate;
      },
      { timeout: 20_000 },
    );
    await saved;
    const two = p.$transaction((tx) => saveAnswer(tx, { submissionId, path: "ghi_chu", value: "Đã rà soát", personId: head, now }), {
      timeout: 20_000,
    });
    // The second writer must be waiting on the first one's row lock.
    expect(await waitersOnLock(p)).toBe(1);
    release();
    await Promise.all([one, two]);

    const answers = await draftAnswers(p, submissionId);
    expect([...answers.keys()].sort()).toEqual(["ghi_chu", "so_van_ban"]);
    expect(answers.get("so_van_ban")).toEqual({ value: 12, answeredById: personId, answeredAt: now });
    expect(answers.get("ghi_chu")?.answeredById).toBe(head);
    expect((await p.submission.findUniqueOrThrow({ where: { id: submissionId }, select: { version: true } })).version).toBe(2);
  });

  it("replaces an answer, stores JSON null, and deletes by paths or by repeat entry", async () => {
    const { submissionId, personId } = await draftFor("CB-TRUONG-TH", "CCHC-QUY", Q4, "hathiphuong");
    const p = t.db.prisma;
    const later = vn("2026-12-02 08:00");
    await inTx(p, async (tx) => {
      for (const path of ["nghi_quyet[1].so_hieu", "nghi_quyet[2].so_hieu", "nghi_quyet[2].ngay", "nghi_quyet[20].so_hieu", "nghi_quyet_khac", "a", "b"]) {
        await saveAnswer(tx, { submissionId, path, value: path, personId, now });
      }
      await saveAnswer(tx, { submissionId, path: "a", value: { so: [1, null] }, personId, now: later });
      await saveAnswer(tx, { submissionId, path: "b", value: null, personId, now: later });
    });
    let answers = await draftAnswers(p, submissionId);
    expect(answers.get("a")).toEqual({ value: { so: [1, null] }, answeredById: personId, answeredAt: later });
    expect(answers.get("b")?.value).toBeNull();

    expect(await inTx(p, (tx) => deleteAnswers(tx, { submissionId, prefix: "nghi_quyet[2]" }))).toBe(2);
    expect(await inTx(p, (tx) => deleteAnswers(tx, { submissionId, paths: ["a", "missing"] }))).toBe(1);
    answers = await draftAnswers(p, submissionId);
    expect([...answers.keys()].sort()).toEqual(["b", "nghi_quyet[1].so_hieu", "nghi_quyet[20].so_hieu", "nghi_quyet_khac"]);
    expect(await inTx(p, (tx) => deleteAnswers(tx, { submissionId, prefix: "nghi_quyet" }))).toBe(2);

    await expect(inTx(p, (tx) => saveAnswer(tx, { submissionId: 999_999, path: "a", value: 1, personId, now }))).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe("submit", () => {
  it("makes revision 1, then an edit makes revision 2 and leaves revision 1 as it was", async () => {
    const p = t.db.prisma;
    const { submissionId, personId, assignmentId, reference } = await draftFor("CB-BAN-NA-HOC", "CCHC-QUY", Q4, "quangthiem");
    const t1 = vn("2026-12-10 10:00");
    const r1 = await inTx(p, async (tx) => {
      await saveAnswer(tx, { submissionId, path: "so_van_ban", value: 12, personId, now: t1 });
      await saveAnswer(tx, { submissionId, path: "nghi_quyet[0].ngay", value: "2026-11-20", personId, now: t1 });
      return submit(tx, {
        submissionId,
        personId,
        now: t1,
        answers: [
          { path: "so_van_ban", questionName: "so_van_ban", value: 12, numberValue: 12 },
          { path: "nghi_quyet[0].ngay", questionName: "nghi_quyet.ngay", repeatIndex: 0, value: "2026-11-20", dateValue: "2026-11-20" },
          { path: "ghi_chu", questionName: "ghi_chu", value: "Không có", textValue: "Không có" },
        ],
      });
    });
    expect(r1).toEqual({ revisionNumber: 1, submittedAt: t1, late: false, reference });
    expect(await assignment(assignmentId)).toEqual({ status: "SUBMITTED", firstSubmittedAt: t1, lastSubmittedAt: t1, submittedLate: false });
    const [rev1] = await revisions(p, submissionId);
    const rev1Answers = await revisionAnswers(p, rev1!.id);
    expect(rev1Answers).toEqual([
      { path: "so_van_ban", questionName: "so_van_ban", repeatIndex: null, value: 12, numberValue: "12", dateValue: null, textValue: null, answeredById: personId },
      {
        path: "nghi_quyet[0].ngay",
        questionName: "nghi_quyet.ngay",
        repeatIndex: 0,
        value: "2026-11-20",
        numberValue: null,
        dateValue: "2026-11-20",
        textValue: null,
        answeredById: personId,
      },
      // Not in the draft: attributed to the submitter.
      { path: "ghi_chu", questionName: "ghi_chu", repeatIndex: null, value: "Không có", numberValue: null, dateValue: null, textValue: "Không có", answeredById: personId },
    ]);

    // The head corrects a number before the deadline.
    const head = await id.person("lovanpanh");
    const t2 = vn("2026-12-15 16:00");
    const r2 = await inTx(p, async (tx) => {
      await openDraft(tx, { assignmentId, personId: head, now: t2 });
      await saveAnswer(tx, { submissionId, path: "so_van_ban", value: 13.25, personId: head, now: t2 });
      return submit(tx, { submissionId, personId: head, now: t2, answers: [{ path: "so_van_ban", questionName: "so_van_ban", value: 13.25, numberValue: "13.25" }] });
    });
    expect(r2).toEqual({ revisionNumber: 2, submittedAt: t2, late: false, reference });

    const all = await revisions(p, submissionId);
    expect(all.map((r) => [r.number, r.submittedById, r.submittedByName, r.late, r.submittedAt])).toEqual([
      [1, personId, "Quàng Thị Em", false, t1],
      [2, head, "Lò Văn Panh", false, t2],
    ]);
    expect(await revisionAnswers(p, rev1!.id)).toEqual(rev1Answers);
    expect((await revisionAnswers(p, all[1]!.id)).map((a) => [a.path, a.numberValue, a.answeredById])).toEqual([["so_van_ban", "13.25", head]]);
    expect(await assignment(assignmentId)).toEqual({ status: "SUBMITTED", firstSubmittedAt: t1, lastSubmittedAt: t2, submittedLate: false });
    const audit = await p.auditLog.findMany({ where: { action: "report.submitted", entityId: String(submissionId) }, select: { actorId: true, details: true }, orderBy: { id: "asc" } });
    expect(audit).toMatchObject([
      { actorId: personId, details: { assignmentId, revision: 1, late: false, reference } },
      { actorId: head, details: { assignmentId, revision: 2, late: false, reference } },
    ]);
  });

  it("makes revisions 1 and 2 of two colleagues submitting at once, the second crediting the first's answer", async () => {
    const { submissionId, personId, assignmentId } = await draftFor("CB-THON-PHONG-THINH", "TINH-HINH-THANG", DEC, "dangthihoa");
    const head = await id.person("ngovanbinh");
    const p = t.db.prisma;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let firstSubmitted!: () => void;
    const submitted = new Promise<void>((r) => (firstSubmitted = r));
    const answer = plain("so_van_ban", 7);

    const one = p.$transaction(
      async (tx) => {
        await saveAnswer(tx, { submissionId, path: "so_van_ban", value: 7, personId, now });
        const r = await submit(tx, { submissionId, personId, now, answers: [answer] });
        firstSubmitted();
        await gate;
        return r;
      },
      { timeout: 20_000 },
    );
    await submitted;
    // The head's submit starts while the first is not committed: it waits on the lock.
    const two = p.$transaction((tx) => submit(tx, { submissionId, personId: head, now, answers: [answer] }), { timeout: 20_000 });
    expect(await waitersOnLock(p)).toBe(1);
    release();
    const [r1, r2] = await Promise.all([one, two]);
    expect([r1.revisionNumber, r2.revisionNumber]).toEqual([1, 2]);

    const all = await revisions(p, submissionId);
    expect(all.map((r) => [r.number, r.submittedById])).toEqual([
      [1, personId],
      [2, head],
    ]);
    // The answer the first official gave stays theirs in the head's revision.
    expect((await revisionAnswers(p, all[1]!.id)).map((a) => [a.path, a.answeredById])).toEqual([["so_van_ban", personId]]);
    expect((await assignment(assignmentId)).status).toBe("SUBMITTED");
  });

  it("accepts a first submission after the deadline and flags it late", async () => {
    const late = vn("2026-12-16 08:00");
    const { submissionId, personId, assignmentId } = await draftFor("CB-TRAM-Y-TE", "CCHC-QUY", Q4, "luongthinga", late);
    const r = await inTx(t.db.prisma, (tx) => submit(tx, { submissionId, personId, now: late, answers: [plain("so_van_ban", 3)] }));
    expect(r).toMatchObject({ revisionNumber: 1, late: true });
    expect(await assignment(assignmentId)).toEqual({ status: "SUBMITTED", firstSubmittedAt: late, lastSubmittedAt: late, submittedLate: true });
    expect((await revisions(t.db.prisma, submissionId))[0]?.late).toBe(true);
  });

  it("refuses an edit after the deadline when the template does not allow it", async () => {
    const p = t.db.prisma;
    const { submissionId, personId, assignmentId } = await draftFor("CB-TRUONG-THCS", "CCHC-QUY", Q4, "trinhthingoc");
    await inTx(p, (tx) => submit(tx, { submissionId, personId, now: vn("2026-12-15 17:00"), answers: [plain("so_van_ban", 1)] }));
    // The deadline itself is still on time; one second later is not.
    const after = vn("2026-12-15 17:00").getTime() + 1000;
    const err = await inTx(p, (tx) => submit(tx, { submissionId, personId, now: new Date(after), answers: [plain("so_van_ban", 2)] })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EditAfterDeadlineError);
    expect(err).toMatchObject({ assignmentId, deadline: vn("2026-12-15 17:00") });
    await expect(inTx(p, (tx) => openDraft(tx, { assignmentId, personId, now: new Date(after) }))).rejects.toBeInstanceOf(EditAfterDeadlineError);
    expect(await revisions(p, submissionId)).toHaveLength(1);
    expect((await assignment(assignmentId)).lastSubmittedAt).toEqual(vn("2026-12-15 17:00"));
  });

  it("allows an edit after the deadline when the template does; the report stays counted as on time", async () => {
    const p = t.db.prisma;
    const t1 = vn("2026-12-14 10:00");
    const { submissionId, personId, assignmentId } = await draftFor("CB-THON-TAN-LAP", "TINH-HINH-THANG", DEC, "dothilan", t1);
    await inTx(p, (tx) => submit(tx, { submissionId, personId, now: t1, answers: [plain("so_dang_vien", 40)] }));
    const t2 = vn("2026-12-20 09:00");
    const r = await inTx(p, async (tx) => {
      await openDraft(tx, { assignmentId, personId, now: t2 });
      return submit(tx, { submissionId, personId, now: t2, answers: [plain("so_dang_vien", 41)] });
    });
    expect(r).toMatchObject({ revisionNumber: 2, late: true });
    expect(await assignment(assignmentId)).toEqual({ status: "SUBMITTED", firstSubmittedAt: t1, lastSubmittedAt: t2, submittedLate: false });
  });

  it("refuses a person who may not file, and the same path twice", async () => {
    const p = t.db.prisma;
    const { submissionId, personId } = await draftFor("CB-THON-DONG-TAM", "CCHC-QUY", Q4, "buithithu");
    await expect(
      inTx(p, async (tx) => submit(tx, { submissionId, personId: await id.person("dothilan"), now, answers: [] })),
    ).rejects.toBeInstanceOf(NotAllowedToFileError);
    await expect(inTx(p, (tx) => submit(tx, { submissionId, personId, now, answers: [plain("a", 1), plain("a", 2)] }))).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(await revisions(p, submissionId)).toEqual([]);
  });
});

describe("discardDraft", () => {
  it("empties a never-submitted draft and sets the assignment back to not started", async () => {
    const p = t.db.prisma;
    const { submissionId, personId, assignmentId, reference } = await draftFor("CB-CONG-AN", "CCHC-QUY", Q4, "maivantung");
    await inTx(p, async (tx) => {
      await saveAnswer(tx, { submissionId, path: "a", value: 1, personId, now });
      await saveAnswer(tx, { submissionId, path: "b", value: 2, personId, now });
    });
    expect((await assignment(assignmentId)).status).toBe("IN_PROGRESS");
    const r = await inTx(p, (tx) => discardDraft(tx, { submissionId, personId, now }));
    expect(r).toEqual({ restoredRevision: null, status: "NOT_STARTED" });
    expect((await draftAnswers(p, submissionId)).size).toBe(0);
    expect((await assignment(assignmentId)).status).toBe("NOT_STARTED");
    // Opening again keeps the receipt number.
    expect(await draftFor("CB-CONG-AN", "CCHC-QUY", Q4, "maivantung")).toMatchObject({ submissionId, reference, created: false });
  });

  it("restores the latest revision's answers when submitted before", async () => {
    const p = t.db.prisma;
    const { submissionId, personId, assignmentId } = await draftFor("CB-QUAN-SU", "CCHC-QUY", Q4, "kieuvannam");
    const t1 = vn("2026-12-05 10:00");
    await inTx(p, async (tx) => {
      await saveAnswer(tx, { submissionId, path: "a", value: 1, personId, now: t1 });
      await saveAnswer(tx, { submissionId, path: "b", value: "x", personId, now: t1 });
      await submit(tx, { submissionId, personId, now: t1, answers: [plain("a", 1), plain("b", "x"), plain("n", null)] });
    });
    const head = await id.person("tavanson");
    await inTx(p, async (tx) => {
      await saveAnswer(tx, { submissionId, path: "a", value: 2, personId: head, now });
      await saveAnswer(tx, { submissionId, path: "c", value: true, personId: head, now });
      await deleteAnswers(tx, { submissionId, paths: ["b"] });
    });
    const r = await inTx(p, (tx) => discardDraft(tx, { submissionId, personId: head, now: vn("2026-12-06 10:00") }));
    expect(r).toEqual({ restoredRevision: 1, status: "SUBMITTED" });
    const answers = await draftAnswers(p, submissionId);
    expect(Object.fromEntries([...answers].map(([k, v]) => [k, v]))).toEqual({
      a: { value: 1, answeredById: personId, answeredAt: t1 },
      b: { value: "x", answeredById: personId, answeredAt: t1 },
      n: { value: null, answeredById: personId, answeredAt: t1 },
    });
    expect((await assignment(assignmentId)).status).toBe("SUBMITTED");
    expect(await revisions(p, submissionId)).toHaveLength(1);
  });
});
