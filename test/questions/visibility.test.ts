// Who may do what with a question, each role against each action, in the
// domain (the same functions every channel reaches): see it (its thread and
// the lists, which must agree), write its answer, send it, let a colleague
// draft, and judge the answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standingOf, visibleWhere } from "../../src/questions/people.ts";
import { askQuestion, judge, letDraft, loadQuestion, sendAnswer, addToDraft } from "../../src/questions/store.ts";
import { QUESTIONS_SETTING_KEY } from "../../src/questions/settings.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { importExample, inTx, vn } from "../reports/helpers.ts";

const NOW = vn("2026-12-01 10:00");
let t: TestDb;
const id: Record<string, number> = {};
let questionId = 0;

type Role = "asker" | "office" | "board" | "member" | "head" | "deputy" | "colleague" | "drafter" | "outsider" | "reporterElsewhere";
type Action = "see" | "draft" | "send" | "delegate" | "judge";

// The unit head answers; his deputy is told; the cell's reporter drafts once let.
const matrix: Record<Role, Record<Action, boolean>> = {
  asker: { see: true, draft: false, send: false, delegate: false, judge: true },
  office: { see: true, draft: false, send: false, delegate: false, judge: false },
  board: { see: true, draft: false, send: false, delegate: false, judge: false },
  member: { see: false, draft: false, send: false, delegate: false, judge: false },
  head: { see: true, draft: true, send: true, delegate: true, judge: false },
  deputy: { see: true, draft: false, send: false, delegate: false, judge: false },
  colleague: { see: false, draft: false, send: false, delegate: false, judge: false },
  drafter: { see: true, draft: true, send: false, delegate: false, judge: false },
  outsider: { see: false, draft: false, send: false, delegate: false, judge: false },
  reporterElsewhere: { see: false, draft: false, send: false, delegate: false, judge: false },
};

