// Questions (chất vấn) in the committee's reports, on the known situation of
// seed.ts (Friday 18/12/2026 10:00) plus questions written straight into the
// database: the "Chất vấn" sheet of /xuat (workbook and CSV) and the counts
// of /danhgia, each as a given person may see them.
//   CV-TEST1 (seed)  An Lạc      deadline 16/12, answered 15/12        → on time
//   CV-LATE          An Phú      deadline 10/12, answered 12/12 and 14/12 → late; closed, not satisfied
//   CV-OVERDUE       An Hòa      deadline 15/12, open                  → unanswered
//   CV-PENDING       An Hòa      deadline 28/12, open                  → pending, not counted
//   CV-PROP          An Hòa      a proposal, deadline 01/12, open      → not a question, not counted
//   CV-FOLLOW        An Phú      follow-up of CV-LATE, no deadline     → pending
//   CV-P1, CV-P2     Lò Văn Khang (head of An Khang): on time; unanswered
//   CV-P3            Ngô Văn Phú (reporter of An Phú): late
//   CV-2025          An Lạc      2025, late                            → only in 2025
//   CV-HIDDEN        An Thịnh    asked by another member: the member capuya does not see it
//   CV-B, CV-BP, CV-BT  commune Bình Minh's questions: to Bình Yên; to Lò Văn Khang; to Tạ Văn Tây
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundMessage } from "../../src/channels/channel.ts";
import { exportData } from "../../src/committee/export.ts";
import { exportCommand } from "../../src/committee/files.ts";
import type { CommitteeCommand } from "../../src/committee/registry.ts";
import { scorecardCommand } from "../../src/committee/scorecard.ts";
import { buildCsvFiles } from "../../src/exports/csv.ts";
import { renderChart } from "../../src/exports/chart.ts";
import { buildWorkbook } from "../../src/exports/workbook.ts";
import type { QuestionRow } from "../../src/exports/types.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { vn } from "../reports/helpers.ts";
import { NOW, seedProvince } from "./seed.ts";

const message: InboundMessage = {
  platform: "TELEGRAM",
  updateKey: "questions-report",
  chatId: "1",
  chatType: "private",
  from: { id: "1" },
  messageId: "1",
  date: NOW,
  content: { type: "text", text: "/danhgia 2026" },
};

