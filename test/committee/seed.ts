// The known situation the committee tests look at: Q4/2026 of a small
// province (test/committee/org.yaml), seen on Friday 18/12/2026 at 10:00,
// three days after the deadline (17:00 Tuesday 15/12/2026).
//   An Lạc ✅ (two revisions)   An Phú ✅   An Hòa 🕘 (17/12)   An Thịnh ✏️ (extended to 25/12)
//   An Khang ❗ (never reminded)   Bình Yên ✅   Bình Tây ❗ (reminded 16/12 08:00)
import { join } from "node:path";
import type { Prisma } from "../../src/db/database.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { moveDeadline, openPeriod } from "../../src/reports/periods.ts";
import { openDraft, saveAnswer, submit, type SubmittedAnswer } from "../../src/reports/submissions.ts";
import { vn } from "../reports/helpers.ts";

export const SEED_NOW = vn("2026-12-01 09:00");
export const NOW = vn("2026-12-18 10:00");

export async function seedProvince(prisma: Prisma): Promise<Map<string, string>> {
  const file = loadImportFile(join(import.meta.dirname, "org.yaml"));
  if (!file.ok) throw new Error(file.problems.join("\n"));
  const imported = await applyImport(prisma, file.data, { now: SEED_NOW, ttlDays: 30 });
  const template = await prisma.template.findUniqueOrThrow({ where: { code: "QUY" }, select: { id: true } });
  await openPeriod(prisma, { templateId: template.id, type: "QUARTERLY", year: 2026, number: 4 }, { now: SEED_NOW });

  const person = async (code: string) => (await prisma.person.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;
  const assignment = async (unit: string) =>
    (await prisma.assignment.findFirstOrThrow({ where: { unit: { code: unit }, period: { key: "QUARTERLY-2026-4" } }, select: { id: true } })).id;
  const file_ = async (unit: string, reporter: string, at: string, answers: Record<string, number | string>) => {
    const personId = await person(reporter);
    const assignmentId = await assignment(unit);
    await prisma.$transaction(async (tx) => {
      const now = vn(at);
      const { submissionId } = await openDraft(tx, { assignmentId, personId, now });
      for (const [path, value] of Object.entries(answers)) await saveAnswer(tx, { submissionId, path, value, personId, now });
      await submit(tx, { submissionId, personId, now, answers: Object.entries(answers).map(([path, value]) => typed(path, value)) });
    });
  };
  await file_("CB-A1", "repa1", "2026-12-10 09:00", { so_dang_vien: 20, so_cuoc_hop: 3, "van_ban[0].so_hieu": "05-NQ/CB", nhan_xet: "Tốt" });
  await file_("CB-A1", "repa1", "2026-12-14 16:00", { so_dang_vien: 22, so_cuoc_hop: 3, "van_ban[0].so_hieu": "05-NQ/CB", "van_ban[0].so_trang": 4, "van_ban[1].so_hieu": "07-KH/CB", "van_ban[1].so_trang": 6, nhan_xet: "Rất tốt" });
  await file_("CB-A2", "repa2", "2026-12-11 10:00", { so_dang_vien: 30, so_cuoc_hop: 2, "van_ban[0].so_hieu": "01-NQ/CB", "van_ban[0].so_trang": 2, nhan_xet: "Ổn định" });
  await file_("CB-A3", "repa3", "2026-12-17 09:00", { so_dang_vien: 10, so_cuoc_hop: 1, "van_ban[0].so_hieu": "02-NQ/CB" });
  await file_("CB-B1", "repb1", "2026-12-09 15:00", { so_dang_vien: 15, so_cuoc_hop: 4, "van_ban[0].so_hieu": "03-NQ/CB", nhan_xet: "Cần cố gắng" });

  const a4 = await assignment("CB-A4");
  const repa4 = await person("repa4");
  await prisma.$transaction(async (tx) => {
    const { submissionId } = await openDraft(tx, { assignmentId: a4, personId: repa4, now: vn("2026-12-12 08:00") });
    await saveAnswer(tx, { submissionId, path: "so_dang_vien", value: 12, personId: repa4, now: vn("2026-12-12 08:00") });
  });
  await moveDeadline(prisma, [a4], vn("2026-12-25 17:00"), { now: SEED_NOW, actorId: null });

  const b2 = await assignment("CB-B2");
  await prisma.outboundMessage.create({
    data: {
      dedupKey: "test-reminder-b2",
      purpose: "reminder",
      platform: "TELEGRAM",
      chatId: "999",
      assignmentId: b2,
      payload: { text: "nhắc" },
      status: "SENT",
      sentAt: vn("2026-12-16 08:00"),
    },
    select: { id: true },
  });
  // A reminder that could not be delivered: the reporter blocked the bot.
  await prisma.outboundMessage.create({
    data: {
      dedupKey: "test-reminder-b2-failed",
      purpose: "reminder",
      platform: "ZALO",
      chatId: "998",
      assignmentId: b2,
      payload: { text: "nhắc" },
      status: "FAILED",
      reason: "blocked",
    },
    select: { id: true },
  });

  // A question (chất vấn) to An Lạc, answered before its deadline.
  const a1 = await prisma.unit.findUniqueOrThrow({ where: { code: "CB-A1" }, select: { id: true } });
  const committee = await prisma.unit.findUniqueOrThrow({ where: { code: "DU-XA-A" }, select: { id: true } });
  const asker = await person("capuya");
  const q = await prisma.question.create({
    data: { reference: "CV-TEST1", committeeId: committee.id, askedById: asker, targetUnitId: a1.id, text: "Vì sao?", deadline: vn("2026-12-16 17:00"), status: "ANSWERED" },
    select: { id: true },
  });
  await prisma.questionAnswer.create({ data: { questionId: q.id, answeredById: await person("repa1"), text: "Vì...", createdAt: vn("2026-12-15 09:00") }, select: { id: true } });

  return new Map(imported.invitations.map((i) => [i.personCode, i.code]));
}

function typed(path: string, value: number | string): SubmittedAnswer {
  const questionName = path.replace(/\[\d+\]/g, "");
  const m = /\[(\d+)\]/.exec(path);
  return {
    path,
    questionName,
    repeatIndex: m ? Number(m[1]) : null,
    value,
    numberValue: typeof value === "number" ? value : null,
    textValue: typeof value === "string" ? value : null,
  };
}