beforeAll(async () => {
  t = await createTestDb();
  const p = t.db.prisma;
  await importExample(p, NOW);
  const person = async (code: string) => (await p.person.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;
  const unit = async (code: string) => (await p.unit.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;
  const committee = await unit("DU-XA-TAN-PHONG");
  const tanLap = await unit("CB-THON-TAN-LAP");
  // A second committee member, not involved; a board member; the head's deputy; two reporters of the cell.
  const member = await p.person.create({ data: { code: "cuv-khac", fullName: "Cấp ủy viên Khác", memberships: { create: { unitId: committee, role: "COMMITTEE_MEMBER" } } }, select: { id: true } });
  const board = await p.person.create({ data: { code: "ubtv", fullName: "Ủy viên Thường vụ", memberships: { create: { unitId: committee, role: "COMMITTEE_MEMBER" } } }, select: { id: true } });
  // The example's standing board (or one made here), with this member on it.
  const body = await p.committeeBody.upsert({
    where: { committeeId_kind: { committeeId: committee, kind: "STANDING_BOARD" } },
    create: { committeeId: committee, kind: "STANDING_BOARD", name: "Ban Thường vụ" },
    update: {},
    select: { id: true },
  });
  await p.bodyMember.create({ data: { bodyId: body.id, personId: board.id } });
  const drafter = await p.person.create({ data: { code: "bc-tanlap-2", fullName: "Cán bộ Tân Lập Hai", memberships: { create: { unitId: tanLap, role: "REPORTER" } } }, select: { id: true } });
  const deputy = await p.person.create({ data: { code: "pho-tanlap", fullName: "Phó Bí thư Tân Lập" }, select: { id: true } });
  const head = await person("phamvanhung");
  await p.person.update({ where: { id: head }, data: { deputyId: deputy.id } });
  Object.assign(id, {
    asker: await person("nguyenthihuong"),
    office: await person("tranvanduc"),
    board: board.id,
    member: member.id,
    head,
    deputy: deputy.id,
    colleague: await person("dothilan"),
    drafter: drafter.id,
    outsider: await person("vuvanlong"),
    reporterElsewhere: await person("buithithu"),
  });
  // The asker is a committee member only in this test: the office role of the example would make her a watcher too.
  await p.membership.deleteMany({ where: { personId: id.asker, role: "OFFICE" } });
  const asked = await inTx(p, (tx) =>
    askQuestion(tx, {
      committeeId: committee,
      askedById: id.asker!,
      enteredById: null,
      kind: "QUESTION",
      target: { unitId: tanLap },
      text: "Chi bộ cho biết kết quả thu nộp đảng phí?",
      conference: null,
      deadline: vn("2026-12-15 17:00"),
      parentId: null,
      attachmentIds: [],
      now: NOW,
      notice: () => ({ text: "notice" }),
    }),
  );
  questionId = asked.id;
  await inTx(p, async (tx) => {
    const q = (await loadQuestion(tx, questionId))!;
    expect(await letDraft(tx, q, id.head!, id.drafter!, NOW, () => ({ text: "x" }))).toMatchObject({ ok: true });
  });
}, 120_000);

afterAll(async () => {
  await t.cleanup();
});

/** What the person can do, asked of the domain; every attempt is rolled back. */
async function can(personId: number, action: Action): Promise<boolean> {
  const p = t.db.prisma;
  const rollback = new Error("rollback");
  let result = false;
  await p
    .$transaction(async (tx) => {
      const q = (await loadQuestion(tx, questionId))!;
      const standing = await standingOf(tx, personId, q);
      switch (action) {
        case "see": {
          const listed = (await tx.question.count({ where: { AND: [{ id: questionId }, await visibleWhere(tx, personId)] } })) === 1;
          // The list and the thread must agree, or a list would leak what the thread refuses.
          expect(listed).toBe(standing !== null);
          result = listed;
          break;
        }
        case "draft":
          result = standing === "answerer" || standing === "drafter";
          break;
        case "send": {
          await addToDraft(tx, q, personId, NOW, { text: "Trả lời." });
          const fresh = (await loadQuestion(tx, questionId))!;
          result = (await sendAnswer(tx, fresh, personId, NOW, () => ({ text: "a" }))).ok;
          break;
        }
        case "delegate":
          result = (await letDraft(tx, q, personId, id.colleague!, NOW, () => ({ text: "x" }))).ok;
          break;
        case "judge": {
          await tx.question.update({ where: { id: questionId }, data: { status: "ANSWERED" } });
          const fresh = (await loadQuestion(tx, questionId))!;
          result = (await judge(tx, fresh, personId, NOW, "SATISFIED", null)).ok;
          break;
        }
      }
      throw rollback;
    })
    .catch((err: unknown) => {
      if (err !== rollback) throw err;
    });
  return result;
}

describe("the visibility matrix", () => {
  const cases = Object.entries(matrix).flatMap(([role, actions]) => Object.entries(actions).map(([action, allowed]) => ({ role: role as Role, action: action as Action, allowed })));
  it.each(cases)("$role may $action: $allowed", async ({ role, action, allowed }) => {
    expect(await can(id[role]!, action)).toBe(allowed);
  });

  it("lets every committee member see the committee's questions when the committee's setting says so", async () => {
    expect(await can(id.member!, "see")).toBe(false);
    const before = await t.db.prisma.setting.findUnique({ where: { key: QUESTIONS_SETTING_KEY }, select: { value: true } });
    await t.db.prisma.setting.upsert({ where: { key: QUESTIONS_SETTING_KEY }, create: { key: QUESTIONS_SETTING_KEY, value: { visible_to_members: true } }, update: { value: { visible_to_members: true } } });
    try {
      expect(await can(id.member!, "see")).toBe(true);
      // Seeing is all it gives.
      expect(await can(id.member!, "send")).toBe(false);
      expect(await can(id.outsider!, "see")).toBe(false);
    } finally {
      if (before) await t.db.prisma.setting.update({ where: { key: QUESTIONS_SETTING_KEY }, data: { value: before.value as object } });
      else await t.db.prisma.setting.delete({ where: { key: QUESTIONS_SETTING_KEY } });
    }
  });

  it("takes the head of a unit made inactive out of it, in the lists as in the thread", async () => {
    const unit = await t.db.prisma.unit.findUniqueOrThrow({ where: { code: "CB-THON-TAN-LAP" }, select: { id: true } });
    await t.db.prisma.unit.update({ where: { id: unit.id }, data: { active: false } });
    try {
      // can(…, "see") also checks that the list agrees with the thread.
      expect(await can(id.head!, "see")).toBe(false);
      expect(await can(id.deputy!, "see")).toBe(false);
      expect(await can(id.head!, "send")).toBe(false);
    } finally {
      await t.db.prisma.unit.update({ where: { id: unit.id }, data: { active: true } });
    }
  });

  it("refuses a person made inactive, whatever they were", async () => {
    await t.db.prisma.person.update({ where: { id: id.head! }, data: { active: false } });
    try {
      expect(await can(id.head!, "see")).toBe(false);
      expect(await can(id.head!, "send")).toBe(false);
    } finally {
      await t.db.prisma.person.update({ where: { id: id.head! }, data: { active: true } });
    }
  });
});