describe("questions in /xuat and /danhgia", () => {
  let t: TestDb;
  const ids = new Map<string, number>();
  const unit = async (code: string) => (await t.db.prisma.unit.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;
  const person = async (code: string) => t.db.prisma.person.findUniqueOrThrow({ where: { code }, select: { id: true, fullName: true } });

  beforeAll(async () => {
    t = await createTestDb();
    await seedProvince(t.db.prisma);
    const db = t.db.prisma;
    const [communeA, communeB] = [await unit("DU-XA-A"), await unit("DU-XA-B")];
    const capuya = (await person("capuya")).id;
    const capuyb = (await person("capuyb")).id;
    const office = (await person("vanphong")).id;
    const add = async (
      reference: string,
      q: { committee?: number; askedBy?: number; enteredBy?: number; unit?: string; person?: string; kind?: "QUESTION" | "PROPOSAL" | "INFO_REQUEST" },
      more: { deadline?: string; createdAt?: string; status?: "OPEN" | "ANSWERED" | "CLOSED"; parent?: string; verdict?: "SATISFIED" | "NOT_SATISFIED"; verdictComment?: string; conference?: string; text?: string },
      answers: string[] = [],
    ) => {
      const answerer = (await person("repa1")).id;
      const created = await db.question.create({
        data: {
          reference,
          committeeId: q.committee ?? communeA,
          askedById: q.askedBy ?? capuya,
          ...(q.enteredBy !== undefined && { enteredById: q.enteredBy }),
          kind: q.kind ?? "QUESTION",
          ...(q.unit !== undefined && { targetUnitId: await unit(q.unit) }),
          ...(q.person !== undefined && { targetPersonId: (await person(q.person)).id }),
          text: more.text ?? `Nội dung ${reference}`,
          ...(more.conference !== undefined && { conference: more.conference }),
          ...(more.deadline !== undefined && { deadline: vn(more.deadline) }),
          createdAt: vn(more.createdAt ?? "2026-12-01 09:00"),
          status: more.status ?? (answers.length > 0 ? "ANSWERED" : "OPEN"),
          ...(more.parent !== undefined && { parentId: ids.get(more.parent)! }),
          ...(more.verdict !== undefined && { verdict: more.verdict, verdictComment: more.verdictComment ?? null, verdictAt: NOW }),
          ...(answers[0] !== undefined && { answeredAt: vn(answers[0]) }),
        },
        select: { id: true },
      });
      ids.set(reference, created.id);
      for (const [i, at] of answers.entries()) {
        await db.questionAnswer.create({ data: { questionId: created.id, revision: i + 1, answeredById: answerer, text: `Trả lời ${i + 1}`, createdAt: vn(at) }, select: { id: true } });
      }
    };
    await add(
      "CV-LATE",
      { unit: "CB-A2", enteredBy: office },
      { deadline: "2026-12-10 17:00", status: "CLOSED", verdict: "NOT_SATISFIED", verdictComment: "Chưa rõ lộ trình", conference: "Hội nghị lần thứ 5" },
      ["2026-12-12 09:00", "2026-12-14 09:00"],
    );
    await add("CV-OVERDUE", { unit: "CB-A3" }, { deadline: "2026-12-15 17:00", text: "=CMD()\nVì sao chậm?" });
    await add("CV-PENDING", { unit: "CB-A3" }, { deadline: "2026-12-28 17:00" });
    await add("CV-PROP", { unit: "CB-A3", kind: "PROPOSAL" }, { deadline: "2026-12-01 17:00" });
    await add("CV-FOLLOW", { unit: "CB-A2" }, { parent: "CV-LATE", createdAt: "2026-12-16 09:00" });
    await add("CV-P1", { person: "heada5" }, { deadline: "2026-12-12 17:00" }, ["2026-12-11 10:00"]);
    await add("CV-P2", { person: "heada5" }, { deadline: "2026-12-14 17:00" });
    await add("CV-P3", { person: "repa2" }, { deadline: "2026-12-10 17:00" }, ["2026-12-13 10:00"]);
    await add("CV-2025", { unit: "CB-A1" }, { deadline: "2025-12-10 17:00", createdAt: "2025-12-01 09:00" }, ["2025-12-20 10:00"]);
    await add("CV-HIDDEN", { unit: "CB-A4", askedBy: (await person("repa3")).id }, { deadline: "2026-12-12 17:00" });
    await add("CV-B", { committee: communeB, askedBy: capuyb, unit: "CB-B1" }, { deadline: "2026-12-12 17:00" });
    await add("CV-BP", { committee: communeB, askedBy: capuyb, person: "heada5" }, { deadline: "2026-12-12 17:00" });
    await add("CV-BT", { committee: communeB, askedBy: capuyb, person: "headb2" }, { deadline: "2026-12-12 17:00" }, ["2026-12-11 10:00"]);
  });

  afterAll(async () => {
    await t.cleanup();
  });

  const rowsFor = async (viewer: string, root: string) => {
    const viewerId = (await person(viewer)).id;
    const roots = [await unit(root)];
    return (await t.db.prisma.$transaction((tx) => exportData(tx, { roots, scopeTitle: "x", viewerId }, NOW))).questions ?? [];
  };
  const refs = (rows: QuestionRow[]) => rows.map((r) => r.reference);

  it("lists the questions the person may see of the committees in the scope, and nothing without a viewer", async () => {
    const member = await rowsFor("capuya", "DU-XA-A");
    expect(refs(member)).toEqual(["CV-TEST1", "CV-LATE", "CV-OVERDUE", "CV-PENDING", "CV-PROP", "CV-FOLLOW", "CV-P1", "CV-P2", "CV-P3", "CV-2025"]);
    // The office sees every question of the province, the hidden one too; narrowed to a commune, that commune's.
    const office = await rowsFor("vanphong", "TU-TINH");
    expect(refs(office)).toEqual(expect.arrayContaining(["CV-HIDDEN", "CV-B", "CV-BP", "CV-BT"]));
    expect(office).toHaveLength(14);
    expect(refs(await rowsFor("vanphong", "DU-XA-B"))).toEqual(["CV-B", "CV-BP", "CV-BT"]);
    // The other commune's member: none of commune An Bình's, even when asked for its scope.
    expect(refs(await rowsFor("capuyb", "DU-XA-B"))).toEqual(["CV-B", "CV-BP", "CV-BT"]);
    expect(await rowsFor("capuyb", "DU-XA-A")).toEqual([]);
    const root = await unit("DU-XA-A");
    const anonymous = await t.db.prisma.$transaction((tx) => exportData(tx, { roots: [root], scopeTitle: "x" }, NOW));
    expect(anonymous.questions).toEqual([]);
  });

  it("gives each question its state, timeliness, answers, verdict and parent at export time", async () => {
    const byRef = new Map((await rowsFor("capuya", "DU-XA-A")).map((r) => [r.reference, r]));
    expect(byRef.get("CV-TEST1")).toMatchObject({ state: "answered", answeredOnTime: true, answers: 1, firstAnswerAt: vn("2026-12-15 09:00"), addressee: "Chi bộ thôn An Lạc" });
    expect(byRef.get("CV-LATE")).toMatchObject({
      committee: "Đảng ủy xã An Bình",
      askedBy: "Trần Thị An",
      enteredBy: "Lê Văn Phòng",
      kind: "QUESTION",
      addressee: "Chi bộ thôn An Phú",
      conference: "Hội nghị lần thứ 5",
      state: "closed",
      firstAnswerAt: vn("2026-12-12 09:00"),
      answeredOnTime: false,
      answers: 2,
      verdict: "NOT_SATISFIED",
      verdictComment: "Chưa rõ lộ trình",
      followUpOf: null,
    });
    expect(byRef.get("CV-OVERDUE")).toMatchObject({ state: "open_overdue", answeredOnTime: false, answers: 0, firstAnswerAt: null, verdict: null, enteredBy: null });
    expect(byRef.get("CV-PENDING")).toMatchObject({ state: "open", answeredOnTime: null });
    expect(byRef.get("CV-PROP")).toMatchObject({ kind: "PROPOSAL", state: "open_overdue" });
    expect(byRef.get("CV-FOLLOW")).toMatchObject({ followUpOf: "CV-LATE", deadline: null, state: "open", answeredOnTime: null });
    expect(byRef.get("CV-P2")).toMatchObject({ addressee: "Lò Văn Khang", state: "open_overdue" });
  });

  it("cuts a question's text to what a cell holds", async () => {
    const id = ids.get("CV-PENDING")!;
    await t.db.prisma.question.update({ where: { id }, data: { text: "x".repeat(40_000) } });
    try {
      const row = (await rowsFor("capuya", "DU-XA-A")).find((r) => r.reference === "CV-PENDING")!;
      expect(row.text).toHaveLength(32_767);
      expect(row.text.endsWith("…")).toBe(true);
    } finally {
      await t.db.prisma.question.update({ where: { id }, data: { text: "Nội dung CV-PENDING" } });
    }
  });

  const run = async (command: CommitteeCommand, who: string, args: string) => {
    const p = await person(who);
    return t.db.prisma.$transaction((tx) => command.run({ tx, person: p, args, now: NOW, message }));
  };

  it("adds a 'Chất vấn' sheet to the workbook, in Vietnamese, with typed cells", async () => {
    const exporters = { buildWorkbook, buildCsvFiles, renderChart };
    const [reply] = await run(exportCommand(exporters), "capuya", "");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(reply!.file!.data) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Tình hình nộp", "Báo cáo quý của chi bộ", "Văn bản ban hành", "Chất vấn", "Thông tin"]);
    const ws = wb.getWorksheet("Chất vấn")!;
    const c = texts.exports.questionColumns;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      c.reference, c.committee, c.askedAt, c.askedBy, c.enteredBy, c.kind, c.addressee, c.conference, c.deadline, c.state,
      c.firstAnswerAt, c.answeredOnTime, c.answers, c.verdict, c.verdictComment, c.followUpOf, c.text,
    ]);
    expect(ws.rowCount).toBe(11);
    const row = (ref: string) => {
      for (let i = 2; i <= ws.rowCount; i++) if (ws.getRow(i).getCell(1).value === ref) return ws.getRow(i);
      throw new Error(`no row ${ref}`);
    };
    const late = row("CV-LATE");
    expect([6, 7, 8, 10, 12, 13, 14, 15].map((i) => late.getCell(i).value)).toEqual([
      "Chất vấn", "Chi bộ thôn An Phú", "Hội nghị lần thứ 5", "Đã đóng", "Không", 2, "Chưa hài lòng", "Chưa rõ lộ trình",
    ]);
    expect(late.getCell(5).value).toBe("Lê Văn Phòng");
    // Vietnam wall clock, as every date of the workbook.
    expect((late.getCell(3).value as Date).toISOString().slice(0, 10)).toBe("2026-12-01");
    expect((late.getCell(9).value as Date).toISOString().slice(0, 16)).toBe("2026-12-10T17:00");
    expect((late.getCell(11).value as Date).toISOString().slice(0, 16)).toBe("2026-12-12T09:00");
    expect([10, 12, 14].map((i) => row("CV-OVERDUE").getCell(i).value)).toEqual(["Chưa trả lời (quá hạn)", "Không", "—"]);
    expect(row("CV-OVERDUE").getCell(17).value).toBe("=CMD()\nVì sao chậm?");
    expect(row("CV-OVERDUE").getCell(17).type).toBe(ExcelJS.ValueType.String);
    expect([10, 12].map((i) => row("CV-PENDING").getCell(i).value)).toEqual(["Chưa trả lời", "—"]);
    expect([10, 12, 13].map((i) => row("CV-TEST1").getCell(i).value)).toEqual(["Đã trả lời", "Có", 1]);
    expect(row("CV-PROP").getCell(6).value).toBe("Kiến nghị");
    expect(row("CV-FOLLOW").getCell(16).value).toBe("CV-LATE");
  });

  it("adds the questions to the CSV export as one more file", async () => {
    const exporters = { buildWorkbook, buildCsvFiles, renderChart };
    const [reply] = await run(exportCommand(exporters), "capuya", "csv");
    const archive = await JSZip.loadAsync(reply!.file!.data);
    const names = Object.keys(archive.files);
    expect(names.at(-1)).toBe("Chất vấn.csv");
    const csv = await archive.file("Chất vấn.csv")!.async("string");
    const lines = csv.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]!.split(";").slice(0, 4)).toEqual(["Số hiệu", "Cấp ủy", "Ngày gửi", "Người hỏi"]);
    expect(lines.find((l) => l.startsWith("CV-LATE;"))).toContain(";01/12/2026;Trần Thị An;Lê Văn Phòng;Chất vấn;Chi bộ thôn An Phú;Hội nghị lần thứ 5;10/12/2026 17:00;Đã đóng;12/12/2026 09:00;Không;2;Chưa hài lòng;Chưa rõ lộ trình;;");
    // A question that starts like a formula is neutralised, and its newline quoted.
    expect(csv).toContain(`;"'=CMD()\nVì sao chậm?"\r\n`);
    expect(csv).not.toContain("CV-HIDDEN");
    // Without questions in the scope: the status and the answers only, as before.
    const [other] = await run(exportCommand(exporters), "capuya", "csv an khang");
    const none = await JSZip.loadAsync(other!.file!.data);
    expect(Object.keys(none.files)).not.toContain("Chất vấn.csv");
  });

  it("counts per unit the questions answered on time, late and unanswered, not pending ones nor proposals", async () => {
    const [reply] = await run(scorecardCommand, "capuya", "2026");
    const r = reply!.text;
    expect(r).toContain("Chi bộ thôn An Lạc: đúng hạn 1/1 (100%) · chất vấn trả lời đúng hạn 1/1\n");
    expect(r).toContain("Chi bộ thôn An Phú: đúng hạn 1/1 (100%) · chất vấn trả lời đúng hạn 0/1, trả lời muộn 1\n");
    expect(r).toContain("Chi bộ thôn An Hòa: đúng hạn 0/1 (0%) · muộn TB 2 ngày LV · chất vấn trả lời đúng hạn 0/1, quá hạn chưa trả lời 1\n");
    // An Thịnh's only question is one this member may not see; and nothing of it is due.
    expect(r).not.toContain("An Thịnh");
    // Then the people asked by name, the most unanswered first.
    expect(r).toContain(["", "Chất vấn gửi đến cá nhân:", "1. Lò Văn Khang: trả lời đúng hạn 1/2, quá hạn chưa trả lời 1", "2. Ngô Văn Phú: trả lời đúng hạn 0/1, trả lời muộn 1"].join("\n"));
    expect(r.endsWith("2. Ngô Văn Phú: trả lời đúng hạn 0/1, trả lời muộn 1")).toBe(true);
  });

  it("counts what the office may see, and only the people in the scope", async () => {
    const province = (await run(scorecardCommand, "vanphong", "2026"))[0]!.text;
    expect(province).toContain("Chi bộ thôn An Thịnh: đúng hạn 0/0 (0%) · chất vấn trả lời đúng hạn 0/1, quá hạn chưa trả lời 1");
    expect(province).toContain("Chi bộ thôn Bình Yên: đúng hạn 1/1 (100%) · chất vấn trả lời đúng hạn 0/1, quá hạn chưa trả lời 1");
    expect(province).toContain("1. Lò Văn Khang: trả lời đúng hạn 1/3, quá hạn chưa trả lời 2");
    expect(province).toContain("Tạ Văn Tây: trả lời đúng hạn 1/1");
    // Narrowed to commune An Bình: its members, with every question put to them; not Bình Minh's head.
    const communeA = (await run(scorecardCommand, "vanphong", "2026 xa an binh"))[0]!.text;
    expect(communeA).toContain("1. Lò Văn Khang: trả lời đúng hạn 1/3, quá hạn chưa trả lời 2");
    expect(communeA).not.toContain("Tạ Văn Tây");
    expect(communeA).not.toContain("Bình Yên");
    // Commune Bình Minh's member: its own questions; Lò Văn Khang is in scope as the target of one of them.
    const communeB = (await run(scorecardCommand, "capuyb", "2026"))[0]!.text;
    expect(communeB).toContain("1. Lò Văn Khang: trả lời đúng hạn 0/1, quá hạn chưa trả lời 1");
    expect(communeB).toContain("2. Tạ Văn Tây: trả lời đúng hạn 1/1");
    expect(communeB).not.toContain("Ngô Văn Phú");
  });

  it("keeps to the year asked: by the deadline, in Vietnam", async () => {
    const r = (await run(scorecardCommand, "capuya", "2025"))[0]!.text;
    expect(r).toContain("Chi bộ thôn An Lạc: đúng hạn 0/0 (0%) · chất vấn trả lời đúng hạn 0/1, trả lời muộn 1");
    expect(r).not.toContain("Chất vấn gửi đến cá nhân");
    expect(r).not.toContain("An Hòa");
  });
});
