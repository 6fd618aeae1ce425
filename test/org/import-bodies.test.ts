// The committees' bodies (standing board, inspection commission) and the
// questions setting in the import file: imported, idempotent, replaced as the
// file says, and every mistake told by its line with nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/db.ts";
import { run as cli } from "../../src/org/import-cli.ts";
import { applyImport, type ImportResult } from "../../src/org/import.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { loadQuestionSettings, QUESTIONS_SETTING_KEY } from "../../src/questions/settings.ts";
import { OFFICE_HOURS_KEY } from "../../src/reminders/settings.ts";
import { exampleData, exampleFile, snapshot, tempDir, writeYaml, type ExampleFile } from "./helpers.ts";

let t: TestDb;
let dir: string;
const now = new Date("2026-03-02T02:00:00Z");

interface RawBody {
  committee: string;
  kind: string;
  name: string;
  members: { person: string; chair?: boolean }[];
}
type File = ExampleFile & { bodies: RawBody[]; settings: Record<string, unknown> };

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir();
});
afterAll(async () => {
  await t.cleanup();
});

function variant(change: (d: File) => void): string {
  const d = exampleData() as File;
  change(d);
  return writeYaml(dir, `b${String(Math.random()).slice(2)}.yaml`, d);
}

async function importFile(file: string): Promise<ImportResult> {
  const r = loadImportFile(file);
  if (!r.ok) throw new Error(r.problems.join("\n"));
  return applyImport(t.db.prisma, r.data, { now, ttlDays: 14, source: "test" });
}

/** The bodies as readable rows: committee code, kind, name, members (code, chair) in code order. */
async function bodies() {
  const rows = await t.db.prisma.committeeBody.findMany({
    orderBy: { id: "asc" },
    select: {
      id: true,
      kind: true,
      name: true,
      committee: { select: { code: true } },
      members: { select: { chair: true, person: { select: { code: true } } } },
    },
  });
  return rows.map((b) => ({
    id: b.id,
    committee: b.committee.code,
    kind: b.kind,
    name: b.name,
    members: b.members.map((m) => [m.person.code, m.chair] as const).sort(([a], [b]) => a.localeCompare(b)),
  }));
}

/** Everything the import writes, bodies and settings included. */
async function everything() {
  const p = t.db.prisma;
  return {
    ...(await snapshot(p)),
    bodies: await p.committeeBody.findMany({ orderBy: { id: "asc" } }),
    members: await p.bodyMember.findMany({ orderBy: [{ bodyId: "asc" }, { personId: "asc" }] }),
    settings: await p.setting.findMany({ orderBy: { key: "asc" } }),
  };
}

const questionsSetting = async () => (await t.db.prisma.setting.findUnique({ where: { key: QUESTIONS_SETTING_KEY }, select: { value: true } }))?.value;

describe("bodies and the questions setting in the import file", () => {
  it("imports the example's standing board, inspection commission and questions setting", async () => {
    const r = await importFile(exampleFile);
    expect(r.counts.bodies).toEqual({ created: 2, updated: 0, membersAdded: 3, membersRemoved: 0 });
    expect((await bodies()).map(({ id: _id, ...b }) => b)).toEqual([
      {
        committee: "DU-XA-TAN-PHONG",
        kind: "STANDING_BOARD",
        name: "Ban Thường vụ Đảng ủy xã Tân Phong",
        members: [
          ["hoangvanthanh", true],
          ["nguyenthihuong", false],
        ],
      },
      { committee: "DU-XA-TAN-PHONG", kind: "INSPECTION", name: "Ủy ban Kiểm tra Đảng ủy xã Tân Phong", members: [["trinhvankhoa", true]] },
    ]);
    expect(await questionsSetting()).toEqual({ answer_days: 10, visible_to_members: false });
    expect(await loadQuestionSettings(t.db.prisma)).toEqual({ answerDays: 10, visibleToMembers: false });
    const audit = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "org.import" }, select: { details: true } });
    expect(audit.details).toMatchObject({ bodies: { created: 2, membersAdded: 3 } });
  });

  it("changes nothing on a second run, not even a setting's time", async () => {
    const before = await everything();
    const r = await importFile(exampleFile);
    expect(r.counts.bodies).toEqual({ created: 0, updated: 0, membersAdded: 0, membersRemoved: 0 });
    expect(await everything()).toEqual({ ...before, audit: before.audit + 1 });
  });

  it("replaces a named body's members and chair, renames it in place, and replaces the questions setting", async () => {
    const before = await bodies();
    const file = variant((d) => {
      d.bodies[0]!.members = [{ person: "lyvankhanh", chair: true }, { person: "hoangvanthanh" }];
      d.bodies[1]!.name = "Ủy ban Kiểm tra Đảng ủy xã";
      d.settings.questions = { answer_days: 5 };
    });
    const r = await importFile(file);
    expect(r.counts.bodies).toEqual({ created: 0, updated: 2, membersAdded: 1, membersRemoved: 1 });
    const after = await bodies();
    // The same rows: questions put to a body keep their addressee.
    expect(after.map((b) => b.id)).toEqual(before.map((b) => b.id));
    expect(after[0]?.members).toEqual([
      ["hoangvanthanh", false],
      ["lyvankhanh", true],
    ]);
    expect(after[1]).toMatchObject({ name: "Ủy ban Kiểm tra Đảng ủy xã", members: [["trinhvankhoa", true]] });
    // The whole value is the file's: visible_to_members is no longer stored.
    expect(await questionsSetting()).toEqual({ answer_days: 5 });
    expect(await loadQuestionSettings(t.db.prisma)).toEqual({ answerDays: 5, visibleToMembers: false });

    const snap = await everything();
    const again = await importFile(file);
    expect(again.counts.bodies).toEqual({ created: 0, updated: 0, membersAdded: 0, membersRemoved: 0 });
    expect(await everything()).toEqual({ ...snap, audit: snap.audit + 1 });
  });

  it("empties a body the file leaves out, keeps its row and the office's body, and keeps a setting left out", async () => {
    const p = t.db.prisma;
    const committeeId = (await p.unit.findUniqueOrThrow({ where: { code: "DU-XA-TAN-PHONG" }, select: { id: true } })).id;
    const office = await p.committeeBody.create({ data: { committeeId, kind: "OFFICE", name: "Văn phòng Đảng ủy xã" }, select: { id: true } });
    const hours = (await p.setting.findUniqueOrThrow({ where: { key: OFFICE_HOURS_KEY } })).updatedAt;
    const file = variant((d) => {
      d.bodies = d.bodies.filter((b) => b.kind !== "inspection");
      delete d.settings.questions;
    });
    const r = await importFile(file);
    expect(r.counts.bodies).toEqual({ created: 0, updated: 2, membersAdded: 1, membersRemoved: 2 });
    const rows = await bodies();
    expect(rows.map((b) => [b.kind, b.members.length])).toEqual([
      ["STANDING_BOARD", 2],
      ["INSPECTION", 0],
      ["OFFICE", 0],
    ]);
    expect(rows.find((b) => b.kind === "INSPECTION")?.name).toBe("Ủy ban Kiểm tra Đảng ủy xã");
    expect(await p.committeeBody.findUnique({ where: { id: office.id }, select: { kind: true } })).toEqual({ kind: "OFFICE" });
    expect(await questionsSetting()).toEqual({ answer_days: 5 });
    expect((await p.setting.findUniqueOrThrow({ where: { key: OFFICE_HOURS_KEY } })).updatedAt).toEqual(hours);

    // Named again, the body gets its members back in the same row.
    const back = await importFile(exampleFile);
    expect(back.counts.bodies).toEqual({ created: 0, updated: 1, membersAdded: 1, membersRemoved: 0 });
    expect((await bodies()).find((b) => b.kind === "INSPECTION")).toMatchObject({
      id: rows.find((b) => b.kind === "INSPECTION")?.id,
      name: "Ủy ban Kiểm tra Đảng ủy xã Tân Phong",
      members: [["trinhvankhoa", true]],
    });
    expect(await questionsSetting()).toEqual({ answer_days: 10, visible_to_members: false });
  });

  it("accepts a body without a chair", async () => {
    const file = variant((d) => {
      d.bodies[0]!.members = [{ person: "hoangvanthanh" }, { person: "nguyenthihuong", chair: false }];
    });
    await importFile(file);
    expect((await bodies())[0]?.members).toEqual([
      ["hoangvanthanh", false],
      ["nguyenthihuong", false],
    ]);
    await importFile(exampleFile);
  });
});

describe("mistakes in bodies and the questions setting", () => {
  it.each<[string, (d: File) => void, RegExp[]]>([
    [
      "unknown committee",
      (d) => {
        d.bodies[0]!.committee = "DU-XA-KHAC";
      },
      [/^bodies\[0\]\.committee \(dòng \d+\): không có đơn vị "DU-XA-KHAC"$/],
    ],
    [
      "a unit that is not a committee",
      (d) => {
        d.bodies[1]!.committee = "UBND-XA";
      },
      [/^bodies\[1\]\.committee \(dòng \d+\): đơn vị "UBND-XA" có kind: AGENCY, không phải cấp ủy; .*kind: COMMITTEE$/],
    ],
    [
      "unknown person",
      (d) => {
        d.bodies[0]!.members.push({ person: "khongai" });
      },
      [/^bodies\[0\]\.members\[2\]\.person \(dòng \d+\): không có cán bộ "khongai"$/],
    ],
    [
      "a kind twice for one committee",
      (d) => {
        d.bodies.push({ committee: "DU-XA-TAN-PHONG", kind: "standing_board", name: "Ban Thường vụ (bản cũ)", members: [{ person: "lyvankhanh" }] });
      },
      [/^bodies\[2\]\.kind \(dòng \d+\): ban kind: standing_board của cấp ủy "DU-XA-TAN-PHONG" bị khai báo hai lần \(đã có ở bodies\[0\]\)/],
    ],
    [
      "a person twice in a body",
      (d) => {
        d.bodies[0]!.members.push({ person: "nguyenthihuong" });
      },
      [/^bodies\[0\]\.members\[2\]\.person \(dòng \d+\): cán bộ "nguyenthihuong" bị khai báo hai lần trong cùng một ban \(đã có ở bodies\[0\]\.members\[1\]\)$/],
    ],
    [
      "two chairs",
      (d) => {
        d.bodies[0]!.members[1]!.chair = true;
      },
      [/^bodies\[0\]\.members\[1\]\.chair \(dòng \d+\): mỗi ban chỉ có một người đứng đầu \(chair: true\); đã có ở bodies\[0\]\.members\[0\]$/],
    ],
    [
      "the office as a body",
      (d) => {
        d.bodies[1]!.kind = "office";
      },
      [/^bodies\[1\]\.kind \(dòng \d+\): kind: office không khai báo trong tệp: Văn phòng cấp ủy là những cán bộ có vai trò OFFICE .*chỉ được là: standing_board, inspection$/],
    ],
    [
      "an unknown kind",
      (d) => {
        d.bodies[1]!.kind = "STANDING_BOARD";
      },
      [/^bodies\[1\]\.kind \(dòng \d+\): giá trị "STANDING_BOARD" không hợp lệ; chỉ được là: standing_board, inspection$/],
    ],
    [
      "a body without members",
      (d) => {
        d.bodies[1]!.members = [];
      },
      [/^bodies\[1\]\.members \(dòng \d+\): /],
    ],
    [
      "questions setting out of range, and a misspelt key",
      (d) => {
        d.settings.questions = { answer_days: 0, visible_to_member: true };
      },
      [/^settings\.questions\.answer_days \(dòng \d+\): /, /^settings\.questions \(dòng \d+\): trường không được hỗ trợ: "visible_to_member"/],
    ],
    [
      "questions setting of the wrong type",
      (d) => {
        d.settings.questions = { answer_days: 10, visible_to_members: "có" };
      },
      [/^settings\.questions\.visible_to_members \(dòng \d+\): /],
    ],
  ])("%s: told by its line, nothing written", async (_name, change, expected) => {
    const file = variant((d) => {
      // Were the file imported after all, this would show.
      d.bodies[0]!.name = "Ban Thường vụ (đổi tên)";
      change(d);
    });
    const before = await everything();
    const r = await cli([file], { DATABASE_URL: t.url }, () => undefined, () => undefined);
    expect(r).toBe(1);
    const loaded = loadImportFile(file);
    const problems = loaded.ok ? [] : loaded.problems;
    expect(problems, problems.join("\n")).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(problems[i]).toMatch(e));
    expect(await everything()).toEqual(before);
  });

  it("tells every problem at once, even with the shape of the file wrong elsewhere", () => {
    const file = variant((d) => {
      d.units[0]!.kind = "CAP_UY";
      d.bodies[0]!.committee = "CB-THON-TAN-LAP";
      d.bodies[0]!.members.push({ person: "khongai" }, { person: "hoangvanthanh", chair: true });
      d.bodies[1]!.kind = "office";
      d.bodies.push({ committee: "DU-XA-TAN-PHONG", kind: "inspection", name: "Ủy ban Kiểm tra", members: [{ person: "trinhvankhoa" }] });
      d.settings.questions = { answer_days: 91 };
    });
    const loaded = loadImportFile(file);
    const problems = loaded.ok ? [] : loaded.problems;
    expect(problems.map((p) => p.replace(/ \(dòng \d+\)/, "").split(":")[0]).sort()).toEqual(
      [
        "units[0].kind",
        "bodies[1].kind",
        "settings.questions.answer_days",
        "bodies[0].committee",
        "bodies[0].members[2].person",
        "bodies[0].members[3].person",
        "bodies[0].members[3].chair",
      ].sort(),
    );
    for (const p of problems) expect(p).toMatch(/\(dòng \d+\): /);
  });
});
